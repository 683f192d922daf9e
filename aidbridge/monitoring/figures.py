"""The arithmetic of the monitoring dashboards: counts grouped by village summed per child
region, and the days from a lead to its decision. No Django here: plain rows in, plain
numbers out.
"""

from collections.abc import Iterable
from dataclasses import dataclass

PATH_SEP = "/"


def child_of(path: str, depth: int) -> str | None:
    """The code at ``depth`` (0: the root) of a region path such as "/510000/513400/", or
    None when the path does not reach that deep (the region itself)."""
    codes = [c for c in path.split(PATH_SEP) if c]
    return codes[depth] if len(codes) > depth else None


def roll_up(
    rows: Iterable[tuple[str, dict[str, int]]], depth: int
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Sum ``(village path, counts)`` rows into totals and, per code at ``depth`` (the child
    regions of a region of that many ancestors), the counts below each child."""
    totals: dict[str, int] = {}
    children: dict[str, dict[str, int]] = {}
    for path, counts in rows:
        child = child_of(path, depth)
        below = children.setdefault(child, {}) if child is not None else None
        for key, n in counts.items():
            totals[key] = totals.get(key, 0) + n
            if below is not None:
                below[key] = below.get(key, 0) + n
    return totals, children


@dataclass(frozen=True)
class Durations:
    """Days from a lead to its decision over ``count`` decided leads (None without any)."""

    count: int
    mean: float | None
    median: float | None
    within: int  # decided within the deadline's days

    @property
    def within_share(self) -> float | None:
        return self.within / self.count if self.count else None


def durations(spans: Iterable[tuple[int, int]], deadline_days: int = 15) -> Durations:
    """``(days from a lead to its decision, how many leads)`` rows -> count, mean and median
    days, and how many were decided within ``deadline_days``. A decision dated before its
    lead counts as 0 days."""
    counted: dict[int, int] = {}
    for days, n in spans:
        days = max(days, 0)
        counted[days] = counted.get(days, 0) + n
    count = sum(counted.values())
    if not count:
        return Durations(0, None, None, 0)
    mean = sum(days * n for days, n in counted.items()) / count
    return Durations(
        count,
        mean,
        _weighted_median(counted, count),
        sum(n for days, n in counted.items() if days <= deadline_days),
    )


def _weighted_median(spans: dict[int, int], count: int) -> float:
    """The median of ``count`` values given as value -> how many times."""
    ordered = sorted(spans.items())
    wanted = [(count - 1) // 2, count // 2]  # the middle one or two positions, 0-based
    found = []
    seen = 0
    for days, n in ordered:
        while wanted and wanted[0] < seen + n:
            found.append(days)
            wanted.pop(0)
        seen += n
    return sum(found) / 2
