"""The officers' relapse risk pages: the top-risk households of their scope with the factors
behind each score, the evaluation the scoring follows, and the score on the household page."""

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from aidbridge.errors import InvalidInput
from aidbridge.monitoring import scoring
from aidbridge.monitoring.models import RiskScore
from aidbridge.monitoring.risk_selectors import risk_evaluation, risk_top
from aidbridge.policy import Action, can, in_scope
from aidbridge.regions.selectors import region_by_code

SHOWN = 200
FACTOR_LABELS = {
    "income_near_line": _("Income near or below the monitoring line"),
    "income_falling": _("Income falling"),
    "shocks": _("Shocks found by visits or department records"),
    "illness": _("Illness"),
    "no_labour": _("No member with normal labour"),
    "disability": _("Disability"),
    "fell_before": _("Below the line in one of the two years before"),
    "dependants": _("Many members without labour"),
    "household_size": _("Household size"),
}


def _factors(score: RiskScore) -> list[tuple[str, float]]:
    return [(FACTOR_LABELS.get(name, name), weight) for name, weight in score.factors]


def risk_list(request):
    if not can(request.user, Action.RISKS_VIEW):
        raise Http404
    code = request.GET.get("region", "").strip()
    region, error = None, ""
    if code:
        try:
            region = region_by_code(code)
        except InvalidInput:
            region = None
        if region is None or not in_scope(request.user, region):
            region, error = None, _("No region of that code in your area.")
    try:
        minimum = max(0, min(100, int(request.GET.get("min") or 0)))
    except ValueError:
        minimum = 0
    scores = (
        [] if error else list(risk_top(request.user, region=region, minimum=minimum)[: SHOWN + 1])
    )
    return render(
        request,
        "monitoring/risk_list.html",
        {
            "rows": [(s, _factors(s)) for s in scores[:SHOWN]],
            "more": len(scores) > SHOWN,
            "shown": SHOWN,
            "region": region,
            "error": error,
            "params": {"region": code, "min": minimum or ""},
            "evaluation": risk_evaluation(),
        },
    )


def risk_evaluation_page(request):
    if not can(request.user, Action.RISKS_VIEW):
        raise Http404
    stored = risk_evaluation()
    methods = []
    if stored is not None:
        names = {"rules": _("Rules with weights"), "model": _("Logistic regression")}
        for key in ("rules", "model"):
            e = stored.evaluation[key]
            methods.append((names[key], e))
        deciles = zip(
            stored.evaluation["rules"]["deciles"],
            stored.evaluation["model"]["deciles"],
            strict=True,
        )
    return render(
        request,
        "monitoring/risk_evaluation.html",
        {
            "stored": stored,
            "methods": methods,
            "deciles": list(deciles) if stored is not None else [],
            "generated_percent": round(stored.generated * 100) if stored else 0,
            "rules": [(FACTOR_LABELS[name], points) for name, points in scoring.RULES.items()],
        },
    )


def risk_panel(request, household) -> str:
    """The household's risk score and its factors on the household page, for those who may
    read it."""
    if not can(request.user, Action.HOUSEHOLD_RISK, household):
        return ""
    score = RiskScore.objects.filter(household=household).first()
    if score is None:
        return ""
    return render_to_string(
        "monitoring/_risk_panel.html",
        {"score": score, "factors": _factors(score)},
        request=request,
    )
