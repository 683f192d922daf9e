"""`aidbridge monitoring <action>`: one subcommand per action, each a thin call into the
monitoring app. ACTIONS maps an action to (help, add_arguments(parser), run(command, options))."""

from django.core.management.base import BaseCommand, CommandError

from aidbridge.monitoring import cli_procedure

ACTIONS: dict = {}
ACTIONS["daily"] = (cli_procedure.HELP, cli_procedure.arguments, cli_procedure.run)


class Command(BaseCommand):
    help = "Relapse monitoring: " + ", ".join(ACTIONS) if ACTIONS else "Relapse monitoring."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        for name, (text, arguments, _run) in ACTIONS.items():
            arguments(actions.add_parser(name, help=text))

    def handle(self, *args, action, **options):
        if action not in ACTIONS:
            raise CommandError(f"unknown action {action}")
        ACTIONS[action][2](self, options)
