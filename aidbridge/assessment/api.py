"""The county assessment API: the assessments you may read with their values, intervals and
evidence; setting a province's scorecard; computing, entering manual values, reviewing and
publishing. Every decision is aidbridge.policy's; values are percentages, counts or yuan
(``unit``)."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.assessment import indicators, selectors, services
from aidbridge.policy import Action, can
from aidbridge.regions.selectors import access_region
from aidbridge.schemas import Pages

router = Router(tags=["assessment"])


class ScorecardLineIn(Schema):
    key: str = Field(description="An indicator key (docs/supervision.md) or manual_1..3")
    label: str = Field("", description="The name of a manual indicator")
    weight: Decimal = Field(description="Points")
    direction: str = Field(description="at_least or at_most")
    threshold: Decimal
    veto: bool = False


class ScorecardIn(Schema):
    pass_score: Decimal
    indicators: list[ScorecardLineIn] = Field(max_length=20)


class ScorecardLineOut(Schema):
    key: str
    label: str
    source: str = Field(description="platform, exit or manual")
    unit: str = Field(description="%, count or yuan")
    weight: Decimal
    direction: str
    threshold: Decimal
    veto: bool


class ScorecardOut(Schema):
    province: str
    year: int
    pass_score: Decimal
    indicators: list[ScorecardLineOut]


class AssessmentValueOut(ScorecardLineOut):
    value: Decimal | None = Field(description="None: no data")
    numerator: int | None
    denominator: int | None
    low: Decimal | None = Field(description="The 95% Wilson interval's low end (percent)")
    high: Decimal | None
    met: bool | None = Field(description="Judged on the point estimate; None: no data")
    uncertain: bool = Field(description="The interval lies on both sides of the threshold")
    points: Decimal
    note: str


class CountyAssessmentOut(Schema):
    id: UUID
    county: str
    year: int
    status: str = Field(description="draft, computed, reviewed or published")
    total: Decimal | None
    maximum: Decimal | None
    pass_score: Decimal
    passed: bool | None
    vetoed_by: list[str]
    computed_at: datetime | None
    reviewed_at: datetime | None
    published_at: datetime | None


class CountyAssessmentDetailOut(CountyAssessmentOut):
    values: list[AssessmentValueOut]
    evidence: list[dict] = Field(description="One row per sampled visit counted")


class AssessmentComputeIn(Schema):
    county: str = Field(description="The county's region code")
    year: int


class AssessmentManualIn(Schema):
    key: str
    value: Decimal
    note: str = Field(max_length=500)


class AssessmentReviewIn(Schema):
    note: str = Field("", max_length=500)


def _line(line) -> dict:
    return {
        "key": line.key,
        "label": indicators.label_of(line.key, line.label),
        "source": line.source,
        "unit": indicators.unit_of(line.key),
        "weight": line.weight,
        "direction": line.direction,
        "threshold": line.threshold,
        "veto": line.veto,
    }


def _out(a) -> dict:
    return {
        "id": a.public_id,
        "county": a.county.code,
        "year": a.year,
        "status": a.status,
        "total": a.total,
        "maximum": a.maximum,
        "pass_score": a.pass_score,
        "passed": a.passed,
        "vetoed_by": a.vetoed_by,
        "computed_at": a.computed_at,
        "reviewed_at": a.reviewed_at,
        "published_at": a.published_at,
    }


def _detail(a) -> dict:
    values = [
        _line(v)
        | {
            "value": v.value,
            "numerator": v.numerator,
            "denominator": v.denominator,
            "low": v.low,
            "high": v.high,
            "met": v.met,
            "uncertain": v.uncertain,
            "points": v.points,
            "note": v.note,
        }
        for v in a.values.all()
    ]
    return _out(a) | {"values": values, "evidence": a.evidence}


def _browse(request) -> None:
    if not can(request.auth, Action.ASSESSMENTS_BROWSE):
        raise Http404


@router.get("", response=list[CountyAssessmentOut], summary="County assessments you may read")
@paginate(Pages, page_size=50)
def list_assessments(request, year: int | None = None):
    _browse(request)
    return [_out(a) for a in selectors.assessment_list(request.auth, year=year)]


@router.get(
    "/scorecards/{province}/{year}", response=ScorecardOut, summary="A province's scorecard"
)
def get_scorecard(request, province: str, year: int):
    """Read by the province's officers (who set it) and the admin."""
    region = access_region(request.auth, province, Action.SCORECARD_SET)
    card = selectors.scorecard_of(region, year)
    if card is None:
        raise Http404
    return {
        "province": region.code,
        "year": card.year,
        "pass_score": card.pass_score,
        "indicators": [_line(line) for line in card.indicators.all()],
    }


@router.put(
    "/scorecards/{province}/{year}", response=ScorecardOut, summary="Set a province's scorecard"
)
def put_scorecard(request, province: str, year: int, data: ScorecardIn):
    region = access_region(request.auth, province, Action.SCORECARD_SET)
    if region.level != "province":
        raise Http404
    services.scorecard_set(
        user=request.auth,
        province=region,
        year=year,
        pass_score=data.pass_score,
        lines=[line.dict() for line in data.indicators],
    )
    return get_scorecard(request, province, year)


@router.post(
    "/compute", response=CountyAssessmentDetailOut, summary="Compute a county's assessment"
)
def compute(request, data: AssessmentComputeIn):
    county = access_region(request.auth, data.county, Action.ASSESSMENT_COMPUTE)
    return _detail(services.assessment_compute(user=request.auth, county=county, year=data.year))


@router.get("/{uuid:assessment_id}", response=CountyAssessmentDetailOut, summary="One assessment")
def get_assessment(request, assessment_id: UUID):
    return _detail(selectors.access_assessment(request.auth, assessment_id))


@router.post(
    "/{uuid:assessment_id}/manual",
    response=CountyAssessmentDetailOut,
    summary="Enter a manual indicator's value",
)
def manual(request, assessment_id: UUID, data: AssessmentManualIn):
    found = selectors.access_assessment(request.auth, assessment_id)
    services.manual_value_set(
        user=request.auth, county=found.county, year=found.year, **data.dict()
    )
    return _detail(selectors.access_assessment(request.auth, assessment_id))


@router.post(
    "/{uuid:assessment_id}/review",
    response=CountyAssessmentDetailOut,
    summary="Review (second person)",
)
def review(request, assessment_id: UUID, data: AssessmentReviewIn):
    found = selectors.access_assessment(request.auth, assessment_id)
    return _detail(services.assessment_review(user=request.auth, assessment=found, note=data.note))


@router.post("/{uuid:assessment_id}/publish", response=CountyAssessmentDetailOut, summary="Publish")
def publish(request, assessment_id: UUID):
    found = selectors.access_assessment(request.auth, assessment_id)
    return _detail(services.assessment_publish(user=request.auth, assessment=found))
