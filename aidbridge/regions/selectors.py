"""Read queries on the region tree. Callers pass querysets already filtered by aidbridge.policy."""

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem
from aidbridge.policy import Action, can, regions_pickable
from aidbridge.regions.models import Region


def ancestors(region: Region) -> list[Region]:
    """Regions from the root down to the region's parent."""
    codes = region.ancestor_codes()[:-1]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def access_region(user, code: str, action=None) -> Region:
    """Fetch a region the user may act on, or raise Http404 (out of scope looks like absent)."""
    region = Region.objects.filter(code=code).first()
    if region is None or not can(user, action or Action.REGION_VIEW, region):
        raise Http404("region")
    return region


def user_area(user, code: str = "") -> Region:
    """The region ``code`` if the user may see it, else the user's own (the admin's: the
    root); Http404 for users without a region."""
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
        raise InvalidInput(
            [problem(field, _("Unknown region codes: %(codes)s") % {"codes": ", ".join(unknown)})]
        )
    return found


PICK_LIMIT = 15


def region_pick(user, q: str, levels=()) -> list[Region]:
    """Up to PICK_LIMIT regions the user may pick whose code starts with ``q`` or whose
    name contains it, of ``levels`` (any level if empty), by code."""
    q = q.strip()
    if not q:
        return []
    regions = regions_pickable(user, Region.objects.select_related("parent"))
    if levels:
        regions = regions.filter(level__in=levels)
    found = Q(code__startswith=q) | Q(name_zh__contains=q) | Q(name_en__icontains=q)
    return list(regions.filter(found).order_by("code")[:PICK_LIMIT])
