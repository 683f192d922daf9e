"""`aidbridge monitoring daily`: the procedure's daily job (monitoring.cases.daily)."""

from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from aidbridge.monitoring.cases import daily

HELP = "close the public notices whose days have passed and escalate overdue steps"


def arguments(parser) -> None:
    parser.add_argument("--today", help="the day to run for (YYYY-MM-DD; default today)")


def run(command, options) -> None:
    try:
        today = date.fromisoformat(options["today"]) if options.get("today") else None
    except ValueError as exc:
        raise CommandError("--today must be a date YYYY-MM-DD") from exc
    done = daily(today=today or timezone.localdate())
    command.stdout.write(f"notices closed: {done['closed']}, steps escalated: {done['escalated']}")
