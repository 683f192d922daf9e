"""The social poverty alleviation indicators, counted from the platform's own records of a
county up to the end of the assessment's year (docs/supervision.md, "County assessment"):

- helpers mobilised: distinct helpers that claimed one of the county's needs (a claim not
  released or cancelled), were made responsible for one of its households, or initiated or
  took part in one of its projects;
- needs matched: of the county's verified needs (published or later), the share fully
  claimed, in delivery, fulfilled or closed;
- money raised, money spent: the public accounts' figures of the county's projects (the
  ledger, ledger/figures.py): raised in yuan, and spent plus passed on as a share of raised;
- projects completed: the county's projects closed by the end of the year.

Each returns the value with its evidence (counts), so the report shows what it rests on."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from aidbridge.assessment.scorecard import Rate
from aidbridge.ledger.figures import figures
from aidbridge.ledger.models import Account, Entry
from aidbridge.needs import lifecycle
from aidbridge.needs.models import Claim, ClaimStatus, Need
from aidbridge.projects.models import Partner, Project, Stage
from aidbridge.registry.models import ResponsibleHelper

MATCHED = (
    lifecycle.Status.FULLY_CLAIMED,
    lifecycle.Status.IN_DELIVERY,
    lifecycle.Status.FULFILLED,
    lifecycle.Status.CLOSED,
)


@dataclass
class Measure:
    value: Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    evidence: dict = field(default_factory=dict)


def _helpers(path: str, year: int) -> Measure:
    end = date(year, 12, 31)
    claims = set(
        Claim.objects.filter(need__region_path__startswith=path, created_at__date__lte=end)
        .exclude(status__in=[ClaimStatus.RELEASED, ClaimStatus.CANCELLED])
        .values_list("helper_id", flat=True)
    )
    responsible = set(
        ResponsibleHelper.objects.filter(
            household__region_path__startswith=path, helper__isnull=False, since__lte=end
        ).values_list("helper_id", flat=True)
    )
    projects = Project.objects.filter(region_path__startswith=path, created_at__date__lte=end)
    in_projects = set(
        projects.filter(initiator__isnull=False).values_list("initiator_id", flat=True)
    ) | set(
        Partner.objects.filter(project__in=projects, helper__isnull=False).values_list(
            "helper_id", flat=True
        )
    )
    helpers = claims | responsible | in_projects
    return Measure(
        Decimal(len(helpers)),
        evidence={
            "claiming": len(claims),
            "responsible": len(responsible),
            "in_projects": len(in_projects),
        },
    )


def _needs(path: str, year: int) -> Measure:
    verified = Need.objects.filter(
        region_path__startswith=path,
        status__in=sorted(lifecycle.PUBLIC),
        created_at__date__lte=date(year, 12, 31),
    )
    rate = Rate(verified.filter(status__in=MATCHED).count(), verified.count())
    return Measure(rate.value, rate.numerator, rate.denominator)


def _money(path: str, year: int) -> tuple[Measure, Measure]:
    accounts = Account.objects.filter(project__region_path__startswith=path)
    shown = figures(accounts, entries=Entry.objects.filter(date__lte=date(year, 12, 31)))
    out = shown.spent + shown.passed_on
    spent = Rate(min(out, shown.raised), shown.raised) if shown.raised > 0 else Rate(0, 0)
    evidence = {
        "raised_fen": shown.raised,
        "spent_fen": shown.spent,
        "passed_on_fen": shown.passed_on,
    }
    raised = Measure(Decimal(shown.raised) / 100, evidence=evidence)
    return raised, Measure(spent.value, evidence=evidence)


def _projects(path: str, year: int) -> Measure:
    projects = Project.objects.filter(region_path__startswith=path)
    closed = projects.filter(stage=Stage.CLOSED).filter(
        Q(closed_on__isnull=True) | Q(closed_on__lte=date(year, 12, 31))
    )
    return Measure(Decimal(closed.count()), evidence={"projects": projects.count()})


def platform_measures(county, year: int) -> dict[str, Measure]:
    """The platform indicators of ``county`` (a Region) for ``year``, by key."""
    path = county.path
    raised, spent = _money(path, year)
    return {
        "helpers_mobilised": _helpers(path, year),
        "needs_matched": _needs(path, year),
        "money_raised": raised,
        "money_spent": spent,
        "projects_completed": _projects(path, year),
    }
