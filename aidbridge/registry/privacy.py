"""Resident ID numbers at rest.

- ``id_digest``: HMAC-SHA256 under a secret key, so a number can be looked up (and
  duplicates found) without storing it; unlike a bare hash it cannot be reversed by trying
  every birth date and sequence.
- ``id_encrypt``/``id_decrypt``: AES-256-GCM with a random nonce, for roles that need to see
  the number. The key never sits in the database.
Both keys derive from one master key: AIDBRIDGE_PII_KEY (base64, 32 bytes), else a key file
in var/ made on first use. Losing that key makes stored numbers unreadable: back it up.
"""

import base64
import hashlib
import hmac
import os
from functools import cache
from typing import NamedTuple

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


class _Keys(NamedTuple):
    lookup: bytes  # the key of the look-up HMAC
    inner: "hashlib._Hash"  # SHA-256 with the key's inner and outer pads already hashed in:
    outer: "hashlib._Hash"  # an HMAC is two copies (RFC 2104), twice as fast as hmac.new
    sealing: AESGCM


@cache
def _keys() -> _Keys:
    """The look-up key, ready to be copied for each number, and the sealing cipher."""
    if raw := os.environ.get("AIDBRIDGE_PII_KEY"):
        master = base64.b64decode(raw)
    else:
        path = settings.VAR_DIR / "pii_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64encode(os.urandom(32)))
            path.chmod(0o600)
        master = base64.b64decode(path.read_bytes())
    if len(master) != 32:
        raise ValueError("AIDBRIDGE_PII_KEY must be 32 bytes, base64-encoded")
    lookup = hmac.new(master, b"aidbridge resident-id lookup", hashlib.sha256).digest()
    sealing = hmac.new(master, b"aidbridge resident-id sealing", hashlib.sha256).digest()
    padded = lookup.ljust(64, b"\0")  # SHA-256's block; the key is 32 bytes
    return _Keys(lookup, hashlib.sha256(bytes(b ^ 0x36 for b in padded)),
                 hashlib.sha256(bytes(b ^ 0x5C for b in padded)), AESGCM(sealing))


def id_digest(number: str) -> bytes:
    """HMAC-SHA256 of a number under the look-up key: its 32 bytes (stored as such, not as
    64 hex characters)."""
    keys = _keys()
    inner = keys.inner.copy()
    inner.update(number.encode())
    outer = keys.outer.copy()
    outer.update(inner.digest())
    return outer.digest()


def id_encrypt(number: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + _keys().sealing.encrypt(nonce, number.encode(), None)


def id_decrypt(blob: bytes) -> str:
    blob = bytes(blob)
    return _keys().sealing.decrypt(blob[:12], blob[12:], None).decode()


def search_digest(number: str) -> bytes:
    """The digest a search log keeps of a number: HMAC-SHA256 under a key of its own (derived
    from the look-up key), so a log cannot be joined to the members' digests without it."""
    key = hmac.new(_keys().lookup, b"aidbridge resident-id search log", hashlib.sha256).digest()
    return hmac.new(key, number.encode(), hashlib.sha256).digest()
