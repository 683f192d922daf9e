"""Signed checkpoints of the ledger: C2SP tlog-checkpoint texts in C2SP signed notes, Ed25519.

A checkpoint commits to the ledger's Merkle tree (merkle.py) at one size. Its text is the three
lines of c2sp.org/tlog-checkpoint, without extension lines::

    aidbridge.example/ledger
    1000000
    <standard base64 of the 32-byte root hash>

It is signed as a c2sp.org/signed-note: the text, a blank line, then signature lines
``— <key name> <base64(key ID || signature)>``. The signature is Ed25519 (RFC 8032) over the
text's UTF-8 bytes, signature type 0x01, with the key ID
``SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4]``.

A verifier key is written as in Go's golang.org/x/mod/sumdb/note, the form witnesses and the Go
tooling read: ``<name>+<key ID as 8 hex digits>+<base64(0x01 || public key)>``. A private key is
the raw 32-byte Ed25519 seed.

Opening a note follows the note spec: lines signed by other keys are ignored, a line of the
expected key that does not verify rejects the note, and so does a note with no line of it.
Problems raise :class:`MalformedNote` (text not in the format) or :class:`UntrustedNote` (not
signed by the expected key, or a checkpoint of another log); both are :class:`NoteError`.
"""

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from aidbridge.ledger.merkle import HASH_SIZE, decode_hash, encode_hash

ED25519 = b"\x01"  # the signature type byte of c2sp.org/signed-note
MAX_SIGNATURES = 100  # the spec asks verifiers to accept at least 16; Go's note accepts 100
MAX_SIZE = 2**64 - 1  # tree sizes are uint64 in RFC 9162
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class NoteError(ValueError):
    """A note or checkpoint that must not be trusted; the message says why."""


class MalformedNote(NoteError):
    """Text that is not a well-formed signed note or checkpoint."""


class UntrustedNote(NoteError):
    """A note not signed by the expected key, or a checkpoint of another log."""


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte ID of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    """An Ed25519 public key that checks the signatures made under `name`."""

    name: str
    public_key: bytes

    def __post_init__(self) -> None:
        _check_name(self.name)
        if len(self.public_key) != 32:
            raise ValueError("an Ed25519 public key is 32 bytes")

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    @property
    def vkey(self) -> str:
        """This key as a verifier key string, name+hex ID+base64 key."""
        encoded = base64.b64encode(ED25519 + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def from_vkey(cls, vkey: str) -> "Verifier":
        """The verifier in a verifier key string, whose key ID must match its name and key."""
        name, _, rest = vkey.partition("+")
        hex_id, _, encoded = rest.partition("+")
        key = _b64decode(encoded)
        if not re.fullmatch(r"[0-9a-fA-F]{8}", hex_id) or key is None:
            raise ValueError(f"{vkey!r} is not of the form name+<8 hex digits>+<base64 key>")
        if len(key) != 33 or key[:1] != ED25519:
            raise ValueError(f"{vkey!r} is not an Ed25519 key (type 0x01 and 32 bytes)")
        verifier = cls(name, key[1:])
        if verifier.key_id != bytes.fromhex(hex_id):
            raise ValueError(f"the key ID of {vkey!r} does not match its name and key")
        return verifier


@dataclass(frozen=True)
class Signer:
    """An Ed25519 private key (the 32-byte seed) that signs notes under `name`."""

    name: str
    private_key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.private_key) != 32:
            raise ValueError("an Ed25519 private key is a 32-byte seed")
        _check_name(self.name)

    @classmethod
    def generate(cls, name: str) -> "Signer":
        """A new random key."""
        return cls(name, Ed25519PrivateKey.generate().private_bytes_raw())

    @property
    def verifier(self) -> Verifier:
        """The matching public key."""
        public_key = self._key().public_key().public_bytes_raw()
        return Verifier(self.name, public_key)

    def sign(self, text: str) -> str:
        """`text` (non-empty, ending in a newline) as a signed note with this key's signature."""
        if not text.endswith("\n") or _CONTROL.search(text):
            raise ValueError("a note text ends in a newline and has no other control character")
        signature = self.verifier.key_id + self._key().sign(text.encode())
        return f"{text}\n— {self.name} {base64.b64encode(signature).decode('ascii')}\n"

    def _key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.private_key)


