"""`aidbridge supervision daily`: escalate the overdue rectification orders (run it once a
day, from cron or a systemd timer; running it again the same day changes nothing)."""

from datetime import date

from aidbridge.supervision.orders import orders_escalate


def daily_arguments(parser) -> None:
    parser.add_argument(
        "--today", type=date.fromisoformat, help="the day to run as (YYYY-MM-DD; default today)"
    )


def daily_run(command, options) -> None:
    escalated = orders_escalate(today=options.get("today"))
    command.stdout.write(f"escalated {escalated} overdue rectification orders")
