"""A passphrase-protected file of keys: a JSON envelope whose ciphertext is the keys (JSON)
sealed with AES-256-GCM under a key derived from the passphrase by scrypt (RFC 7914). The
envelope's format name is bound in as associated data. Pure: no Django."""

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = "aidbridge-keys/1"
SCRYPT = {"n": 2**15, "r": 8, "p": 1}  # 32 MiB and about a tenth of a second per try


class BundleError(ValueError):
    """Not a key file, or the wrong passphrase."""


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def bundle_seal(keys: dict, passphrase: str) -> bytes:
    """`keys` (JSON-ready) sealed under `passphrase`."""
    if not passphrase:
        raise BundleError("the passphrase is empty")
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_derive(passphrase, salt, **SCRYPT)).encrypt(
        nonce, json.dumps(keys).encode(), FORMAT.encode()
    )
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    envelope = {"format": FORMAT, "kdf": {"name": "scrypt", "salt": b64(salt), **SCRYPT},
                "nonce": b64(nonce), "ciphertext": b64(sealed)}
    return json.dumps(envelope, indent=1).encode() + b"\n"


def bundle_open(data: bytes, passphrase: str) -> dict:
    """The keys in a sealed file; BundleError names what is wrong."""
    try:
        envelope = json.loads(data)
        kdf = envelope["kdf"]
        if envelope["format"] != FORMAT or kdf["name"] != "scrypt":
            raise BundleError(f"not a {FORMAT} file")
        key = _derive(passphrase, base64.b64decode(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"])
        nonce, sealed = (base64.b64decode(envelope[k]) for k in ("nonce", "ciphertext"))
    except (ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, BundleError):
            raise
        raise BundleError(f"not a {FORMAT} file") from None
    try:
        return json.loads(AESGCM(key).decrypt(nonce, sealed, FORMAT.encode()))
    except InvalidTag:
        raise BundleError("wrong passphrase, or the file was changed") from None
