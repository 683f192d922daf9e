"""Read queries on donations: who may receive for a project, what each target received, the
donations a user may see, and the public honour roll."""

from collections import defaultdict
from collections.abc import Callable

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from aidbridge.donations.models import Donation, DonationStatus
from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.policy import donations_in_scope
from aidbridge.projects.models import Project, TargetKind
from aidbridge.projects.selectors import anonymise_projects
from aidbridge.registry.publicity import public_text

# Helpers that may issue donation receipts: registered charities and public bodies, not
# individuals or enterprises.
ISSUERS = frozenset(OrganizationKind) - {OrganizationKind.INDIVIDUAL, OrganizationKind.ENTERPRISE}
HONOUR_ROLL_SIZE = 100


def recipients(project: Project) -> list[Organization]:
    """Who receives donations for the project: its initiator and its current partners among
    the verified helpers that issue receipts and have a registration number."""
    today = timezone.localdate()
    partners = project.partners.filter(helper__isnull=False, since__lte=today).filter(
        Q(until__isnull=True) | Q(until__gte=today)
    )
    candidates = Organization.objects.filter(
        Q(pk=project.initiator_id) | Q(pk__in=partners.values("helper_id")),
        kind__in=ISSUERS,
        verified_at__isnull=False,
    ).exclude(registration_number="")
    return list(candidates.order_by("name_zh"))


def receipted(region_path: str = "") -> list[tuple[Organization, int]]:
    """What each recipient received in donations it issued receipts for (money and goods'
    stated value, in fen), corrections left out; largest first. With ``region_path``, for
    projects in and below that region."""
    rows = (
        Donation.objects.filter(
            status=DonationStatus.RECEIVED, project__region_path__startswith=region_path
        )
        .exclude(entry__reversed_by__isnull=False)
        .values_list("recipient")
        .annotate(total=Sum("value"))
        .order_by()
    )
    helpers = Organization.objects.in_bulk([pk for pk, _total in rows])
    return sorted(((helpers[pk], total) for pk, total in rows), key=lambda r: -r[1])


def donation_search(user, *, status: str = "", q: str = "") -> QuerySet:
    """Donations the user may see, newest first, narrowed by status and by words in the
    project's title, the receipt number or the donor's registered name."""
    donations = donations_in_scope(
        user, Donation.objects.select_related("project", "target", "donor", "recipient")
    )
    if status:
        donations = donations.filter(status=status)
    if q.strip():
        q = q.strip()
        donations = donations.filter(
            Q(project__title__icontains=q) | Q(serial__icontains=q) | Q(donor__name_zh__icontains=q)
        )
    return donations


def access_donation(user, public_id) -> Donation:
    donation = (
        donation_search(user)
        .select_related("entry", "received_by")
        .filter(public_id=public_id)
        .first()
    )
    if donation is None:
        raise Http404("donation")
    return donation


def honour_roll(*, project: Project | None = None) -> list[dict]:
    """Donors who chose to be shown, by the name they chose, with their total received
    donations (money and stated value of goods), largest first. The name is public text,
    redacted as such for the project it was given to (``registry.publicity.public_text``: no
    phone or ID number, no name of the project's registered members)."""
    donations = Donation.objects.filter(status=DonationStatus.RECEIVED, honour=True).exclude(
        entry__reversed_by__isnull=False
    )
    if project is not None:
        donations = donations.filter(project=project)
    rows = list(donations.values("honour_name", "project").annotate(total=Sum("value")))
    projects = {
        p.pk: p
        for p in anonymise_projects(
            list(Project.objects.filter(pk__in={row["project"] for row in rows}))
        )
    }
    totals = defaultdict(int)
    for row in rows:
        totals[public_text(row["honour_name"], projects[row["project"]])] += row["total"]
    return [
        {"honour_name": name, "total": total}
        for name, total in sorted(totals.items(), key=lambda item: (-item[1], item[0]))[
            :HONOUR_ROLL_SIZE
        ]
    ]


def received_by_target(project: Project) -> dict[int, int]:
    """What each target of the project received in donations, in the target's unit (fen for
    money), by target id. A donation whose ledger entry was reversed does not count."""
    rows = (
        Donation.objects.filter(project=project, status=DonationStatus.RECEIVED)
        .exclude(entry__reversed_by__isnull=False)
        .values_list("target_id", "target__kind")
        .annotate(money=Sum("value"), goods=Sum("quantity"))
        .order_by()
    )
    return {pk: money if kind == TargetKind.MONEY else goods for pk, kind, money, goods in rows}


def statement_years(helper: Organization) -> list[int]:
    """The years in which the helper gave donations that were received, newest first."""
    dates = Donation.objects.filter(donor=helper, status=DonationStatus.RECEIVED).dates(
        "received_on", "year", order="DESC"
    )
    return [d.year for d in dates]


# What was paid back of donations is recorded by an app above this one (spending's refunds);
# it registers a counter with ``count_refunds``, as donations does with projects.
_refund_counters: list[Callable[[list[Donation]], dict[int, int]]] = []


def count_refunds(counter: Callable[[list[Donation]], dict[int, int]]) -> None:
    """Register ``counter(donations) -> {donation id: fen refunded}`` (from an app's ``ready``)."""
    if counter not in _refund_counters:
        _refund_counters.append(counter)


def refunded(donations: list[Donation]) -> dict[int, int]:
    """The fen paid back of each donation, by id, as every registered counter says."""
    totals: dict[int, int] = defaultdict(int)
    for counter in _refund_counters:
        for pk, fen in counter(donations).items():
            totals[pk] += fen
    return dict(totals)


def annual_statement(helper: Organization, year: int) -> dict:
    """The helper's received donations of ``year`` for its tax return: each with its receipt
    number, recipient and whether the recipient was qualified for pre-tax deduction; the
    total, and the part given to qualified recipients. What was refunded of a donation is not
    counted (``refunded_fen``); one refunded in full, or whose entry was reversed, is listed
    (``refunded``) and counts nothing."""
    rows = list(
        Donation.objects.filter(
            donor=helper, status=DonationStatus.RECEIVED, received_on__year=year
        )
        .select_related("project", "recipient", "entry__reversed_by")
        .order_by("received_on", "serial")
    )
    paid_back = refunded(rows)
    for row in rows:
        reversed_ = hasattr(row.entry, "reversed_by")
        row.refunded_fen = row.value if reversed_ else min(paid_back.get(row.pk, 0), row.value)
        row.counted_fen = row.value - row.refunded_fen
        row.refunded = row.counted_fen == 0
    counted = [row for row in rows if not row.refunded]
    return {
        "helper": helper,
        "year": year,
        "rows": rows,
        "total": sum(row.counted_fen for row in counted),
        "deductible": sum(
            row.counted_fen for row in counted if row.receipt_facts.get("deductible")
        ),
        "count": len(counted),
    }
