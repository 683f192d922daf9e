"""What a visit found that calls for a lead (pure: no Django). A visit opens a lead of the
visit channel for each rule it meets:

* ``visit_guarantee``: one of the two no-worries and three guarantees found unmet;
* ``visit_income``: the per-capita income now below the monitoring line of the household's
  village and year;
* ``visit_shock``: any shock since the last visit (illness, accident, disaster...)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

RULES = ("visit_guarantee", "visit_income", "visit_shock")


@dataclass(frozen=True)
class Finding:
    """A rule the visit meets and what it saw: the unmet guarantees, the income against the
    line, or the shocks."""

    rule: str
    facts: tuple[str, ...]


def visit_findings(
    *,
    indicators: Mapping[str, bool],
    per_capita_income: int | None,
    shocks: Iterable[str],
    monitoring_line: int,
) -> list[Finding]:
    """The rules a visit meets, in the order of RULES; an unknown income meets no income
    rule."""
    found = []
    unmet = tuple(name for name, met in indicators.items() if not met)
    if unmet:
        found.append(Finding("visit_guarantee", unmet))
    if per_capita_income is not None and per_capita_income < monitoring_line:
        found.append(Finding("visit_income", (str(per_capita_income), str(monitoring_line))))
    shocks = tuple(dict.fromkeys(shocks))
    if shocks:
        found.append(Finding("visit_shock", shocks))
    return found
