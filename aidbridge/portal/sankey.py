"""Sankey layout: from flows (source, target, value) to node rectangles and link paths for an
inline SVG. Pure and deterministic: no Django, and the order of the flows does not matter.

- Flows between the same two nodes are added up; flows of value 0 or less are left out, and
  so are nodes left without flows. The flows must not form a cycle (ValueError).
- Columns by longest path: a node stands one column right of its furthest predecessor;
  nodes without outgoing flows stand in the last column.
- A node is as tall as its throughput, the larger of what enters and what leaves it, on one
  scale for the whole diagram; a link is as wide as its value on the same scale, so the links
  entering a node fill its height when what enters equals what leaves.
- Nodes of a column are ordered by the weighted mean height of their predecessors (the first
  column by value, largest first), stacked with ``padding`` between them and centred; links
  leave and enter their nodes in the order of the other end's height, from the top.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

ROW = 36.0  # room per node of the fullest column when the height is not given
MIN_HEIGHT = 120.0


@dataclass(frozen=True)
class Node:
    key: str
    column: int
    x: float
    y: float
    width: float
    height: float
    value_in: int
    value_out: int

    @property
    def value(self) -> int:
        """The throughput: the larger of what enters and what leaves."""
        return max(self.value_in, self.value_out)


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    value: int
    width: float
    x0: float  # the source's right edge
    y0: float  # top of the link where it leaves the source
    x1: float  # the target's left edge
    y1: float  # top of the link where it enters the target

    @property
    def path(self) -> str:
        """An SVG path along the link's middle, to be stroked ``width`` wide."""
        a, b = self.y0 + self.width / 2, self.y1 + self.width / 2
        mid = (self.x0 + self.x1) / 2
        return f"M{self.x0:.2f},{a:.2f}C{mid:.2f},{a:.2f} {mid:.2f},{b:.2f} {self.x1:.2f},{b:.2f}"


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    columns: int
    scale: float  # units of height per unit of value
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]


def layout(
    flows: Iterable[tuple[str, str, int]],
    *,
    width: float = 720.0,
    height: float | None = None,
    node_width: float = 12.0,
    padding: float = 16.0,
) -> Layout:
    """The layout of ``flows`` in a ``width`` x ``height`` box (height by default from the
    fullest column: ``ROW`` per node, at least ``MIN_HEIGHT``)."""
    values: dict[tuple[str, str], int] = defaultdict(int)
    for source, target, value in flows:
        if source == target:
            raise ValueError(f"a flow from {source!r} to itself")
        values[(source, target)] += value
    values = {pair: v for pair, v in sorted(values.items()) if v > 0}
    if not values:
        return Layout(width, height or 0.0, 0, 0.0, (), ())
    column = _columns(values)
    columns = max(column.values()) + 1
    into, out = defaultdict(int), defaultdict(int)
    for (source, target), value in values.items():
        out[source] += value
        into[target] += value
    throughput = {key: max(into[key], out[key]) for key in column}
    stacks = [sorted(k for k in column if column[k] == c) for c in range(columns)]
    if height is None:
        height = max(MIN_HEIGHT, ROW * max(len(s) for s in stacks))
    scale = min((height - padding * (len(s) - 1)) / sum(throughput[k] for k in s) for s in stacks)
    if scale <= 0:
        raise ValueError("the height leaves no room for the nodes")
    step = (width - node_width) / (columns - 1)
    entering = defaultdict(list)
    for (source, target), value in values.items():
        entering[target].append((source, value))
    top: dict[str, float] = {}

    def barycentre(key: str) -> float:
        """The value-weighted mean centre of the node's predecessors; in the first column,
        minus the throughput, so that larger nodes come first."""
        if not entering[key]:
            return -throughput[key]
        weighted = sum(v * (top[s] + throughput[s] * scale / 2) for s, v in entering[key])
        return weighted / into[key]

    for stack in stacks:
        stack.sort(key=lambda k: (barycentre(k), -throughput[k], k))
        y = (height - scale * sum(throughput[k] for k in stack) - padding * (len(stack) - 1)) / 2
        for key in stack:
            top[key] = y
            y += throughput[key] * scale + padding
    nodes = {
        key: Node(
            key, c, c * step, top[key], node_width, throughput[key] * scale, into[key], out[key]
        )
        for c, stack in enumerate(stacks)
        for key in stack
    }
    return Layout(
        width, height, columns, scale, tuple(nodes.values()), _links(values, nodes, scale)
    )


def _columns(values: dict[tuple[str, str], int]) -> dict[str, int]:
    """Each node's column: the longest path to it from a source; sinks in the last column."""
    after, waiting = defaultdict(list), defaultdict(int)
    for source, target in values:
        after[source].append(target)
        waiting[target] += 1
    nodes = sorted({key for pair in values for key in pair})
    column = dict.fromkeys(nodes, 0)
    ready = [key for key in nodes if not waiting[key]]
    placed = 0
    while ready:
        key = ready.pop()
        placed += 1
        for target in after[key]:
            column[target] = max(column[target], column[key] + 1)
            waiting[target] -= 1
            if not waiting[target]:
                ready.append(target)
    if placed < len(nodes):
        raise ValueError("the flows form a cycle")
    last = max(column.values())
    return {key: last if not after[key] else c for key, c in column.items()}


def _links(values, nodes: dict[str, Node], scale: float) -> tuple[Link, ...]:
    """Links stacked from the top of each node, in the order of the other end's centre."""

    def centre(key: str) -> tuple[float, str]:
        return nodes[key].y + nodes[key].height / 2, key

    leaving, entering = defaultdict(list), defaultdict(list)
    for source, target in values:
        leaving[source].append(target)
        entering[target].append(source)
    y0, y1 = {}, {}
    for source, targets in leaving.items():
        y = nodes[source].y
        for target in sorted(targets, key=centre):
            y0[(source, target)] = y
            y += values[(source, target)] * scale
    for target, sources in entering.items():
        y = nodes[target].y
        for source in sorted(sources, key=centre):
            y1[(source, target)] = y
            y += values[(source, target)] * scale
    return tuple(
        Link(
            s,
            t,
            value,
            value * scale,
            nodes[s].x + nodes[s].width,
            y0[(s, t)],
            nodes[t].x,
            y1[(s, t)],
        )
        for (s, t), value in values.items()
    )
