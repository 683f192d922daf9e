"""The public API of the portal, without authentication: published needs and projects,
anonymised as on the portal's pages (aidbridge.portal.selectors), their totals, and their money
flows and the money totals by region and helper (aidbridge.portal.money). Money is integer
fen (``*_fen``)."""

from datetime import date, datetime
from uuid import UUID

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from aidbridge.errors import InvalidInput, problem
from aidbridge.needs.selectors import anonymise
from aidbridge.portal import downloads, money, selectors
from aidbridge.projects.selectors import anonymise_projects, initiator_name, project_figures
from aidbridge.regions.selectors import ancestors
from aidbridge.schemas import PageNumber

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


class PublicClaimOut(Schema):
    helper: str = Field(description="The helper's name; “an individual donor” for individuals")
    amount: int
    status: str


class PublicNeedDetailOut(PublicNeedOut):
    claims: list[PublicClaimOut]
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


@router.get(
    "/needs",
    response=PageOut,
    summary="Published needs",
    description="No login. 20 a page (`page`), most urgent first.",
)
def list_needs(request, filters: Query[FiltersIn], page: PageNumber = 1):
    found = selectors.public_page(
        selectors.portal_search(selectors.Filters(**filters.dict())), page, anonymise
    )
    return {"count": found.paginator.count, "items": found.object_list}


@router.get(
    "/needs/{uuid:need_id}",
    response=PublicNeedDetailOut,
    summary="One published need",
    description="No login. With the helpers that claimed it and consented photos.",
)
def get_need(request, need_id: UUID):
    return selectors.public_need(need_id)


@router.get(
    "/stats",
    response=StatsOut,
    summary="Totals of published needs",
    description="No login. Needs and yuan asked, claimed and confirmed, overall, by "
    "category and by county, for the same filters as the list.",
)
def get_stats(request, filters: Query[FiltersIn]):
    return selectors.stats(selectors.portal_search(selectors.Filters(**filters.dict())))


class FlowOut(Schema):
    source: str
    target: str
    value_fen: int = Field(description="Money and materials at their stated value, netted")


class MaterialOut(Schema):
    source: str = Field(alias="source.label")
    target: str = Field(alias="target.label")
    unit: str
    quantity: int
    value_fen: int = Field(description="As stated when recorded")


class AccountsOut(Schema):
    """The public figures of ledger/figures.py, in fen."""

    raised_fen: int = Field(alias="raised", description="Money that came in, less refunds")
    spent_fen: int = Field(
        alias="spent", description="Paid to households, needs, suppliers and providers"
    )
    passed_on_fen: int = Field(
        alias="passed_on", description="Transferred to other accounts on the platform"
    )
    lent_fen: int = Field(alias="lent", description="Loans paid out, less repayments")
    borrowed_fen: int = Field(alias="borrowed", description="Loans received, less repayments")
    held_fen: int = Field(alias="held", description="What is left: the money balance")


class FlowsOut(Schema):
    flows: list[FlowOut] = Field(
        description="From whom the money came and to whom it went: "
        "groups of households and individual donors, "
        "never persons"
    )
    materials: list[MaterialOut] = Field(description="Materials by unit")

    @staticmethod
    def resolve_flows(obj) -> list:
        return [flow.open() for flow in obj.flows]


class ProjectFiltersIn(Schema):
    region: str = Field("", description="A region code of any level: projects in or below it")
    stage: str = Field("", description="mining, raising, executing or closed")
    q: str = Field("", description="Words in the title")


class PublicProjectOut(Schema):
    id: UUID = Field(alias="public_id")
    title: str = Field(alias="public_title")
    places: list[PlaceOut] = Field(description="From the county down to the project's region")
    stage: str
    created_at: datetime
    raising_since: date | None
    executing_since: date | None
    closed_on: date | None


class ProjectPageOut(Schema):
    count: int
    items: list[PublicProjectOut]


class PublicTargetOut(Schema):
    label: str = Field(alias="public_label")
    kind: str = Field(description="money or material")
    amount: int = Field(description="Fen for money, else the quantity in the unit")
    unit: str
    raised: int
    percent: int = Field(description="Raised of the target, at most 100")


