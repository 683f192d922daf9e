"""Commands made of actions, ``aidbridge <app> <action> ...``: an app's command subclasses
ActionCommand with its ``title`` and ``actions``, a dict of action -> (help,
add_arguments(parser), run(command, options)), each a thin call into the app."""

from django.core.management.base import BaseCommand


class ActionCommand(BaseCommand):
    title = ""
    actions: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.help = f"{self.title}: {', '.join(self.actions)}"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        for name, (text, arguments, _run) in self.actions.items():
            arguments(actions.add_parser(name, help=text))

    def handle(self, *args, action, **options):
        self.actions[action][2](self, options)
