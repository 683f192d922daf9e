"""`aidbridge supervision <action>`: one subcommand per action, each a thin call into the
supervision app. ACTIONS maps an action to (help, add_arguments(parser), run(command, options))."""

from aidbridge.actions import ActionCommand
from aidbridge.supervision import cli, cli_daily

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
ACTIONS["daily"] = (
    "escalate overdue rectification orders up the region tree (once a day)",
    cli_daily.daily_arguments,
    cli_daily.daily_run,
)


class Command(ActionCommand):
    title = "Supervision"
    actions = ACTIONS
