"""Receipts and consistency proofs as JSON, and their offline verifiers (no database; of
Django only the translation of the reasons a file fails).

A receipt proves one entry is in the ledger::

    {"format": "aidbridge-ledger-receipt v1",
     "entry": {"seq": 42, "kind": "donation", "date": "2026-11-24", "memo": "...",
               "reverses": null,
               "postings": [{"account": "donor-zhang", "amount": -500000},
                            {"account": "org-lsfund", "amount": 500000},
                            {"account": "org-lsfund", "amount": 1, "quantity": 2, "unit": "kg"}]},
     "inclusion_proof": ["<base64 hash>", ...],
     "checkpoint": "<signed note of a checkpoint that covers the entry>",
     "verifier_key": "<name>+<key ID>+<base64 key>"}

Verifying it re-encodes the entry (encoding.py), hashes it into leaf seq - 1 and checks the
RFC 9162 inclusion proof against the root of the checkpoint, whose signature must verify. A
receipt holds nothing the check does not cover: unknown fields are refused.

A consistency proof shows that a later checkpoint extends an earlier one::

    {"format": "aidbridge-ledger-consistency v1", "old": "<signed note>",
     "new": "<signed note>", "proof": ["<base64 hash>", ...], "verifier_key": "..."}

The verifier key in a file only says who signed; a forger signs with a key of their own and
puts that key in the file. Callers that pass ``trusted_key`` (published by the ledger's
operator, apart from the file) learn that the ledger itself vouches for the entry.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from aidbridge.ledger.checkpoint import Checkpoint, NoteError, Verifier, verify_checkpoint
from aidbridge.ledger.encoding import CODE_PATTERN, UNIT_PATTERN, encode_entry
from aidbridge.ledger.merkle import ProofError, decode_proof, encode_proof, leaf_hash
from aidbridge.ledger.merkle import verify_consistency as verify_consistency_proof
from aidbridge.ledger.merkle import verify_inclusion as verify_inclusion_proof
from aidbridge.validation import is_whole

RECEIPT_FORMAT = "aidbridge-ledger-receipt v1"
CONSISTENCY_FORMAT = "aidbridge-ledger-consistency v1"
_KIND = re.compile(r"[a-z_]{1,20}")


class ProofFileError(ValueError):
    """A receipt or consistency proof that does not verify: ``message`` % ``params`` says why
    in English, ``translated()`` in the language of the request or command."""

    def __init__(self, message: str, **params: object):
        self.message, self.params = message, {k: str(v) for k, v in params.items()}
        super().__init__(message % self.params if params else message)

    def translated(self) -> str:
        text = gettext(self.message)
        return text % self.params if self.params else text


@dataclass(frozen=True)
class VerifiedReceipt:
    entry: dict
    checkpoint: Checkpoint
    verifier: Verifier
    key_from_file: bool  # True when no trusted key was given: the file vouched for itself


def receipt_make(*, entry: dict, proof: list[bytes], note: str, vkey: str) -> dict:
    """The receipt of `entry` (the dict described above) with its inclusion proof in the
    checkpoint `note`, signed by the key `vkey`."""
    return {
        "format": RECEIPT_FORMAT,
        "entry": entry,
        "inclusion_proof": encode_proof(proof),
        "checkpoint": note,
        "verifier_key": vkey,
    }


def receipt_verify(data: object, trusted_key: str | None = None) -> VerifiedReceipt:
    """Check a receipt (parsed JSON); raises ProofFileError saying what fails."""
    _expect_keys(data, RECEIPT_FORMAT, {"entry", "inclusion_proof", "checkpoint", "verifier_key"})
    verifier = _verifier(trusted_key or data["verifier_key"])
    checkpoint = _checkpoint(data["checkpoint"], verifier, "checkpoint")
    entry = data["entry"]
    leaf = leaf_hash(_encoded(entry))
    seq = entry["seq"]
    if seq > checkpoint.size:
        raise ProofFileError(
            gettext_noop("entry %(seq)s is not covered by the checkpoint of %(size)s"),
            seq=seq,
            size=checkpoint.size,
        )
    try:
        proof = decode_proof(_strings(data["inclusion_proof"], "inclusion_proof"))
        verify_inclusion_proof(seq - 1, checkpoint.size, leaf, proof, checkpoint.root)
    except (ValueError, ProofError) as exc:
        raise ProofFileError(
            gettext_noop("entry %(seq)s is not in the signed ledger: %(detail)s"),
            seq=seq,
            detail=exc,
        ) from None
    return VerifiedReceipt(entry, checkpoint, verifier, key_from_file=trusted_key is None)


def consistency_make(*, old_note: str, new_note: str, proof: list[bytes], vkey: str) -> dict:
    """The proof that the checkpoint `new_note` extends `old_note`."""
    return {
        "format": CONSISTENCY_FORMAT,
        "old": old_note,
        "new": new_note,
        "proof": encode_proof(proof),
        "verifier_key": vkey,
    }


def consistency_verify(
    data: object, trusted_key: str | None = None
) -> tuple[Checkpoint, Checkpoint]:
    """Check a consistency proof (parsed JSON); returns the old and new checkpoints."""
    _expect_keys(data, CONSISTENCY_FORMAT, {"old", "new", "proof", "verifier_key"})
    verifier = _verifier(trusted_key or data["verifier_key"])
    old, new = _checkpoint(data["old"], verifier, "old"), _checkpoint(data["new"], verifier, "new")
    try:
        proof = decode_proof(_strings(data["proof"], "proof"))
        verify_consistency_proof(old.size, new.size, old.root, new.root, proof)
    except (ValueError, ProofError) as exc:
        raise ProofFileError(
            gettext_noop("checkpoint %(new)s does not extend %(old)s: %(detail)s"),
            new=new.size,
            old=old.size,
            detail=exc,
        ) from None
    return old, new


def _expect_keys(data: object, form: str, keys: set[str]) -> None:
    if not isinstance(data, dict) or data.get("format") != form:
        raise ProofFileError(gettext_noop("not a file of the format “%(format)s”"), format=form)
    if set(data) != keys | {"format"}:
        raise ProofFileError(
            gettext_noop("the fields must be exactly: format, %(fields)s"),
            fields=", ".join(sorted(keys)),
        )


def _verifier(vkey: object) -> Verifier:
    try:
        return Verifier.from_vkey(vkey if isinstance(vkey, str) else "")
    except ValueError as exc:
        raise ProofFileError(gettext_noop("verifier key: %(detail)s"), detail=exc) from None


def _checkpoint(note: object, verifier: Verifier, name: str) -> Checkpoint:
    try:
        return verify_checkpoint(note if isinstance(note, str) else "", verifier)
    except NoteError as exc:
        raise ProofFileError(
            gettext_noop("%(field)s: %(detail)s"), field=name, detail=exc
        ) from None


def _strings(items: object, name: str) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ProofFileError(gettext_noop("%(field)s must be a list of base64 hashes"), field=name)
    return items


def _encoded(entry: object) -> bytes:
    """The canonical bytes of a receipt's entry, refusing anything but the exact fields."""
    keys = {"seq", "kind", "date", "memo", "reverses", "postings"}
    if not isinstance(entry, dict) or set(entry) != keys:
        raise ProofFileError(
            gettext_noop("entry must have exactly the fields %(fields)s"),
            fields=", ".join(sorted(keys)),
        )
    seq, kind, day, memo, reverses = (entry[k] for k in ("seq", "kind", "date", "memo", "reverses"))
    if not is_whole(seq) or seq < 1:
        raise ProofFileError(gettext_noop("entry.seq must be a whole number from 1"))
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise ProofFileError(gettext_noop("entry.kind must be an entry kind such as donation"))
    if not isinstance(day, str) or not _iso_date(day):
        raise ProofFileError(gettext_noop("entry.date must be a date as YYYY-MM-DD"))
    if not isinstance(memo, str):
        raise ProofFileError(gettext_noop("entry.memo must be text"))
    if reverses is not None and not (is_whole(reverses) and 1 <= reverses < seq):
        raise ProofFileError(
            gettext_noop("entry.reverses must be null or the number of an earlier entry")
        )
    postings = entry["postings"]
    if not isinstance(postings, list) or len(postings) < 2:
        raise ProofFileError(gettext_noop("entry.postings must be a list of at least two postings"))
    lines = [_posting(p, f"entry.postings[{i}]") for i, p in enumerate(postings)]
    return encode_entry(seq, kind, day, memo, reverses, lines)


