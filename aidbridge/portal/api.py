"""The public API of the portal, without authentication: published needs, anonymised as on
the portal's pages (aidbridge.portal.selectors), and their totals."""

from datetime import date, datetime
from uuid import UUID

from django.core.paginator import Paginator
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from aidbridge.portal import selectors
from aidbridge.schemas import responses

router = Router(auth=None, tags=["portal"])


class FiltersIn(Schema):
    region: str = Field("", description="A region code of any level: needs in or below it")
    category: str = ""
    urgency: int | None = Field(None, description="Keep needs at least this urgent (1-5)")
    status: str = Field("", description="open (to claims), delivery or fulfilled")
    q: str = Field("", description="Words in the title")


class PlaceOut(Schema):
    code: str
    level: str
    name: str


class PublicNeedOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    category: str
    title: str = Field(alias="public_title")
    description: str = Field(alias="public_description")
    places: list[PlaceOut] = Field(description="From the county down to the village")
    urgency: int
    deadline: date
    status: str
    amount: int
    unit: str
    claimed: int
    confirmed: int = Field(description="Received, as the beneficiary confirmed")
    published_at: datetime | None


class PageOut(Schema):
    count: int
    items: list[PublicNeedOut]


class ClaimOut(Schema):
    helper: str = Field(description="The helper's name; “an individual donor” for individuals")
    amount: int
    status: str


class PublicNeedDetailOut(PublicNeedOut):
    claims: list[ClaimOut]
    photos: list[str] = Field(description="URLs of photos shown with the beneficiary's consent")

    @staticmethod
    def resolve_claims(obj) -> list[dict]:
        return selectors.public_claims(obj)

    @staticmethod
    def resolve_photos(obj) -> list[str]:
        return [reverse("portal:photo", args=[p.public_id]) for p in selectors.public_photos(obj)]


class FiguresOut(Schema):
    needs: int
    amount_yuan: int = Field(description="Of needs asking for money")
    claimed_yuan: int
    confirmed_yuan: int


class CategoryOut(FiguresOut):
    category: str
    label: str


class CountyOut(FiguresOut):
    code: str
    name: str


class StatsOut(FiguresOut):
    by_category: list[CategoryOut]
    by_county: list[CountyOut]


@router.get("/needs", response=responses(PageOut), summary="Published needs",
            description="No login. 20 a page (`page`), most urgent first.")
def list_needs(request, filters: Query[FiltersIn], page: int = 1):
    found = Paginator(selectors.portal_search(selectors.Filters(**filters.dict())),
                      selectors.PAGE_SIZE).get_page(page)
    return {"count": found.paginator.count,
            "items": selectors.anonymise(list(found.object_list))}


@router.get("/needs/{uuid:need_id}", response=responses(PublicNeedDetailOut),
            summary="One published need", description="No login. With the helpers that "
                                                       "claimed it and consented photos.")
def get_need(request, need_id: UUID):
    return selectors.public_need(need_id)


@router.get("/stats", response=responses(StatsOut), summary="Totals of published needs",
            description="No login. Needs and yuan asked, claimed and confirmed, overall, by "
                        "category and by county, for the same filters as the list.")
def get_stats(request, filters: Query[FiltersIn]):
    return selectors.stats(selectors.portal_search(selectors.Filters(**filters.dict())))
