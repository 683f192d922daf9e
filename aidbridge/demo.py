"""The whole site's demo: the region tree, one account per role and level, generated
households and, around them, cases, needs, offers, projects and their money. Each app keeps
its own demo module; this one, at the top of the layers, calls them in order."""

import time
from collections import Counter
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from aidbridge.accounts.demo import DEMO_COUNTY
from aidbridge.assessment import demo as assessment_demo
from aidbridge.donations.models import Donation
from aidbridge.grievances import demo as grievances_demo
from aidbridge.helpers.demo import demo_cast
from aidbridge.insights import demo as insights_demo
from aidbridge.ledger.models import Entry
from aidbridge.ledger.services import checkpoint_make
from aidbridge.matching import demo as matching_demo
from aidbridge.monitoring import demo as monitoring_demo
from aidbridge.monitoring import demo_channels as monitoring_channels_demo
from aidbridge.monitoring import risk_demo
from aidbridge.needs import demo as needs_demo
from aidbridge.needs import lifecycle
from aidbridge.needs.models import Need
from aidbridge.projects import demo as projects_demo
from aidbridge.regions.models import Region
from aidbridge.regions.services import read_region_csv, regions_load
from aidbridge.registry import cases_demo
from aidbridge.registry import demo as households_demo
from aidbridge.registry.models import Member, ProcedureCase
from aidbridge.spending import demo as spending_demo
from aidbridge.supervision import demo as supervision_demo

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
        added = households_demo.showcase(village_code=cases_demo.VILLAGE, seed=seed)
        if added:
            say(
                f"Village {cases_demo.VILLAGE}: {added} more households, so that its "
                f"procedure cases and needs have households to be about."
            )
        # After the village's top-up, so its incidence counts its households too.
        regions = insights_demo.populate(seed=seed)
        say(f"Populations: {regions:,} regions, for poverty incidence.")
        if risk := risk_demo.load(seed=seed):
            say(
                f"Risk: income histories {risk_demo.YEARS[0]}-{risk_demo.YEARS[-1]} for "
                f"{risk['histories']:,} households; {risk['households']:,} scored by "
                f"{risk['method']}, {risk['high']:,} at 60 or more."
            )
    if cases := cases_demo.load():
        stages = Counter(
            ProcedureCase.objects.filter(household__village__code=cases_demo.VILLAGE).values_list(
                "stage", flat=True
            )
        )
        say(
            f"Procedures: {cases} entry and exit cases in village {cases_demo.VILLAGE} "
            f"({_listed(stages)})."
        )
    if households_demo.rules_load():
        say(
            "Identification rules: Sichuan's from 2020, set by "
            f"province-{households_demo.PROVINCE} (Households → Identification rules)."
        )
    made = needs_demo.load(seed=seed)
    if made["needs"]:
        statuses = Counter(Need.objects.values_list("status", flat=True))
        public = Need.objects.filter(status__in=[s.value for s in lifecycle.PUBLIC]).count()
        flagged = Need.objects.filter(flags__isnull=False).distinct().count()
        say(
            f"Needs: {made['needs']} created ({_listed(statuses)}; {public} on the portal); "
            f"{len(made['planted'])} planted false or duplicate needs, {flagged} needs with "
            f"findings of the filters in all."
        )
    if offers := matching_demo.load():
        say(f"Offers: {offers} for matching rounds, with pairings.")
    if sent := matching_demo.send_round():
        say(f"Matching: a round over county {DEMO_COUNTY} sent {sent} proposals to helpers.")
    if projects := projects_demo.load(money=spending_demo.flows):
        checkpoint_make()
        donations = Counter(Donation.objects.values_list("status", flat=True))
        say(
            f"Projects: {projects} in every stage and typology model, with "
            f"{sum(donations.values())} donations ({_listed(donations)}) and their money "
            f"flows in the ledger ({Entry.objects.count()} entries)."
        )
    if monitoring := monitoring_demo.load():
        say(
            f"Monitoring: {monitoring['leads']} leads at every step in village "
            f"{monitoring_demo.VILLAGE} ({monitoring['escalated']} overdue, escalated), "
            f"{monitoring['monitored']} monitored households with plans, one risk eliminated."
        )
    if leads := monitoring_channels_demo.load():
        say(
            f"Monitoring: {leads} leads from people in village {cases_demo.VILLAGE} (a portal "
            "self-report to link, a recorded call, a helper's visit); org-lsfund visits two "
            "of its households."
        )
    if grievances := grievances_demo.load():
        say(
            f"Grievances: {grievances['grievances']} complaints in Muli (one decided, "
            f"{grievances['escalated']} escalated by the daily job, one of violence at the "
            "county at once); follow them under Grievances, or on the portal by their code."
        )
    if inspection := supervision_demo.load():
        say(
            f"Supervision: plan {inspection['plan']} drawn over the households of county "
            f"{supervision_demo.COUNTY} ({inspection['visits']} visits, {inspection['recorded']} "
            f"recorded); {inspection['orders']} rectification orders (closed with an "
            f"accountability record, answered, open); {inspection['villages']} villages "
            "visited for the omission check."
        )
    if assessment := assessment_demo.load():
        verdict = "vetoed" if assessment.vetoed_by else "passed" if assessment.passed else "failed"
        say(
            f"Assessment: county {DEMO_COUNTY}'s {assessment.year} assessment computed from "
            f"{len(assessment.evidence)} sampled visits, reviewed and published "
            f"(score {assessment.total} / {assessment.maximum}, {verdict})."
        )
    return users


def _listed(counts: Counter) -> str:
    """``{"a": 2, "b": 1}`` as "a 2, b 1", largest first."""
    return ", ".join(f"{key} {n}" for key, n in counts.most_common())


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
