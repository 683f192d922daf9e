import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput
from aidbridge.ledger.models import LedgerCorrupt
from aidbridge.ledger.proofs import ProofFileError, receipt_verify
from aidbridge.ledger.selectors import entry_receipt

KEY_HELP = (
    "the ledger's verifier key as its operator publishes it (`aidbridge ledger key`, the "
    "portal). Without it, the key written in the file is used, and that proves little: "
    "whoever forges a receipt signs it with a key of their own and puts that key in the file. "
    "Only a key obtained apart from the file shows that the ledger itself vouches for the entry."
)


class Command(BaseCommand):
    help = (
        "Receipts of ledger entries. `aidbridge receipt show SEQ > receipt.json` writes the "
        "receipt of entry SEQ: the entry, its inclusion proof and the signed checkpoint. "
        "`aidbridge receipt verify FILE --key KEY` checks a receipt offline, without the "
        "database, and exits with status 1 if it does not verify."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="print the receipt of an entry as JSON")
        show.add_argument("seq", type=int)
        verify = sub.add_parser("verify", help="check a receipt offline")
        verify.add_argument("file", type=Path)
        verify.add_argument("--key", help=KEY_HELP)

    def handle(self, *args, action, **options):
        if action == "show":
            try:
                receipt = entry_receipt(seq=options["seq"])
            except (InvalidInput, LedgerCorrupt) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(json.dumps(receipt, ensure_ascii=False, indent=2))
        else:
            self.verify(options["file"], options["key"])

    def verify(self, file: Path, key: str | None):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        try:
            result = receipt_verify(data, trusted_key=key)
        except ProofFileError as exc:
            raise CommandError(f"{file}: {exc.translated()}") from exc
        entry = result.entry
        self.stdout.write(
            _(
                "%(file)s: entry %(seq)s (%(kind)s, %(date)s) is in the ledger %(origin)s, in its "
                "checkpoint of %(size)s entries signed by %(key)s."
            )
            % {
                "file": file,
                "seq": entry["seq"],
                "kind": entry["kind"],
                "date": entry["date"],
                "origin": result.checkpoint.origin,
                "size": result.checkpoint.size,
                "key": result.verifier.vkey,
            }
        )
        if result.key_from_file:
            self.stderr.write(
                _(
                    "Checked against the key inside the file; pass --key with the ledger's "
                    "published key to know who signed it."
                )
            )