def _posting(posting: object, name: str) -> tuple[str, int, int | None, str]:
    if not isinstance(posting, dict) or set(posting) not in (
        {"account", "amount"},
        {"account", "amount", "quantity", "unit"},
    ):
        raise ProofFileError(
            gettext_noop("%(field)s must have account and amount, and quantity with unit"),
            field=name,
        )
    code, amount = posting["account"], posting["amount"]
    quantity, unit = posting.get("quantity"), posting.get("unit", "")
    if not isinstance(code, str) or not re.fullmatch(CODE_PATTERN, code):
        raise ProofFileError(gettext_noop("%(field)s.account is not an account code"), field=name)
    if not is_whole(amount) or amount == 0:
        raise ProofFileError(
            gettext_noop("%(field)s.amount must be a whole number of fen, not zero"), field=name
        )
    if "quantity" in posting and not (
        is_whole(quantity)
        and (quantity > 0) == (amount > 0)
        and quantity != 0
        and isinstance(unit, str)
        and re.fullmatch(UNIT_PATTERN, unit)
    ):
        raise ProofFileError(
            gettext_noop("%(field)s: quantity must be whole, signed like the amount, with a unit"),
            field=name,
        )
    return code, amount, quantity, unit


def _iso_date(text: str) -> bool:
    try:
        return datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False
