"""`aidbridge assessment <action>`: one subcommand per action, each a thin call into the
assessment app. ACTIONS maps an action to (help, add_arguments(parser), run(command, options))."""

from django.core.management.base import BaseCommand, CommandError

from aidbridge.assessment import cli

ACTIONS: dict = {}
ACTIONS["compute"] = (
    "compute a county's assessment for a year",
    cli.compute_arguments,
    cli.compute_run,
)
ACTIONS["report"] = (
    "write a county's assessment report as PDF or XLSX",
    cli.report_arguments,
    cli.report_run,
)


class Command(BaseCommand):
    help = "County assessment: " + ", ".join(ACTIONS) if ACTIONS else "County assessment."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        for name, (text, arguments, _run) in ACTIONS.items():
            arguments(actions.add_parser(name, help=text))

    def handle(self, *args, action, **options):
        if action not in ACTIONS:
            raise CommandError(f"unknown action {action}")
        ACTIONS[action][2](self, options)