class PublicPartnerOut(Schema):
    name: str = Field(description="The helper's name; empty for partners known by role only")
    role: str
    role_label: str


class PublicMilestoneOut(Schema):
    title: str
    due: date
    done_on: date | None


class PublicProjectDetailOut(PublicProjectOut):
    summary: str = Field(alias="public_summary")
    initiator: str
    targets: list[PublicTargetOut]
    partners: list[PublicPartnerOut]
    milestones: list[PublicMilestoneOut]
    money: FlowsOut
    accounts: AccountsOut = Field(description="Its public accounts, as on its page")

    @staticmethod
    def resolve_accounts(obj) -> money.Figures:
        return project_figures(obj)

    @staticmethod
    def resolve_initiator(obj) -> str:
        return initiator_name(obj)

    @staticmethod
    def resolve_targets(obj) -> list:
        return selectors.public_targets(obj)

    @staticmethod
    def resolve_partners(obj) -> list[dict]:
        return selectors.public_partners(obj)

    @staticmethod
    def resolve_milestones(obj) -> list[dict]:
        return selectors.public_milestones(obj)

    @staticmethod
    def resolve_money(obj) -> money.Flows:
        return money.project_flows(obj)


class FiguresMoneyOut(Schema):
    projects_received_fen: int = Field(
        alias="projects.raised", description="Raised by projects: into their accounts, less refunds"
    )
    projects_spent_fen: int = Field(alias="projects.spent")
    projects_held_fen: int = Field(alias="projects.held")
    needs_received_fen: int = Field(
        alias="needs.raised", description="Into needs' accounts, less refunds"
    )
    households_disbursed_fen: int = Field(
        alias="households.raised", description="Into households' accounts, loans left out"
    )
    households_lent_fen: int = Field(
        alias="lent", description="Micro-loans to households, less what they repaid"
    )


class RegionMoneyOut(Schema):
    code: str = Field(alias="region.code")
    name: str = Field(alias="region.name")
    level: str = Field(alias="region.level")
    figures: FiguresMoneyOut
    more: bool = Field(
        description="Whether its children can be asked for (villages are not shown one by one)"
    )


class MoneyByRegionOut(Schema):
    region: PlaceOut | None = Field(description="None: all regions, by the top ones")
    ancestors: list[PlaceOut]
    total: FiguresMoneyOut
    here: FiguresMoneyOut = Field(description="Of the region itself, not of a child shown")
    children: list[RegionMoneyOut]

    @staticmethod
    def resolve_ancestors(obj) -> list:
        return ancestors(obj.region) if obj.region else []


class HelperMoneyOut(Schema):
    name: str = Field(alias="party.label", description="Individual donors as one group")
    received_fen: int = Field(alias="figures.raised", description="Raised, less refunds")
    given_fen: int = Field(
        alias="figures.passed_on",
        description="Donations, transfers and purchases of services to other accounts",
    )
    disbursed_fen: int = Field(
        alias="figures.spent", description="Paid to households, needs or outside the platform"
    )
    lent_fen: int = Field(alias="figures.lent", description="Loans, less repayments")
    receipted_fen: int = Field(
        alias="receipted",
        description="Donations to projects received through it, with its receipts",
    )


class HelperMoneyPageOut(Schema):
    count: int
    items: list[HelperMoneyOut]


@router.get(
    "/needs/{uuid:need_id}/flows",
    response=FlowsOut,
    summary="Money flows of one published need",
    description="No login. Where its money and materials came from and went, as on "
    "its page; empty without ledger entries.",
)
def get_need_flows(request, need_id: UUID):
    return money.need_flows(selectors.public_need(need_id))


@router.get(
    "/needs/{uuid:need_id}/accounts",
    response=AccountsOut,
    summary="Public accounts of one published need",
    description="No login. Its money raised, spent, passed on, lent and held, as on its page.",
)
def get_need_accounts(request, need_id: UUID):
    return money.need_figures(selectors.public_need(need_id))


