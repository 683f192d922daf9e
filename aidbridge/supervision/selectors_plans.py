"""Reads behind the plans' pages, API and portal: a plan by its id (in the reader's scope, or
published for the public), its frame per stratum, its pool, its samples with their visits,
the pool's candidates and the anonymised results."""

from collections import Counter
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Q
from django.http import Http404

from aidbridge.policy import Action, can, inspectors_pickable
from aidbridge.regions.models import Region
from aidbridge.registry.models import HouseholdStatus
from aidbridge.supervision import draw, frames
from aidbridge.supervision.models import (
    Finding,
    FindingKind,
    FrameEntry,
    OrderStatus,
    Plan,
    PlanStatus,
    RectificationOrder,
    VisitStatus,
)
from aidbridge.supervision.selectors import plans, plans_public, strata_of


def access_plan(user, public_id: UUID) -> Plan:
    """The plan if ``user`` may see it, else Http404 (out of scope looks like absent)."""
    found = plans(user).filter(public_id=public_id).first()
    if found is None or not can(user, Action.PLAN_VIEW, found):
        raise Http404("plan")
    return found


def public_plan(public_id: UUID) -> Plan:
    """A published (or drawn, or closed) plan, for anyone; Http404 for drafts."""
    found = plans_public().filter(public_id=public_id).first()
    if found is None:
        raise Http404("plan")
    return found


@dataclass(frozen=True)
class StratumRow:
    key: str
    label: str
    frame: int
    size: int
    sample: tuple[str, ...] = ()


def strata_rows(plan: Plan) -> list[StratumRow]:
    """Each stratum of the plan's frame: its key and label, frame size, sample size and,
    once drawn, its sample. Before publication the frame is counted as it stands now."""
    if plan.status == PlanStatus.DRAFT:
        counts = Counter(e.stratum for e in frames.entries(plan))
        strata = [draw.Stratum(key, _size(plan, n), ()) for key, n in sorted(counts.items())]
    else:
        counts = dict(plan.frame.order_by().values_list("stratum").annotate(n=Count("pk")))
        strata = draw.draw(plan.seed, _strata(plan)) if plan.seed else _strata(plan)
    labels = stratum_labels(counts)
    return [StratumRow(s.key, labels[s.key], counts[s.key], s.size, s.sample) for s in strata]


def _strata(plan: Plan) -> list[draw.Stratum]:
    return strata_of(plan, plan.frame.values_list("stratum", "object_id"))


def _size(plan: Plan, frame_len: int) -> int:
    return draw.size_for(frame_len, size=plan.size, rate_percent=plan.rate_percent)


def stratum_labels(keys) -> dict[str, str]:
    """A stratum key in words: a region code becomes its name, a household status its
    label (``513422|poor``: both, joined by " · ")."""
    keys = list(keys)
    parts = {part for key in keys for part in key.split("|")}
    regions = {r.code: r.name for r in Region.objects.filter(code__in=parts)}
    statuses = dict(HouseholdStatus.choices)

    def word(part: str) -> str:
        return str(regions.get(part) or statuses.get(part) or part)

    return {key: " · ".join(word(p) for p in key.split("|")) for key in keys}


def status_labels(plan: Plan) -> list[str]:
    """The household statuses a plan inspects, in words."""
    labels = dict(HouseholdStatus.choices)
    return [str(labels.get(s, s)) for s in plan.statuses]


def pool(plan: Plan) -> list:
    return list(plan.inspectors.select_related("user", "home", "user__region"))


def pseudonyms(plan: Plan) -> dict[int, str]:
    """User id -> pseudonym in the plan's pool."""
    return dict(plan.inspectors.values_list("user_id", "pseudonym"))


def sampled(plan: Plan):
    """The plan's sampled frame entries with their visits, by stratum and id."""
    return (
        FrameEntry.objects.filter(plan=plan, sampled=True)
        .select_related("region", "visit")
        .prefetch_related("visit__inspectors")
        .order_by("stratum", "object_id")
    )


def candidates(user) -> list:
    """Who ``user`` may put in a pool, by region and role."""
    return list(
        inspectors_pickable(user)
        .select_related("region")
        .order_by("region__path", "role", "username")
    )


@dataclass(frozen=True)
class Results:
    visits: int
    done: int
    by_kind: dict[str, int]  # findings per kind found
    orders: int
    orders_closed: int

    @property
    def findings_total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def findings(self) -> list[tuple[str, int]]:
        """(label, count) per kind found, in the kinds' order."""
        labels = dict(FindingKind.choices)
        return [(labels[kind], n) for kind, n in self.by_kind.items()]


def results(plan: Plan) -> Results:
    """What the plan's visits found, counted (nothing personal): visits made of those
    drawn, findings per kind, rectification orders closed of those opened."""
    visits = plan.visits.aggregate(
        n=Count("pk"), done=Count("pk", filter=Q(status=VisitStatus.DONE))
    )
    kinds = dict(
        Finding.objects.filter(visit__plan=plan)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    orders = RectificationOrder.objects.filter(finding__visit__plan=plan).aggregate(
        n=Count("pk"), closed=Count("pk", filter=Q(status=OrderStatus.CLOSED))
    )
    return Results(
        visits=visits["n"],
        done=visits["done"],
        by_kind={value: kinds[value] for value in FindingKind.values if value in kinds},
        orders=orders["n"],
        orders_closed=orders["closed"],
    )
