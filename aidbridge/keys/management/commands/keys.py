from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput
from aidbridge.keys.bundle import BundleError, bundle_open, bundle_seal
from aidbridge.keys.fingerprints import fingerprint, stored_fingerprints
from aidbridge.keys.models import KeyName
from aidbridge.keys.prompt import passphrase
from aidbridge.keys.services import keys_export, keys_install
from aidbridge.keys.store import ledger_seed, pii_key
from aidbridge.ledger.keys import ledger_signer
from aidbridge.ledger.models import LedgerCorrupt
from aidbridge.ledger.services import ledger_key_rotate
from aidbridge.registry.rekey import resident_id_key_rotate
from aidbridge.registry.selectors import resident_ids_check


class Command(BaseCommand):
    help = (
        "The keys of the installation (the resident-ID key and the ledger signing key, kept "
        "in the data folder, AIDBRIDGE_HOME). `status` compares them with the fingerprints "
        "in the database, `check` also opens every stored resident ID; `backup FILE` writes "
        "them passphrase-protected, `restore FILE` puts them back; `rotate-id` re-seals every "
        "resident ID under a new key, in batches, resuming where it was interrupted; "
        "`rotate-ledger` hands the ledger's signing over to a new key."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="the keys in use and the database's fingerprints")
        sub.add_parser("check", help="status, and open every stored resident ID")
        backup = sub.add_parser("backup", help="write the keys to FILE, passphrase-protected")
        restore = sub.add_parser("restore", help="put the keys of FILE into the data folder")
        for p in (backup, restore):
            p.add_argument("file")
            p.add_argument(
                "--passphrase-file",
                help="read the passphrase from this file's "
                "first line (else AIDBRIDGE_BACKUP_PASSPHRASE, else a prompt)",
            )
        restore.add_argument(
            "--replace", action="store_true", help="overwrite key files that hold other keys"
        )
        rotate = sub.add_parser(
            "rotate-id",
            help="re-seal every resident ID under a new key "
            "(stop the server first; resumes where it was interrupted)",
        )
        rotate.add_argument("--batch", type=int, default=2000, help="members per transaction")
        sub.add_parser(
            "rotate-ledger",
            help="hand the ledger's signing over to a new key, "
            "in a ledger entry signed by the old one",
        )

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_rotate_id(self, *, batch, **options):
        def progress(done, total):
            self.stdout.write(
                _("%(done)s of %(total)s members re-sealed") % {"done": done, "total": total}
            )

        try:
            new = resident_id_key_rotate(batch=max(batch, 1), progress=progress)
        except InvalidInput as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "The resident-ID key is now %(fingerprint)s; the old one is kept "
                "beside it as pii_key.old-<date>. Back the new key up."
            )
            % {"fingerprint": new}
        )

    def do_rotate_ledger(self, **options):
        try:
            entry = ledger_key_rotate()
        except (InvalidInput, LedgerCorrupt) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("Entry %(seq)s hands the signing over to the new key; publish it beside the old one:")
            % {"seq": entry.seq}
        )
        self.stdout.write(ledger_signer().verifier.vkey)

    def do_status(self, **options):
        stored = stored_fingerprints()
        for name, load in ((KeyName.PII, pii_key), (KeyName.LEDGER, ledger_seed)):
            key, source = load()
            self.stdout.write(
                _("%(key)s: %(fingerprint)s from %(source)s; the database's: %(stored)s")
                % {
                    "key": KeyName(name).label,
                    "fingerprint": fingerprint(key),
                    "source": source,
                    "stored": stored.get(name, _("none yet")),
                }
            )

    def do_check(self, **options):
        self.do_status()
        ledger_signer()  # refuses a ledger key that differs from the database's
        total, bad = resident_ids_check()  # so does the resident-ID key
        if bad:
            raise CommandError(
                _("%(bad)s of %(total)s resident IDs do not open with this key")
                % {"bad": bad, "total": total}
            )
        self.stdout.write(_("All %(total)s resident IDs open with this key.") % {"total": total})

    def do_backup(self, *, file, passphrase_file, **options):
        sealed = bundle_seal(keys_export(), passphrase(passphrase_file, new=True))
        Path(file).write_bytes(sealed)
        Path(file).chmod(0o600)
        self.stdout.write(
            _(
                "The keys are in %(file)s. Keep it, and its passphrase, apart "
                "from the database's backups."
            )
            % {"file": file}
        )

    def do_restore(self, *, file, passphrase_file, replace, **options):
        try:
            keys = bundle_open(Path(file).read_bytes(), passphrase(passphrase_file, new=False))
        except (OSError, BundleError) as exc:
            raise CommandError(f"{file}: {getattr(exc, 'strerror', None) or exc}") from None
        try:
            done = keys_install(keys, replace=replace)
        except InvalidInput as exc:
            raise CommandError(str(exc)) from None
        for line in done:
            self.stdout.write(line)
