"""The pairing API: coverage of the five posts in poor villages, a village's posts, and
East-West pairings. Region users read those of their area (404 outside it); officers from
township up assign them (403 otherwise)."""

from datetime import date

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import Organization
from aidbridge.pairing.selectors import (
    access_village,
    coverage,
    region_pairings,
    village_posts,
    with_missing_roles,
)
from aidbridge.pairing.services import pairing_post_set, region_pairing_create
from aidbridge.regions.selectors import region_by_code, user_area
from aidbridge.schemas import Pages

router = Router(tags=["pairing"])
PAGE_SIZE = 50


class VillageGapOut(Schema):
    code: str
    name: str
    missing_roles: list[str]


class CoverageOut(Schema):
    region_code: str
    poor_villages: int = Field(description="Villages with a poor or monitored household")
    fully_staffed: int
    missing: int
    page: int
    pages: int
    villages: list[VillageGapOut] = Field(
        description=f"Poor villages missing a post, {PAGE_SIZE} a page"
    )


class PostOut(Schema):
    id: int
    role: str
    holder: str
    helper_code: str | None = Field(None, alias="helper.code")
    phone: str
    since: date
    until: date | None


class VillageOut(Schema):
    code: str
    name: str
    posts: list[PostOut] = Field(description="Active posts")
    missing_roles: list[str]
    former: list[PostOut] = Field(description="Ended posts, newest first")


class PostIn(Schema):
    role: str
    holder: str
    helper: str | None = Field(None, description="A registered helper's code")
    phone: str = ""
    since: date


class PairingIn(Schema):
    helper: str = Field(description="The helper code of the paired city's government unit")
    county: str = Field(description="The county's region code")
    since: date
    note: str = ""


class PairingOut(Schema):
    id: int
    helper_code: str = Field(alias="helper.code")
    helper_name: str
    county_code: str = Field(alias="county.code")
    county_name: str = Field(alias="county.name")
    since: date
    until: date | None
    note: str

    @staticmethod
    def resolve_helper_name(obj) -> str:
        return str(obj.helper)


def _helper(code: str) -> Organization:
    helper = Organization.objects.filter(code=code).first()
    if helper is None:
        raise InvalidInput([problem("helper", _("no such helper"))])
    return helper


@router.get(
    "/coverage",
    response=CoverageOut,
    summary="Poor villages missing one of the five posts",
    description="In `region` (default: yours) and below.",
)
def get_coverage(request, region: str = "", page: int = 1):
    area = user_area(request.auth, region)
    counts, villages = coverage(area)
    found = Paginator(villages, PAGE_SIZE).get_page(page)
    return {
        "region_code": area.code,
        **counts,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "villages": [
            {"code": v.code, "name": v.name, "missing_roles": v.missing}
            for v in with_missing_roles(found.object_list)
        ],
    }


@router.get("/villages/{code}", response=VillageOut, summary="A village's posts")
def get_village(request, code: str):
    village = access_village(request.auth, code)
    posts, former = village_posts(village)
    return {
        "code": village.code,
        "name": village.name,
        "posts": [post for _role, post in posts if post],
        "missing_roles": [role for role, post in posts if post is None],
        "former": former,
    }


@router.post(
    "/villages/{code}/posts",
    response={201: PostOut},
    summary="Give one of a village's posts to someone",
    description="The previous holder's post ends on `since`.",
)
def set_post(request, code: str, data: PostIn):
    village = access_village(request.auth, code)
    helper = _helper(data.helper) if data.helper else None
    post = pairing_post_set(
        by=request.auth,
        village=village,
        role=data.role,
        holder=data.holder,
        helper=helper,
        phone=data.phone,
        since=data.since,
    )
    return Status(201, post)


@router.get(
    "/east-west",
    response=list[PairingOut],
    summary="East-West pairings of counties",
    description="In `region` (default: yours) and below, active ones first.",
)
@paginate(Pages, page_size=PAGE_SIZE)
def list_pairings(request, region: str = ""):
    return region_pairings(user_area(request.auth, region))


@router.post(
    "/east-west",
    response={201: PairingOut},
    summary="Pair a developed city's government unit with a poor county",
)
def create_pairing(request, data: PairingIn):
    county = region_by_code(data.county, field="county")
    pairing = region_pairing_create(
        by=request.auth,
        helper=_helper(data.helper),
        county=county,
        since=data.since,
        note=data.note,
    )
    return Status(201, pairing)
