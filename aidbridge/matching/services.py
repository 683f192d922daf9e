"""Writers of offers, matching rounds and proposals.

A round's inputs are facts already recorded: the published money needs of its region (what is
still open, less what sent proposals already promise), the open offers of verified helpers that
reach the region (capacity less what their sent and accepted proposals hold), whether the
beneficiary got aid in the last 12 months, and the helper's pairings (East-West counties and
village posts earn the pairing bonus). Sending a round makes its proposals binding offers to
the helpers and discards the other proposed rounds over the same area, whose figures are stale.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.accounts.models import User
from aidbridge.categories import Category
from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import PairingPost, RegionPairing
from aidbridge.jobs.services import job_start
from aidbridge.matching import engine_data
from aidbridge.matching.baselines import compare_with_greedy
from aidbridge.matching.models import (
    Offer,
    Proposal,
    ProposalStatus,
    Round,
    RoundStatus,
    Shortfall,
    ShortReason,
)
from aidbridge.matching.reach import reachable
from aidbridge.matching.solver import solve
from aidbridge.needs import lifecycle
from aidbridge.needs.claims import claim_create
from aidbridge.needs.models import LIVE_CLAIMS, Claim, ClaimStatus, Need, NeedStatus
from aidbridge.notifications.services import notify
from aidbridge.policy import Action, require
from aidbridge.regions.models import Region
from aidbridge.validation import is_whole

AID_WINDOW = timedelta(days=365)
PROPOSED = gettext_lazy("Matching proposal: %(count)s needs, %(amount)s yuan from “%(offer)s”")
WITHDRAWN = gettext_lazy("Proposal withdrawn: “%(title)s” is no longer open (%(status)s)")


# Offers ---------------------------------------------------------------------------------------


def _offer_errors(data: dict) -> list[dict]:
    errors = []
    if not (data.get("title") or "").strip():
        errors.append(problem("title", _("is empty")))
    capacity = data.get("capacity")
    if not is_whole(capacity) or capacity <= 0:
        errors.append(problem("capacity", _("must be a whole number of yuan above zero")))
    categories = data.get("categories") or []
    if not categories or any(c not in Category.values for c in categories):
        errors.append(problem("categories", _("choose at least one category")))
    if not data.get("regions"):
        errors.append(problem("regions", _("choose at least one region")))
    return errors


def offer_create(*, by, data: dict) -> Offer:
    """The user's helper offers ``capacity`` yuan for ``categories`` in ``regions``."""
    helper = by.organization
    if helper is None:
        raise InvalidInput([problem("helper", _("your account acts for no helper"))])
    probe = Offer(helper=helper)
    require(by, Action.OFFER_EDIT, probe)
    errors = _offer_errors(data)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        offer = Offer.objects.create(
            helper=helper,
            title=data["title"].strip(),
            capacity=data["capacity"],
            categories=sorted(set(data["categories"])),
            created_by=by,
        )
        offer.regions.set(data["regions"])
    return offer


def offer_update(*, by, offer: Offer, data: dict) -> Offer:
    """Change title, capacity, categories or regions; the capacity may not fall below what
    proposals already hold."""
    require(by, Action.OFFER_EDIT, offer)
    merged = {
        "title": offer.title,
        "capacity": offer.capacity,
        "categories": offer.categories,
        "regions": list(offer.regions.all()),
    } | data
    errors = _offer_errors(merged)
    held = committed([offer.pk]).get(offer.pk, 0)
    if not errors and merged["capacity"] < held:
        errors.append(
            problem(
                "capacity", _("proposals already hold %(held)s yuan of this offer") % {"held": held}
            )
        )
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        offer.title, offer.capacity = merged["title"].strip(), merged["capacity"]
        offer.categories = sorted(set(merged["categories"]))
        offer.save()
        offer.regions.set(merged["regions"])
    return offer


def offer_set_open(*, by, offer: Offer, is_open: bool) -> Offer:
    """Close an offer (new rounds leave it out; sent proposals stand) or open it again."""
    require(by, Action.OFFER_EDIT, offer)
    offer.is_open = is_open
    offer.save()
    return offer


