"""Benchmark of the matching engine against two baselines on prefecture-like instances.

    python -m bench.matching --size small|medium|large [--seed N]

Each algorithm runs in its own subprocess (``--only``) that generates the same instance from the
seed, so peak memory (ru_maxrss) is per algorithm; "instance" is the resident size after
generating, before the algorithm runs. The baselines (greedy by weight, first come first
served) are those of aidbridge.matching.baselines.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from aidbridge.matching.baselines import first_come, greedy
from aidbridge.matching.engine_data import Need, Offer, RegionTree
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
