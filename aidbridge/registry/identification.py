"""Identification rules: suggest a household's status from its income and guarantees.

No Django here: the web side passes plain data and stores the suggestion.

A household is **poor** if any of these holds:

* its per-capita net income is below the poverty line;
* one of the guarantees is not met ("two no-worries, three guarantees": food, clothing;
  compulsory education, basic medical care, safe housing; and safe drinking water);
* its Alkire-Foster score (the summed weights of its deprivations) reaches the cutoff k.

Otherwise, below the monitoring line (poverty line x monitoring multiple) it is
**monitored** if it was lifted out of poverty before and **marginal** if it never was;
at or above the monitoring line it is **not_poor**. "Below" is strict: an income equal
to a line is not below it.

Every indicator the rules use (guarantees and weights) must be in the assessment: a
missing one raises ValueError rather than silently counting as met. Indicators the rules
do not use are ignored.
"""

import math
from dataclasses import dataclass, field
from enum import StrEnum

from aidbridge.validation import is_whole

INDICATORS = ("food", "clothing", "education", "medical", "housing", "water")

INDICATOR_PHRASES_EN = {
    "food": "not enough food",
    "clothing": "not enough clothing",
    "education": "compulsory education not guaranteed",
    "medical": "basic medical care not guaranteed",
    "housing": "housing unsafe",
    "water": "drinking water unsafe",
}

# Float slack when comparing weight sums and scores with the cutoff.
TOLERANCE = 1e-9


class Status(StrEnum):
    POOR = "poor"
    MONITORED = "monitored"
    MARGINAL = "marginal"
    NOT_POOR = "not_poor"


def _equal_weights() -> dict[str, float]:
    return {name: 1 / len(INDICATORS) for name in INDICATORS}


@dataclass(frozen=True)
class Rules:
    """The identification rules of one region and year. Raises ValueError if inconsistent."""

    poverty_line: int  # yuan per person per year
    monitoring_multiple: float = 1.5
    guarantees: tuple[str, ...] = INDICATORS
    af_weights: dict[str, float] = field(default_factory=_equal_weights)
    af_cutoff: float = 1 / 3

    def __post_init__(self):
        if not is_whole(self.poverty_line):
            raise ValueError("poverty_line must be a whole number of yuan")
        if self.poverty_line <= 0:
            raise ValueError("poverty_line must be positive")
        if not self.monitoring_multiple >= 1:
            raise ValueError("monitoring_multiple must be at least 1")
        if len(set(self.guarantees)) != len(self.guarantees):
            raise ValueError("guarantees must not repeat an indicator")
        if not self.af_weights:
            raise ValueError("af_weights must name at least one indicator")
        if not all(w > 0 for w in self.af_weights.values()):
            raise ValueError("af_weights must all be positive")
        total = math.fsum(self.af_weights.values())
        if abs(total - 1) > TOLERANCE:
            raise ValueError(f"af_weights must sum to 1, not {total}")
        if not 0 < self.af_cutoff <= 1:
            raise ValueError("af_cutoff must be in (0, 1]")

    @property
    def monitoring_line(self) -> int:
        """The monitoring line, rounded to whole yuan."""
        return round(self.poverty_line * self.monitoring_multiple)


@dataclass(frozen=True)
class Assessment:
    per_capita_income: int  # yuan
    indicators: dict[str, bool]  # True: met, not deprived
    previously_poor: bool = False  # registered poor before and lifted out


@dataclass(frozen=True)
class Reason:
    """A machine-readable reason; the web layer translates ``code`` with ``params``.

    Codes: income_below_line, income_below_monitoring_line, income_above_lines
    (params income, line), guarantee_not_met (indicator), af_poor (score, cutoff).
    """

    code: str
    params: dict


@dataclass(frozen=True)
class Suggestion:
    """The suggested status. ``reasons`` always starts with exactly one income reason."""

    status: Status
    reasons: tuple[Reason, ...]
    af_score: float

    def explain_en(self) -> str:
        """One English line, e.g. "income 3,120 < line 4,000; housing unsafe"."""
        return "; ".join(_phrase_en(r) for r in self.reasons)


def _phrase_en(reason: Reason) -> str:
    p = reason.params
    match reason.code:
        case "income_below_line":
            return f"income {p['income']:,} < line {p['line']:,}"
        case "income_below_monitoring_line":
            return f"income {p['income']:,} < monitoring line {p['line']:,}"
        case "income_above_lines":
            return f"income {p['income']:,} >= monitoring line {p['line']:,}"
        case "guarantee_not_met":
            return INDICATOR_PHRASES_EN.get(p["indicator"], f"{p['indicator']} not met")
        case "af_poor":
            return f"deprivation score {p['score']:.2f} >= cutoff {p['cutoff']:.2f}"
    raise ValueError(f"unknown reason code {reason.code!r}")


def af_score(indicators: dict[str, bool], rules: Rules) -> float:
    """The summed weights of the unmet indicators, in [0, 1]."""
    return min(1.0, math.fsum(w for name, w in rules.af_weights.items() if not indicators[name]))


def suggest(assessment: Assessment, rules: Rules) -> Suggestion:
    """Suggest a status with its reasons. Raises ValueError if an indicator is missing."""
    indicators = assessment.indicators
    missing = sorted((set(rules.guarantees) | set(rules.af_weights)) - set(indicators))
    if missing:
        raise ValueError(f"assessment lacks indicators: {', '.join(missing)}")

    income = assessment.per_capita_income
    if income < rules.poverty_line:
        reasons = [Reason("income_below_line", {"income": income, "line": rules.poverty_line})]
    elif income < rules.monitoring_line:
        reasons = [
            Reason(
                "income_below_monitoring_line", {"income": income, "line": rules.monitoring_line}
            )
        ]
    else:
        reasons = [Reason("income_above_lines", {"income": income, "line": rules.monitoring_line})]
    unmet = [name for name in rules.guarantees if not indicators[name]]
    reasons += [Reason("guarantee_not_met", {"indicator": name}) for name in unmet]
    score = af_score(indicators, rules)
    af_poor = score >= rules.af_cutoff - TOLERANCE
    if af_poor:
        reasons.append(Reason("af_poor", {"score": score, "cutoff": rules.af_cutoff}))

    if income < rules.poverty_line or unmet or af_poor:
        status = Status.POOR
    elif income < rules.monitoring_line:
        status = Status.MONITORED if assessment.previously_poor else Status.MARGINAL
    else:
        status = Status.NOT_POOR
    return Suggestion(status, tuple(reasons), score)
