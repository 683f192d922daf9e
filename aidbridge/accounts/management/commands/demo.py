from importlib.resources import files

from django.core.management.base import BaseCommand

from aidbridge.accounts.demo import DEMO_PASSWORD, demo_accounts
from aidbridge.regions.models import Region
from aidbridge.regions.services import read_region_csv, regions_load


class Command(BaseCommand):
    help = ("Load the demo: the real region tree of Liangshan Prefecture, Sichuan, and one "
            "account per role and level (password demo12345).")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="load only when the database has no regions yet")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Region.objects.exists():
            self.stdout.write("Demo data already present; nothing loaded.")
        else:
            data = files("aidbridge.regions").joinpath("data/liangshan.csv").read_bytes()
            counts = regions_load(rows=read_region_csv(data))
            self.stdout.write(f"Regions: {counts['created']} created, "
                              f"{counts['updated']} updated, {counts['unchanged']} unchanged.")
        users = demo_accounts()
        self.stdout.write(f"\nDemo logins (password {DEMO_PASSWORD}):")
        for user in users:
            where = f"{user.region.name_zh} {user.region.code}" if user.region else (
                user.organization.name_zh if user.organization else "")
            self.stdout.write(f"  {user.username:<28} {user.get_role_display():<18} {where}")
