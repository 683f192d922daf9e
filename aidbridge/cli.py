"""The ``aidbridge`` console script: every Django management command, plus the project's own
(serve, demo, regions, ...). ``aidbridge help`` lists them."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidbridge.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["aidbridge", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
