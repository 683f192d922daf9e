"""The monitoring procedure's API: a lead with its steps and the steps the caller may take,
taking a step, and a monitored household with its plan of measures. The home visit, which
needs the household's signed consent as a file, is taken on the visit page. Who may do what
is aidbridge.policy's and monitoring.procedure's."""

from datetime import date
from uuid import UUID

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from aidbridge.monitoring import cases
from aidbridge.monitoring.models import Measure
from aidbridge.monitoring.selectors_procedure import access_lead, access_monitored

leads_router = Router(tags=["monitoring"])
monitored_router = Router(tags=["monitoring"])


class ProcedureStepOut(Schema):
    stage: str
    action: str
    role: str
    on: date
    comment: str
    by: str | None


class ProcedureCaseOut(Schema):
    stage: str
    status: str
    opened_on: date
    step_due: date | None
    decide_by: date | None
    notice_started: date | None
    notice_days: int
    escalated_to: str
    decided_on: date | None
    allowed: list[str] = Field(description="The steps the caller may take today")
    steps: list[ProcedureStepOut]


class ProcedureLeadOut(ProcedureCaseOut):
    id: UUID
    tracking_code: str
    channel: str
    rule: str
    source: str
    kind: str
    household_id: UUID | None
    village_code: str
    monitored_id: UUID | None


class ProcedureStepIn(Schema):
    action: str = Field(description="review, start_notice, close_notice, check, approve, reject")
    comment: str = Field("", max_length=2000, description="The reason, required to reject")
    kind: str = Field("", description="The kind of monitoring object (the county's approval)")


class PlanMeasureOut(Schema):
    id: int
    kind: str
    description: str
    responsible: str
    due: date | None
    status: str
    need_id: UUID | None


class MonitoredPlanOut(Schema):
    id: UUID
    household_id: UUID
    kind: str
    stage: str
    since: date
    eliminated_on: date | None
    lead_id: UUID
    measures: list[PlanMeasureOut]
    elimination: ProcedureCaseOut | None


class PlanMeasureIn(Schema):
    kind: str
    description: str = Field(max_length=200)
    responsible: str = Field(max_length=100)
    due: date | None = None


class PlanMeasureStatusIn(Schema):
    measure: int = Field(ge=1, le=2**31 - 1, description="The measure's id")
    status: str = Field(description="planned, under_way, done or dropped")


def _case(user, case) -> dict:
    return {
        "stage": case.stage,
        "status": case.status,
        "opened_on": case.opened_on,
        "step_due": case.step_due,
        "decide_by": case.decide_by,
        "notice_started": case.notice_started,
        "notice_days": case.notice_days,
        "escalated_to": case.escalated_to,
        "decided_on": case.decided_on,
        "allowed": cases.allowed(user, case, timezone.localdate()),
        "steps": [
            {
                "stage": s.stage,
                "action": s.action,
                "role": s.role,
                "on": s.on,
                "comment": s.comment,
                "by": s.by.username if s.by else None,
            }
            for s in case.steps.select_related("by")
        ],
    }


def _lead(user, lead) -> dict:
    monitored = getattr(lead, "monitored", None) if lead.status == "approved" else None
    return {
        **_case(user, lead),
        "id": lead.public_id,
        "tracking_code": lead.tracking_code,
        "channel": lead.channel,
        "rule": lead.rule,
        "source": lead.source,
        "kind": lead.kind,
        "household_id": lead.household.public_id if lead.household else None,
        "village_code": lead.village.code,
        "monitored_id": monitored.public_id if monitored else None,
    }


def _monitored(user, monitored) -> dict:
    proposal = cases.open_elimination(monitored)
    return {
        "id": monitored.public_id,
        "household_id": monitored.household.public_id,
        "kind": monitored.kind,
        "stage": monitored.stage,
        "since": monitored.since,
        "eliminated_on": monitored.eliminated_on,
        "lead_id": monitored.lead.public_id,
        "measures": [
            {
                "id": m.pk,
                "kind": m.kind,
                "description": m.description,
                "responsible": m.responsible,
                "due": m.due,
                "status": m.status,
                "need_id": m.need.public_id if m.need else None,
            }
            for m in monitored.measures.select_related("need")
        ],
        "elimination": _case(user, proposal) if proposal else None,
    }


@leads_router.get(
    "/{uuid:lead_id}", response=ProcedureLeadOut, summary="A monitoring lead and its steps"
)
def get_lead(request, lead_id: UUID):
    return _lead(request.auth, access_lead(request.auth, lead_id))


@leads_router.post(
    "/{uuid:lead_id}/steps", response={201: ProcedureLeadOut}, summary="Take the lead's next step"
)
def lead_step(request, lead_id: UUID, data: ProcedureStepIn):
    lead = access_lead(request.auth, lead_id)
    cases.case_act(
        by=request.auth,
        case=lead,
        action=data.action,
        on=timezone.localdate(),
        comment=data.comment,
        kind=data.kind,
    )
    lead.refresh_from_db()
    return Status(201, _lead(request.auth, lead))


@monitored_router.get(
    "/{uuid:monitored_id}", response=MonitoredPlanOut, summary="A monitored household and its plan"
)
def get_monitored(request, monitored_id: UUID):
    return _monitored(request.auth, access_monitored(request.auth, monitored_id))


@monitored_router.post(
    "/{uuid:monitored_id}/measures",
    response={201: MonitoredPlanOut},
    summary="Add a measure to the plan",
)
def add_measure(request, monitored_id: UUID, data: PlanMeasureIn):
    monitored = access_monitored(request.auth, monitored_id)
    cases.measure_add(by=request.auth, monitored=monitored, **data.dict())
    return Status(201, _monitored(request.auth, monitored))


@monitored_router.post(
    "/{uuid:monitored_id}/measures/status",
    response=MonitoredPlanOut,
    summary="Record where a measure stands",
)
def measure_status(request, monitored_id: UUID, data: PlanMeasureStatusIn):
    monitored = access_monitored(request.auth, monitored_id)
    measure = Measure.objects.filter(pk=data.measure, monitored=monitored).first()
    if measure is None:
        raise Http404("measure")
    cases.measure_update(by=request.auth, measure=measure, status=data.status)
    return _monitored(request.auth, monitored)
