"""Receipts: built from the database, verified offline from the JSON alone; every edit fails,
and a forged ledger passes only for whoever trusts the key inside the file."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from aidbridge.errors import InvalidInput
from aidbridge.ledger.checkpoint import Checkpoint as TreeHead
from aidbridge.ledger.checkpoint import Signer, sign_checkpoint
from aidbridge.ledger.encoding import encode_entry
from aidbridge.ledger.keys import ledger_signer
from aidbridge.ledger.merkle import MerkleTree, leaf_hash
from aidbridge.ledger.models import LedgerCorrupt, Posting
from aidbridge.ledger.proofs import ProofFileError, receipt_make, receipt_verify
from aidbridge.ledger.selectors import entry_receipt
from aidbridge.ledger.services import checkpoint_make, entry_post

from .conftest import DAY, ORIGIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(books, donate):
    """The receipt of entry 3 (rice given in kind) of five, checkpoint after the fifth."""
    donate(100_000)
    donate(200_000)
    entry_post(
        by=books.admin,
        kind="donation",
        date=DAY,
        memo="大米\n100 袋",
        postings=[
            {"account": books.donor, "amount": -600_000, "quantity": -100, "unit": "袋"},
            {"account": books.org, "amount": 600_000, "quantity": 100, "unit": "袋"},
        ],
    )
    donate(300_000)
    donate(400_000)
    checkpoint_make()
    return json.loads(json.dumps(entry_receipt(seq=3)))


def vkey() -> str:
    return ledger_signer().verifier.vkey


def test_a_receipt_verifies_offline(receipt, django_db_blocker, tmp_path):
    assert receipt["entry"] == {
        "seq": 3,
        "kind": "donation",
        "date": DAY.isoformat(),
        "memo": "大米\n100 袋",
        "reverses": None,
        "postings": [
            {"account": "donor-zhang", "amount": -600_000, "quantity": -100, "unit": "袋"},
            {"account": "org-lsfund", "amount": 600_000, "quantity": 100, "unit": "袋"},
        ],
    }
    assert len(receipt["inclusion_proof"]) == 3  # leaf 2 of 5: O(log n) hashes
    key, path = vkey(), tmp_path / "receipt.json"
    path.write_text(json.dumps(receipt))
    with django_db_blocker.block():  # any database access would fail
        result = receipt_verify(receipt, trusted_key=key)
        assert (result.checkpoint.size, result.checkpoint.origin) == (5, ORIGIN)
        assert not result.key_from_file
        assert receipt_verify(receipt).key_from_file
        call_command("receipt", "verify", str(path), "--key", key, stdout=io.StringIO())


def edited(receipt, path, value):
    changed = copy.deepcopy(receipt)
    *parents, last = path
    target = changed
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (("entry", "postings", 0, "amount"), -600_001, "not in the signed ledger"),
        (("entry", "postings", 1, "amount"), 600_000.0, "whole number of fen"),
        (("entry", "postings", 1, "quantity"), 99, "not in the signed ledger"),
        (("entry", "postings", 1, "unit"), "kg", "not in the signed ledger"),
        (("entry", "postings", 1, "unit"), KeyError, "quantity with unit"),
        (("entry", "postings", 0, "account"), "donor-li", "not in the signed ledger"),
        (("entry", "postings", 0, "account"), "donor zhang", "not an account code"),
        (("entry", "memo"), "大米 100 袋", "not in the signed ledger"),
        (("entry", "date"), "2020-01-01", "not in the signed ledger"),
        (("entry", "date"), "2020-1-1", "YYYY-MM-DD"),
        (("entry", "kind"), "transfer", "not in the signed ledger"),
        (("entry", "seq"), 4, "not in the signed ledger"),
        (("entry", "seq"), 6, "not covered by the checkpoint of 5"),
        (("entry", "reverses"), 1, "not in the signed ledger"),
        (("entry", "note"), "thanks", "exactly the fields"),
        (("inclusion_proof", 0), "AAAA", "not in the signed ledger"),
        (("inclusion_proof",), [], "not in the signed ledger"),
        (("checkpoint",), "aidbridge.test/ledger\n5\n", "checkpoint"),
        (("format",), "receipt", "not a file of the format"),
        (("extra",), 1, "fields must be exactly"),
    ],
)
def test_every_edit_of_a_receipt_fails(receipt, path, value, reason):
    with pytest.raises(ProofFileError, match=reason):
        receipt_verify(edited(receipt, path, value), trusted_key=vkey())


def test_a_forged_ledger_passes_only_for_whoever_trusts_the_key_in_the_file(receipt):
    forger = Signer.generate(ORIGIN)
    entry = {**receipt["entry"], "seq": 1, "memo": "我捐了一百万"}
    lines = [
        (p["account"], p["amount"] * 10, p.get("quantity"), p.get("unit", ""))
        for p in entry["postings"]
    ]
    entry["postings"] = [{**p, "amount": p["amount"] * 10} for p in entry["postings"]]
    tree = MerkleTree(
        [leaf_hash(encode_entry(1, entry["kind"], entry["date"], entry["memo"], None, lines))]
    )
    note = sign_checkpoint(TreeHead(ORIGIN, 1, tree.root()), forger)
    forged = receipt_make(entry=entry, proof=[], note=note, vkey=forger.verifier.vkey)
    assert receipt_verify(forged).key_from_file
    with pytest.raises(ProofFileError, match="checkpoint: the note has no signature"):
        receipt_verify(forged, trusted_key=vkey())


def test_the_receipt_commands_write_and_check_a_file(receipt, tmp_path):
    out = io.StringIO()
    call_command("receipt", "show", "3", stdout=out)
    path = tmp_path / "receipt.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert json.loads(out.getvalue()) == receipt
    out, err = io.StringIO(), io.StringIO()
    call_command("receipt", "verify", str(path), "--key", vkey(), stdout=out, stderr=err)
    assert "entry 3 (donation" in out.getvalue() and "checkpoint of 5 entries" in out.getvalue()
    assert not err.getvalue()
    call_command("receipt", "verify", str(path), stdout=out, stderr=err)
    assert "--key" in err.getvalue()
    path.write_text(out.getvalue().replace("600000", "600001"))
    with pytest.raises(CommandError):
        call_command("receipt", "verify", str(path), "--key", vkey())
    path.write_text(json.dumps(edited(receipt, ("entry", "memo"), "x")))
    with pytest.raises(CommandError, match="entry 3 is not in the signed ledger"):
        call_command("receipt", "verify", str(path), "--key", vkey())


def test_no_receipt_for_an_entry_not_yet_signed_or_changed(receipt, donate):
    donate()
    with pytest.raises(InvalidInput, match="not in a signed checkpoint yet"):
        entry_receipt(seq=6)
    with pytest.raises(InvalidInput, match="no such entry"):
        entry_receipt(seq=60)
    with pytest.raises(CommandError, match="no such entry"):
        call_command("receipt", "show", "60")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Posting._meta.db_table} SET amount = -1 WHERE entry_id = 2 AND line = 0"
        )
    with pytest.raises(LedgerCorrupt, match="entry 2 is not in the signed ledger"):
        entry_receipt(seq=2)
    assert entry_receipt(seq=4)["entry"]["seq"] == 4
