"""The key that signs the ledger's checkpoints.

The signer is named by ``settings.LEDGER_ORIGIN`` (AIDBRIDGE_LEDGER_ORIGIN), which is also the
origin line of every checkpoint, as C2SP tlog-checkpoint recommends. Its Ed25519 seed comes
from ``settings.LEDGER_KEY`` (AIDBRIDGE_LEDGER_KEY: 32 bytes as 64 hex digits or base64), else
from the file var/ledger_key, made on first use. The seed never enters the database, so a copy
of the database cannot forge checkpoints; losing it means new checkpoints under a new key that
verifiers must be told about. Publish ``ledger_signer().verifier.vkey`` (``aidbridge ledger
key``) where donors find it apart from their receipts.
"""

import base64
import binascii
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from aidbridge.ledger.checkpoint import Signer

SEED_SIZE = 32


def ledger_signer() -> Signer:
    """The configured signer of checkpoints."""
    return Signer(settings.LEDGER_ORIGIN, _seed())


def _seed() -> bytes:
    if settings.LEDGER_KEY:
        return _parse(settings.LEDGER_KEY.strip())
    path = settings.VAR_DIR / "ledger_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".ledger_key.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(base64.b64encode(os.urandom(SEED_SIZE)).decode("ascii"))
        try:  # a link never overwrites: of two processes starting at once, one key wins
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return _parse(path.read_text().strip())


def _parse(text: str) -> bytes:
    """A seed written as hex or base64."""
    try:
        seed = (
            bytes.fromhex(text)
            if len(text) == 2 * SEED_SIZE
            else base64.b64decode(text, validate=True)
        )
    except (ValueError, binascii.Error):
        seed = b""
    if len(seed) != SEED_SIZE:
        raise ImproperlyConfigured(
            "the ledger key (AIDBRIDGE_LEDGER_KEY or var/ledger_key) must be a 32-byte "
            "Ed25519 seed in hex or base64"
        )
    return seed
