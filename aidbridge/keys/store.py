"""Where the keys come from: an environment variable (a setting), else a file in the data
folder (AIDBRIDGE_HOME), made on first use unless the database already knows a key.

- ``pii_key``: the master key of resident IDs (32 bytes; registry/privacy.py derives the
  look-up and sealing keys from it). AIDBRIDGE_PII_KEY (base64), else ``pii_key``.
- ``ledger_seed``: the Ed25519 seed that signs the ledger's checkpoints (ledger/keys.py).
  AIDBRIDGE_LEDGER_KEY (hex or base64), else ``ledger_key``.
- the secret key of sessions: AIDBRIDGE_SECRET_KEY, else ``secret_key`` (settings.py).
"""

import base64
import binascii
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from aidbridge.keys.fingerprints import key_missing
from aidbridge.keys.models import KeyName

KEY_SIZE = 32
FILES = {KeyName.PII: "pii_key", KeyName.LEDGER: "ledger_key"}


def pii_key() -> tuple[bytes, str]:
    """The master key of resident IDs and where it comes from."""
    if raw := os.environ.get("AIDBRIDGE_PII_KEY"):
        return parse_key(raw, "AIDBRIDGE_PII_KEY"), "AIDBRIDGE_PII_KEY"
    return _from_file(KeyName.PII)


def ledger_seed() -> tuple[bytes, str]:
    """The ledger's signing seed and where it comes from."""
    if settings.LEDGER_KEY:
        return parse_key(settings.LEDGER_KEY, "AIDBRIDGE_LEDGER_KEY"), "AIDBRIDGE_LEDGER_KEY"
    return _from_file(KeyName.LEDGER)


def key_path(name: str) -> Path:
    return settings.AIDBRIDGE_HOME / FILES[name]


def _from_file(name: str) -> tuple[bytes, str]:
    path = key_path(name)
    if not path.exists():
        key_missing(name, str(path))
        key_file_write(path, base64.b64encode(os.urandom(KEY_SIZE)).decode())
    return parse_key(path.read_text(), str(path)), str(path)


def key_file_write(path: Path, text: str, *, replace: bool = False) -> None:
    """Write a key file with mode 600. Without `replace` a link never overwrites: of two
    processes starting at once, one key wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(text)
    if replace:
        draft.replace(path)
        return
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def parse_key(text: str, source: str) -> bytes:
    """A 32-byte key written as hex or base64."""
    text = text.strip()
    try:
        key = (
            bytes.fromhex(text)
            if len(text) == 2 * KEY_SIZE
            else base64.b64decode(text, validate=True)
        )
    except (ValueError, binascii.Error):
        key = b""
    if len(key) != KEY_SIZE:
        raise ImproperlyConfigured(f"the key in {source} must be 32 bytes in hex or base64")
    return key
