"""`aidbridge grievances <action>`: one subcommand per action, each a thin call into the
grievances app. ACTIONS maps an action to (help, add_arguments(parser), run(command, options))."""

from django.core.management.base import BaseCommand, CommandError

from aidbridge.grievances import cli

ACTIONS: dict = {}
ACTIONS["daily"] = (cli.HELP, cli.arguments, cli.run)


class Command(BaseCommand):
    help = "Grievances: " + ", ".join(ACTIONS) if ACTIONS else "Grievances."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        for name, (text, arguments, _run) in ACTIONS.items():
            arguments(actions.add_parser(name, help=text))

    def handle(self, *args, action, **options):
        if action not in ACTIONS:
            raise CommandError(f"unknown action {action}")
        ACTIONS[action][2](self, options)
