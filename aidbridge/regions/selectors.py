"""Read queries on the region tree. Callers pass querysets already filtered by aidbridge.policy."""

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery

from aidbridge.accounts.models import User
from aidbridge.regions.models import Region


def children_with_counts(region: Region) -> QuerySet:
    """The region's children, each with the number of lowest-level regions and accounts below."""
    lowest = settings.REGION_LEVELS[-1][0]
    villages = Region.objects.filter(level=lowest, path__startswith=OuterRef("path"))
    accounts = User.objects.filter(is_active=True, region__path__startswith=OuterRef("path"))
    return region.children.annotate(
        villages=Subquery(villages.order_by().values("level").annotate(n=Count("pk"))
                          .values("n")[:1], output_field=IntegerField()),
        accounts=Subquery(accounts.order_by().values("is_active").annotate(n=Count("pk"))
                          .values("n")[:1], output_field=IntegerField()),
    ).order_by("code")


def level_counts(region: Region) -> dict[str, int]:
    """How many regions of each level lie strictly below ``region``."""
    rows = (Region.objects.filter(path__startswith=region.path).exclude(pk=region.pk)
            .order_by().values("level").annotate(n=Count("pk")))
    return {row["level"]: row["n"] for row in rows}


def account_count(region: Region) -> int:
    """Active accounts in the region or below it."""
    return User.objects.filter(is_active=True, region__path__startswith=region.path).count()


def ancestors(region: Region) -> list[Region]:
    """Regions from the root down to the region's parent."""
    codes = region.ancestor_codes()[:-1]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def access_region(user, code: str, action=None) -> Region:
    """Fetch a region the user may act on, or raise Http404 (out of scope looks like absent)."""
    from django.http import Http404

    from aidbridge.policy import Action, can

    region = Region.objects.filter(code=code).first()
    if region is None or not can(user, action or Action.REGION_VIEW, region):
        raise Http404("region")
    return region