def committed(offer_ids) -> dict[int, int]:
    """Yuan of each offer that proposals hold: sent ones, and accepted ones whose claim
    lives."""
    held = (
        Proposal.objects.filter(offer_id__in=offer_ids)
        .filter(
            Q(status=ProposalStatus.SENT)
            | Q(status=ProposalStatus.ACCEPTED, claim__status__in=LIVE_CLAIMS)
        )
        .values("offer_id")
        .annotate(total=Sum("amount"))
    )
    return {row["offer_id"]: row["total"] for row in held}


# Rounds ---------------------------------------------------------------------------------------


def round_start(*, by, region: Region) -> Round:
    """Queue a matching round for ``region``; the job fills in its proposals."""
    require(by, Action.MATCHING_RUN, region)
    with transaction.atomic():
        found = Round.objects.create(region=region, region_path=region.path, created_by=by)
        found.job = job_start(kind="matching.round", by=by, payload={"round": str(found.public_id)})
        found.save(update_fields=["job"])
    return found


def region_parents() -> dict[str, str | None]:
    """The application's region tree as ``code -> parent code``."""
    return dict(Region.objects.values_list("code", "parent__code"))


def _beneficiary(kind: str, household_number: str, region_id, institution: str) -> tuple:
    if kind == "household":
        return ("household", household_number)
    if kind == "village":
        return ("village", region_id)
    return ("institution", region_id, institution.strip().lower())


def _aided(region_path: str, today: date) -> dict[tuple, set[int]]:
    """Beneficiaries in the area that got aid delivered in the last 12 months, with the
    needs that aid was for."""
    delivered = Claim.objects.filter(
        status__in=[ClaimStatus.DELIVERED, ClaimStatus.CONFIRMED],
        delivered_at__date__gte=today - AID_WINDOW,
        need__region_path__startswith=region_path,
    )
    found: dict[tuple, set[int]] = {}
    for row in delivered.values_list(
        "need__kind", "need__household_number", "need__region_id", "need__institution", "need_id"
    ):
        found.setdefault(_beneficiary(*row[:4]), set()).add(row[4])
    return found


def _paired(helper_ids, today: date) -> dict[int, set[str]]:
    """Region codes each helper is paired with: East-West counties and village posts."""
    active = Q(until__isnull=True) | Q(until__gte=today)
    paired: dict[int, set[str]] = {}
    for helper, code in RegionPairing.objects.filter(active, helper_id__in=helper_ids).values_list(
        "helper_id", "county__code"
    ):
        paired.setdefault(helper, set()).add(code)
    for helper, code in PairingPost.objects.filter(active, helper_id__in=helper_ids).values_list(
        "helper_id", "village__code"
    ):
        paired.setdefault(helper, set()).add(code)
    return paired


def round_inputs(
    found: Round, today: date
) -> tuple[list[engine_data.Need], list[engine_data.Offer], dict[str, Need], dict[str, Offer]]:
    """The engine's needs and offers for the round, and the records behind their ids."""
    promised = dict(
        Proposal.objects.filter(status=ProposalStatus.SENT)
        .values("need_id")
        .annotate(total=Sum("amount"))
        .values_list("need_id", "total")
    )
    aided = _aided(found.region_path, today)
    needs, records = [], {}
    for need in Need.objects.select_related("region").filter(
        status__in=[s.value for s in lifecycle.CLAIMABLE],
        unit="yuan",
        region_path__startswith=found.region_path,
    ):
        still_open = need.open_amount - promised.get(need.pk, 0)
        if still_open <= 0:
            continue
        key = _beneficiary(need.kind, need.household_number, need.region_id, need.institution)
        records[str(need.pk)] = need
        needs.append(
            engine_data.Need(
                id=str(need.pk),
                region=need.region.code,
                category=need.category,
                amount=still_open,
                urgency=need.urgency,
                aided=bool(aided.get(key, set()) - {need.pk}),
            )
        )
    reach = Q(regions__path__startswith=found.region_path) | Q(
        regions__code__in=found.region.ancestor_codes()
    )
    candidates = list(
        Offer.objects.filter(is_open=True, helper__verified_at__isnull=False)
        .filter(pk__in=Offer.objects.filter(reach).values("pk"))
        .prefetch_related("regions")
    )
    held = committed([o.pk for o in candidates])
    paired = _paired({o.helper_id for o in candidates}, today)
    offers, offer_records = [], {}
    for offer in candidates:
        free = offer.capacity - held.get(offer.pk, 0)
        if free <= 0:
            continue
        offer_records[str(offer.pk)] = offer
        offers.append(
            engine_data.Offer(
                id=str(offer.pk),
                capacity=free,
                categories=tuple(offer.categories),
                regions=tuple(r.code for r in offer.regions.all()),
                paired_regions=tuple(sorted(paired.get(offer.helper_id, ()))),
            )
        )
    return needs, offers, records, offer_records


