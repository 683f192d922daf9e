from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aidbridge.registry.models import IdSearch
from aidbridge.registry.privacy import search_digest
from aidbridge.registry.selectors import looks_like_resident_id


class Command(BaseCommand):
    help = (
        "The log of searches by full resident ID, newest first: when, who, how many "
        "households each found. `--number ID` keeps the searches for that number (matched "
        "by its keyed digest: the log never holds numbers); `--user` and `--days` narrow."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", help="username")
        parser.add_argument("--days", type=int, default=30, help="how far back (default 30)")
        parser.add_argument("--number", help="a resident ID: only the searches for it")

    def handle(self, *args, user=None, days=30, number=None, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more")
        searches = IdSearch.objects.select_related("user").filter(
            at__gte=timezone.now() - timedelta(days=days)
        )
        if user:
            searches = searches.filter(user__username=user)
        if number:
            number = number.strip().upper()
            if not looks_like_resident_id(number):
                raise CommandError("--number: must be 17 digits followed by a digit or X")
            searches = searches.filter(digest=search_digest(number))
        count = 0
        for search in searches.order_by("-at").iterator():
            when = timezone.localtime(search.at).strftime("%Y-%m-%d %H:%M:%S")
            self.stdout.write(f"{when}\t{search.user.username}\t{search.results}")
            count += 1
        self.stderr.write(f"{count} search(es) in the last {days} day(s).")
