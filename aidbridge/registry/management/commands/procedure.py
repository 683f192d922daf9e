from django.core.management.base import BaseCommand
from django.utils import timezone

from aidbridge.registry.cases import close_due_notices


class Command(BaseCommand):
    help = (
        "Entry and exit procedures. `aidbridge procedure close-due` closes every public "
        "notice whose days have passed without a pending objection; run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["close-due"])

    def handle(self, *args, action, **options):
        closed = close_due_notices(today=timezone.localdate())
        self.stdout.write(f"{closed} public notice(s) closed.")