def round_run(found: Round, progress=None) -> dict:
    """Solve the round and store its proposals and shortfalls (the job's work)."""
    step = progress or (lambda done, total: None)
    step(0, 3)
    today = timezone.localdate()
    tree = engine_data.RegionTree(region_parents())
    needs, offers, need_records, offer_records = round_inputs(found, today)
    step(1, 3)
    result = solve(needs, offers, tree)
    step(2, 3)
    weights = engine_data.DEFAULT_WEIGHTS
    by_id = {n.id: n for n in needs}
    paired = {o.id: set(o.paired_regions) for o in offers}
    proposals = [
        Proposal(
            round=found,
            offer=offer_records[a.offer_id],
            need=need_records[a.need_id],
            amount=a.amount,
            weight=weights.base(by_id[a.need_id])
            + weights.paired
            * any(code in paired[a.offer_id] for code in tree.ancestors(by_id[a.need_id].region)),
        )
        for a in result.allocations
    ]
    covered: dict[str, int] = {}
    for a in result.allocations:
        covered[a.need_id] = covered.get(a.need_id, 0) + a.amount
    reached = reachable(needs, offers, tree)
    shortfalls = [
        Shortfall(
            round=found,
            need=need_records[n.id],
            missing=n.amount - covered.get(n.id, 0),
            reason=ShortReason.USED_UP if n.id in reached else ShortReason.NO_OFFER,
        )
        for n in needs
        if covered.get(n.id, 0) < n.amount
    ]
    summary = {
        "needs": len(needs),
        "needed": sum(n.amount for n in needs),
        "offers": len(offers),
        "offered": sum(o.capacity for o in offers),
        "allocated": result.allocated,
        "objective": result.objective,
        "covered_fully": sum(covered.get(n.id, 0) == n.amount for n in needs),
        "covered_partly": sum(0 < covered.get(n.id, 0) < n.amount for n in needs),
        "uncovered": sum(n.id not in covered for n in needs),
        "solve_seconds": round(result.solve_seconds, 3),
        "greedy": compare_with_greedy(result.objective, needs, offers, tree),
    }
    with transaction.atomic():
        Proposal.objects.bulk_create(proposals)
        Shortfall.objects.bulk_create(shortfalls)
        found.summary, found.status = summary, RoundStatus.PROPOSED
        found.save(update_fields=["summary", "status"])
    step(3, 3)
    return {
        "proposals": len(proposals),
        "allocated": result.allocated,
        "uncovered": summary["uncovered"],
    }


def round_fail(found: Round) -> None:
    Round.objects.filter(pk=found.pk).update(status=RoundStatus.FAILED)


def _expect(found: Round, status: str) -> None:
    if found.status != status:
        raise InvalidInput(
            [
                problem(
                    "status",
                    _("this round is “%(status)s”") % {"status": found.get_status_display()},
                )
            ]
        )


def round_send(*, by, found: Round) -> Round:
    """Send the proposals to the helpers; other proposed rounds over the same area are
    discarded, as their figures no longer hold."""
    require(by, Action.MATCHING_RUN, found.region)
    with transaction.atomic():
        found = Round.objects.select_for_update().select_related("region").get(pk=found.pk)
        _expect(found, RoundStatus.PROPOSED)
        drafts = found.proposals.filter(status=ProposalStatus.DRAFT)
        # Those whose need closed since the round ran are never sent.
        drafts.exclude(need__status__in=[s.value for s in lifecycle.CLAIMABLE]).update(
            status=ProposalStatus.DISCARDED
        )
        drafts.update(status=ProposalStatus.SENT)
        found.status, found.sent_at = RoundStatus.SENT, timezone.now()
        found.save(update_fields=["status", "sent_at"])
        stale = (
            Round.objects.filter(status=RoundStatus.PROPOSED)
            .exclude(pk=found.pk)
            .filter(
                Q(region_path__startswith=found.region_path)
                | Q(region__code__in=found.region.ancestor_codes())
            )
        )
        for other in stale:
            _discard(other)
        per_offer = (
            found.proposals.filter(status=ProposalStatus.SENT)
            .values("offer_id")
            .annotate(count=Count("pk"), total=Sum("amount"))
        )
        for row in per_offer.order_by("offer_id"):
            offer = Offer.objects.select_related("helper").get(pk=row["offer_id"])
            notify(
                users=offer.helper.staff.all(),
                url=reverse("matching:proposals"),
                subject=PROPOSED,
                params={"count": row["count"], "amount": row["total"], "offer": offer.title},
            )
    return found


