"""`aidbridge grievances <action>`: one subcommand per action, each a thin call into the
grievances app. ACTIONS maps an action to (help, add_arguments(parser), run(command, options))."""

from aidbridge.actions import ActionCommand
from aidbridge.grievances import cli

ACTIONS: dict = {}
ACTIONS["daily"] = (cli.HELP, cli.arguments, cli.run)


class Command(ActionCommand):
    title = "Grievances"
    actions = ACTIONS
