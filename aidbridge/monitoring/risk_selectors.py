"""Reads of relapse risk, filtered by the policy's scopes."""

from django.db.models import QuerySet

from aidbridge.monitoring.models import RiskModel, RiskScore
from aidbridge.policy import risk_scores_in_scope
from aidbridge.regions.models import Region


def risk_top(user, *, region: Region | None = None, minimum: int = 0) -> QuerySet:
    """The risk scores the user may see (of ``region``'s households, if given), highest
    first."""
    qs = RiskScore.objects.filter(score__gte=minimum)
    if region is not None:
        qs = qs.filter(household__region_path__startswith=region.path)
    return risk_scores_in_scope(user, qs).select_related("household", "household__village")


def risk_evaluation() -> RiskModel | None:
    """The latest evaluation (the one the nightly scoring follows)."""
    return RiskModel.objects.first()
