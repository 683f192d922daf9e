"""The inspection plans' API: the plans in the caller's scope, one plan with its strata and
pool, drafting, publishing, drawing and closing a plan (planners), and a published draw as
public JSON (the same document `aidbridge supervision draw-file` prints). Who sees and does
what is aidbridge.policy's."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.errors import InvalidInput, problem
from aidbridge.policy import Action, can, inspectors_pickable, plan_names_shown, require
from aidbridge.regions.selectors import region_by_code
from aidbridge.registry.models import HouseholdStatus
from aidbridge.schemas import Pages
from aidbridge.supervision import selectors_plans as read
from aidbridge.supervision import services
from aidbridge.supervision.models import ObjectKind, Plan, PlanStatus, Strata
from aidbridge.supervision.selectors import draw_document, plans

router = Router(tags=["supervision"])
public_router = Router(tags=["portal"])

Text = Annotated[str, Field(max_length=300)]


class SupervisionPlanOut(Schema):
    id: UUID
    title: str
    year: int
    region_code: str
    kind: ObjectKind
    statuses: list[str]
    strata: Strata
    size: int | None
    rate_percent: Decimal | None
    inspectors_per_visit: int
    visit_by: date
    status: PlanStatus
    public_source: str
    frame_sha256: str = Field(description="Empty before publication")
    public_value: str = Field(description="Empty before the draw")
    seed: str = Field(description="Empty before the draw")
    published_at: datetime | None
    drawn_at: datetime | None


class SupervisionStratumOut(Schema):
    key: str
    frame: int = Field(description="Objects in the stratum's frame")
    size: int = Field(description="Sample size")
    sample: list[str] = Field(description="The sampled ids, once drawn")


class SupervisionInspectorOut(Schema):
    pseudonym: str
    username: str | None = Field(description="Shown to the plan's planners only")
    home_code: str | None = Field(description="The region the inspector is recused from")


class SupervisionResultsOut(Schema):
    visits: int
    visits_done: int
    findings: dict[str, int] = Field(description="Findings per kind")
    orders: int
    orders_closed: int


class SupervisionPlanDetailOut(SupervisionPlanOut):
    strata_detail: list[SupervisionStratumOut]
    inspectors: list[SupervisionInspectorOut]
    results: SupervisionResultsOut | None = Field(description="Once drawn")


class SupervisionInspectorIn(Schema):
    username: str = Field(max_length=150)
    home: str | None = Field(
        None,
        max_length=24,
        description="Region code the inspector is recused from; left out: their own when it "
        "is a county or below; empty: none",
    )


class SupervisionPlanIn(Schema):
    title: str = Field(max_length=200)
    year: int = Field(ge=2000, le=2100)
    region: str = Field(max_length=24, description="Region code")
    kind: ObjectKind
    statuses: list[HouseholdStatus] = Field(
        default_factory=list, max_length=10, description="When households are inspected"
    )
    strata: Strata = Strata.COUNTY
    size: int | None = Field(None, ge=1, le=100_000, description="Or rate_percent")
    rate_percent: Decimal | None = Field(None, gt=0, le=100, max_digits=5, decimal_places=2)
    inspectors_per_visit: int = Field(2, ge=2, le=20)
    visit_by: date
    public_source: Text = ""
    inspectors: list[SupervisionInspectorIn] = Field(max_length=500)


class SupervisionPublishIn(Schema):
    public_source: Text = Field("", description="Default: the one named in the plan")


class SupervisionDrawIn(Schema):
    public_value: str = Field(max_length=200, description="Exactly as its source published it")


def _out(plan: Plan) -> dict:
    return {
        "id": plan.public_id,
        "region_code": plan.region.code,
        **{
            name: getattr(plan, name)
            for name in (
                "title",
                "year",
                "kind",
                "statuses",
                "strata",
                "size",
                "rate_percent",
                "inspectors_per_visit",
                "visit_by",
                "status",
                "public_source",
                "frame_sha256",
                "public_value",
                "seed",
                "published_at",
                "drawn_at",
            )
        },
    }


def _detail(user, plan: Plan) -> dict:
    names = plan_names_shown(user, plan)
    found = read.results(plan) if plan.seed else None
    return _out(plan) | {
        "strata_detail": [
            {"key": s.key, "frame": s.frame, "size": s.size, "sample": list(s.sample)}
            for s in read.strata_rows(plan)
        ],
        "inspectors": [
            {
                "pseudonym": m.pseudonym,
                "username": m.user.username if names else None,
                "home_code": m.home.code if m.home else None,
            }
            for m in read.pool(plan)
        ],
        "results": None
        if found is None
        else {
            "visits": found.visits,
            "visits_done": found.done,
            "findings": found.by_kind,
            "orders": found.orders,
            "orders_closed": found.orders_closed,
        },
    }


def _browse(request) -> None:
    if not can(request.auth, Action.SUPERVISION_BROWSE):
        raise Http404


@router.get("/plans", response=list[SupervisionPlanOut], summary="Inspection plans you may see")
@paginate(Pages, page_size=50)
def list_plans(request, status: PlanStatus | None = None):
    """The plans of your area (and those you inspect in), newest first."""
    _browse(request)
    rows = plans(request.auth)
    if status is not None:
        rows = rows.filter(status=status)
    return [_out(plan) for plan in rows]


@router.get(
    "/plans/{uuid:plan_id}", response=SupervisionPlanDetailOut, summary="One inspection plan"
)
def get_plan(request, plan_id: UUID):
    return _detail(request.auth, read.access_plan(request.auth, plan_id))


@router.post("/plans", response={201: SupervisionPlanDetailOut}, summary="Draft a plan")
def create_plan(request, data: SupervisionPlanIn):
    """The pool's pseudonyms follow the order of `inspectors` (I01, I02...)."""
    region = region_by_code(data.region)
    require(request.auth, Action.PLAN_MANAGE, region)  # before naming who may be picked
    plan = services.plan_create(
        by=request.auth,
        region=region,
        inspectors=_pool(request.auth, data.inspectors),
        **data.dict(exclude={"region", "inspectors"}),
    )
    return Status(201, _detail(request.auth, plan))


