"""Reads of helpers, filtered by the policy."""

from django.db.models import QuerySet

from aidbridge.helpers.models import Organization
from aidbridge.policy import Action, can, region_filter


def helpers_to_verify(user) -> QuerySet:
    """Helpers registered in the user's scope that wait for an officer's verification."""
    if not can(user, Action.HELPERS_VERIFY):
        return Organization.objects.none()
    return (
        Organization.objects.filter(verified_at__isnull=True)
        .filter(region_filter(user, "region__"))
        .select_related("region")
        .order_by("pk")
    )
