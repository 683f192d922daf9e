"""`aidbridge supervision <action>`: one subcommand per action, each a thin call into the
supervision app. ACTIONS maps an action to (help, add_arguments(parser), run(command, options))."""

from django.core.management.base import BaseCommand, CommandError

from aidbridge.supervision import cli

ACTIONS: dict = {}
ACTIONS["plans"] = ("list the plans: id, status, title", cli.plans_arguments, cli.plans_run)
ACTIONS["draw-file"] = (
    "print a published plan's draw as JSON",
    cli.draw_file_arguments,
    cli.draw_file_run,
)
ACTIONS["verify"] = (
    "re-compute a published draw (exit 0 when it holds, 1 when not)",
    cli.verify_arguments,
    cli.verify_run,
)


class Command(BaseCommand):
    help = "Supervision: " + ", ".join(ACTIONS) if ACTIONS else "Supervision."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        for name, (text, arguments, _run) in ACTIONS.items():
            arguments(actions.add_parser(name, help=text))

    def handle(self, *args, action, **options):
        if action not in ACTIONS:
            raise CommandError(f"unknown action {action}")
        ACTIONS[action][2](self, options)