def open_note(note: str, verifier: Verifier) -> str:
    """The text of `note`, once a signature by `verifier` verifies and none of its fails."""
    if _CONTROL.search(note):
        raise MalformedNote("the note has a control character other than newline")
    try:
        note.encode()
    except UnicodeEncodeError:
        raise MalformedNote("the note is not valid UTF-8") from None
    blank = note.rfind("\n\n")
    if blank < 0:
        raise MalformedNote("the note has no blank line before its signatures")
    text, signatures = note[: blank + 1], note[blank + 2 :]
    if not signatures.endswith("\n"):
        raise MalformedNote("the note does not end with a signature line and a newline")
    lines = signatures[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNote(f"the note has more than {MAX_SIGNATURES} signatures")
    key = Ed25519PublicKey.from_public_bytes(verifier.public_key)
    verified = False
    for line in lines:
        name, signature = _signature_line(line)
        if name != verifier.name or signature[:4] != verifier.key_id:
            continue
        try:
            key.verify(signature[4:], text.encode())
        except InvalidSignature:
            raise UntrustedNote(f"the signature of {_key_label(verifier)} is wrong") from None
        verified = True
    if not verified:
        raise UntrustedNote(f"the note has no signature of {_key_label(verifier)}")
    return text


@dataclass(frozen=True)
class Checkpoint:
    """The root hash of a log's Merkle tree at one size, named by the log's origin."""

    origin: str
    size: int
    root: bytes

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin or _CONTROL.search(self.origin):
            raise ValueError("an origin is one non-empty line without control characters")
        if not 0 <= self.size <= MAX_SIZE:
            raise ValueError(f"tree size {self.size} is not between 0 and {MAX_SIZE}")
        if len(self.root) != HASH_SIZE:
            raise ValueError(f"a root hash is {HASH_SIZE} bytes")

    @property
    def text(self) -> str:
        """The note text: origin, tree size and base64 root hash, one per line."""
        return f"{self.origin}\n{self.size}\n{encode_hash(self.root)}\n"

    @classmethod
    def from_text(cls, text: str) -> "Checkpoint":
        """The checkpoint in a note text."""
        lines = text.split("\n")
        if len(lines) != 4 or lines[3]:
            raise MalformedNote("the checkpoint is not three lines: origin, tree size, root hash")
        origin, size, root = lines[:3]
        if not origin or _CONTROL.search(origin):
            raise MalformedNote(f"origin {origin!r} is empty or has a control character")
        if not _DECIMAL.fullmatch(size) or int(size) > MAX_SIZE:
            raise MalformedNote(f"tree size {size!r} is not a decimal number without leading zeros")
        try:
            root_hash = decode_hash(root)
        except ValueError:
            raise MalformedNote(f"root hash {root!r} is not the base64 of 32 bytes") from None
        return cls(origin, int(size), root_hash)


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> str:
    """The checkpoint as a note signed by `signer`."""
    return signer.sign(checkpoint.text)


def verify_checkpoint(note: str, verifier: Verifier, origin: str | None = None) -> Checkpoint:
    """The checkpoint in `note`, signed by `verifier`, of the log `origin` (by default the log
    whose origin is the verifier's key name, as C2SP tlog-checkpoint recommends)."""
    checkpoint = Checkpoint.from_text(open_note(note, verifier))
    expected = verifier.name if origin is None else origin
    if checkpoint.origin != expected:
        raise UntrustedNote(f"the checkpoint is of log {checkpoint.origin!r}, not {expected!r}")
    return checkpoint


def _signature_line(line: str) -> tuple[str, bytes]:
    if not line.startswith("— "):
        raise MalformedNote(f"signature line {line!r} does not start with an em dash and a space")
    name, _, encoded = line[2:].partition(" ")
    signature = _b64decode(encoded)
    if not _valid_name(name) or signature is None or len(signature) < 5:
        raise MalformedNote(f"signature line {line!r} is not '— <key name> <base64 signature>'")
    return name, signature


def _check_name(name: str) -> None:
    if not _valid_name(name):
        raise ValueError(f"key name {name!r} is empty or has a space, '+' or control character")


def _valid_name(name: str) -> bool:
    return bool(name) and not any(c.isspace() or c == "+" or c < " " for c in name)


def _b64decode(text: str) -> bytes | None:
    """The bytes of canonical standard base64 (one encoding per value: no malleable notes)."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == text else None


def _key_label(verifier: Verifier) -> str:
    return f"{verifier.name}+{verifier.key_id.hex()}"
