"""The monitoring dashboards in the API: a region's figures (the same tables as the page and
its CSV downloads), the open leads the township works from, and the monitoring criteria in
force with their history and the setting of a new version."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from aidbridge.monitoring import dashboard
from aidbridge.monitoring.criteria_versions import criteria_along, criteria_set
from aidbridge.monitoring.models import Stage
from aidbridge.monitoring.selectors import criteria_in_force
from aidbridge.policy import Action, can
from aidbridge.regions.selectors import region_by_code, user_area
from aidbridge.registry.rules import rule_in_force
from aidbridge.schemas import Pages

router = Router(tags=["monitoring dashboards"])


def _area(request, code: str, action: Action):
    region = user_area(request.auth, code.strip())
    if not can(request.auth, action, region):
        raise Http404("region")
    return region


class DashTableOut(Schema):
    key: str
    title: str
    header: list[str]
    rows: list[list[str | int | float | None]] = Field(
        description="The first cell labels the row; the others are numbers (null: none)"
    )
    codes: list[str | None] = Field(description="Per row, the child region's code (regions)")


class DashDecisionsOut(Schema):
    count: int
    mean_days: float | None
    median_days: float | None
    within_15_days: int


class DashFiguresOut(Schema):
    region_code: str
    as_of: date
    monitored_now: int
    eliminated: int
    open_leads: int
    overdue: int = Field(description="Open leads and risk eliminations whose step is overdue")
    escalated: int
    decisions: DashDecisionsOut
    tables: list[DashTableOut]


@router.get("/figures", response=DashFiguresOut, summary="A region's monitoring figures")
def figures(request, region: str = ""):
    """The region defaults to yours; the tables are those of the dashboard page."""
    place = _area(request, region, Action.MONITORING_DASHBOARD)
    board = dashboard.region_dashboard(request.auth, place, timezone.localdate())
    return {
        "region_code": place.code,
        "as_of": board.today,
        "monitored_now": board.monitored_now,
        "eliminated": board.eliminated,
        "open_leads": board.open_leads,
        "overdue": board.overdue,
        "escalated": board.escalated,
        "decisions": {
            "count": board.decisions.count,
            "mean_days": board.decisions.mean,
            "median_days": board.decisions.median,
            "within_15_days": board.decisions.within,
        },
        "tables": [
            {
                "key": t.key,
                "title": str(t.title),
                "header": [str(h) for h in t.header],
                "rows": [[str(row[0]), *row[1:]] for row in t.rows],
                "codes": t.links,
            }
            for t in board.tables
        ],
    }


class DashWorkLeadOut(Schema):
    tracking_code: str
    household_id: UUID | None
    household_number: str | None
    village_code: str
    channel: str
    rule: str
    source: str
    stage: str
    step_due: date | None
    decide_by: date | None
    escalated_to: str
    opened_on: date
    overdue: bool

    @staticmethod
    def resolve_household_id(obj):
        return obj.household.public_id if obj.household else None

    @staticmethod
    def resolve_household_number(obj):
        return obj.household.number if obj.household else None

    @staticmethod
    def resolve_village_code(obj):
        return obj.village.code

    @staticmethod
    def resolve_overdue(obj):
        return obj.late == 0


@router.get("/work", response=list[DashWorkLeadOut], summary="Open leads to work on, overdue first")
@paginate(Pages, page_size=50)
def work(request, region: str = "", stage: Stage | None = None):
    place = _area(request, region, Action.MONITORING_DASHBOARD)
    return dashboard.leads_to_work(
        request.auth, place, timezone.localdate(), stage.value if stage else ""
    )


class MonitoringCriteriaOut(Schema):
    region_code: str
    year: int
    version: int
    medical_share: Decimal
    education_share: Decimal
    disaster_share: Decimal
    window_days: int
    note: str
    set_by: str | None
    set_at: datetime

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_set_by(obj) -> str | None:
        return obj.set_by.username if obj.set_by else None


class MonitoringCriteriaInForceOut(Schema):
    region_code: str
    year: int
    monitoring_line: int = Field(description="Yuan per person per year (identification rules)")
    medical_share: float
    education_share: float
    disaster_share: float
    window_days: int
    version: MonitoringCriteriaOut | None  # None: the defaults, no region at or above set any
    history: list[MonitoringCriteriaOut]


class MonitoringCriteriaIn(Schema):
    region_code: str
    year: int
    medical_share: Decimal
    education_share: Decimal
    disaster_share: Decimal
    window_days: int
    note: str = ""


@router.get(
    "/criteria",
    response=MonitoringCriteriaInForceOut,
    summary="The monitoring criteria in force for a region and year",
)
def criteria_get(request, region: str = "", year: int | None = None):
    """The region defaults to yours, the year to this one."""
    place = _area(request, region, Action.CRITERIA_VIEW)
    year = year or timezone.localdate().year
    in_force = criteria_in_force(place, year)
    core = in_force.criteria
    return {
        "region_code": place.code,
        "year": year,
        "monitoring_line": rule_in_force(place, year).rules.monitoring_line,
        "medical_share": core.medical_share,
        "education_share": core.education_share,
        "disaster_share": core.disaster_share,
        "window_days": core.window_days,
        "version": in_force.version,
        "history": criteria_along(place),
    }


@router.post(
    "/criteria",
    response={201: MonitoringCriteriaOut},
    summary="Set a region's monitoring criteria from a year on (a new version)",
)
def criteria_post(request, data: MonitoringCriteriaIn):
    fields = data.dict()
    region = region_by_code(fields.pop("region_code"), field="region_code")
    return Status(201, criteria_set(by=request.auth, region=region, **fields))
