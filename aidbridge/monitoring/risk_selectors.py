"""Reads of relapse risk, filtered by the policy's scopes."""

from django.db.models import Exists, OuterRef, QuerySet

from aidbridge.monitoring.models import (
    Lead,
    LeadStatus,
    MonitoredHousehold,
    MonitoredStage,
    RiskModel,
    RiskScore,
)
from aidbridge.policy import Action, can, risk_scores_in_scope
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


ALERT = 60  # a score from which the clerk and the township are alerted


def risk_alerts(user) -> QuerySet:
    """Households of the user's area scoring ALERT or more that neither an open lead nor a
    current monitoring covers, highest first (for those the policy alerts; none for others)."""
    if not can(user, Action.RISK_ALERTS):
        return RiskScore.objects.none()
    open_lead = Lead.objects.filter(household=OuterRef("household"), status=LeadStatus.OPEN)
    monitored = MonitoredHousehold.objects.filter(household=OuterRef("household")).exclude(
        stage=MonitoredStage.ELIMINATED
    )
    return (
        risk_top(user, minimum=ALERT)
        .exclude(Exists(open_lead))
        .exclude(Exists(monitored))
        .order_by("-score", "household_id")
    )
