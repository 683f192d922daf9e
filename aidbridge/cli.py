"""The ``aidbridge`` console script: every Django management command, plus the project's own
(serve, demo, regions, ...). ``aidbridge help`` lists them."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidbridge.settings")
    from django.core.management import execute_from_command_line

    from aidbridge.keys.errors import KeyMismatch

    try:
        execute_from_command_line(["aidbridge", *(sys.argv[1:] if argv is None else argv)])
    except KeyMismatch as exc:  # one clear line, not a traceback
        sys.stderr.write(f"aidbridge: {exc}\n")
        sys.exit(1)
    except BrokenPipeError:  # the reader stopped early (``aidbridge ... | head``): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python flushes stdout again at exit
        sys.exit(0)


if __name__ == "__main__":
    main()
