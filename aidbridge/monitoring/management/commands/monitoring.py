"""`aidbridge monitoring <action>`: one subcommand per action, each a thin call into the
monitoring app. ACTIONS maps an action to (help, add_arguments(parser), run(command, options))."""

from django.core.management.base import BaseCommand, CommandError

from aidbridge.monitoring import cli_procedure, cli_score, cli_screen

ACTIONS: dict = {}
ACTIONS["screen"] = (
    "screen a department file for leads",
    cli_screen.screen_arguments,
    cli_screen.screen_run,
)
ACTIONS["leads"] = ("print the open leads as CSV", cli_screen.leads_arguments, cli_screen.leads_run)
ACTIONS["score"] = (
    "score every household's relapse risk (nightly)",
    cli_score.score_arguments,
    cli_score.score_run,
)
ACTIONS["evaluate"] = (
    "train the risk model, evaluate it against the rules on held-out households",
    cli_score.evaluate_arguments,
    cli_score.evaluate_run,
)
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
