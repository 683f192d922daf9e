"""The key that signs the ledger's checkpoints.

The signer is named by ``settings.LEDGER_ORIGIN`` (AIDBRIDGE_LEDGER_ORIGIN), which is also the
origin line of every checkpoint, as C2SP tlog-checkpoint recommends. Its Ed25519 seed comes
from ``settings.LEDGER_KEY`` (AIDBRIDGE_LEDGER_KEY: 32 bytes as 64 hex digits or base64), else
from the file ledger_key in the data folder (AIDBRIDGE_HOME), made on first use. The seed never
enters the database, so a copy of the database cannot forge checkpoints; its fingerprint does,
and a process with another key refuses to sign or verify (aidbridge/keys/fingerprints.py).
Publish ``ledger_signer().verifier.vkey`` (``aidbridge ledger key``) where donors find it apart
from their receipts.
"""

from django.conf import settings

from aidbridge.keys.fingerprints import key_check
from aidbridge.keys.models import KeyName
from aidbridge.keys.store import ledger_seed
from aidbridge.ledger.checkpoint import Signer


def ledger_signer() -> Signer:
    """The configured signer of checkpoints, once its key is known to match the database."""
    seed, source = ledger_seed()
    key_check(KeyName.LEDGER, seed, source)
    return Signer(settings.LEDGER_ORIGIN, seed)
