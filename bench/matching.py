"""Benchmark of the matching engine against two baselines on prefecture-like instances.

    python -m bench.matching --size small|medium|large [--seed N]

Each algorithm runs in its own subprocess (``--only``) that generates the same instance from the
seed, so peak memory (ru_maxrss) is per algorithm; "instance" is the resident size after
generating, before the algorithm runs. Baselines, both linear in needs + offers x buckets:

* greedy: pairs by weight, highest first (ties: offer order, then need order), each taking
  min(open need, offer left). Instead of listing the up to 10^9 compatible pairs it keeps,
  per (region, category, base weight), the needs in and below that region in need order with a
  pointer past the exhausted ones, and for each weight level lets each offer scan its buckets.
* first-come: offers in arrival (id) order; each takes open compatible needs bucket by bucket
  (category, then accepted region), in need order within a bucket, ignoring weights.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from aidbridge.matching.model import Need, Offer, RegionTree
from aidbridge.matching.solver import solve

SIZES = {  # needs, offers, villages per township
    "small": (10_000, 1_000, 10),
    "medium": (100_000, 10_000, 30),
    "large": (1_000_000, 100_000, 100),
}
CATEGORIES = [
    "medical", "education", "housing", "drinking_water", "food",
    "clothing", "employment", "agriculture", "elderly_care", "disability",
]  # fmt: skip
CATEGORY_SHARE = np.array([20, 18, 12, 6, 10, 4, 10, 10, 6, 4]) / 100
ALGORITHMS = ("engine", "greedy", "first-come")


def generate(size: str, seed: int):
    """A prefecture (code 5301): 17 counties, 20 townships each, villages, needs, offers."""
    n_needs, n_offers, per_township = SIZES[size]
    rng = np.random.default_rng(seed)
    regions: dict[str, str | None] = {"5301": None}
    counties = [f"5301{c:02d}" for c in range(1, 18)]
    townships, villages = [], []
    for county in counties:
        regions[county] = "5301"
        for t in range(1, 21):
            township = f"{county}{t:03d}"
            regions[township] = county
            townships.append(township)
            for v in range(1, per_township + 1):
                regions[f"{township}{v:03d}"] = township
                villages.append(f"{township}{v:03d}")

    poverty = rng.lognormal(0, 1, len(villages))  # some villages have many more needs
    village = rng.choice(len(villages), n_needs, p=poverty / poverty.sum())
    category = rng.choice(len(CATEGORIES), n_needs, p=CATEGORY_SHARE)
    amount = np.clip(rng.lognormal(np.log(3000), 0.8, n_needs), 200, 50_000) // 10 * 10
    urgency = rng.choice([1, 2, 3, 4, 5], n_needs, p=[0.15, 0.25, 0.3, 0.2, 0.1])
    aided = rng.random(n_needs) < 0.4
    needs = [
        Need(f"N{j:07d}", villages[v], CATEGORIES[c], int(a), int(u), bool(x))
        for j, (v, c, a, u, x) in enumerate(
            zip(village, category, amount, urgency, aided, strict=True)
        )
    ]

    # Offers cover about 60% of the total need.
    weights = rng.lognormal(0, 1, n_offers)
    capacity = np.maximum(100, weights / weights.sum() * 0.6 * amount.sum() // 100 * 100)
    offers = []
    for i in range(n_offers):
        kind = rng.random()
        if kind < 0.15:
            accepted = ["5301"]
        elif kind < 0.9:
            accepted = list(rng.choice(counties, rng.integers(1, 4), replace=False))
        else:
            accepted = list(rng.choice(townships, rng.integers(1, 4), replace=False))
        paired = []
        if rng.random() < 0.3:  # east-west pairing: a county, often one the offer serves
            pool = [a for a in accepted if a in counties] if rng.random() < 0.6 else counties
            paired = list(rng.choice(pool or counties, rng.integers(1, 3)))
        cats = rng.choice(len(CATEGORIES), rng.integers(1, 4), replace=False, p=CATEGORY_SHARE)
        offers.append(Offer(
            f"O{i:06d}", int(capacity[i]), tuple(CATEGORIES[c] for c in sorted(cats)),
            tuple(sorted(accepted)), tuple(sorted(set(paired))),
        ))  # fmt: skip
    return needs, offers, regions


def base(need: Need) -> int:
    return need.urgency + 2 * (not need.aided)


def paired_entries(offer: Offer, tree: RegionTree) -> list[str]:
    """Where the offer's accepted and paired subtrees overlap (as in the engine)."""
    return tree.outermost(
        [p for p in offer.paired_regions for a in offer.regions if tree.within(p, a)]
        + [a for a in offer.regions for p in offer.paired_regions if tree.within(a, p)]
    )


