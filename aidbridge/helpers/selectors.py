"""Reads of helpers, filtered by the policy."""

import base64

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


def seal_data_uri(helper: Organization) -> str:
    """The helper's seal (a PNG) as a data: URI for its receipts (the pages' CSP allows data:
    images, and a PDF then fetches nothing), or "" without one."""
    if not helper.seal:
        return ""
    with helper.seal.open("rb") as file:
        return "data:image/png;base64," + base64.b64encode(file.read()).decode()
