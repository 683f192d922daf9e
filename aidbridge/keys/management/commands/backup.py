from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from aidbridge.keys.backup import BackupError, installation_backup
from aidbridge.keys.prompt import passphrase


class Command(BaseCommand):
    help = (
        "Back up the whole installation into FILE: the database, the keys (sealed with a "
        "passphrase) and the uploads. `aidbridge restore FILE` puts it back into an empty "
        "installation."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--passphrase-file",
            help="read the passphrase from this file's "
            "first line (else AIDBRIDGE_BACKUP_PASSPHRASE, else a prompt)",
        )

    def handle(self, *args, file, passphrase_file, **options):
        secret = passphrase(passphrase_file, new=True)
        try:
            manifest = installation_backup(Path(file), secret)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("Backed up the %(database)s database, the keys and the uploads into %(file)s.")
            % {"database": manifest["database"], "file": file}
        )