def scan(bucket: list[int], start: int, left: list[int], cap: int) -> tuple[int, int, int]:
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


def greedy(needs, offers, tree):
    left = [n.amount for n in needs]
    buckets = defaultdict(list)
    for j, n in enumerate(needs):
        for r in tree.ancestors(n.region):
            buckets[(r, n.category, base(n))].append(j)
    start = defaultdict(int)
    plans = [(tree.outermost(o.regions), paired_entries(o, tree), o.categories) for o in offers]
    cap = [o.capacity for o in offers]
    objective = 0
    for w in range(8, 0, -1):
        for i, (accepted, paired, cats) in enumerate(plans):
            keys = [(e, c, w - 1) for e in paired for c in cats]
            keys += [(a, c, w) for a in accepted for c in cats]
            for key in keys:
                if not cap[i]:
                    break
                if key in buckets:
                    start[key], cap[i], given = scan(buckets[key], start[key], left, cap[i])
                    objective += given * w
    return objective, sum(o.capacity for o in offers) - sum(cap)


def first_come(needs, offers, tree):
    left = [n.amount for n in needs]
    buckets = defaultdict(list)
    for j, n in enumerate(needs):
        for r in tree.ancestors(n.region):
            buckets[(r, n.category)].append(j)
    start = defaultdict(int)
    objective = allocated = 0
    for o in offers:
        cap = o.capacity
        paired = set(o.paired_regions)
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
                objective += step * (base(n) + bonus)
                allocated += step
                if not left[bucket[k]]:
                    k += 1
            start[key] = k
    return objective, allocated


def measure(size: str, seed: int, algorithm: str) -> dict:
    needs, offers, regions = generate(size, seed)
    tree = RegionTree(regions)
    instance_mib = _rss_mib()
    began = time.perf_counter()
    if algorithm == "engine":
        result = solve(needs, offers, tree)
        objective, allocated, extra = result.objective, result.allocated, result.stats
    else:
        baseline = greedy if algorithm == "greedy" else first_come
        objective, allocated = baseline(needs, offers, tree)
        extra = {}
    return {
        "algorithm": algorithm,
        "objective": objective,
        "allocated": allocated,
        "seconds": round(time.perf_counter() - began, 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "instance_mib": round(instance_mib),
        "needed": sum(n.amount for n in needs),
        "offered": sum(o.capacity for o in offers),
        "villages": sum(1 for r in regions if len(r) == 12),
        **extra,
    }


def _rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=ALGORITHMS, help="run one algorithm, print JSON")
    args = parser.parse_args(argv)
    if args.only:
        print(json.dumps(measure(args.size, args.seed, args.only)))
        return

    rows = []
    for algorithm in ALGORITHMS:
        command = [sys.executable, "-m", "bench.matching", "--size", args.size,
                   "--seed", str(args.seed), "--only", algorithm]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout))
    n_needs, n_offers, _ = SIZES[args.size]
    first = rows[0]
    print(f"size {args.size}, seed {args.seed}: {n_needs} needs, {n_offers} offers, "
          f"{first['villages']} villages; {first['needed']} yuan needed, "
          f"{first['offered']} offered")  # fmt: skip
    print(f"engine network: {first['classes']} classes, {first['nodes']} nodes, "
          f"{first['arcs']} arcs")  # fmt: skip
    print(f"{'algorithm':<11} {'objective':>14} {'allocated':>13} {'seconds':>8} "
          f"{'peak MiB':>9} {'instance MiB':>13}")  # fmt: skip
    for r in rows:
        print(f"{r['algorithm']:<11} {r['objective']:>14} {r['allocated']:>13} "
              f"{r['seconds']:>8} {r['peak_mib']:>9} {r['instance_mib']:>13}")  # fmt: skip
    engine, greedy_row, first_row = rows
    for name, row in (("greedy", greedy_row), ("first-come", first_row)):
        gain = engine["objective"] - row["objective"]
        print(f"engine gets {gain} more than {name} (+{gain / row['objective']:.2%})")


if __name__ == "__main__":
    main()
