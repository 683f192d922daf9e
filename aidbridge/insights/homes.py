"""What each role's home shows: reads from the apps below, already scoped by the policy,
each list capped at SHOWN rows beside its full count, so a home costs the same few queries
whatever the helper or the region holds."""

from datetime import timedelta

from django.db.models import Count, Max
from django.utils import timezone

from aidbridge.donations.models import Donation, DonationStatus
from aidbridge.ledger.models import Checkpoint, Entry
from aidbridge.ledger.selectors import ledger_alarm
from aidbridge.matching.models import Proposal, ProposalStatus
from aidbridge.needs import lifecycle
from aidbridge.needs.models import Claim, ClaimStatus, Need, NeedStatus
from aidbridge.policy import (
    claims_in_scope,
    donations_in_scope,
    households_in_scope,
    needs_in_scope,
    projects_in_scope,
    proposals_in_scope,
)
from aidbridge.projects.models import Project
from aidbridge.registry.models import Health, Household, HouseholdStatus

SHOWN = 8
# A need waiting longer than this for a review, or a pledge past its date, is late.
LATE_REVIEW_DAYS = 14


def _capped(qs) -> dict:
    """The first SHOWN rows and how many there are in all."""
    return {"rows": list(qs[:SHOWN]), "count": qs.count()}


def receipt_state(donation: Donation, signed: int) -> str:
    """Where a received donation's receipt stands in the ledger: ``refunded`` (its entry was
    reversed), ``signed`` (a checkpoint covers its entry, so the proof can be downloaded) or
    ``signing`` (waiting for the next checkpoint)."""
    if donation.refunded:
        return "refunded"
    return "signed" if donation.entry_id is not None and donation.entry_id <= signed else "signing"


def helper_home(user) -> dict:
    """A helper's staff (a donor too): the claims its helper has to deliver, the proposals
    waiting for its answer, donations to confirm as recipient, its donations and receipts,
    and its projects."""
    org = user.organization_id
    claims = claims_in_scope(
        user, Claim.objects.select_related("need", "need__region").filter(helper_id=org)
    )
    proposals = proposals_in_scope(
        user,
        Proposal.objects.select_related("need", "need__region", "offer").filter(
            offer__helper_id=org, status=ProposalStatus.SENT
        ),
    )
    donations = donations_in_scope(
        user, Donation.objects.select_related("project", "recipient", "donor")
    )
    signed = Checkpoint.objects.aggregate(size=Max("size"))["size"] or 0
    receipts = _capped(
        donations.filter(donor_id=org, status=DonationStatus.RECEIVED)
        .annotate(refunds=Count("entry__reversed_by"))
        .order_by("-received_on", "-pk")
    )
    for donation in receipts["rows"]:
        donation.refunded = donation.refunds > 0
        donation.receipt_state = receipt_state(donation, signed)
    return {
        "to_deliver": _capped(claims.filter(status=ClaimStatus.PLEDGED).order_by("deliver_by")),
        "proposals": _capped(proposals.order_by("-round__sent_at", "-weight")),
        "to_confirm": _capped(
            donations.filter(recipient_id=org, status=DonationStatus.OFFERED).order_by("offered_on")
        ),
        "donations": _capped(donations.filter(donor_id=org).order_by("-offered_on", "-pk")),
        "receipts": receipts,
        "projects": _capped(
            projects_in_scope(user, Project.objects.select_related("region")).order_by(
                "-created_at", "-pk"
            )
        ),
    }


def _needs_by_status(needs) -> list[tuple[str, str, int]]:
    """(status, label, count) of the needs, in the life cycle's order, one grouped query."""
    counts = dict(needs.order_by().values_list("status").annotate(n=Count("pk")))
    return [(value, label, counts[value]) for value, label in NeedStatus.choices if value in counts]


def supervisor_home(user) -> dict:
    """A supervisor's watch over the area: needs by status, reviews waiting too long and
    pledges past their date."""
    needs = needs_in_scope(user, Need.objects.select_related("region"))
    late = timezone.now() - timedelta(days=LATE_REVIEW_DAYS)
    return {
        "needs_by_status": _needs_by_status(needs),
        "late_reviews": _capped(
            needs.filter(status__in=lifecycle.IN_REVIEW, submitted_at__lt=late).order_by(
                "submitted_at"
            )
        ),
        "overdue_claims": _capped(
            claims_in_scope(user, Claim.objects.select_related("need", "need__region", "helper"))
            .filter(status=ClaimStatus.PLEDGED, deliver_by__lt=timezone.localdate())
            .order_by("deliver_by")
        ),
        "late_days": LATE_REVIEW_DAYS,
    }


def auditor_home(user) -> dict:
    """An auditor's books: the public ledger's size, its latest signed checkpoint and any
    alarm, and the projects of the area whose money it follows."""
    return {
        "entries": Entry.objects.count(),
        "checkpoint": Checkpoint.objects.order_by("-size").first(),
        "alarm": ledger_alarm(),
        "projects": _capped(
            projects_in_scope(user, Project.objects.select_related("region")).order_by(
                "-created_at", "-pk"
            )
        ),
    }


def social_worker_home(user) -> dict:
    """A social worker's caseload: poor and monitored households of the area with a member
    ill or disabled, and the open needs of the area for health and psychological care."""
    households = households_in_scope(user, Household.objects.select_related("village"))
    cared = households.filter(
        pk__in=households.filter(
            status__in=[HouseholdStatus.POOR, HouseholdStatus.MONITORED],
            members__health__in=[Health.CHRONIC, Health.SERIOUS, Health.DISABLED],
        ).values("pk")
    )
    return {
        "households": _capped(cared.order_by("number")),
        "needs": _capped(
            needs_in_scope(user, Need.objects.select_related("region"))
            .filter(status__in=lifecycle.OPEN, category__in=["health", "psychology"])
            .order_by("-urgency", "deadline")
        ),
    }
