"""Reads of a project's spending: what its account holds (money, and goods by unit with their
value), its spending records and the ones waiting for the user's approval. The project is
reached through ``access_project`` first, so everything here is already in the user's scope."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from aidbridge.ledger.models import Account, AccountKind, Posting
from aidbridge.policy import Action, can, spending_approvals_in_scope
from aidbridge.projects.selectors import access_project
from aidbridge.spending.models import Spending, SpendingStatus


@dataclass(frozen=True)
class Goods:
    unit: str
    quantity: int
    value: int  # fen

    def value_of(self, quantity: int) -> int:
        """The value of `quantity` units at the average value held (all of it for the rest)."""
        if quantity >= self.quantity:
            return self.value
        return max(1, self.value * quantity // self.quantity)


@dataclass(frozen=True)
class Holdings:
    money: int  # fen
    goods: dict[str, Goods]

    def goods_of(self, unit: str) -> Goods:
        return self.goods.get(unit) or Goods(unit, 0, 0)


def holdings(account: Account | None) -> Holdings:
    """What the account holds: money (postings without a quantity) and goods by unit, from its
    postings (reversals included, so a reversed entry counts for nothing)."""
    if account is None:
        return Holdings(0, {})
    postings = Posting.objects.filter(account=account)
    money = postings.filter(quantity__isnull=True).aggregate(s=Sum("amount"))["s"] or 0
    rows = (
        postings.filter(quantity__isnull=False)
        .values_list("unit")
        .annotate(q=Sum("quantity"), v=Sum("amount"))
        .order_by("unit")
    )
    return Holdings(money, {unit: Goods(unit, q, v) for unit, q, v in rows if q})


def project_holdings(project) -> Holdings:
    return holdings(Account.objects.filter(kind=AccountKind.PROJECT, project=project).first())


def spending_of(project) -> QuerySet:
    """The project's spending records, newest first, with what their rows show."""
    return (
        Spending.objects.filter(project=project)
        .select_related(
            "need",
            "village",
            "organization",
            "donation__donor",
            "recorded_by",
            "decided_by",
            "entry__reversed_by",
        )
        .prefetch_related("evidence")
        .order_by("-on", "-pk")
    )


def approvals_waiting(user) -> QuerySet:
    """Spending records waiting for the user's approval, oldest first."""
    pending = Spending.objects.filter(status=SpendingStatus.PENDING)
    return (
        spending_approvals_in_scope(user, pending)
        .select_related("project", "recorded_by")
        .order_by("recorded_at", "pk")
    )


def access_spending_project(user, public_id: UUID):
    """The project, if the user may see its spending; else 404 (its existence not told)."""
    project = access_project(user, public_id)
    if not can(user, Action.SPENDING_VIEW, project):
        raise Http404("spending")
    return project


def access_spending(user, public_id: UUID) -> Spending:
    """One spending record, if the user may see its project's spending; else 404."""
    spending = (
        Spending.objects.select_related("project", "recorded_by")
        .filter(public_id=public_id)
        .first()
    )
    if spending is None or not can(user, Action.SPENDING_VIEW, spending.project):
        raise Http404("spending")
    return spending


def refunds_posted(donations) -> dict[int, int]:
    """The fen refunded of each of ``donations`` by posted refunds that stand, by donation id
    (registered with donations' ``count_refunds``)."""
    rows = (
        Spending.objects.filter(
            donation__in=donations, status=SpendingStatus.POSTED, entry__reversed_by__isnull=True
        )
        .values_list("donation_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return dict(rows)


def refundable(donation) -> int:
    """What is left of a received donation to refund: its value less the refunds waiting or
    posted (and not reversed)."""
    taken = donation.spending_refunds.filter(
        Q(status=SpendingStatus.PENDING)
        | Q(status=SpendingStatus.POSTED, entry__reversed_by__isnull=True)
    ).aggregate(s=Sum("amount"))["s"]
    return donation.value - (taken or 0)
