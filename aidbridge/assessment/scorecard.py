"""The county assessment's arithmetic, as pure functions (no Django).

- ``wilson``: the 95% Wilson score interval of a share (k of n).
- ``exit_rates``: the three exit indicators (两率一度) from the answers of sampled visits:
  wrong-exit rate = people in households found wrongly exited / people in sampled
  households that exited (exit "right" or "wrong"); omission rate = people missed / rural
  people checked in sampled villages; satisfaction = satisfied households / households
  surveyed (``satisfied`` not null). Rates are percentages.
- ``judge``: whether a value meets its threshold. A threshold is judged on the point
  estimate, as the assessments practise it; the interval is shown beside it and
  ``uncertain`` says when it straddles the threshold (a larger sample could turn it).
- ``score``: the points (an indicator met earns its whole weight, one not met or without
  data none), the total, and the verdict: passed when the total reaches the pass score and
  no veto item failed; a veto item that fails (or has no data) fails the county whatever
  its score (一票否决).
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

Z95 = 1.959963984540054  # the standard normal's 97.5% quantile
AT_LEAST, AT_MOST = "at_least", "at_most"
DIRECTIONS = (AT_LEAST, AT_MOST)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of the share ``k / n`` (0..1 each end); ``(0, 1)`` when
    ``n`` is 0 (nothing is known)."""
    if n < 0 or k < 0 or k > n:
        raise ValueError("need 0 <= k <= n")
    if n == 0:
        return 0.0, 1.0
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def percent(share: float) -> Decimal:
    """A share (0..1) as a percentage with two decimals."""
    return Decimal(str(share * 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    """``numerator`` of ``denominator`` as a percentage with its 95% interval (None without
    a denominator)."""

    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        return percent(self.numerator / self.denominator) if self.denominator else None

    @property
    def interval(self) -> tuple[Decimal, Decimal] | None:
        if not self.denominator:
            return None
        low, high = wilson(self.numerator, self.denominator)
        return percent(low), percent(high)


def _people(answers: dict) -> int:
    people = answers.get("people")
    return people if isinstance(people, int) and not isinstance(people, bool) and people > 0 else 0


def _count(answers: dict, key: str) -> int:
    value = answers.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def exit_rates(households: list[dict], villages: list[dict]) -> dict[str, Rate]:
    """The three exit indicators from the answers of done household visits and village
    visits (keys as in the module's docstring; answers that are missing or malformed count
    as not asked)."""
    wrong = exited = surveyed = satisfied = checked = missed = 0
    for answers in households:
        if answers.get("exit") in ("right", "wrong"):
            people = _people(answers)
            exited += people
            wrong += people if answers["exit"] == "wrong" else 0
        if isinstance(answers.get("satisfied"), bool):
            surveyed += 1
            satisfied += answers["satisfied"]
    for answers in villages:
        here = _count(answers, "people_checked")
        checked += here
        missed += min(_count(answers, "people_missed"), here)
    return {
        "wrong_exit": Rate(wrong, exited),
        "omission": Rate(missed, checked),
        "satisfaction": Rate(satisfied, surveyed),
    }


def judge(value: Decimal | None, direction: str, threshold: Decimal) -> bool | None:
    """Does ``value`` meet the threshold (None: no value to judge)? ``at_most`` means under
    or at the threshold, ``at_least`` at or over it."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}")
    if value is None:
        return None
    return value <= threshold if direction == AT_MOST else value >= threshold


def uncertain(interval: tuple[Decimal, Decimal] | None, direction: str, threshold: Decimal) -> bool:
    """True when the interval holds values on both sides of the threshold."""
    if interval is None:
        return False
    low, high = interval
    return judge(low, direction, threshold) != judge(high, direction, threshold)


@dataclass(frozen=True)
class Item:
    key: str
    weight: Decimal
    direction: str
    threshold: Decimal
    veto: bool
    value: Decimal | None


@dataclass(frozen=True)
class Verdict:
    points: dict[str, Decimal]
    met: dict[str, bool | None]
    total: Decimal
    maximum: Decimal
    passed: bool
    vetoed_by: list[str] = field(default_factory=list)


def score(items: list[Item], pass_score: Decimal) -> Verdict:
    """The scorecard's verdict (see the module)."""
    met = {i.key: judge(i.value, i.direction, i.threshold) for i in items}
    points = {i.key: i.weight if met[i.key] else Decimal(0) for i in items}
    vetoed_by = [i.key for i in items if i.veto and not met[i.key]]
    total = sum(points.values(), Decimal(0))
    return Verdict(
        points=points,
        met=met,
        total=total,
        maximum=sum((i.weight for i in items), Decimal(0)),
        passed=not vetoed_by and total >= pass_score,
        vetoed_by=vetoed_by,
    )
