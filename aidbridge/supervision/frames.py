"""A plan's frame: the objects it may inspect, each with its stratum, its public id, its
place, its household and the users whose work it is (they are recused from inspecting it).

Ids are the objects' public ids (UUIDs; a village's region code), so a published frame names
no person. Strata: one, the county or township the object lies in, the household's status,
or county and status (``513422|lifted``)."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings

from aidbridge.helpers.models import Organization
from aidbridge.needs.models import Need, NeedStatus
from aidbridge.projects.models import Project
from aidbridge.regions.models import PATH_SEP, Region
from aidbridge.registry.models import Household
from aidbridge.spending.models import Spending, SpendingStatus
from aidbridge.supervision.models import ObjectKind, Plan, Strata

# Needs inspected as "delivered": those whose help arrived.
DELIVERED = (NeedStatus.FULFILLED, NeedStatus.CLOSED)
_LEVELS = [level for level, _label in settings.REGION_LEVELS]


@dataclass(frozen=True)
class Entry:
    stratum: str
    object_id: str
    region_id: int
    region_path: str
    household_id: int | None = None
    workers: tuple[int, ...] = field(default=())


def _ancestor(path: str, level: str) -> str:
    """The code of the region at ``level`` on ``path`` (the deepest there is if shorter)."""
    codes = [c for c in path.split(PATH_SEP) if c]
    depth = _LEVELS.index(level)
    return codes[min(depth, len(codes) - 1)]


def stratum_of(plan: Plan, path: str, status: str = "") -> str:
    match plan.strata:
        case Strata.COUNTY:
            return _ancestor(path, "county")
        case Strata.TOWNSHIP:
            return _ancestor(path, "township")
        case Strata.STATUS:
            return status or "all"
        case Strata.COUNTY_STATUS:
            return f"{_ancestor(path, 'county')}|{status or 'all'}"
    return "all"


def entries(plan: Plan) -> Iterator[Entry]:
    """The frame of ``plan`` as it stands now (published once, then kept)."""
    path = plan.region.path
    match plan.kind:
        case ObjectKind.HOUSEHOLD:
            rows = Household.objects.filter(region_path__startswith=path)
            if plan.statuses:
                rows = rows.filter(status__in=plan.statuses)
            for pk, pid, region_id, rpath, status in rows.values_list(
                "pk", "public_id", "village_id", "region_path", "status"
            ).iterator():
                yield Entry(stratum_of(plan, rpath, status), str(pid), region_id, rpath, pk)
        case ObjectKind.VILLAGE:
            rows = Region.objects.filter(path__startswith=path, level=_LEVELS[-1])
            for pk, code, rpath in rows.values_list("pk", "code", "path").iterator():
                yield Entry(stratum_of(plan, rpath), code, pk, rpath)
        case ObjectKind.NEED:
            rows = Need.objects.filter(region_path__startswith=path, status__in=DELIVERED)
            for pid, region_id, rpath, household_id, by in rows.values_list(
                "public_id", "region_id", "region_path", "household_id", "created_by_id"
            ).iterator():
                yield Entry(
                    stratum_of(plan, rpath), str(pid), region_id, rpath, household_id, (by,)
                )
        case ObjectKind.PROJECT:
            rows = Project.objects.filter(region__path__startswith=path)
            for pid, region_id, rpath, by in rows.values_list(
                "public_id", "region_id", "region__path", "created_by_id"
            ).iterator():
                yield Entry(stratum_of(plan, rpath), str(pid), region_id, rpath, None, (by,))
        case ObjectKind.DISBURSEMENT:
            rows = Spending.objects.filter(
                project__region__path__startswith=path, status=SpendingStatus.POSTED
            )
            for pid, region_id, rpath, by in rows.values_list(
                "public_id", "project__region_id", "project__region__path", "recorded_by_id"
            ).iterator():
                yield Entry(stratum_of(plan, rpath), str(pid), region_id, rpath, None, (by,))
        case ObjectKind.HELPER:
            rows = Organization.objects.filter(
                region__path__startswith=path, verified_at__isnull=False
            ).prefetch_related("staff")
            for helper in rows.select_related("region"):
                rpath = helper.region.path
                staff = tuple(user.pk for user in helper.staff.all())
                yield Entry(
                    stratum_of(plan, rpath), helper.code, helper.region_id, rpath, None, staff
                )
