"""Reads of relapse monitoring, filtered by the policy's scopes."""

from dataclasses import dataclass

from django.db.models import QuerySet

from aidbridge.monitoring import criteria
from aidbridge.monitoring.models import Lead, LeadStatus, MonitoredHousehold, MonitoringCriteria
from aidbridge.policy import leads_in_scope, monitored_in_scope
from aidbridge.regions.models import Region


@dataclass(frozen=True)
class CriteriaInForce:
    """The criteria in force for a region and year and the version they come from (None: the
    defaults of monitoring.criteria)."""

    criteria: criteria.Criteria
    version: MonitoringCriteria | None


def criteria_in_force(region: Region, year: int) -> CriteriaInForce:
    """The criteria of ``region`` (any level) for ``year``: the latest version of the nearest
    region at or above it that set criteria for that year or before."""
    candidates = MonitoringCriteria.objects.filter(
        region__code__in=region.ancestor_codes(), year__lte=year
    ).select_related("region", "set_by")
    best = max(candidates, key=lambda c: (c.region.depth, c.year, c.version), default=None)
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
