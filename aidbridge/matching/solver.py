"""Optimal allocation of offers to needs: a min-cost flow over the region tree.

Problem. Choose integers x(o, n) >= 0 for compatible pairs (category accepted, region of n
in or below an accepted region of o) with sum_o x(o, n) <= a_n and sum_n x(o, n) <= c_o,
maximising sum x(o, n) * w(o, n), where w(o, n) = base(n) + bonus * [n in or below a paired
region of o] and base(n) = u_n + 2 * (1 - aided_n) by default (see ``Weights``).

Network. Instead of one arc per compatible pair, the money flows down the region tree:

* a *class* groups the needs with the same region, category and base weight: they are
  interchangeable for the objective;
* per category, a copy of the region tree restricted to regions with open needs of that
  category in or below them; arcs run from parent to child, capacity = open amount below the
  child, cost 0;
* offer o has supply c_o and, per accepted category, an *entry* arc into that tree at each of
  its accepted regions (cost 0) and at each of its *paired entries* (cost -bonus): the paired
  regions in or below an accepted region, and the accepted regions below a paired region, i.e.
  the tops of the overlap of the two subtrees (an accepted region that is itself a paired entry
  gets only the bonus arc);
* a class hangs below its region by one arc to the sink of cost -base(class) and capacity =
  its open amount;
* each offer has a cost-0 bypass arc to the sink, so leaving money unallocated is free; the
  min-cost flow with these fixed supplies is then the maximum-weight allocation.

Why this is exact. (1) Flow entering at a region can only reach classes in or below it. So
every path offer -> class is a compatible pair whose weight is at least the negated path cost:
through a plain entry (an accepted region) it costs -base >= -w, through a paired entry (in or
below both an accepted and a paired region of the offer) it costs -base - bonus = -w. Hence any
flow, decomposed into paths, gives a feasible x (the offer's supply and the class's sink arc
bound the totals, and a class's flow is spread over its needs up to their amounts) with
objective >= the negated flow cost. (2) Conversely every feasible x is a flow of exactly its
objective: send a paired pair through a paired entry (one exists: the need's ancestors form a
chain, so its accepted and its paired ancestor are nested and the deeper one is a paired
entry), any other pair through its accepted region; tree arcs never bind, as their capacity is
all demand below. So min cost = -max objective, and the x read off an optimal flow by *any* path
decomposition is optimal: its objective is >= the optimum by (1), so equal. With integer
capacities the min-cost flow is integral, so x is too.

Size. The network has one node per (category, region with needs below) plus offers, and arcs
for offers x categories x (accepted and paired) regions, the tree, and one per class: it does
not grow with offers x needs.

Option: at most ``max_per_pair`` from one offer to one need. A need whose amount is within the
cap cannot break it, so it stays in its class. Each need above the cap gets its own node, an arc
to the sink of capacity a_n and, from every compatible offer, a direct arc of capacity
min(cap, a_n) and cost -w(o, n). This is the explicit formulation for those needs alone, so the
network stays exact; it grows with offers x needs above the cap.

Option: at most floor(``village_share`` * c_o) from offer o to the needs in or below one
village, a region at ``village_depth`` (default: the deepest level of the tree); needs above
village level are not capped. The tree is cut above the villages: a node at village depth gets
no arc from its parent, and the nodes above count only the demand above village level, so money
entering there reaches only needs above the villages. Offer o reaches a village v only through
its own *gate* node (o, v), fed by one arc o -> (o, v) of capacity = the cap. The gate holds the
entries o would have into v: to (category, v) when v is below an entry of o (cost -bonus if it
is below a paired entry, as then every need in v is paired, else 0), to each entry of o inside
v, and the direct arcs to the capped needs in v. So (1) holds as before, and the gate arc carries
all that o gives to v, within the cap; (2) holds for every x within the caps, as each pair in v
takes the same entry as before, now through its gate. Hence the result is exact. The network
grows with offers x the villages they reach with open needs of their categories: one gate each,
with one arc in and about one out per category (an offer whose cap rounds to 0 has no gates).

Determinism. Offers, gates, classes and tree nodes are numbered in sorted order, so the network
and hence the flow depend only on the input as a set. The flow is split back by walking the arcs
in topological order and passing (offer, amount) packets first-in first-out; a class hands its
packets to its needs by urgency (highest first), then need id.
"""

import time
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np
from ortools.graph.python import min_cost_flow

from .engine_data import DEFAULT_WEIGHTS, Allocation, Need, Offer, RegionTree, Result, Weights

SINK = 0


