"""`aidbridge monitoring <action>`: one subcommand per action, each a thin call into the
monitoring app. ACTIONS maps an action to (help, add_arguments(parser), run(command, options))."""

from aidbridge.actions import ActionCommand
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


class Command(ActionCommand):
    title = "Relapse monitoring"
    actions = ACTIONS
