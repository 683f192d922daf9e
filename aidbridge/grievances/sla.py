"""The clock of a grievance, without Django: its time limit by category and severity, when it
is due, when it is at risk, when it escalates, and which complaints escalate at once.

- A limit is hours (counted on the clock) or working days (Monday to Friday: a limit of 3
  working days from a Friday at 10:00 ends on Wednesday at 10:00). Defaults as practised
  (OpenSPP's SLA guide): critical 24 hours, high 3 working days, medium 7, low 14; a
  category may set its own limits (``overrides``).
- At risk: less than a quarter of the time is left. Overdue: the time is up; the grievance
  then escalates to the next level up, where the clock starts again.
- Abuse of a child and violence escalate at once (IMMEDIATE); so does the third complaint of
  the same person within six months (REPEAT_COUNT, REPEAT_DAYS).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

HOURS, WORKING_DAYS = "hours", "working_days"
SEVERITIES = ("critical", "high", "medium", "low")
IMMEDIATE = frozenset({"child_abuse", "violence"})
REPEAT_COUNT = 3  # the third complaint within REPEAT_DAYS escalates
REPEAT_DAYS = 183  # six months
AT_RISK_SHARE = 0.25


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str  # HOURS or WORKING_DAYS

    def __post_init__(self):
        if self.unit not in (HOURS, WORKING_DAYS) or self.amount < 1:
            raise ValueError(f"bad limit {self.amount} {self.unit}")


DEFAULT_LIMITS = {
    "critical": Limit(24, HOURS),
    "high": Limit(3, WORKING_DAYS),
    "medium": Limit(7, WORKING_DAYS),
    "low": Limit(14, WORKING_DAYS),
}


class Clock(StrEnum):
    OK = "ok"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"


def parse_limit(text: str) -> Limit:
    """``"24h"`` (hours) or ``"3d"`` (working days)."""
    text = text.strip().lower()
    if text[-1:] in ("h", "d") and text[:-1].isdigit():
        return Limit(int(text[:-1]), HOURS if text[-1] == "h" else WORKING_DAYS)
    raise ValueError(f"a limit is like 24h or 3d, not {text!r}")


def limit_for(
    category: str,
    severity: str,
    limits: dict[str, Limit] | None = None,
    overrides: dict[str, dict[str, Limit]] | None = None,
) -> Limit:
    """The time limit of a complaint: the category's own for its severity if it has one,
    else the severity's."""
    own = (overrides or {}).get(category, {})
    if severity in own:
        return own[severity]
    return (limits or DEFAULT_LIMITS)[severity]


def is_working_day(day) -> bool:
    return day.weekday() < 5


def due_at(start: datetime, limit: Limit) -> datetime:
    """When a limit that starts at ``start`` ends. Working days are counted from the start's
    time of day; a start on a weekend counts from the next Monday's start of day."""
    if limit.unit == HOURS:
        return start + timedelta(hours=limit.amount)
    at = start
    if not is_working_day(at):
        while not is_working_day(at):
            at += timedelta(days=1)
        at = at.replace(hour=0, minute=0, second=0, microsecond=0)
    left = limit.amount
    while left:
        at += timedelta(days=1)
        if is_working_day(at):
            left -= 1
    return at


def clock(start: datetime, due: datetime, now: datetime) -> Clock:
    """Where the time of a limit stands at ``now``."""
    if now >= due:
        return Clock.OVERDUE
    if (due - now) < (due - start) * AT_RISK_SHARE:
        return Clock.AT_RISK
    return Clock.OK


def escalates_at_once(category: str, earlier: list[datetime], now: datetime) -> bool:
    """Does a new complaint go to the next level at once: abuse of a child or violence, or
    the REPEAT_COUNT-th complaint of its person (``earlier``: when that person's other
    complaints were filed) within REPEAT_DAYS."""
    if category in IMMEDIATE:
        return True
    since = now - timedelta(days=REPEAT_DAYS)
    return sum(since <= at <= now for at in earlier) >= REPEAT_COUNT - 1
