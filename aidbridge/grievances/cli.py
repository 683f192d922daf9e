"""`aidbridge grievances daily`: the daily job (grievances.services.grievances_daily)."""

from datetime import date, datetime, time

from django.core.management.base import CommandError
from django.utils import timezone

from aidbridge.grievances.services import grievances_daily

HELP = "mark grievances at risk and escalate overdue ones up the region tree (run daily)"


def arguments(parser) -> None:
    parser.add_argument("--today", help="run as at the end of this day (YYYY-MM-DD; default: now)")


def run(command, options) -> None:
    now = None
    if options.get("today"):
        try:
            day = date.fromisoformat(options["today"])
        except ValueError as exc:
            raise CommandError("--today must be a date YYYY-MM-DD") from exc
        now = timezone.make_aware(datetime.combine(day, time(23, 59)))
    done = grievances_daily(now=now or timezone.now())
    command.stdout.write(
        f"escalated: {done['escalated']}, at risk: {done['at_risk']}, "
        f"overdue at the top: {done['overdue_at_top']}"
    )
