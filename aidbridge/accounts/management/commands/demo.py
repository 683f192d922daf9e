from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aidbridge import demo
from aidbridge.accounts.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo: the real region tree of Liangshan Prefecture, Sichuan, one "
        "account per role and level (password demo12345) and, with --households N, N "
        "generated households, with demo helpers and needs in the demo county."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load regions only when the database has no regions yet",
        )
        parser.add_argument(
            "--households",
            type=int,
            default=0,
            metavar="N",
            help="also load N generated households (default 0: none)",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="seed of the generated households (default 1)"
        )
        parser.add_argument(
            "--export-csv",
            type=Path,
            metavar="DIR",
            help="write the N households to DIR/households.csv in the import "
            "template, with errors planted and listed in "
            "DIR/planted_errors.csv, instead of loading them",
        )

    def handle(self, *args, if_empty=False, households=0, seed=1, export_csv=None, **options):
        if export_csv and households <= 0:
            raise CommandError("--export-csv needs --households N")
        users = demo.load(
            say=self.stdout.write,
            if_empty=if_empty,
            households=households,
            seed=seed,
            export_csv=export_csv,
        )
        self.stdout.write(f"\nDemo logins (password {DEMO_PASSWORD}):")
        for user in users:
            where = (
                f"{user.region.name_zh} {user.region.code}"
                if user.region
                else (user.organization.name_zh if user.organization else "")
            )
            self.stdout.write(f"  {user.username:<28} {user.get_role_display():<18} {where}")
