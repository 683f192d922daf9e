"""Reads of inspection visits, findings and rectification orders, already filtered by the
reader's scope (policy)."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from aidbridge.policy import (
    Action,
    can,
    orders_in_scope,
    orders_to_answer,
    orders_to_verify,
)
from aidbridge.supervision.models import (
    InspectionVisit,
    OrderStatus,
    RectificationOrder,
    VisitStatus,
)
from aidbridge.supervision.selectors import visits


def _orders() -> QuerySet:
    return RectificationOrder.objects.select_related(
        "finding__visit__plan",
        "finding__visit__region",
        "finding__region",
        "region",
        "escalated_to",
    )


def visit_access(user, public_id) -> InspectionVisit:
    """The visit if ``user`` may see it, else 404 (the same for one that does not exist)."""
    visit = (
        InspectionVisit.objects.select_related("plan", "region", "household", "household__village")
        .filter(public_id=public_id)
        .first()
    )
    if visit is None or not can(user, Action.INSPECTION_VIEW, visit):
        raise Http404("visit")
    return visit


def order_access(user, public_id) -> RectificationOrder:
    order = _orders().filter(public_id=public_id).first()
    if order is None or not can(user, Action.ORDER_VIEW, order):
        raise Http404("order")
    return order


def visits_listed(user, *, plan=None, status: str = "", region=None) -> QuerySet:
    """The visits in ``user``'s scope (an inspector: theirs), filtered, soonest due first."""
    rows = visits(user)
    if plan is not None:
        rows = rows.filter(plan=plan)
    if status:
        rows = rows.filter(status=status)
    if region is not None:
        rows = rows.filter(region__path__startswith=region.path)
    return rows.order_by("status", "due", "pk")


def visits_mine(user) -> QuerySet:
    """``user``'s visits still to make, soonest due first (the day's list on a phone)."""
    return (
        InspectionVisit.objects.filter(inspectors=user, status=VisitStatus.ASSIGNED)
        .select_related("plan", "region", "household")
        .order_by("due", "pk")
    )


def orders_listed(user, *, status: str = "", overdue: bool = False) -> QuerySet:
    """The rectification orders in ``user``'s scope, soonest due first."""
    rows = orders_in_scope(user, _orders())
    if status:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(status=OrderStatus.OPEN, due__lt=timezone.localdate())
    return rows.order_by("due", "pk")


def orders_answer_waiting(user) -> QuerySet:
    """The open orders ``user``'s unit answers (worklist)."""
    return orders_to_answer(user, _orders().filter(status=OrderStatus.OPEN)).order_by("due", "pk")


def orders_verify_waiting(user) -> QuerySet:
    """The answered orders of ``user``'s visits, to verify (worklist)."""
    return orders_to_verify(user, _orders().filter(status=OrderStatus.ANSWERED)).order_by(
        "answered_at", "pk"
    )


def visit_findings(visit: InspectionVisit) -> QuerySet:
    return visit.findings.select_related("order", "order__region", "order__escalated_to")