class EntryRowOut(Schema):
    seq: int = Field(description="The ledger entry's number")
    date: date
    kind: str
    fen: int = Field(description="What it adds to the figure (negative: takes away)")
    others: list[str] = Field(description="The parties on the other side, anonymised")

    @staticmethod
    def resolve_others(obj) -> list[str]:
        return [p.label for p in obj.others]


class FigureEntriesOut(Schema):
    figure: str
    title: str
    total_fen: int = Field(description="The figure: the sum of every entry's fen")
    count: int
    items: list[EntryRowOut]


@router.get(
    "/money/entries",
    response=FigureEntriesOut,
    summary="The ledger entries behind a public figure",
    description="No login. `figure` (raised, spent, passed_on, lent, borrowed, held) of a "
    "`project` or `need` (public ids) or of a `region`'s `part` (projects, needs, "
    "households), 20 entries a page (`page`), oldest first.",
)
def get_figure_entries(
    request,
    figure: str,
    project: str = "",
    need: str = "",
    region: str = "",
    part: str = "",
    page: PageNumber = 1,
):
    params = {"figure": figure, "project": project, "need": need, "region": region, "part": part}
    try:
        found = money.figure_source(params)
    except ValueError:
        raise InvalidInput([problem("figure", _("choose a figure and whose it is"))]) from None
    shown = selectors.public_page(found.entries, page)
    return {
        "figure": found.figure,
        "title": found.title,
        "total_fen": found.total,
        "count": shown.paginator.count,
        "items": money.entry_rows(shown.object_list, found.accounts),
    }


@router.get(
    "/projects",
    response=ProjectPageOut,
    summary="Projects",
    description="No login. Every project in every stage, newest first, 20 a page (`page`).",
)
def list_projects(request, filters: Query[ProjectFiltersIn], page: PageNumber = 1):
    found = selectors.public_page(
        selectors.project_search(selectors.ProjectFilters(**filters.dict())),
        page,
        anonymise_projects,
    )
    return {"count": found.paginator.count, "items": found.object_list}


@router.get(
    "/projects/{uuid:project_id}",
    response=PublicProjectDetailOut,
    summary="One project",
    description="No login. With its targets, partners, milestones and money flows.",
)
def get_project(request, project_id: UUID):
    return selectors.public_project(project_id)


@router.get(
    "/money/regions",
    response=MoneyByRegionOut,
    summary="Money by region",
    description="No login. Money received by projects and published needs and "
    "disbursed to households in and below each child of `region` (the top "
    "regions without it), down to townships; a village code is not found.",
)
def get_money_by_region(request, region: str = ""):
    return money.region_totals(money.money_region(region.strip()))


@router.get(
    "/money/helpers",
    response=HelperMoneyPageOut,
    summary="Money by helper",
    description="No login. Money each helper raised, passed on, spent and lent, most "
    "first, 20 a page (`page`); individual donors as one group; with `region`, only "
    "entries that reach a project, need or household in or below it.",
)
def get_money_by_helper(request, page: PageNumber = 1, region: str = ""):
    found = selectors.public_page(money.helper_totals(money.money_region(region.strip())), page)
    return {"count": found.paginator.count, "items": list(found.object_list)}


class OpenDataFileOut(Schema):
    format: str = Field(description="csv, xlsx, hxl or iati, as for `aidbridge opendata`")
    label: str
    content_type: str
    filename: str
    url: str


class OpenDataOut(Schema):
    region: str
    projects: int = Field(description="Rows of the projects table, activities of the IATI file")
    transactions: int = Field(description="Ledger transactions of the projects' accounts")
    files: list[OpenDataFileOut] = Field(description="The IATI file only when there are projects")


@router.get(
    "/open-data",
    response=OpenDataOut,
    summary="Open data downloads",
    url_name="portal_open_data",
    description="No login. The portal's open data (/portal/open-data/): every public "
    "project, or those in or below `region`, with the links to download "
    "them as CSV, XLSX, HXL-tagged CSV and IATI 2.03 XML.",
)
def open_data(request, region: str = ""):
    return downloads.catalogue(region.strip())
