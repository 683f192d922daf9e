"""Read queries on offers, rounds and proposals, always filtered by the caller's scope, and the
gaps report."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils.translation import get_language

from aidbridge.categories import Category
from aidbridge.matching import engine_data
from aidbridge.matching.models import Offer, Proposal, ProposalStatus, Round, RoundStatus
from aidbridge.matching.reach import reachable
from aidbridge.matching.services import AID_WINDOW, committed, region_parents
from aidbridge.needs import lifecycle
from aidbridge.needs.models import Claim, ClaimStatus, Need
from aidbridge.policy import (
    Action,
    can,
    offers_in_scope,
    proposals_in_scope,
    rounds_in_scope,
)
from aidbridge.regions.models import Region
from aidbridge.registry.models import Household, HouseholdStatus


def offer_search(user, *, q: str = "", open_only: bool = False) -> QuerySet:
    offers = offers_in_scope(
        user, Offer.objects.select_related("helper").prefetch_related("regions")
    )
    if q.strip():
        offers = offers.filter(title__icontains=q.strip())
    if open_only:
        offers = offers.filter(is_open=True)
    return offers


def with_free_capacity(offers) -> list[Offer]:
    """The offers, each with ``held`` (what proposals hold) and ``free`` yuan."""
    offers = list(offers)
    held = committed([o.pk for o in offers])
    for offer in offers:
        offer.held = held.get(offer.pk, 0)
        offer.free = max(offer.capacity - offer.held, 0)
    return offers


def access_offer(user, public_id) -> Offer:
    offer = offer_search(user).filter(public_id=public_id).first()
    if offer is None:
        raise Http404("offer")
    return offer


def access_round(user, public_id) -> Round:
    found = (
        rounds_in_scope(user, Round.objects.select_related("region", "created_by", "job"))
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise Http404("round")
    return found


def access_proposal(user, public_id) -> Proposal:
    proposal = (
        proposals_in_scope(
            user, Proposal.objects.select_related("need", "offer", "offer__helper", "round")
        )
        .filter(public_id=public_id)
        .first()
    )
    if proposal is None:
        raise Http404("proposal")
    return proposal


def round_search(user) -> QuerySet:
    return rounds_in_scope(user, Round.objects.select_related("region", "created_by"))


def round_by_offer(found: Round) -> list[dict]:
    """Per offer of the round: its helper, how many needs and how much it would cover."""
    rows = list(
        found.proposals.values(
            "offer_id",
            "offer__public_id",
            "offer__title",
            "offer__capacity",
            "offer__helper__code",
            "offer__helper__name_zh",
            "offer__helper__name_en",
        )
        .annotate(needs=Count("pk"), amount=Sum("amount"))
        .order_by("-amount", "offer_id")
    )
    english = (get_language() or "").startswith("en")
    for row in rows:
        row["helper"] = (english and row["offer__helper__name_en"]) or row["offer__helper__name_zh"]
    return rows


def incoming(user) -> QuerySet:
    """Proposals sent to the user's helper, newest first; those waiting come first."""
    return (
        proposals_in_scope(user, Proposal.objects.select_related("need", "need__region", "offer"))
        .filter(offer__helper_id=user.organization_id)
        .exclude(status__in=[ProposalStatus.DRAFT, ProposalStatus.DISCARDED])
        .order_by("-round__sent_at", "offer", "-weight", "need")
    )


# The gaps report ------------------------------------------------------------------------------


@dataclass
class Gap:
    region: Region
    category: str
    needs: int
    missing: int

    @property
    def category_label(self) -> str:
        return Category(self.category).label


def unreachable(region: Region) -> list[Gap]:
    """Published money needs in ``region`` that no open offer of a verified helper can take
    (category and region), summed by category and child region."""
    needs = list(
        Need.objects.filter(
            status__in=[s.value for s in lifecycle.CLAIMABLE],
            unit="yuan",
            region_path__startswith=region.path,
        ).values_list("pk", "region__code", "region_path", "category", "amount", "claimed")
    )
    if not needs:
        return []
    tree = engine_data.RegionTree(region_parents())
    offers = [
        engine_data.Offer(
            id=str(o.pk),
            capacity=o.capacity,
            categories=tuple(o.categories),
            regions=tuple(r.code for r in o.regions.all()),
        )
        for o in Offer.objects.filter(
            is_open=True, helper__verified_at__isnull=False
        ).prefetch_related("regions")
    ]
    plain = [
        engine_data.Need(
            id=str(pk),
            region=code,
            category=category,
            amount=amount - claimed,
            urgency=1,
            aided=False,
        )
        for pk, code, _path, category, amount, claimed in needs
    ]
    reached = reachable(plain, offers, tree)
    depth = len(region.ancestor_codes())
    sums: dict[tuple[str, str], list[int]] = {}
    for pk, code, path, category, amount, claimed in needs:
        if str(pk) in reached:
            continue
        codes = [c for c in path.split("/") if c]
        child = codes[depth] if len(codes) > depth else code
        entry = sums.setdefault((child, category), [0, 0])
        entry[0] += 1
        entry[1] += amount - claimed
    names = Region.objects.in_bulk([c for c, _category in sums], field_name="code")
    return [
        Gap(region=names[code], category=category, needs=n, missing=missing)
        for (code, category), (n, missing) in sorted(sums.items(), key=lambda kv: -kv[1][1])
    ]


@dataclass
class RepeatAid:
    household: Household
    times: int
    unaided_in_village: int


def repeat_aid(region: Region, today: date) -> list[RepeatAid]:
    """Households aided twice or more in 12 months in villages where another poor or monitored
    household got nothing, most aided first."""
    aided = dict(
        Claim.objects.filter(
            status__in=[ClaimStatus.DELIVERED, ClaimStatus.CONFIRMED],
            need__kind="household",
            need__household__isnull=False,
            delivered_at__date__gte=today - AID_WINDOW,
            need__region_path__startswith=region.path,
        )
        .values("need__household_id")
        .annotate(times=Count("need", distinct=True))
        .values_list("need__household_id", "times")
    )
    repeated = Household.objects.select_related("village").filter(
        pk__in=[pk for pk, times in aided.items() if times >= 2]
    )
    villages = {h.village_id for h in repeated}
    needy = Household.objects.filter(
        village_id__in=villages, status__in=[HouseholdStatus.POOR, HouseholdStatus.MONITORED]
    )
    unaided: dict[int, int] = {}
    for village_id, pk in needy.values_list("village_id", "pk"):
        if pk not in aided:
            unaided[village_id] = unaided.get(village_id, 0) + 1
    rows = [
        RepeatAid(household=h, times=aided[h.pk], unaided_in_village=unaided[h.village_id])
        for h in repeated
        if unaided.get(h.village_id)
    ]
    return sorted(rows, key=lambda r: (-r.times, r.household.number))


def rounds_to_review(user) -> QuerySet:
    """Proposed rounds of the user's area that wait for an officer (or hub) to send them."""
    if not can(user, Action.ROUNDS_START):
        return Round.objects.none()
    return rounds_in_scope(
        user, Round.objects.filter(status=RoundStatus.PROPOSED).select_related("region")
    ).order_by("created_at", "pk")


def proposals_to_answer(user) -> QuerySet:
    """Proposals sent to the user's helper that wait for its answer, oldest first."""
    if not can(user, Action.PROPOSALS_VIEW):
        return Proposal.objects.none()
    return incoming(user).filter(status=ProposalStatus.SENT).order_by("round__sent_at", "pk")
