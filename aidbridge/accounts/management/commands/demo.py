import time
from importlib.resources import files
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aidbridge.accounts.demo import DEMO_PASSWORD, demo_accounts
from aidbridge.donations import demo as donations_demo
from aidbridge.ledger.services import checkpoint_make
from aidbridge.matching import demo as matching_demo
from aidbridge.needs import demo as needs_demo
from aidbridge.projects import demo as projects_demo
from aidbridge.regions import demo as regions_demo
from aidbridge.regions.models import Region
from aidbridge.regions.services import read_region_csv, regions_load
from aidbridge.registry import cases_demo
from aidbridge.registry import demo as households_demo
from aidbridge.registry.models import Member


class Command(BaseCommand):
    help = ("Load the demo: the real region tree of Liangshan Prefecture, Sichuan, one "
            "account per role and level (password demo12345) and, with --households N, N "
            "generated households, with demo helpers and needs in the demo county.")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="load regions only when the database has no regions yet")
        parser.add_argument("--households", type=int, default=0, metavar="N",
                            help="also load N generated households (default 0: none)")
        parser.add_argument("--seed", type=int, default=1,
                            help="seed of the generated households (default 1)")
        parser.add_argument("--export-csv", type=Path, metavar="DIR",
                            help="write the N households to DIR/households.csv in the import "
                                 "template, with errors planted and listed in "
                                 "DIR/planted_errors.csv, instead of loading them")

    def handle(self, *args, if_empty=False, households=0, seed=1, export_csv=None, **options):
        if export_csv and households <= 0:
            raise CommandError("--export-csv needs --households N")
        if if_empty and Region.objects.exists():
            self.stdout.write("Demo data already present; nothing loaded.")
        else:
            data = files("aidbridge.regions").joinpath("data/liangshan.csv").read_bytes()
            counts = regions_load(rows=read_region_csv(data))
            self.stdout.write(f"Regions: {counts['created']} created, "
                              f"{counts['updated']} updated, {counts['unchanged']} unchanged.")
        users = demo_accounts()
        if export_csv:
            path = households_demo.export_csv(n=households, seed=seed, directory=export_csv)
            self.stdout.write(f"\nWrote {path} and {path.parent / 'planted_errors.csv'}.")
        elif households > 0:
            self._load(households, seed)
        if not export_csv:
            if cases := cases_demo.load():
                self.stdout.write(f"Procedures: {cases} entry and exit cases in village "
                                  f"{cases_demo.VILLAGE}, one announced, the others waiting "
                                  f"for their next step.")
            made = needs_demo.load(seed=seed)
            if made["needs"]:
                self.stdout.write(f"Needs: {made['needs']} created in every status, "
                                  f"{len(made['planted'])} planted false or duplicate needs "
                                  f"for the filters to catch.")
            if matching_demo.load():
                self.stdout.write("Offers and pairings created for matching rounds.")
            if projects_demo.load(money=donations_demo.flows):
                checkpoint_make()
                self.stdout.write("Projects created in every stage and every typology model, "
                                  "with their donations and money flows in the ledger.")
        self.stdout.write(f"\nDemo logins (password {DEMO_PASSWORD}):")
        for user in users:
            where = f"{user.region.name_zh} {user.region.code}" if user.region else (
                user.organization.name_zh if user.organization else "")
            self.stdout.write(f"  {user.username:<28} {user.get_role_display():<18} {where}")

    def _load(self, n: int, seed: int) -> None:
        self.stdout.write(f"\nLoading {n:,} households (seed {seed}):")
        shown = [0]

        def progress(done, total):
            tenth = done * 10 // total
            if tenth > shown[0]:
                shown[0] = tenth
                self.stdout.write(f"  {tenth * 10:3d}%  {done:,} / {total:,}")

        members = Member.objects.count()
        start = time.perf_counter()
        created = households_demo.load(n=n, seed=seed, progress=progress)
        seconds = time.perf_counter() - start
        members = Member.objects.count() - members
        self.stdout.write(f"Households: {created:,} created ({members:,} members, "
                          f"{n - created:,} already there) in {seconds:.1f} s "
                          f"({created / seconds:,.0f} households/s).")
        regions = regions_demo.populate(seed=seed)
        self.stdout.write(f"Populations: {regions:,} regions, for poverty incidence.")
