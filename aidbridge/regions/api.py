from django.db.models import Q
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.audit import history_json
from aidbridge.policy import Action, regions_in_scope
from aidbridge.regions.models import Region
from aidbridge.regions.selectors import access_region
from aidbridge.schemas import HistoryOut, Pages

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    parent_code: str | None
    level: str
    depth: int
    name_zh: str
    name_en: str
    population: int | None = Field(None, description="Rural registered population, if known")

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.ancestor_codes()[-2] if obj.depth else None


@router.get("", response=list[RegionOut], summary="Regions in your scope")
@paginate(Pages, page_size=50)
def list_regions(
    request, parent: str | None = None, level: str | None = None, q: str | None = None
):
    regions = regions_in_scope(request.auth)
    if parent:
        regions = regions.filter(parent__code=parent)
    if level:
        regions = regions.filter(level=level)
    if q:
        regions = regions.filter(
            Q(name_zh__icontains=q) | Q(name_en__icontains=q) | Q(code__startswith=q)
        )
    return regions.order_by("path")


@router.get("/{code}", response=RegionOut, summary="One region")
def get_region(request, code: str):
    return access_region(request.auth, code)


@router.get("/{code}/children", response=list[RegionOut], summary="A region's children")
@paginate(Pages, page_size=50)
def region_children(request, code: str):
    return access_region(request.auth, code).children.order_by("code")


@router.get("/{code}/history", response=list[HistoryOut], summary="Audit history of a region")
def region_history(request, code: str):
    region = access_region(request.auth, code, Action.REGION_HISTORY)
    return history_json(region)
