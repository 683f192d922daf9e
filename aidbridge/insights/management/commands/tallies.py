from django.core.management.base import BaseCommand

from aidbridge.insights.tally import tally_rebuild


class Command(BaseCommand):
    help = (
        "aidbridge tallies rebuild: recount the dashboards' figures of every village from "
        "the households (the registry's writers keep them up to date; use this after "
        "changing households outside the application)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args, action, **options):
        self.stdout.write(f"Recounted {tally_rebuild():,} villages.")