def solve(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    regions: Mapping[str, str | None] | RegionTree,
    weights: Weights = DEFAULT_WEIGHTS,
    max_per_pair: int | None = None,
    *,
    village_share: Fraction | float | None = None,
    village_depth: int | None = None,
) -> Result:
    """Allocate offers to needs with the maximum total weight (see the module doc).

    Options (see "Option" in the module doc): ``max_per_pair`` caps what one offer may give one
    need; ``village_share`` in (0, 1] caps the share of an offer that may go to one village, the
    regions at ``village_depth`` (default: the deepest level). A float share is read as its
    decimal text, so 0.29 means 29/100 exactly.
    Raises ValueError on inconsistent input (unknown region, duplicate id, bad number).
    """
    start = time.perf_counter()
    tree = regions if isinstance(regions, RegionTree) else RegionTree(regions)
    _check(needs, offers, tree, weights, max_per_pair)
    village = None
    if village_share is not None:
        village = _village_option(tree, village_share, village_depth)
    net = _Network(needs, offers, tree, weights, max_per_pair, village)
    objective, flows = net.solve()
    allocations = net.split(flows)
    return Result(
        allocations=allocations,
        objective=objective,
        allocated=sum(a.amount for a in allocations),
        solve_seconds=time.perf_counter() - start,
        stats=net.stats,
    )


def _check(needs, offers, tree: RegionTree, w: Weights, max_per_pair: int | None) -> None:
    if min(w.urgency, w.not_aided, w.paired) < 0:
        raise ValueError("weights must be non-negative")
    if max_per_pair is not None and max_per_pair < 1:
        raise ValueError("max_per_pair must be at least 1")
    seen: set[str] = set()
    for n in needs:
        if n.id in seen:
            raise ValueError(f"duplicate need id {n.id!r}")
        seen.add(n.id)
        if n.region not in tree:
            raise ValueError(f"need {n.id!r}: unknown region {n.region!r}")
        if n.amount < 0 or not 1 <= n.urgency <= 5:
            raise ValueError(f"need {n.id!r}: negative amount or urgency outside 1-5")
    seen.clear()
    for o in offers:
        if o.id in seen:
            raise ValueError(f"duplicate offer id {o.id!r}")
        seen.add(o.id)
        if o.capacity < 0:
            raise ValueError(f"offer {o.id!r}: negative capacity")
        for code in (*o.regions, *o.paired_regions):
            if code not in tree:
                raise ValueError(f"offer {o.id!r}: unknown region {code!r}")


def _village_option(
    tree: RegionTree, share: Fraction | float, depth: int | None
) -> tuple[Fraction, int]:
    """The checked (share, village depth) of the village cap."""
    try:
        share = Fraction(str(share)) if isinstance(share, float) else Fraction(share)
    except (TypeError, ValueError):
        raise ValueError(f"village_share {share!r} is not a number") from None
    if not 0 < share <= 1:
        raise ValueError("village_share must be more than 0 and at most 1")
    deepest = tree.max_depth()
    depth = deepest if depth is None else depth
    if not 0 <= depth <= deepest:
        raise ValueError(f"village_depth must be between 0 and {deepest}, the deepest level")
    return share, depth


