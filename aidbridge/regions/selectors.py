"""Read queries on the region tree. Callers pass querysets already filtered by aidbridge.policy."""

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.http import Http404
from django.utils.translation import gettext as _

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput, problem
from aidbridge.regions.models import Region


def _below(qs: QuerySet, path_field: str, aggregate) -> Subquery:
    """One aggregate over the rows of ``qs`` in or below the outer region."""
    inner = (qs.filter(**{f"{path_field}__startswith": OuterRef("path")})
             .order_by().annotate(_one=Value(1)).values("_one").annotate(n=aggregate).values("n"))
    return Subquery(inner[:1], output_field=IntegerField())


def children_with_counts(region: Region) -> QuerySet:
    """The region's children, each with its villages and active accounts below it, in one
    query. Household figures come from the tallies (``insights.tally``)."""
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
    from aidbridge.policy import Action, can

    region = Region.objects.filter(code=code).first()
    if region is None or not can(user, action or Action.REGION_VIEW, region):
        raise Http404("region")
    return region


def user_area(user, code: str = "") -> Region:
    """The region ``code`` if the user may see it, else the user's own (the admin's: the
    root); Http404 for users without a region."""
    from aidbridge.policy import Action, can

    if code:
        return access_region(user, code)
    if user.region is not None and can(user, Action.REGION_VIEW, user.region):
        return user.region
    root = Region.objects.filter(parent=None).order_by("path").first()
    if root is None or not can(user, Action.REGIONS_BROWSE):
        raise Http404("region")
    return root


def villages() -> list[Region]:
    """The lowest-level regions, by code."""
    return list(Region.objects.filter(level=settings.REGION_LEVELS[-1][0]).order_by("code"))


def region_by_code(code: str, *, field: str = "region", message=None) -> Region:
    """The region of ``code``, or InvalidInput on ``field`` (by default "no such region")."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise InvalidInput([problem(field, message or _("no such region"))])
    return region


def regions_by_code(codes, *, field: str) -> list[Region]:
    """The regions of ``codes``; InvalidInput on ``field`` naming the codes that are unknown."""
    codes = list(codes)
    found = list(Region.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {r.code for r in found})
    if unknown:
        raise InvalidInput([problem(field, _("Unknown region codes: %(codes)s")
                                    % {"codes": ", ".join(unknown)})])
    return found
