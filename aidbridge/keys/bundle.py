"""Passphrase-protected files, under a key derived from the passphrase by scrypt (RFC 7914).

- ``bundle_seal``/``bundle_open``: a file of keys, a JSON envelope whose ciphertext is the
  keys (JSON) sealed with AES-256-GCM, the format name bound in as associated data.
- ``stream_seal``/``stream_open``: any file, however large (a backup archive), in chunks.

Pure: no Django."""

import base64
import json
import os
from typing import BinaryIO

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
    envelope = {
        "format": FORMAT,
        "kdf": {"name": "scrypt", "salt": b64(salt), **SCRYPT},
        "nonce": b64(nonce),
        "ciphertext": b64(sealed),
    }
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


STREAM_FORMAT = "aidbridge-sealed/1"
CHUNK = 1 << 20


def stream_seal(src: BinaryIO, dst: BinaryIO, passphrase: str) -> None:
    """Copy `src` to `dst` sealed under `passphrase`: a JSON header line, then chunks of
    AES-256-GCM, each nonce a random prefix, the chunk's number and a last-chunk flag, so
    chunks cannot be reordered and a file cut short does not open."""
    if not passphrase:
        raise BundleError("the passphrase is empty")
    salt, prefix = os.urandom(16), os.urandom(7)
    header = json.dumps(
        {
            "format": STREAM_FORMAT,
            "prefix": base64.b64encode(prefix).decode(),
            "kdf": {"name": "scrypt", "salt": base64.b64encode(salt).decode(), **SCRYPT},
        }
    ).encode()
    sealing = AESGCM(_derive(passphrase, salt, **SCRYPT))
    dst.write(header + b"\n")
    number, chunk = 0, src.read(CHUNK)
    while True:
        following = src.read(CHUNK)
        dst.write(sealing.encrypt(_nonce(prefix, number, not following), chunk, header))
        if not following:
            return
        number, chunk = number + 1, following


def stream_open(src: BinaryIO, dst: BinaryIO, passphrase: str) -> None:
    """Copy a sealed `src` to `dst` opened; BundleError names what is wrong."""
    header = src.readline(4096).rstrip(b"\n")
    try:
        fields = json.loads(header)
        kdf = fields["kdf"]
        if fields["format"] != STREAM_FORMAT or kdf["name"] != "scrypt":
            raise ValueError
        prefix = base64.b64decode(fields["prefix"])
        sealing = AESGCM(
            _derive(passphrase, base64.b64decode(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"])
        )
    except (ValueError, KeyError, TypeError):
        raise BundleError(f"not a {STREAM_FORMAT} file") from None
    number, block = 0, src.read(CHUNK + 16)
    while True:
        following = src.read(CHUNK + 16)
        try:
            dst.write(sealing.decrypt(_nonce(prefix, number, not following), block, header))
        except InvalidTag:
            raise BundleError("wrong passphrase, or the file was changed or cut short") from None
        if not following:
            return
        number, block = number + 1, following


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + number.to_bytes(4, "big") + (b"\1" if last else b"\0")
