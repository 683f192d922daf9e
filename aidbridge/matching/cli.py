"""Command line front end: CSV files in, allocation.csv (and report.json) out.

    python -m aidbridge.matching.cli --needs needs.csv --offers offers.csv \
        --regions regions.csv --out allocation.csv [--report report.json] \
        [--max-per-pair YUAN] [--village-share FRACTION [--village-depth N]]

The options are off unless given; report.json records them.
"""

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import astuple
from fractions import Fraction

from .baselines import compare_with_greedy
from .csvio import (
    MatchInputError,
    build_report,
    read_needs,
    read_offers,
    read_regions,
    write_allocation,
    write_report,
)
from .engine_data import DEFAULT_WEIGHTS, RegionTree, Weights
from .solver import solve

RegionLoader = Callable[[], Mapping[str, str | None]]


def _whole(low: int, what: str) -> Callable[[str], int]:
    """An argparse type: an integer of at least ``low``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value

    return parse


def _share(text: str) -> Fraction:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        value = Fraction(0)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a fraction above 0 and at most 1")
    return value


def _weights(text: str) -> Weights:
    parts = text.split(",")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not three whole numbers 0 or more: URGENCY,NOT_AIDED,PAIRED"
        )
    return Weights(*(int(p) for p in parts))


def run(
    argv: list[str] | None = None,
    load_regions_from_database: RegionLoader | None = None,
) -> int:
    """Run one matching; return the exit status (2 on bad input).

    Without --regions the region tree (``code -> parent code``) comes from
    ``load_regions_from_database``, which the web side provides.
    """
    parser = argparse.ArgumentParser(
        prog="python -m aidbridge.matching.cli", description="Allocate offers to needs optimally."
    )
    parser.add_argument("--needs", required=True, help="needs.csv")
    parser.add_argument("--offers", required=True, help="offers.csv")
    parser.add_argument("--regions", help="regions.csv (default: the region database)")
    parser.add_argument("--out", required=True, help="allocation.csv to write")
    parser.add_argument("--report", help="report.json to write")
    parser.add_argument(
        "--max-per-pair",
        type=_whole(1, "a whole number of yuan, 1 or more"),
        metavar="YUAN",
        help="at most this from one offer to one need",
    )
    parser.add_argument(
        "--village-share",
        type=_share,
        metavar="FRACTION",
        help="at most this share of an offer (rounded down to whole yuan) to one village, "
        "e.g. 0.5 or 1/3",
    )
    parser.add_argument(
        "--village-depth",
        type=_whole(0, "a depth, 0 or more"),
        metavar="N",
        help="depth of villages in the region tree, roots at 0 (default: the deepest level; "
        "4 in the application's tree)",
    )
    parser.add_argument(
        "--weights",
        type=_weights,
        metavar="U,A,P",
        help="other weights: weight(o, n) = U * urgency + A * (not aided in 12 months) + "
        "P * (paired); the default 1,2,1 is the platform's objective",
    )
    args = parser.parse_args(argv)
    if args.village_depth is not None and args.village_share is None:
        parser.error("argument --village-depth: only applies with --village-share")

    if args.regions is None and load_regions_from_database is None:
        print("error: --regions is required: no region database is available here", file=sys.stderr)
        return 2
    try:
        regions = read_regions(args.regions) if args.regions else load_regions_from_database()
        tree = RegionTree(regions)
        needs = read_needs(args.needs, tree)
        offers = read_offers(args.offers, tree)
    except MatchInputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    depth, deepest = args.village_depth, tree.max_depth()
    if depth is not None and depth > deepest:
        print(
            f"error: argument --village-depth: no region is at depth {depth} "
            f"(the deepest are at {deepest})",
            file=sys.stderr,
        )
        return 2
    if args.village_share is not None and depth is None:
        depth = deepest

    result = solve(
        needs,
        offers,
        tree,
        weights=args.weights or DEFAULT_WEIGHTS,
        max_per_pair=args.max_per_pair,
        village_share=args.village_share,
        village_depth=depth,
    )
    write_allocation(args.out, result.allocations)
    if args.report:
        options = {
            "max_per_pair": args.max_per_pair,
            "village_share": None if args.village_share is None else str(args.village_share),
            "village_depth": depth,
            "weights": None if args.weights is None else list(astuple(args.weights)),
        }
        report = build_report(needs, result, options)
        if args.max_per_pair is None and args.village_share is None:  # it knows no caps
            report["greedy"] = compare_with_greedy(
                result.objective, needs, offers, tree, args.weights or DEFAULT_WEIGHTS
            )
        write_report(args.report, report)
    print(
        f"allocated {result.allocated} of {sum(n.amount for n in needs)} yuan needed "
        f"({sum(o.capacity for o in offers)} offered) in {len(result.allocations)} allocations; "
        f"objective {result.objective}; solved in {result.solve_seconds:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(run())
