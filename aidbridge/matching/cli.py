"""Command line front end: CSV files in, allocation.csv (and report.json) out.

    python -m aidbridge.matching.cli --needs needs.csv --offers offers.csv \
        --regions regions.csv --out allocation.csv [--report report.json]
"""

import argparse
import sys
from collections.abc import Callable, Mapping

from .csvio import (
    MatchInputError,
    build_report,
    read_needs,
    read_offers,
    read_regions,
    write_allocation,
    write_report,
)
from .model import RegionTree
from .solver import solve

RegionLoader = Callable[[], Mapping[str, str | None]]


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
    args = parser.parse_args(argv)

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

    result = solve(needs, offers, tree)
    write_allocation(args.out, result.allocations)
    if args.report:
        write_report(args.report, build_report(needs, result))
    print(
        f"allocated {result.allocated} of {sum(n.amount for n in needs)} yuan needed "
        f"({sum(o.capacity for o in offers)} offered) in {len(result.allocations)} allocations; "
        f"objective {result.objective}; solved in {result.solve_seconds:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(run())
