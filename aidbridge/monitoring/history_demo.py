"""Demo income histories, generated without the database: for each household a per-capita
income for every year of ``years``, anchored on its registered income of ``anchor`` year, in
which labour, health, causes and random shocks drive some households below the monitoring
line the year after (a relapse), so the risk score has something to find.

The same profiles, seed and years always give the same incomes. The dynamics are demo
choices, not measurements: incomes grow about 6% a year; a shock (illness, disaster, lost
work) takes 25-55% of a year's income, and is likelier for households with illness, a
disability, no member with normal labour or many dependants; households without normal
labour also grow slower.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass

GROWTH = 0.06
SHOCK_BASE = 0.03


@dataclass(frozen=True)
class Profile:
    """What drives a household's income: per-capita income of the anchor year (yuan), and its
    illness (0/1), disabled members, no normal labour (0/1) and share of dependants."""

    household_id: int
    income: int
    illness: int
    disabled: int
    no_labour: int
    dependants: float


def _shock_chance(p: Profile) -> float:
    return (
        SHOCK_BASE
        + 0.07 * p.illness
        + 0.05 * (p.disabled > 0)
        + 0.06 * p.no_labour
        + 0.04 * (p.dependants > 0.5)
    )


def incomes(
    profiles: list[Profile], *, years: range, anchor: int, seed: int
) -> Iterator[tuple[int, int, int]]:
    """(household id, year, per-capita income) for each profile and each year of ``years``
    other than ``anchor`` (the registered one). Raises ValueError if ``anchor`` is not in
    ``years``."""
    if anchor not in years:
        raise ValueError("the anchor year must be one of the years")
    for p in profiles:
        rng = random.Random(seed * 1_000_003 + p.household_id)
        # The factor by which income grows from year y to y + 1, drawn forward in time; a shock
        # year is followed by a partial recovery.
        growth, shocked = {}, False
        for year in years[:-1]:
            rate = GROWTH - 0.04 * p.no_labour + rng.gauss(0, 0.05)
            if shocked:
                rate += 0.15
            shocked = rng.random() < _shock_chance(p)
            factor = (1 + rate) * (rng.uniform(0.45, 0.75) if shocked else 1)
            growth[year] = max(factor, 0.2)
        values = {anchor: float(max(p.income, 0))}
        for year in range(anchor + 1, years[-1] + 1):
            values[year] = values[year - 1] * growth[year - 1]
        for year in range(anchor - 1, years[0] - 1, -1):
            values[year] = values[year + 1] / growth[year]
        for year in years:
            if year != anchor:
                yield p.household_id, year, round(values[year])
