from django.core.management.base import BaseCommand
from django.utils import timezone

from aidbridge.needs.claims import claims_release_overdue
from aidbridge.needs.services import needs_expire


class Command(BaseCommand):
    help = (
        "Needs. `aidbridge needs daily` releases pledges not delivered by their date back "
        "to their needs, then expires published needs past their deadline that nobody "
        "claimed; run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["daily"])

    def handle(self, *args, action, **options):
        today = timezone.localdate()
        released = claims_release_overdue(today=today)
        expired = needs_expire(today=today)
        self.stdout.write(f"{released} overdue pledge(s) released, {expired} need(s) expired.")
