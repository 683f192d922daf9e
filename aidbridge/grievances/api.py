"""The API of grievances: staff file complaints on someone's behalf (channel ``api``), list
those of their area, read one and decide it; on the public side anyone files a complaint and
follows it by its tracking code (rate-limited by address, like the portal's forms). Who may
do what is aidbridge.policy's."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.grievances import selectors, services
from aidbridge.grievances.models import Channel, Grievance
from aidbridge.phones import mask_phone
from aidbridge.policy import Action, can, require
from aidbridge.ratelimit import limit
from aidbridge.schemas import Pages

router = Router(tags=["grievances"])
public_router = Router(auth=None, tags=["portal"])


class GrievanceIn(Schema):
    region: str = Field(description="The code of the region (a village or wider) it is about")
    category: str = Field(description="A key of settings.GRIEVANCE_CATEGORIES")
    description: str = Field(description="What happened (read by the officers only)")
    anonymous: bool = True
    name: str = ""
    phone: str = ""


class StaffGrievanceIn(GrievanceIn):
    channel: Literal["api", "phone", "visit"] = "api"
    severity: Literal["", "critical", "high", "medium", "low"] = ""
    sensitivity: Literal["", "standard", "sensitive", "highly_sensitive"] = ""


class GrievanceOut(Schema):
    id: UUID
    number: str
    tracking_code: str
    channel: str
    category: str
    severity: str
    sensitivity: str
    region: str
    level: str = Field(description="The code of the region whose officers handle it now")
    status: str
    opened_at: datetime
    due: datetime
    at_risk: bool
    escalations: int
    anonymous: bool
    complainant_name: str = Field(description="Empty unless your work needs it")
    complainant_phone: str = Field(description="Masked unless your work needs it")
    description: str
    decision: str
    reply: str
    reference: str
    order_id: UUID | None = Field(description="The rectification order a referral opened")
    decided_at: datetime | None
    appeal_of: str = Field(description="The number of the grievance it appeals, if any")


def _out(user, grievance: Grievance) -> dict:
    sees = can(user, Action.GRIEVANCE_COMPLAINANT, grievance)
    return {
        "id": grievance.public_id,
        "number": grievance.number,
        "tracking_code": grievance.tracking_code,
        "channel": grievance.channel,
        "category": grievance.category,
        "severity": grievance.severity,
        "sensitivity": grievance.sensitivity,
        "region": grievance.region.code,
        "level": grievance.level_region.code,
        "status": grievance.status,
        "opened_at": grievance.opened_at,
        "due": grievance.due,
        "at_risk": grievance.at_risk,
        "escalations": grievance.escalations,
        "anonymous": grievance.anonymous,
        "complainant_name": grievance.complainant_name if sees else "",
        "complainant_phone": grievance.complainant_phone
        if sees
        else mask_phone(grievance.complainant_phone),
        "description": grievance.description,
        "decision": grievance.decision,
        "reply": grievance.reply,
        "reference": grievance.reference,
        "order_id": grievance.order.public_id if grievance.order_id else None,
        "decided_at": grievance.decided_at,
        "appeal_of": grievance.appeal_of.number if grievance.appeal_of_id else "",
    }


@router.post("", response={201: GrievanceOut}, summary="Record a complaint")
def grievance_create(request, data: StaffGrievanceIn):
    """A complaint recorded on someone's behalf, about a region of your area."""
    require(request.auth, Action.GRIEVANCES_FILE)
    grievance = services.grievance_file(
        channel=data.channel,
        region_code=data.region,
        category=data.category,
        description=data.description,
        anonymous=data.anonymous,
        name=data.name,
        phone=data.phone,
        severity=data.severity,
        sensitivity=data.sensitivity,
        by=request.auth,
    )
    return Status(201, _out(request.auth, grievance))


