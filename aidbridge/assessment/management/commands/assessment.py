"""`aidbridge assessment <action>`: one subcommand per action, each a thin call into the
assessment app. ACTIONS maps an action to (help, add_arguments(parser), run(command, options))."""

from aidbridge.actions import ActionCommand
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


class Command(ActionCommand):
    title = "County assessment"
    actions = ACTIONS
