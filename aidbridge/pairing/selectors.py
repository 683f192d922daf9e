"""Read queries on paired assistance. Callers pass regions the user may see (aidbridge.policy)."""

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from aidbridge.helpers.models import PairingPost, PairingRole, RegionPairing
from aidbridge.regions.models import Region
from aidbridge.regions.selectors import access_region
from aidbridge.registry.models import Household, HouseholdStatus

ROLES = len(PairingRole.values)


def access_village(user, code: str) -> Region:
    """A village the user may see, or Http404."""
    village = access_region(user, code)
    if village.level != settings.REGION_LEVELS[-1][0]:
        raise Http404("village")
    return village


def poor_villages(region: Region) -> QuerySet:
    """Villages in or below ``region`` with a poor or monitored household, each annotated with
    ``staffed``: how many of the five roles have an active holder."""
    poor = Household.objects.filter(
        region_path__startswith=region.path,
        status__in=[HouseholdStatus.POOR, HouseholdStatus.MONITORED],
    ).values("village_id")
    return (
        Region.objects.filter(pk__in=poor)
        .annotate(staffed=Count("pairing_posts", filter=Q(pairing_posts__until__isnull=True)))
        .order_by("path")
    )


def coverage(region: Region) -> tuple[dict[str, int], QuerySet]:
    """Counts of poor villages, fully staffed ones and those missing a role, and the
    villages missing a role."""
    villages = poor_villages(region)
    counts = villages.aggregate(
        poor_villages=Count("pk"), fully_staffed=Count("pk", filter=Q(staffed__gte=ROLES))
    )
    counts["missing"] = counts["poor_villages"] - counts["fully_staffed"]
    return counts, villages.filter(staffed__lt=ROLES)


def with_missing_roles(villages) -> list[Region]:
    """The villages, each with ``missing``: the roles that have no active holder."""
    villages = list(villages)
    held = set(
        PairingPost.objects.filter(village__in=villages, until__isnull=True).values_list(
            "village_id", "role"
        )
    )
    for village in villages:
        village.missing = [role for role in PairingRole if (village.pk, role) not in held]
    return villages


def village_posts(
    village: Region,
) -> tuple[list[tuple[PairingRole, PairingPost | None]], list[PairingPost]]:
    """The five roles with their active post (or None), and the ended posts, newest first."""
    posts = list(village.pairing_posts.select_related("helper").order_by("-since", "-pk"))
    active = {p.role: p for p in posts if p.until is None}
    return (
        [(role, active.get(role)) for role in PairingRole],
        [p for p in posts if p.until is not None],
    )


def region_pairings(region: Region) -> QuerySet:
    """East-West pairings of counties in or below ``region``, active ones first."""
    return (
        RegionPairing.objects.filter(county__path__startswith=region.path)
        .select_related("helper", "county")
        .order_by(F("until").desc(nulls_first=True), "county__path", "-since")
    )
