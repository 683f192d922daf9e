from django.core.management.base import BaseCommand, CommandError

from aidbridge.accounts.models import User
from aidbridge.accounts.services import totp_reset


class Command(BaseCommand):
    help = (
        "Turn off the two-step login of an account (its owner lost the phone); they set "
        "it up again at their next login."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no account is called {username}")
        removed = totp_reset(by=None, user=user)
        self.stdout.write(
            f"{username}: two-step login turned off"
            if removed
            else f"{username} had no two-step login"
        )
