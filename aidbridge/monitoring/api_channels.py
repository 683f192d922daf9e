"""The API of the leads from people: visits (recording one opens the leads it calls for),
self-reports (a call recorded for a household, the portal's reports waiting for a household,
linking one), and on the public side reporting and tracking by code (rate-limited by
address, like the portal's forms). Who may do what is aidbridge.policy's."""

from datetime import date
from uuid import UUID

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.monitoring import channels, selectors_channels
from aidbridge.monitoring.models import Lead, Visit
from aidbridge.policy import Action, require
from aidbridge.ratelimit import limit
from aidbridge.registry.selectors import access_household
from aidbridge.schemas import Pages

visits_router = Router(tags=["monitoring"])
reports_router = Router(tags=["monitoring"])
public_router = Router(auth=None, tags=["portal"])


class MonitoringLeadRef(Schema):
    tracking_code: str
    rule: str
    channel: str
    created: bool = Field(description="False: the visit or call joined this open lead")


class MonitoringVisitIn(Schema):
    household: UUID
    visited_on: date
    indicators: dict[str, bool] = Field(
        description="Each of food, clothing, education, medical, housing, water: met or not"
    )
    per_capita_income: int | None = Field(None, description="Yuan a person a year, now")
    shocks: list[str] = Field(default_factory=list, description="Values of the Shock choices")
    note: str = ""


class MonitoringVisitOut(Schema):
    id: UUID
    household_id: UUID
    visited_on: date
    indicators: dict[str, bool]
    per_capita_income: int | None
    shocks: list[str]
    note: str
    photos: int
    leads: list[MonitoringLeadRef]


def _visit_out(visit: Visit, leads: list[MonitoringLeadRef]) -> dict:
    return {
        "id": visit.public_id,
        "household_id": visit.household.public_id,
        "visited_on": visit.visited_on,
        "indicators": visit.indicators,
        "per_capita_income": visit.per_capita_income,
        "shocks": visit.shocks,
        "note": visit.note,
        "photos": len(visit.photos.all()),
        "leads": leads,
    }


@visits_router.post("", response={201: MonitoringVisitOut}, summary="Record a visit")
def visit_create(request, data: MonitoringVisitIn):
    """Record a visit (photos are added on the visit page). A guarantee unmet, income below
    the monitoring line or a shock opens a lead of the visit channel, or joins the open one
    of the same rule; ``leads`` says which."""
    household = selectors_channels.access_household_monitoring(request.auth, data.household)
    visit, opened = channels.visit_submit(
        by=request.auth, household=household, **data.dict(exclude={"household"})
    )
    leads = [
        MonitoringLeadRef(
            tracking_code=o.lead.tracking_code,
            rule=o.finding.rule,
            channel="visit",
            created=o.created,
        )
        for o in opened
    ]
    return Status(201, _visit_out(visit, leads))


@visits_router.get("", response=list[MonitoringVisitOut], summary="A household's visits")
@paginate(Pages, page_size=50)
def visit_list(request, household: UUID):
    """The visits of ``household``, newest first, for those who see its monitoring (its
    area's monitoring officers and its responsible helpers)."""
    found = selectors_channels.access_household_monitoring(request.auth, household)
    shown = selectors_channels.household_monitoring(request.auth, found, visits=500)
    return [
        _visit_out(
            v,
            [
                MonitoringLeadRef(
                    tracking_code=f.lead.tracking_code, rule=f.rule, channel="visit", created=True
                )
                for f in v.findings.all()
            ],
        )
        for v in shown.visits
    ]


class HotlineCallIn(Schema):
    household: UUID
    description: str = Field(description="What the caller said")
    reporter_name: str = ""
    reporter_phone: str = ""


class SelfReportOut(Schema):
    id: UUID
    tracking_code: str
    village_code: str
    household_id: UUID | None
    opened_on: date
    description: str
    reporter_name: str
    reporter_phone: str


def _report_out(lead: Lead) -> dict:
    return {
        "id": lead.public_id,
        "tracking_code": lead.tracking_code,
        "village_code": lead.village.code,
        "household_id": lead.household.public_id if lead.household_id else None,
        "opened_on": lead.opened_on,
        "description": lead.description,
        "reporter_name": lead.reporter_name,
        "reporter_phone": lead.reporter_phone,
    }


@reports_router.post("", response={201: MonitoringLeadRef}, summary="Record a call for a household")
def call_create(request, data: HotlineCallIn):
    """A call to the hotline on a household's behalf, recorded as its self-report by the
    registrars of its village; a second call joins the open one (``created`` false)."""
    household = access_household(request.auth, data.household)
    lead, created = channels.hotline_record(
        by=request.auth, household=household, **data.dict(exclude={"household"})
    )
    return Status(
        201,
        MonitoringLeadRef(
            tracking_code=lead.tracking_code, rule=lead.rule, channel=lead.channel, created=created
        ),
    )


@reports_router.get("", response=list[SelfReportOut], summary="Self-reports to link")
@paginate(Pages, page_size=50)
def report_list(request):
    """The portal's open self-reports of your area naming no household yet, oldest first."""
    require(request.auth, Action.MONITORING_BROWSE)
    return [_report_out(lead) for lead in selectors_channels.self_reports_unlinked(request.auth)]


class SelfReportLinkIn(Schema):
    household: UUID


@reports_router.post("/{uuid:report_id}/link", response=SelfReportOut, summary="Link a report")
def report_link(request, report_id: UUID, data: SelfReportLinkIn):
    """Link a self-report to the registered household it is about."""
    lead = selectors_channels.access_self_report(request.auth, report_id)
    household = access_household(request.auth, data.household)
    return _report_out(channels.self_report_link(by=request.auth, lead=lead, household=household))


class PublicReportIn(Schema):
    village: str = Field(description="The village's code")
    description: str = Field(description="What happened (read by staff only)")
    reporter_name: str = ""
    reporter_phone: str = ""


class TrackingCodeOut(Schema):
    tracking_code: str


class TrackingCodeIn(Schema):
    code: str


class TrackedReportOut(Schema):
    status: str
    stage: str
    opened_on: date
    decide_by: date | None
    decided_on: date | None


@public_router.post(
    "/report", response={201: TrackingCodeOut}, summary="Report a household in hardship"
)
def public_report(request, data: PublicReportIn):
    """Anyone reports a household that may fall (back) into poverty; the answer is the
    tracking code. Limited per address and hour."""
    limit(request, "monitoring.report")
    lead = channels.self_report_submit(
        village_code=data.village,
        description=data.description,
        reporter_name=data.reporter_name,
        reporter_phone=data.reporter_phone,
    )
    return Status(201, {"tracking_code": lead.tracking_code})


@public_router.post("/track", response=TrackedReportOut, summary="Where a report stands")
def public_track(request, data: TrackingCodeIn):
    """The status, step and dates of the lead of a tracking code (posted, never in a URL);
    404 for an unknown code. Limited per address and hour."""
    limit(request, "monitoring.track")
    tracked = selectors_channels.lead_track(data.code)
    if tracked is None:
        raise Http404("code")
    return {
        "status": tracked.status,
        "stage": tracked.stage if tracked.status == "open" else "",
        "opened_on": tracked.opened_on,
        "decide_by": tracked.decide_by,
        "decided_on": tracked.decided_on,
    }
