"""The dashboard's counts below a region: regions by level, villages and active accounts.
Household figures come from the village tallies (``insights.tally``)."""

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value

from aidbridge.accounts.models import User
from aidbridge.regions.models import Region


def _below(qs: QuerySet, path_field: str, aggregate) -> Subquery:
    """One aggregate over the rows of ``qs`` in or below the outer region."""
    inner = (
        qs.filter(**{f"{path_field}__startswith": OuterRef("path")})
        .order_by()
        .annotate(_one=Value(1))
        .values("_one")
        .annotate(n=aggregate)
        .values("n")
    )
    return Subquery(inner[:1], output_field=IntegerField())


def children_with_counts(region: Region) -> QuerySet:
    """The region's children, each with its villages and active accounts below it, in one
    query."""
    lowest = settings.REGION_LEVELS[-1][0]
    return region.children.annotate(
        villages=_below(Region.objects.filter(level=lowest), "path", Count("pk")),
        accounts=_below(User.objects.filter(is_active=True), "region__path", Count("pk")),
    ).order_by("code")


def incidence(poor_people: int | None, population: int | None) -> float | None:
    """Poverty incidence in percent: poor people over the rural registered population."""
    if not population:
        return None
    return round(100 * (poor_people or 0) / population, 1)


def level_counts(region: Region) -> dict[str, int]:
    """How many regions of each level lie strictly below ``region``."""
    rows = (
        Region.objects.filter(path__startswith=region.path)
        .exclude(pk=region.pk)
        .order_by()
        .values("level")
        .annotate(n=Count("pk"))
    )
    return {row["level"]: row["n"] for row in rows}


def account_count(region: Region) -> int:
    """Active accounts in the region or below it."""
    return User.objects.filter(is_active=True, region__path__startswith=region.path).count()