def _pool(user, members: list[SupervisionInspectorIn]) -> list[tuple]:
    """(user, home region) per member; a member the caller may not pick is refused as
    unknown."""
    pickable = {
        u.username: u
        for u in inspectors_pickable(user).filter(username__in=[m.username for m in members])
    }
    pool, problems = [], []
    for n, member in enumerate(members):
        found = pickable.get(member.username)
        if found is None:
            problems.append(problem(f"inspectors.{n}.username", _("no such inspector")))
            continue
        if member.home is None:
            home = services.default_home(found)
        elif member.home:
            home = region_by_code(member.home, field=f"inspectors.{n}.home")
        else:
            home = None
        pool.append((found, home))
    if problems:
        raise InvalidInput(problems)
    return pool


def _managed(request, plan_id: UUID) -> Plan:
    """A plan the caller sees (else 404) and manages (else 403)."""
    plan = read.access_plan(request.auth, plan_id)
    require(request.auth, Action.PLAN_MANAGE, plan.region)
    return plan


@router.post(
    "/plans/{uuid:plan_id}/publish",
    response=SupervisionPlanDetailOut,
    summary="Publish a plan with its frame's SHA-256",
)
def publish_plan(request, plan_id: UUID, data: SupervisionPublishIn):
    plan = services.plan_publish(
        plan=_managed(request, plan_id), by=request.auth, public_source=data.public_source
    )
    return _detail(request.auth, plan)


@router.post(
    "/plans/{uuid:plan_id}/draw",
    response=SupervisionPlanDetailOut,
    summary="Enter the public value and draw",
)
def draw_plan(request, plan_id: UUID, data: SupervisionDrawIn):
    plan = services.plan_draw(
        plan=_managed(request, plan_id), by=request.auth, public_value=data.public_value
    )
    return _detail(request.auth, plan)


@router.post(
    "/plans/{uuid:plan_id}/close", response=SupervisionPlanDetailOut, summary="Close a plan"
)
def close_plan(request, plan_id: UUID):
    plan = services.plan_close(plan=_managed(request, plan_id), by=request.auth)
    return _detail(request.auth, plan)


@public_router.get(
    "/plans/{uuid:plan_id}/draw",
    response=dict,
    auth=None,
    summary="A published plan's draw, as `aidbridge supervision draw-file` prints it",
)
def public_draw(request, plan_id: UUID):
    """Frame, its SHA-256, public value, seed, samples and assignments by pseudonym: what
    `aidbridge supervision verify` re-computes. Drafts are not found."""
    return draw_document(read.public_plan(plan_id))