class GrievanceFilters(Schema):
    status: Literal["", "open", "new", "assigned", "in_progress", "decided", "appealed"] = ""
    category: str = ""
    severity: Literal["", "critical", "high", "medium", "low"] = ""
    at_risk: bool = False
    overdue: bool = False
    mine: bool = Field(False, description="Only those at your level (yours to act on)")


@router.get("", response=list[GrievanceOut], summary="Grievances of your area")
@paginate(Pages, page_size=50)
def grievance_list(request, filters: Query[GrievanceFilters]):
    """The grievances you see (at your level and below; sensitive ones at your level only),
    newest first."""
    require(request.auth, Action.GRIEVANCES_BROWSE)
    rows = selectors.grievances_list(request.auth, **filters.dict()).select_related("appeal_of")
    return [_out(request.auth, g) for g in rows]


@router.get("/{uuid:grievance_id}", response=GrievanceOut, summary="A grievance")
def grievance_detail(request, grievance_id: UUID):
    return _out(request.auth, selectors.access_grievance(request.auth, grievance_id))


class GrievanceDecisionIn(Schema):
    decision: str = Field(
        description="upheld, partly_upheld, rejected, withdrawn, rectification or case"
    )
    reply: str = Field(description="The reply the complainant reads with the tracking code")
    reference: str = Field("", description="For a referral: the order's or case's reference")


@router.post("/{uuid:grievance_id}/decide", response=GrievanceOut, summary="Decide a grievance")
def grievance_decide(request, grievance_id: UUID, data: GrievanceDecisionIn):
    """Close it with a decision and a reply (the officers of the level it sits at)."""
    grievance = selectors.access_grievance(request.auth, grievance_id)
    grievance = services.grievance_decide(by=request.auth, grievance=grievance, **data.dict())
    return _out(request.auth, selectors.access_grievance(request.auth, grievance.public_id))


class GrievanceCodeOut(Schema):
    tracking_code: str
    number: str


class GrievanceTrackIn(Schema):
    code: str


class GrievanceMomentOut(Schema):
    at: datetime
    kind: str
    level: str


class GrievanceTrackedOut(Schema):
    number: str
    status: str
    category: str
    level: str
    opened_at: datetime
    due: datetime | None
    decision: str
    reply: str
    decided_at: datetime | None
    timeline: list[GrievanceMomentOut]
    appeals: list[str] = Field(description="The numbers of its appeals")


@public_router.post("", response={201: GrievanceCodeOut}, summary="File a complaint")
def public_file(request, data: GrievanceIn):
    """Anyone files a complaint, anonymously by default; the answer is its tracking code.
    Limited per address and hour."""
    limit(request, "grievances.file")
    grievance = services.grievance_file(
        channel=Channel.PORTAL,
        region_code=data.region,
        category=data.category,
        description=data.description,
        anonymous=data.anonymous,
        name=data.name,
        phone=data.phone,
    )
    return Status(201, {"tracking_code": grievance.tracking_code, "number": grievance.number})


@public_router.post("/track", response=GrievanceTrackedOut, summary="Where a complaint stands")
def public_track(request, data: GrievanceTrackIn):
    """Status, level, due time, decision and reply (redacted) and the public timeline of the
    complaint of a tracking code (posted, never in a URL); 404 for an unknown code."""
    limit(request, "grievances.track")
    tracked = selectors.grievance_track(data.code, timezone.now())
    if tracked is None:
        raise Http404("code")
    grievance = selectors.grievance_by_code(data.code)
    return {
        "number": tracked.number,
        "status": tracked.status,
        "category": grievance.category,
        "level": tracked.level,
        "opened_at": tracked.opened_at,
        "due": tracked.due,
        "decision": grievance.decision,
        "reply": tracked.reply,
        "decided_at": tracked.decided_at,
        "timeline": [{"at": m.at, "kind": m.kind, "level": m.level} for m in tracked.timeline],
        "appeals": [a.number for a in tracked.appeals],
    }
