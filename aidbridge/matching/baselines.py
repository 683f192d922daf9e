"""Two simple allocations to compare the engine with: greedy by weight, and first come first
served. Both honour capacities, amounts, categories and regions, and are linear in needs plus
offers x buckets; neither is optimal.

* greedy: compatible pairs by weight, highest first (ties: offer order, then need order), each
  taking min(open need, offer left). Instead of listing the compatible pairs it keeps, per
  (region, category, base weight), the needs in and below that region in need order with a
  pointer past the exhausted ones, and for each weight level lets each offer scan its buckets.
* first-come: offers in arrival order; each takes open compatible needs bucket by bucket
  (category, then accepted region), in need order within a bucket, ignoring weights.
"""

from collections import defaultdict
from collections.abc import Sequence

from .engine_data import DEFAULT_WEIGHTS, Need, Offer, RegionTree, Weights


def paired_entries(offer: Offer, tree: RegionTree) -> list[str]:
    """Where the offer's accepted and paired subtrees overlap (as in the engine)."""
    return tree.outermost(
        [p for p in offer.paired_regions for a in offer.regions if tree.within(p, a)]
        + [a for a in offer.regions for p in offer.paired_regions if tree.within(a, p)]
    )


def _scan(bucket: list[int], start: int, left: list[int], cap: int) -> tuple[int, int, int]:
    """Fill needs of a bucket from ``start``; return (new start, capacity left, amount given)."""
    given = 0
    while start < len(bucket) and cap:
        j = bucket[start]
        step = min(left[j], cap)
        left[j] -= step
        cap -= step
        given += step
        if not left[j]:
            start += 1
    return start, cap, given


def greedy(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    tree: RegionTree,
    weights: Weights = DEFAULT_WEIGHTS,
) -> tuple[int, int]:
    """(objective, amount allocated) of the greedy allocation."""
    left = [n.amount for n in needs]
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for j, n in enumerate(needs):
        for r in tree.ancestors(n.region):
            buckets[(r, n.category, weights.base(n))].append(j)
    bases = {weights.base(n) for n in needs}
    levels = sorted(bases | {b + weights.paired for b in bases}, reverse=True)
    start: dict[tuple, int] = defaultdict(int)
    plans = [(tree.outermost(o.regions), paired_entries(o, tree), o.categories) for o in offers]
    cap = [o.capacity for o in offers]
    objective = 0
    for w in levels:
        for i, (accepted, paired, categories) in enumerate(plans):
            keys = [(e, c, w - weights.paired) for e in paired for c in categories]
            keys += [(a, c, w) for a in accepted for c in categories]
            for key in keys:
                if not cap[i]:
                    break
                if key in buckets:
                    start[key], cap[i], given = _scan(buckets[key], start[key], left, cap[i])
                    objective += given * w
    return objective, sum(o.capacity for o in offers) - sum(cap)


def first_come(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    tree: RegionTree,
    weights: Weights = DEFAULT_WEIGHTS,
) -> tuple[int, int]:
    """(objective, amount allocated) of first come, first served."""
    left = [n.amount for n in needs]
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for j, n in enumerate(needs):
        for r in tree.ancestors(n.region):
            buckets[(r, n.category)].append(j)
    start: dict[tuple, int] = defaultdict(int)
    objective = allocated = 0
    for o in offers:
        paired = set(o.paired_regions)
        cap = o.capacity
        for key in [(a, c) for c in o.categories for a in tree.outermost(o.regions)]:
            if key not in buckets:
                continue
            bucket, k = buckets[key], start[key]
            while k < len(bucket) and cap:
                n = needs[bucket[k]]
                step = min(left[bucket[k]], cap)
                left[bucket[k]] -= step
                cap -= step
                bonus = not paired.isdisjoint(tree.ancestors(n.region))
                objective += step * (weights.base(n) + weights.paired * bonus)
                allocated += step
                if not left[bucket[k]]:
                    k += 1
            start[key] = k
    return objective, allocated


def compare_with_greedy(
    objective: int,
    needs: Sequence[Need],
    offers: Sequence[Offer],
    tree: RegionTree,
    weights: Weights = DEFAULT_WEIGHTS,
) -> dict:
    """The greedy baseline's objective and how much more ``objective`` is, in percent."""
    baseline, _allocated = greedy(needs, offers, tree, weights)
    gain = round(100 * (objective - baseline) / baseline, 2) if baseline else None
    return {"objective": baseline, "engine_gain_percent": gain}
