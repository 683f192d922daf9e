"""Assessments: the rules that apply to a household, the engine's suggestion, and its
explanation in the user's language. Each assessment names the version of the rules it was
judged by (none: the default rule)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.errors import InvalidInput, problem
from aidbridge.policy import Action, require
from aidbridge.registry import identification
from aidbridge.registry.models import Assessment, Household, HouseholdStatus
from aidbridge.registry.rules import rule_in_force

INDICATOR_LABELS = {
    "food": gettext_lazy("enough food"),
    "clothing": gettext_lazy("enough clothing"),
    "education": gettext_lazy("compulsory education"),
    "medical": gettext_lazy("basic medical care"),
    "housing": gettext_lazy("safe housing"),
    "water": gettext_lazy("safe drinking water"),
}
LIFTED = {HouseholdStatus.LIFTED, HouseholdStatus.MONITORED, HouseholdStatus.RISK_ELIMINATED}


def rules_for(household: Household, year: int) -> identification.Rules:
    """The rules in force for the household's village in ``year`` (registry.rules)."""
    return rule_in_force(household.village, year).rules


def explain(reasons: list[dict]) -> str:
    """Stored reasons as one sentence in the active language."""
    parts = []
    for reason in reasons:
        p = reason["params"]
        match reason["code"]:
            case "income_below_line":
                parts.append(
                    _("income %(income)s below the poverty line %(line)s")
                    % {"income": f"{p['income']:,}", "line": f"{p['line']:,}"}
                )
            case "income_below_monitoring_line":
                parts.append(
                    _("income %(income)s below the monitoring line %(line)s")
                    % {"income": f"{p['income']:,}", "line": f"{p['line']:,}"}
                )
            case "income_above_lines":
                parts.append(
                    _("income %(income)s at or above the monitoring line %(line)s")
                    % {"income": f"{p['income']:,}", "line": f"{p['line']:,}"}
                )
            case "guarantee_not_met":
                parts.append(
                    _("no %(indicator)s")
                    % {"indicator": INDICATOR_LABELS.get(p["indicator"], p["indicator"])}
                )
            case "af_poor":
                parts.append(_("deprivation score %(score).2f reaches the cutoff %(cutoff).2f") % p)
    return _("; ").join(parts)


def assessment_record(
    *,
    by,
    household: Household,
    assessed_on: date,
    per_capita_income: int,
    indicators: dict[str, bool],
) -> Assessment:
    """Record an assessment with the status the rules suggest. The household's status itself
    changes only through the entry or exit procedure."""
    require(by, Action.HOUSEHOLD_REGISTER, household.village)
    errors = []
    if not 0 <= per_capita_income <= 1_000_000:
        errors.append(
            problem(
                "per_capita_income", _("must be between 0 and %(max)s yuan") % {"max": "1,000,000"}
            )
        )
    if assessed_on > timezone.localdate():
        errors.append(problem("assessed_on", _("is in the future")))
    in_force = rule_in_force(household.village, assessed_on.year)
    missing = [i for i in identification.INDICATORS if i not in indicators]
    errors += [problem(f"indicators.{i}", _("is missing")) for i in missing]
    if errors:
        raise InvalidInput(errors)
    suggestion = identification.suggest(
        identification.Assessment(
            per_capita_income=per_capita_income,
            indicators=indicators,
            previously_poor=household.status in LIFTED,
        ),
        in_force.rules,
    )
    with transaction.atomic():
        return Assessment.objects.create(
            household=household,
            assessed_on=assessed_on,
            assessed_by=by,
            per_capita_income=per_capita_income,
            indicators=indicators,
            suggested_status=suggestion.status.value,
            reasons=[{"code": r.code, "params": r.params} for r in suggestion.reasons],
            rule=in_force.rule,
        )
