"""Plain data of the matching engine: needs, offers, weights, the region tree, results.

No Django here: the web side converts its models to these and back.
Money is integer yuan throughout.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Need:
    """An open need of one beneficiary: ``amount`` yuan still missing."""

    id: str
    region: str
    category: str
    amount: int
    urgency: int  # 1 (can wait) .. 5 (urgent)
    aided: bool  # got aid in the last 12 months


@dataclass(frozen=True, slots=True)
class Offer:
    """Money an aid provider offers for some categories in some regions.

    A need is compatible if its category is in ``categories`` and its region is one of
    ``regions`` or below one; needs in or below ``paired_regions`` earn the pairing bonus.
    """

    id: str
    capacity: int
    categories: tuple[str, ...]
    regions: tuple[str, ...]
    paired_regions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Weights:
    """weight(o, n) = urgency * u_n + not_aided * (1 - aided_n) + paired * [n paired with o].

    The defaults are the platform's objective; other values are an option, and must be
    non-negative integers.
    """

    urgency: int = 1
    not_aided: int = 2
    paired: int = 1

    def base(self, need: Need) -> int:
        """The part of the weight that does not depend on the offer."""
        return self.urgency * need.urgency + self.not_aided * (not need.aided)


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True, slots=True)
class Allocation:
    offer_id: str
    need_id: str
    amount: int


@dataclass(slots=True)
class Result:
    """Allocations sorted by (offer_id, need_id), all with amount > 0."""

    allocations: list[Allocation]
    objective: int
    allocated: int
    solve_seconds: float
    stats: dict[str, int] = field(default_factory=dict)


class RegionTree:
    """Region forest from a ``child -> parent`` mapping (parent ``None`` or ``""`` at a root).

    Codes that appear only as parents are roots too. Raises ValueError on a cycle.
    """

    def __init__(self, parents: Mapping[str, str | None]):
        self.parent: dict[str, str | None] = {code: p or None for code, p in parents.items()}
        for p in list(self.parent.values()):
            if p is not None and p not in self.parent:
                self.parent[p] = None
        self._ancestors: dict[str, tuple[str, ...]] = {}
        for code in self.parent:
            self._chain(code)

    def _chain(self, code: str) -> tuple[str, ...]:
        path: list[str] = []
        node: str | None = code
        while node is not None and node not in self._ancestors:
            if node in path:
                raise ValueError(f"region {node!r} is its own ancestor")
            path.append(node)
            node = self.parent[node]
        above = self._ancestors[node] if node is not None else ()
        for i in range(len(path) - 1, -1, -1):
            above = (path[i], *above)
            self._ancestors[path[i]] = above
        return self._ancestors[code]

    def __contains__(self, code: object) -> bool:
        return code in self.parent

    def ancestors(self, code: str) -> tuple[str, ...]:
        """``code`` itself, its parent, ..., its root."""
        return self._ancestors[code]

    def depth(self, code: str) -> int:
        return len(self._ancestors[code]) - 1

    def max_depth(self) -> int:
        """Depth of the deepest region (0 for an empty tree)."""
        return max((len(chain) - 1 for chain in self._ancestors.values()), default=0)

    def within(self, code: str, ancestor: str) -> bool:
        """True if ``code`` is ``ancestor`` or below it."""
        return ancestor in self._ancestors[code]

    def outermost(self, codes: Iterable[str]) -> list[str]:
        """The codes not below another of the codes, sorted."""
        chosen = set(codes)
        return sorted(c for c in chosen if not any(a in chosen for a in self._ancestors[c][1:]))
