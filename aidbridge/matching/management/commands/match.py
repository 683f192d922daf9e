import sys

from django.core.management.base import BaseCommand

from aidbridge.matching.cli import run
from aidbridge.matching.services import region_parents


class Command(BaseCommand):
    help = (
        "Allocate offers to needs optimally: aidbridge match --needs needs.csv "
        "--offers offers.csv [--regions regions.csv] --out allocation.csv "
        "[--report report.json]. Without --regions the application's region tree is used."
    )

    def run_from_argv(self, argv):
        sys.exit(run(argv[2:], load_regions_from_database=region_parents))
