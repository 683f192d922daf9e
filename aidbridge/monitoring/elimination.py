"""When a monitored household's risk may be declared eliminated (风险消除). No Django here.

Allowed when its income has stayed at or above the monitoring line for at least six months
and the guarantees hold, as the visits found them:

* a visit with an income estimate at least six months before the day of the proposal
  (the latest such visit is where the six months start), at or above the line;
* every visit with an income estimate since then at or above the line;
* at the latest visit, every guarantee (the two no-worries and three guarantees) met.

``refusals`` returns the reasons it is not allowed (empty: allowed), each a code with its
parameters, for the page to explain.
"""

import calendar
from dataclasses import dataclass
from datetime import date

MONTHS = 6


@dataclass(frozen=True)
class Seen:
    """What one visit found: its day, the per-capita income estimated (None: not asked) and
    the guarantees not met (their names)."""

    on: date
    income: int | None
    unmet: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    code: str  # no_visit, no_income_six_months_ago, income_below_line, guarantee_unmet
    params: dict


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day if it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def refusals(visits: list[Seen], line: int, today: date) -> list[Reason]:
    """Why the risk may not be declared eliminated today (empty: it may)."""
    if not visits:
        return [Reason("no_visit", {})]
    visits = sorted(visits, key=lambda v: v.on)
    start = months_before(today, MONTHS)
    reasons = []
    before = [v for v in visits if v.on <= start and v.income is not None]
    if not before:
        reasons.append(Reason("no_income_six_months_ago", {"since": start}))
    counted = ([before[-1]] if before else []) + [
        v for v in visits if v.on > start and v.income is not None
    ]
    for v in counted:
        if v.income < line:
            reasons.append(
                Reason("income_below_line", {"on": v.on, "income": v.income, "line": line})
            )
    latest = visits[-1]
    if latest.unmet:
        reasons.append(
            Reason("guarantee_unmet", {"on": latest.on, "unmet": tuple(sorted(latest.unmet))})
        )
    return reasons
