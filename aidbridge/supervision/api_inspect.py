"""The API of inspection visits and rectification orders: list and read the visits in scope,
record one (a ``client_key`` makes a request sent again after a dropped connection count
once), add a finding, list and read orders, answer one with evidence (multipart), verify
it. Who may do what is aidbridge.policy's."""

from datetime import date, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.schemas import Pages
from aidbridge.supervision import inspections, orders, selectors_inspect
from aidbridge.supervision.models import (
    FindingKind,
    InspectionVisit,
    OrderStatus,
    RectificationOrder,
    VisitStatus,
)

visits_router = Router(tags=["supervision"])
orders_router = Router(tags=["supervision"])


class InspectionFindingOut(Schema):
    id: UUID
    kind: FindingKind
    description: str
    order_id: UUID


class InspectionVisitOut(Schema):
    id: UUID
    plan_id: UUID
    kind: str = Field(description="What the plan inspects: the checklist's kind")
    place: str = Field(description="The region code of the visited place")
    object_id: str = Field(description="The sampled object's public id in the plan's frame")
    household_id: UUID | None
    due: date
    status: VisitStatus
    visited_on: date | None
    visited_at: time | None
    answers: dict[str, Any]
    notes: str
    latitude: Decimal | None
    longitude: Decimal | None
    photos: int
    findings: list[InspectionFindingOut]


def _visit_out(visit: InspectionVisit) -> dict:
    return {
        "id": visit.public_id,
        "plan_id": visit.plan.public_id,
        "kind": visit.plan.kind,
        "place": visit.region.code,
        "object_id": visit.entry.object_id,
        "household_id": visit.household.public_id if visit.household_id else None,
        "due": visit.due,
        "status": visit.status,
        "visited_on": visit.visited_on,
        "visited_at": visit.visited_at,
        "answers": visit.answers,
        "notes": visit.notes,
        "latitude": visit.latitude,
        "longitude": visit.longitude,
        "photos": len(visit.photos.all()),
        "findings": [
            {
                "id": f.public_id,
                "kind": f.kind,
                "description": f.description,
                "order_id": f.order.public_id,
            }
            for f in visit.findings.all()
        ],
    }


class InspectionRecordIn(Schema):
    answers: dict[str, Any] = Field(
        description="The plan's checklist: question -> answer (yes/no as true/false, counts "
        "as numbers, the other answers by value); a household's `people` defaults to its "
        "registered size"
    )
    notes: str = Field("", max_length=5000)
    visited_on: date | None = Field(None, description="Default: today")
    visited_at: time | None = None
    consent: bool = Field(False, description="The inspector consents to recording the place")
    latitude: Decimal | None = Field(None, description="Kept only with consent")
    longitude: Decimal | None = Field(None, description="Kept only with consent")
    client_key: UUID | None = Field(
        None, description="Sent again with the same key, the visit as recorded is returned (200)"
    )


class InspectionFindingIn(Schema):
    kind: FindingKind
    description: str = Field(max_length=5000)


class RectificationOrderOut(Schema):
    id: UUID
    visit_id: UUID | None = Field(description="Empty for a matter referred from a grievance")
    source: str = Field(description="Where a matter without a visit was referred from")
    finding: FindingKind
    description: str
    unit: str = Field(description="The responsible unit's region code")
    escalated_to: str | None = Field(description="The region code it was escalated to")
    due: date
    status: OrderStatus
    answer: str
    evidence: int
    note: str = Field(description="The inspector's note on closing or returning it")
    returned: int


def _order_out(order: RectificationOrder) -> dict:
    return {
        "id": order.public_id,
        "visit_id": order.finding.visit.public_id if order.finding.visit_id else None,
        "source": order.finding.source,
        "finding": order.finding.kind,
        "description": order.finding.description,
        "unit": order.region.code,
        "escalated_to": order.escalated_to.code if order.escalated_to_id else None,
        "due": order.due,
        "status": order.status,
        "answer": order.answer,
        "evidence": order.evidence.count(),
        "note": order.note,
        "returned": order.returned,
    }


