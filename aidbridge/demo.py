"""The whole site's demo: the region tree, one account per role and level, generated
households and, around them, cases, needs, offers, projects and their money. Each app keeps
its own demo module; this one, at the top of the layers, calls them in order."""

import time
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from aidbridge.donations import demo as donations_demo
from aidbridge.helpers.demo import demo_cast
from aidbridge.insights import demo as insights_demo
from aidbridge.ledger.services import checkpoint_make
from aidbridge.matching import demo as matching_demo
from aidbridge.needs import demo as needs_demo
from aidbridge.projects import demo as projects_demo
from aidbridge.regions.models import Region
from aidbridge.regions.services import read_region_csv, regions_load
from aidbridge.registry import cases_demo
from aidbridge.registry import demo as households_demo
from aidbridge.registry.models import Member

Say = Callable[[str], None]


def load(
    *,
    say: Say,
    if_empty: bool = False,
    households: int = 0,
    seed: int = 1,
    export_csv: Path | None = None,
) -> list:
    """Load the demo, telling ``say`` what was made; return the demo accounts."""
    if if_empty and Region.objects.exists():
        say("Demo data already present; nothing loaded.")
    else:
        data = files("aidbridge.regions").joinpath("data/liangshan.csv").read_bytes()
        counts = regions_load(rows=read_region_csv(data))
        say(
            f"Regions: {counts['created']} created, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged."
        )
    users = demo_cast()
    if export_csv:
        path = households_demo.export_csv(n=households, seed=seed, directory=export_csv)
        say(f"\nWrote {path} and {path.parent / 'planted_errors.csv'}.")
        return users
    if households > 0:
        _households(households, seed, say)
    if cases := cases_demo.load():
        say(
            f"Procedures: {cases} entry and exit cases in village "
            f"{cases_demo.VILLAGE}, one announced, the others waiting "
            f"for their next step."
        )
    if households_demo.rules_load():
        say(
            "Identification rules: Sichuan's from 2020, set by "
            f"province-{households_demo.PROVINCE} (Households → Identification rules)."
        )
    made = needs_demo.load(seed=seed)
    if made["needs"]:
        say(
            f"Needs: {made['needs']} created in every status, "
            f"{len(made['planted'])} planted false or duplicate needs "
            f"for the filters to catch."
        )
    if matching_demo.load():
        say("Offers and pairings created for matching rounds.")
    if projects_demo.load(money=donations_demo.flows):
        checkpoint_make()
        say(
            "Projects created in every stage and every typology model, "
            "with their donations and money flows in the ledger."
        )
    return users


def _households(n: int, seed: int, say: Say) -> None:
    say(f"\nLoading {n:,} households (seed {seed}):")
    shown = [0]

    def progress(done, total):
        tenth = done * 10 // total
        if tenth > shown[0]:
            shown[0] = tenth
            say(f"  {tenth * 10:3d}%  {done:,} / {total:,}")

    members = Member.objects.count()
    start = time.perf_counter()
    created = households_demo.load(n=n, seed=seed, progress=progress)
    seconds = time.perf_counter() - start
    members = Member.objects.count() - members
    say(
        f"Households: {created:,} created ({members:,} members, "
        f"{n - created:,} already there) in {seconds:.1f} s "
        f"({created / seconds:,.0f} households/s)."
    )
    regions = insights_demo.populate(seed=seed)
    say(f"Populations: {regions:,} regions, for poverty incidence.")
