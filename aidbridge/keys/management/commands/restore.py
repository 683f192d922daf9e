from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aidbridge.errors import InvalidInput
from aidbridge.keys.backup import BackupError, installation_restore
from aidbridge.keys.prompt import passphrase


class Command(BaseCommand):
    help = (
        "Restore a backup made by `aidbridge backup` into this installation, whose database "
        "must hold no data yet (same kind: SQLite or PostgreSQL) and whose data folder "
        "(AIDBRIDGE_HOME) no other keys. --replace overwrites both."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--passphrase-file",
            help="read the passphrase from this file's "
            "first line (else AIDBRIDGE_BACKUP_PASSPHRASE, else a prompt)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a database that holds data, and other key files",
        )

    def handle(self, *args, file, passphrase_file, replace, **options):
        secret = passphrase(passphrase_file, new=False)
        try:
            done = installation_restore(Path(file), secret, replace=replace)
        except (BackupError, InvalidInput) as exc:
            raise CommandError(str(exc)) from None
        for line in done:
            self.stdout.write(line)
