import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput
from aidbridge.ledger.keys import ledger_signer
from aidbridge.ledger.models import LedgerCorrupt
from aidbridge.ledger.services import checkpoint_make, ledger_check


class Command(BaseCommand):
    help = (
        "The tamper-evident ledger. `aidbridge ledger verify` re-checks every entry against "
        "its hash and every signed checkpoint against the entries, and exits with status 1 "
        "naming the first entry (or checkpoint) that does not match, and raises the alarm (the "
        "ledger page, the administrators); a verification that passes clears it. `aidbridge ledger "
        "checkpoint` signs the current size and root and prints the signed note; run it "
        "regularly. `aidbridge ledger key` prints the verifier key to publish for receipts."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check every entry and checkpoint")
        sub.add_parser("checkpoint", help="sign the ledger's current size and root")
        sub.add_parser("key", help="print the verifier key of the checkpoints")

    def handle(self, *args, action, **options):
        if action == "verify":
            self.verify()
        elif action == "checkpoint":
            try:
                checkpoint = checkpoint_make()
            except (InvalidInput, LedgerCorrupt) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(checkpoint.note, ending="")
        else:
            self.stdout.write(ledger_signer().verifier.vkey)

    def verify(self):
        start = time.perf_counter()
        report = ledger_check()
        seconds = time.perf_counter() - start
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(report.problems[0])
        self.stdout.write(
            _("%(entries)s entries and %(checkpoints)s checkpoints verified in %(seconds).1f s.")
            % {"entries": report.entries, "checkpoints": report.checkpoints, "seconds": seconds}
        )
