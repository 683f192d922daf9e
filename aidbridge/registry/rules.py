"""The identification rules in force (poverty line, monitoring line, guarantees) and their
setting by those responsible.

A region's rules for a year are the latest version of the rules of the nearest region at
or above it, latest year not after that year; the default rule (settings) where no region
set any. Setting rules adds a version: an earlier one is never changed, so an assessment
keeps naming the version it was judged by.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem
from aidbridge.policy import Action, require
from aidbridge.regions.models import Region
from aidbridge.registry import identification
from aidbridge.registry.models import IdentificationRule

YEARS = (2000, 2100)
MAX_LINE = 1_000_000


@dataclass(frozen=True)
class InForce:
    """The rules in force for a region and year, and the version they come from (None: the
    default rule)."""

    rules: identification.Rules
    rule: IdentificationRule | None


def core_rules(rule: IdentificationRule | None) -> identification.Rules:
    """The pure core's rules of a stored version; the default rule for None."""
    if rule is None:
        return identification.Rules(poverty_line=settings.DEFAULT_POVERTY_LINE)
    return identification.Rules(
        poverty_line=rule.poverty_line,
        monitoring_multiple=float(rule.monitoring_multiple),
        guarantees=tuple(rule.guarantees or identification.INDICATORS),
        af_weights=rule.af_weights or {i: 1 / 6 for i in identification.INDICATORS},
        af_cutoff=float(rule.af_cutoff),
    )


def version_in_force(versions: QuerySet, region: Region, year: int):
    """Of a table of versions by region, year and version (these rules, or others set the
    same way), the one in force for ``region`` (any level) and ``year``: the latest version
    of the nearest region at or above it, latest year not after ``year``; None if none."""
    candidates = versions.filter(
        region__code__in=region.ancestor_codes(), year__lte=year
    ).select_related("region", "set_by")
    return max(candidates, key=lambda v: (v.region.depth, v.year, v.version), default=None)


def year_asked(text: str) -> int:
    """The year a page was asked for (``?year=``), within YEARS; this year if none."""
    try:
        year = int(text)
    except ValueError:
        return timezone.localdate().year
    return min(max(year, YEARS[0]), YEARS[1])


def rule_in_force(region: Region, year: int) -> InForce:
    """The rules of ``region`` (any level) for ``year``, inherited from the nearest region
    at or above it that set rules for that year or before."""
    best = version_in_force(IdentificationRule.objects.all(), region, year)
    return InForce(core_rules(best), best)


def versions_along(versions: QuerySet, region: Region) -> list:
    """Every version (of a table like version_in_force's) set by the region and the regions
    above it, nearest region first, then newest year and version: the history behind what is
    in force."""
    rows = versions.filter(region__code__in=region.ancestor_codes()).select_related(
        "region", "set_by"
    )
    return sorted(rows, key=lambda v: (-v.region.depth, -v.year, -v.version))


def rules_along(region: Region) -> list[IdentificationRule]:
    """The identification rules' history for ``region`` (versions_along)."""
    return versions_along(IdentificationRule.objects.all(), region)


def rule_set(
    *,
    by,
    region: Region,
    year,
    poverty_line,
    monitoring_multiple,
    guarantees: list[str],
    note: str = "",
) -> IdentificationRule:
    """Set the rules of ``region`` from ``year`` on as a new version; the deprivation weights
    and cutoff carry over from the rules in force. InvalidInput names each bad field."""
    require(by, Action.RULES_SET, region)
    errors = []
    if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        errors.append(
            problem(
                "year",
                _("must be a year from %(low)s to %(high)s") % {"low": YEARS[0], "high": YEARS[1]},
            )
        )
    if not isinstance(poverty_line, int) or not 0 < poverty_line <= MAX_LINE:
        errors.append(
            problem(
                "poverty_line",
                _("must be a whole number of yuan from 1 to %(max)s") % {"max": "1,000,000"},
            )
        )
    try:
        multiple = Decimal(str(monitoring_multiple)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        multiple = None
    if multiple is None or not multiple.is_finite() or not Decimal(1) <= multiple <= Decimal(5):
        errors.append(problem("monitoring_multiple", _("must be between 1 and 5")))
    unknown = sorted(set(guarantees) - set(identification.INDICATORS))
    if unknown:
        errors.append(
            problem(
                "guarantees", _("unknown guarantees: %(names)s") % {"names": ", ".join(unknown)}
            )
        )
    elif not guarantees:
        errors.append(problem("guarantees", _("choose at least one guarantee")))
    note = (note or "").strip()
    if len(note) > 200:
        errors.append(problem("note", _("at most %(n)s characters") % {"n": 200}))
    if errors:
        raise InvalidInput(errors)
    ordered = [i for i in identification.INDICATORS if i in guarantees]
    with transaction.atomic():
        # One writer at a time per region, so versions are counted without gaps or clashes.
        Region.objects.select_for_update().filter(pk=region.pk).first()
        inherited = rule_in_force(region, year).rule
        latest = IdentificationRule.objects.filter(region=region, year=year).aggregate(
            v=Max("version")
        )["v"]
        rule = IdentificationRule(
            region=region,
            year=year,
            version=(latest or 0) + 1,
            poverty_line=poverty_line,
            monitoring_multiple=multiple,
            guarantees=ordered,
            af_weights=inherited.af_weights if inherited else {},
            af_cutoff=inherited.af_cutoff if inherited else Decimal("0.333"),
            note=note,
            set_by=by,
        )
        core_rules(rule)  # the pure core's own consistency checks
        rule._history_user = by
        rule.save()
    return rule
