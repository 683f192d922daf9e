"""The relapse risk API: the scores of the households the user may see, highest first, with
their top factors, and the evaluation the nightly scoring follows (aidbridge.policy:
RISKS_VIEW)."""

from datetime import date, datetime
from uuid import UUID

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.monitoring.risk_selectors import risk_evaluation, risk_top
from aidbridge.policy import Action, can
from aidbridge.regions.selectors import access_region
from aidbridge.schemas import Pages

router = Router(tags=["monitoring"])


class FactorOut(Schema):
    factor: str = Field(description="A rule's or the model's factor (docs/monitoring.md)")
    weight: float = Field(description="The rule's points, or the model's log-odds")


class RiskOut(Schema):
    household_id: UUID
    household_number: str
    village_code: str
    score: int = Field(description="0-100")
    method: str = Field(description="rules or model")
    scored_on: date
    factors: list[FactorOut]

    @staticmethod
    def resolve_household_id(obj) -> UUID:
        return obj.household.public_id

    @staticmethod
    def resolve_household_number(obj) -> str:
        return obj.household.number

    @staticmethod
    def resolve_village_code(obj) -> str:
        return obj.household.village.code

    @staticmethod
    def resolve_factors(obj) -> list[dict]:
        return [{"factor": f, "weight": w} for f, w in obj.factors]


class EvaluationOut(Schema):
    evaluated_at: datetime
    years: str
    method: str = Field(description="What the nightly scoring uses: rules or model")
    generated: float = Field(description="Share of the incomes learnt from that are generated")
    rules: dict
    model: dict


def _browse(request) -> None:
    if not can(request.auth, Action.RISKS_VIEW):
        raise Http404


@router.get("/risk", response=list[RiskOut], summary="Relapse risk scores, highest first")
@paginate(Pages, page_size=50)
def list_scores(request, region: str = "", minimum: int = 0):
    """The latest scores of the households of `region` (any level; default: all you may
    see) scoring at least `minimum` (0-100)."""
    _browse(request)
    chosen = access_region(request.auth, region) if region else None
    return risk_top(request.auth, region=chosen, minimum=max(0, min(100, minimum)))


@router.get("/risk/evaluation", response=EvaluationOut, summary="The risk score's evaluation")
def evaluation(request):
    """AUC, precision in the top decile and calibration by decile of the rules and the model
    on held-out households (404 before the first evaluation)."""
    _browse(request)
    stored = risk_evaluation()
    if stored is None:
        raise Http404
    return {
        "evaluated_at": stored.trained_at,
        "years": stored.years,
        "method": stored.method,
        "generated": stored.generated,
        "rules": stored.evaluation["rules"],
        "model": stored.evaluation["model"],
    }