class _Network:
    """The flow network of one instance, and how to read allocations back from a flow."""

    def __init__(
        self,
        needs,
        offers,
        tree: RegionTree,
        weights: Weights,
        per_pair: int | None,
        village: tuple[Fraction, int] | None,
    ):
        self.offers = sorted((o for o in offers if o.capacity > 0), key=lambda o: o.id)
        self.tree, self.weights, self.per_pair = tree, weights, per_pair
        self.cut = None if village is None else village[1]  # the depth whose nodes have no parent
        # What an offer may give one village: floor(share * capacity).
        self.limit = [0 if village is None else int(village[0] * o.capacity) for o in self.offers]
        capped = self._group(needs)
        demand, children, villages = self._demand()
        entries, direct, gates = self._entries(capped, demand, villages)
        self._arcs(capped, demand, children, entries, direct, gates)

    def _village_of(self, region: str) -> str | None:
        """The village ``region`` is in or below, if the village cap applies to it."""
        if self.cut is None or self.tree.depth(region) < self.cut:
            return None
        return self.tree.ancestors(region)[self.tree.depth(region) - self.cut]

    def _group(self, needs) -> list[Need]:
        """Group the needs into classes (region, category, base weight) with their members and
        amounts; return the needs above the per-pair cap, which get arcs of their own."""
        weights, per_pair = self.weights, self.per_pair
        members: dict[tuple[str, str, int], list[Need]] = defaultdict(list)
        capped: list[Need] = []  # needs above the per-pair cap: explicit arcs from each offer
        for n in needs:
            if n.amount > 0:
                if per_pair is not None and n.amount > per_pair:
                    capped.append(n)
                else:
                    members[(n.region, n.category, weights.base(n))].append(n)
        capped.sort(key=lambda n: n.id)
        self.classes = sorted(members)
        self.members = [sorted(members[k], key=lambda n: (-n.urgency, n.id)) for k in self.classes]
        self.amounts = [sum(n.amount for n in group) for group in self.members]
        return capped

    def _demand(self) -> tuple[dict, dict, dict]:
        """What the classes ask for below each (category, region), the tree's children, and the
        villages below each region above the village cap's depth."""
        tree, cut = self.tree, self.cut
        demand: dict[tuple[str, str], int] = defaultdict(int)  # (category, region) -> below
        for (region, category, _), amount in zip(self.classes, self.amounts, strict=True):
            up = tree.ancestors(region)
            if cut is not None and len(up) > cut:
                up = up[: len(up) - cut]  # up to the village only
            for code in up:
                demand[(category, code)] += amount
        children: dict[tuple[str, str], list[str]] = defaultdict(list)
        villages: dict[tuple[str, str], list[str]] = defaultdict(list)  # below a region above
        for category, code in sorted(demand):
            if tree.parent[code] is None:
                continue
            if cut is None or tree.depth(code) != cut:
                children[(category, tree.parent[code])].append(code)
            else:
                for above in tree.ancestors(code)[1:]:
                    villages[(category, above)].append(code)
        return demand, children, villages

    def _entries(self, capped: list[Need], demand: dict, villages: dict) -> tuple[list, list, dict]:
        """Where each offer's money enters the trees: entries (offer, category, region, cost),
        direct arcs to capped needs (offer, village or None, capped need, cost) and the gates
        through which an offer reaches one village."""
        tree, weights, limit = self.tree, self.weights, self.limit
        capped_under: dict[tuple[str, str], list[int]] = defaultdict(list)
        for j, n in enumerate(capped):
            for code in tree.ancestors(n.region):
                capped_under[(n.category, code)].append(j)
        entries = []  # (offer index, category, region, cost): where offer money enters a tree
        direct = []  # (offer index, village or None, capped need index, cost)
        gates: dict[tuple[int, str], dict[tuple[str, str], int]] = {}  # (offer, village) -> entries
        for i, o in enumerate(self.offers):
            accepted = tree.outermost(o.regions)
            paired = set()
            if weights.paired:
                overlap = [p for p in o.paired_regions for a in accepted if tree.within(p, a)]
                overlap += [a for a in accepted for p in o.paired_regions if tree.within(a, p)]
                paired = set(tree.outermost(overlap))
            for category in sorted(set(o.categories)):
                for code in sorted(paired.union(accepted)):
                    cost = -weights.paired if code in paired else 0
                    inside = self._village_of(code)
                    if inside is None and (category, code) in demand:
                        entries.append((i, category, code, cost))
                    if limit[i]:
                        for v in [inside] if inside else villages.get((category, code), ()):
                            key = (category, code if inside else v)
                            if key in demand:
                                gate = gates.setdefault((i, v), {})
                                gate[key] = min(gate.get(key, 0), cost)
                for a in accepted:
                    for j in capped_under.get((category, a), ()):
                        n = capped[j]
                        v = self._village_of(n.region)
                        if v is not None:
                            if not limit[i]:
                                continue
                            gates.setdefault((i, v), {})
                        bonus = not paired.isdisjoint(tree.ancestors(n.region))
                        cost = -weights.base(n) - weights.paired * bonus
                        direct.append((i, v, j, cost))
        return entries, direct, gates

    def _arcs(self, capped, demand, children, entries, direct, gates) -> None:
        """Number the nodes, lay out the arcs and the supplies, and keep the statistics."""
        tree, per_pair, limit = self.tree, self.per_pair, self.limit
        # Number the nodes: sink, offers, gates, tree nodes with parents before children.
        used = sorted({e[0] for e in entries} | {d[0] for d in direct} | {g[0] for g in gates})
        offer_node = {i: 1 + j for j, i in enumerate(used)}
        gate_node = {key: 1 + len(used) + j for j, key in enumerate(sorted(gates))}
        ordered = sorted(demand, key=lambda key: (tree.depth(key[1]), key))
        node = {key: 1 + len(used) + len(gates) + j for j, key in enumerate(ordered)}
        first_capped = 1 + len(used) + len(gates) + len(ordered)

        # Arcs in topological order of their tails, so that the split can walk them in order.
        arcs: list[tuple[int, int, int, int, int]] = []  # tail, head, capacity, cost, class
        for i, c, r, cost in entries:
            cap = min(self.offers[i].capacity, demand[(c, r)])
            arcs.append((offer_node[i], node[(c, r)], cap, cost, -1))
        for (i, _), g in gate_node.items():
            arcs.append((offer_node[i], g, limit[i], 0, -1))
        for key, g in gate_node.items():
            for head, cost in sorted(gates[key].items()):
                arcs.append((g, node[head], min(limit[key[0]], demand[head]), cost, -1))
        for i, v, j, cost in direct:
            tail = offer_node[i] if v is None else gate_node[(i, v)]
            room = self.offers[i].capacity if v is None else limit[i]
            arcs.append((tail, first_capped + j, min(per_pair, capped[j].amount, room), cost, -1))
        for c, r in ordered:
            for child in children[(c, r)]:
                arcs.append((node[(c, r)], node[(c, child)], demand[(c, child)], 0, -1))
        for k, (r, c, base) in enumerate(self.classes):
            arcs.append((node[(c, r)], SINK, self.amounts[k], -base, k))
        for j, n in enumerate(capped):
            arcs.append((first_capped + j, SINK, n.amount, 0, len(self.classes) + j))
        self.members += [[n] for n in capped]
        self.n_real_arcs = len(arcs)
        arcs += [(offer_node[i], SINK, self.offers[i].capacity, 0, -1) for i in used]
        n_nodes = first_capped + len(capped)

        table = np.array(arcs, dtype=np.int64).reshape(-1, 5)
        self.tails, self.heads, self.caps, self.costs, self.arc_class = table.T
        self.supplies = np.zeros(n_nodes, dtype=np.int64)
        self.supplies[[offer_node[i] for i in used]] = [self.offers[i].capacity for i in used]
        self.supplies[SINK] = -self.supplies.sum()
        self.offer_node = offer_node
        self.stats = {
            "classes": len(self.classes),
            "capped_needs": len(capped),
            "offer_villages": len(gates),
            "nodes": n_nodes,
            "arcs": len(arcs),
        }

    def solve(self) -> tuple[int, np.ndarray]:
        """Return (maximum objective, flow per arc)."""
        if self.n_real_arcs == 0:
            return 0, np.zeros(0, dtype=np.int64)
        mcf = min_cost_flow.SimpleMinCostFlow()
        mcf.add_arcs_with_capacity_and_unit_cost(
            self.tails.astype(np.int32), self.heads.astype(np.int32), self.caps, self.costs
        )
        mcf.set_nodes_supplies(np.arange(len(self.supplies), dtype=np.int32), self.supplies)
        status = mcf.solve()
        if status != mcf.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed with status {status}")
        return -mcf.optimal_cost(), mcf.flows(np.arange(mcf.num_arcs(), dtype=np.int32))

    def split(self, flows: np.ndarray) -> list[Allocation]:
        """Read allocations off the flow: FIFO packets along arcs in topological order."""
        queues: dict[int, deque] = defaultdict(deque)
        for i, n in self.offer_node.items():
            queues[n].append([i, self.offers[i].capacity])
        amounts: dict[tuple[int, str], int] = defaultdict(int)
        used = np.flatnonzero(flows[: self.n_real_arcs])
        for tail, head, k, flow in zip(
            *(column[used].tolist() for column in (self.tails, self.heads, self.arc_class, flows)),
            strict=True,
        ):
            packets = _take(queues[tail], flow)
            if k < 0:
                queues[head].extend(packets)
                continue
            needs = iter(self.members[k])
            need, left = None, 0
            for i, amount in packets:
                while amount:
                    if not left:
                        need = next(needs)
                        left = need.amount
                    step = min(amount, left)
                    amounts[(i, need.id)] += step
                    amount -= step
                    left -= step
        return [  # offers are sorted by id, so (index, need id) sorts as (offer id, need id)
            Allocation(self.offers[i].id, need_id, amount)
            for (i, need_id), amount in sorted(amounts.items())
        ]


def _take(queue: deque, amount: int) -> list[list[int]]:
    """Remove ``amount`` from the front of a queue of [offer index, amount] packets."""
    taken = []
    while amount:
        head = queue[0]
        if head[1] <= amount:
            taken.append(queue.popleft())
            amount -= head[1]
        else:
            head[1] -= amount
            taken.append([head[0], amount])
            amount = 0
    return taken
