"""The passphrase of a backup: from --passphrase-file, else AIDBRIDGE_BACKUP_PASSPHRASE, else
asked (twice when a new file is written)."""

import getpass
import os
import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

ENV = "AIDBRIDGE_BACKUP_PASSPHRASE"


def passphrase(path: str | None, *, new: bool) -> str:
    if path:
        try:
            with open(path, encoding="utf-8") as file:
                text = file.readline().rstrip("\r\n")
        except OSError as exc:
            raise CommandError(
                _("cannot read the passphrase file: %(error)s") % {"error": exc.strerror}
            ) from None
    elif os.environ.get(ENV):
        text = os.environ[ENV]
    elif sys.stdin.isatty():
        text = getpass.getpass(_("Passphrase: "))
        if new and getpass.getpass(_("Passphrase again: ")) != text:
            raise CommandError(_("the two passphrases differ"))
    else:
        raise CommandError(
            _("give the passphrase with --passphrase-file or %(env)s") % {"env": ENV}
        )
    if new and len(text) < 12:
        raise CommandError(_("use a passphrase of at least 12 characters"))
    if not text:
        raise CommandError(_("the passphrase is empty"))
    return text
