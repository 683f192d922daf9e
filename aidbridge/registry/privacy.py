"""Resident ID numbers at rest.

- ``id_digest``: HMAC-SHA256 under a secret key, so a number can be looked up (and
  duplicates found) without storing it; unlike a bare hash it cannot be reversed by trying
  every birth date and sequence.
- ``id_encrypt``/``id_decrypt``: AES-256-GCM with a random nonce, for roles that need to see
  the number. The key never sits in the database.
Both keys derive from one master key: AIDBRIDGE_PII_KEY (base64, 32 bytes), else the file
pii_key in the data folder (AIDBRIDGE_HOME), made on first use. Losing that key makes stored
numbers unreadable: back it up (``aidbridge keys backup``). Its fingerprint is kept in the
database, and a process with another key refuses to run (aidbridge/keys/fingerprints.py).
"""

import hashlib
import hmac
import os
from functools import cache
from typing import NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aidbridge.keys.fingerprints import key_check
from aidbridge.keys.models import KeyName
from aidbridge.keys.store import pii_key


class _Keys(NamedTuple):
    lookup: bytes  # the key of the look-up HMAC
    inner: "hashlib._Hash"  # SHA-256 with the key's inner and outer pads already hashed in:
    outer: "hashlib._Hash"  # an HMAC is two copies (RFC 2104), twice as fast as hmac.new
    sealing: AESGCM


@cache
def _keys() -> _Keys:
    """The keys of the master key in use, once it is known to match the database."""
    master, source = pii_key()
    key_check(KeyName.PII, master, source)
    return derive(master)


def derive(master: bytes) -> _Keys:
    """The look-up key, ready to be copied for each number, and the sealing cipher."""
    lookup = hmac.new(master, b"aidbridge resident-id lookup", hashlib.sha256).digest()
    sealing = hmac.new(master, b"aidbridge resident-id sealing", hashlib.sha256).digest()
    padded = lookup.ljust(64, b"\0")  # SHA-256's block; the key is 32 bytes
    return _Keys(
        lookup,
        hashlib.sha256(bytes(b ^ 0x36 for b in padded)),
        hashlib.sha256(bytes(b ^ 0x5C for b in padded)),
        AESGCM(sealing),
    )


def id_digest(number: str, keys: _Keys | None = None) -> bytes:
    """HMAC-SHA256 of a number under the look-up key: its 32 bytes (stored as such, not as
    64 hex characters). `keys` (of ``derive``) stand in for the key in use in a rotation."""
    keys = keys or _keys()
    inner = keys.inner.copy()
    inner.update(number.encode())
    outer = keys.outer.copy()
    outer.update(inner.digest())
    return outer.digest()


def id_encrypt(number: str, keys: _Keys | None = None) -> bytes:
    nonce = os.urandom(12)
    return nonce + (keys or _keys()).sealing.encrypt(nonce, number.encode(), None)


def id_decrypt(blob: bytes, keys: _Keys | None = None) -> str:
    blob = bytes(blob)
    return (keys or _keys()).sealing.decrypt(blob[:12], blob[12:], None).decode()


def ids_unreadable(rows) -> tuple[int, int]:
    """Of (cipher, digest) rows: how many there are, and how many do not open under the key
    in use or open to a number with another digest."""
    total = bad = 0
    for cipher, digest in rows:
        total += 1
        try:
            bad += id_digest(id_decrypt(cipher)) != bytes(digest)
        except (InvalidTag, ValueError):
            bad += 1
    return total, bad


def search_digest(number: str) -> bytes:
    """The digest a search log keeps of a number: HMAC-SHA256 under a key of its own (derived
    from the look-up key), so a log cannot be joined to the members' digests without it."""
    key = hmac.new(_keys().lookup, b"aidbridge resident-id search log", hashlib.sha256).digest()
    return hmac.new(key, number.encode(), hashlib.sha256).digest()
