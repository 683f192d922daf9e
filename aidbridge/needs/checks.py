"""The false-information filters, as a pure function of facts the service gathers.

Each finding is (code, params). Reviewers see them; approving a need with a finding needs a
written reason per finding.
"""

from dataclasses import dataclass, field
from datetime import date

# Plausible money amounts per need (yuan), by category; configuration can replace them.
AMOUNT_RANGES = {
    "health": (200, 80_000),
    "education": (200, 50_000),
    "housing": (1_000, 120_000),
    "living": (100, 10_000),
    "agriculture": (200, 50_000),
    "training": (200, 20_000),
    "ecology": (500, 200_000),
    "disaster": (200, 100_000),
    "psychology": (100, 10_000),
}
# Village and institution needs may be larger by this factor.
COLLECTIVE_FACTOR = 10
ELIGIBLE_STATUSES = frozenset({"poor", "monitored"})
REPEAT_DAYS = 365
BURST_WINDOW_HOURS = 24
BURST_LIMIT = 10


@dataclass(frozen=True)
class Facts:
    kind: str  # household, village, institution
    category: str
    amount: int
    unit: str
    household_found: bool = True
    household_status: str | None = None
    open_duplicates: list[str] = field(default_factory=list)  # titles of open needs
    last_fulfilled: date | None = None  # same beneficiary and category
    filed_recently: int = 0  # needs the filer submitted in the burst window, this one included
    today: date | None = None


def findings(facts: Facts, ranges: dict | None = None) -> list[tuple[str, dict]]:
    ranges = AMOUNT_RANGES if ranges is None else ranges
    found = []
    if facts.kind == "household":
        if not facts.household_found:
            found.append(("not_in_registry", {}))
        elif facts.household_status not in ELIGIBLE_STATUSES:
            found.append(("not_eligible", {"status": facts.household_status or ""}))
    if facts.open_duplicates:
        found.append(("duplicate", {"titles": "; ".join(facts.open_duplicates[:3])}))
    if facts.unit == "yuan" and facts.category in ranges:
        low, high = ranges[facts.category]
        if facts.kind != "household":
            high *= COLLECTIVE_FACTOR
        if not low <= facts.amount <= high:
            found.append(
                ("amount_out_of_range", {"amount": facts.amount, "low": low, "high": high})
            )
    if (
        facts.last_fulfilled is not None
        and facts.today is not None
        and (facts.today - facts.last_fulfilled).days <= REPEAT_DAYS
    ):
        found.append(("repeat_aid", {"date": facts.last_fulfilled.isoformat()}))
    if facts.filed_recently > BURST_LIMIT:
        found.append(("burst", {"count": facts.filed_recently, "hours": BURST_WINDOW_HOURS}))
    return found
