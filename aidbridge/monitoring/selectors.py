"""Reads of relapse monitoring, filtered by the policy's scopes."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from aidbridge.monitoring import criteria
from aidbridge.monitoring.models import (
    DepartmentRecord,
    Lead,
    LeadStatus,
    MonitoredHousehold,
    MonitoringCriteria,
)
from aidbridge.policy import leads_in_scope, monitored_in_scope
from aidbridge.regions.models import Region
from aidbridge.registry.rules import version_in_force


@dataclass(frozen=True)
class CriteriaInForce:
    """The criteria in force for a region and year and the version they come from (None: the
    defaults of monitoring.criteria)."""

    criteria: criteria.Criteria
    version: MonitoringCriteria | None


def criteria_in_force(region: Region, year: int) -> CriteriaInForce:
    """The criteria of ``region`` (any level) for ``year``: the latest version of the nearest
    region at or above it that set criteria for that year or before."""
    best = version_in_force(MonitoringCriteria.objects.all(), region, year)
    return CriteriaInForce(best.core() if best else criteria.Criteria(), best)


def leads_open(user) -> QuerySet:
    """The open leads the user may see, oldest first."""
    return (
        leads_in_scope(user, Lead.objects.filter(status=LeadStatus.OPEN))
        .select_related("household", "village")
        .order_by("opened_on", "pk")
    )


def monitored_households(user) -> QuerySet:
    return monitored_in_scope(user, MonitoredHousehold.objects.all()).select_related(
        "household", "household__village"
    )


LEADS_EXPORT_COLUMNS = (
    "household_number",
    "rule",
    "source",
    "records",
    "channel",
    "stage",
    "opened_on",
    "tracking_code",
)


def leads_export(*, region: Region | None = None):
    """The open leads (of ``region`` and below) as CSV rows, the header first, oldest first:
    the records behind each in words ("medical out_of_pocket 12000.00 2026-03-01; ..."),
    never a resident ID or a name. For the operator's command: no user's scope applies."""
    leads = Lead.objects.filter(status=LeadStatus.OPEN).select_related("household")
    if region is not None:
        leads = leads.filter(village__path__startswith=region.path)
    records = Prefetch("department_records", queryset=DepartmentRecord.objects.order_by("on", "pk"))
    yield LEADS_EXPORT_COLUMNS
    for lead in leads.order_by("opened_on", "pk").prefetch_related(records).iterator(2000):
        yield (
            lead.household.number if lead.household else "",
            lead.rule,
            lead.source,
            records_text(lead.department_records.all()),
            lead.channel,
            lead.stage,
            lead.opened_on.isoformat(),
            lead.tracking_code,
        )


def records_text(records) -> str:
    """Department records in words, without personal data: "medical out_of_pocket 12000.00
    2026-03-01; ..."."""
    return "; ".join(
        f"{r.source} {r.event} {r.amount // 100}.{r.amount % 100:02d} {r.on.isoformat()}"
        for r in records
    )


def criteria_for_villages(villages, year: int) -> dict[int, criteria.Criteria]:
    """criteria_in_force for many villages at once (one query): village id -> criteria."""
    villages = list(villages)
    codes = {code for v in villages for code in v.ancestor_codes()}
    versions = list(
        MonitoringCriteria.objects.filter(region__code__in=codes, year__lte=year).select_related(
            "region"
        )
    )
    found = {}
    for village in villages:
        mine = set(village.ancestor_codes())
        best = max(
            (c for c in versions if c.region.code in mine),
            key=lambda c: (c.region.depth, c.year, c.version),
            default=None,
        )
        found[village.pk] = best.core() if best else criteria.Criteria()
    return found