def _discard(found: Round) -> None:
    found.proposals.filter(status=ProposalStatus.DRAFT).update(status=ProposalStatus.DISCARDED)
    found.status = RoundStatus.DISCARDED
    found.save(update_fields=["status"])


def round_discard(*, by, found: Round) -> Round:
    """Throw a proposed round away; nothing was sent."""
    require(by, Action.MATCHING_RUN, found.region)
    with transaction.atomic():
        found = Round.objects.select_for_update().get(pk=found.pk)
        _expect(found, RoundStatus.PROPOSED)
        _discard(found)
    return found


# Proposals ------------------------------------------------------------------------------------


def proposals_withdraw(*, need: Need) -> int:
    """Withdraw the sent proposals not yet answered of a need that is no longer open to
    claims, recording its status as the reason; return how many. Called when a need's status
    changes (``needs.signals.need_status_changed``), inside the writer's transaction. Drafts
    wait for the round to be sent, which leaves them out."""
    if need.status in lifecycle.CLAIMABLE:
        return 0
    stale = Proposal.objects.filter(need_id=need.pk, status=ProposalStatus.SENT)
    helpers = set(stale.values_list("offer__helper_id", flat=True))
    withdrawn = stale.update(status=ProposalStatus.WITHDRAWN, need_status=need.status)
    if helpers:
        notify(
            users=User.objects.filter(organization_id__in=helpers),
            url=reverse("matching:proposals"),
            subject=WITHDRAWN,
            params={"title": need.title, "status": dict(NeedStatus.choices)[need.status]},
        )
    return withdrawn


def _answerable(by, proposal: Proposal) -> Proposal:
    require(by, Action.PROPOSAL_ANSWER, proposal)
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("need", "offer", "offer__helper")
        .get(pk=proposal.pk)
    )
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise InvalidInput([problem("status", proposal.explanation)])
    if proposal.status != ProposalStatus.SENT:
        raise InvalidInput(
            [
                problem(
                    "status",
                    _("this proposal is “%(status)s”") % {"status": proposal.get_status_display()},
                )
            ]
        )
    return proposal


def proposal_accept(*, by, proposal: Proposal, deliver_by: date) -> Proposal:
    """Accept: the helper pledges the proposed amount, as a claim on the need. A proposal
    whose need is no longer open is withdrawn instead, and the refusal says why."""
    with transaction.atomic():
        # The need's row first, as every writer of needs locks it, then the proposal's.
        need = Need.objects.select_for_update().get(pk=proposal.need_id)
        proposal = _answerable(by, proposal)
        stale = proposals_withdraw(need=need) > 0
        if not stale:
            claim = claim_create(
                by=by,
                need=proposal.need,
                kind="money",
                amount=proposal.amount,
                deliver_by=deliver_by,
                note=_("Accepted from a matching proposal"),
            )
            proposal.status, proposal.claim = ProposalStatus.ACCEPTED, claim
            proposal.answered_by, proposal.answered_at = by, timezone.now()
            proposal.save()
    if stale:
        proposal.refresh_from_db()
        raise InvalidInput([problem("status", proposal.explanation)])
    return proposal


def proposal_decline(*, by, proposal: Proposal, reason: str) -> Proposal:
    """Decline with a reason; the amount returns to the need and to the offer."""
    if not reason.strip():
        raise InvalidInput([problem("reason", _("write the reason"))])
    with transaction.atomic():
        proposal = _answerable(by, proposal)
        proposal.status, proposal.reason = ProposalStatus.DECLINED, reason.strip()
        proposal.answered_by, proposal.answered_at = by, timezone.now()
        proposal.save()
    return proposal