class OrderAnswerIn(Schema):
    answer: str = Field(max_length=5000, description="What was done")


class OrderVerifyIn(Schema):
    accept: bool = Field(description="True closes the order; false returns it to the unit")
    note: str = Field("", max_length=5000, description="Required when returning it")
    due: date | None = Field(None, description="When returned: the new due date")


def _visit(request, visit_id: UUID) -> InspectionVisit:
    return selectors_inspect.visit_access(request.auth, visit_id)


@visits_router.get("", response=list[InspectionVisitOut], summary="Inspection visits in scope")
@paginate(Pages, page_size=50)
def visit_list(request, status: VisitStatus | None = None, mine: bool = False):
    """The visits the user may see (an inspector: theirs), soonest due first; ``mine``: the
    user's visits still to make."""
    if mine:
        rows = selectors_inspect.visits_mine(request.auth)
    else:
        rows = selectors_inspect.visits_listed(request.auth, status=status or "")
    rows = rows.select_related("entry").prefetch_related("photos", "findings__order")
    return [_visit_out(v) for v in rows]


@visits_router.get("/{uuid:visit_id}", response=InspectionVisitOut, summary="An inspection visit")
def visit_detail(request, visit_id: UUID):
    return _visit_out(_visit(request, visit_id))


@visits_router.post(
    "/{uuid:visit_id}",
    response={200: InspectionVisitOut, 201: InspectionVisitOut},
    summary="Record an inspection visit (its inspectors)",
)
def visit_record(request, visit_id: UUID, data: InspectionRecordIn):
    """201 when recorded now; 200 when this ``client_key`` recorded it before (nothing is
    written twice). Photos are added on the visit's page."""
    visit = _visit(request, visit_id)
    replay = data.client_key is not None and visit.client_key == data.client_key
    visit = inspections.inspection_record(visit=visit, by=request.auth, **data.dict())
    return Status(200 if replay else 201, _visit_out(visit))


@visits_router.post(
    "/{uuid:visit_id}/findings",
    response={201: RectificationOrderOut},
    summary="Add a finding to a recorded visit: it opens a rectification order",
)
def finding_new(request, visit_id: UUID, data: InspectionFindingIn):
    finding = inspections.finding_add(
        visit=_visit(request, visit_id), by=request.auth, **data.dict()
    )
    return Status(201, _order_out(finding.order))


@orders_router.get("", response=list[RectificationOrderOut], summary="Rectification orders")
@paginate(Pages, page_size=50)
def order_list(request, status: OrderStatus | None = None, overdue: bool = False):
    """The orders in scope: the unit's to answer, an inspector's to verify, a supervisor's
    all; ``overdue``: open ones past their due date."""
    rows = selectors_inspect.orders_listed(request.auth, status=status or "", overdue=overdue)
    return [_order_out(o) for o in rows]


@orders_router.get("/{uuid:order_id}", response=RectificationOrderOut, summary="An order")
def order_detail(request, order_id: UUID):
    return _order_out(selectors_inspect.order_access(request.auth, order_id))


@orders_router.post(
    "/{uuid:order_id}/answer",
    response=RectificationOrderOut,
    summary="Answer an order with evidence (the responsible unit)",
    description="Multipart: `answer` and `evidence` (files: photos, PDF, Word or Excel; at "
    "least one with the order).",
)
def order_answer(
    request,
    order_id: UUID,
    data: Form[OrderAnswerIn],
    evidence: File[list[UploadedFile]] = None,
):
    order = selectors_inspect.order_access(request.auth, order_id)
    return _order_out(
        orders.order_answer(
            order=order, by=request.auth, answer=data.answer, evidence=evidence or []
        )
    )


@orders_router.post(
    "/{uuid:order_id}/verify",
    response=RectificationOrderOut,
    summary="Close an answered order or return it (the visit's inspectors)",
)
def order_verify(request, order_id: UUID, data: OrderVerifyIn):
    order = selectors_inspect.order_access(request.auth, order_id)
    return _order_out(orders.order_verify(order=order, by=request.auth, **data.dict()))
