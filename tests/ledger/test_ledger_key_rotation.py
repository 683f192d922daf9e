"""Rotating the ledger's signing key is a handover entry signed by the old key naming the new
one: checkpoints and receipts from before keep verifying, new ones are signed by the new key,
and `aidbridge ledger verify` passes; a forged handover does not."""

import base64
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from aidbridge.keys.fingerprints import fingerprint, stored_fingerprints
from aidbridge.ledger.checkpoint import Signer, open_note, verify_checkpoint
from aidbridge.ledger.keys import HANDOVER_TITLE, ledger_signer
from aidbridge.ledger.models import Checkpoint, Entry, EntryKind
from aidbridge.ledger.selectors import entry_receipt
from aidbridge.ledger.services import checkpoint_make
from aidbridge.ledger.verification import ledger_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_key(settings, tmp_path):
    settings.LEDGER_KEY, settings.AIDBRIDGE_HOME = "", tmp_path
    return tmp_path


def test_the_handover_keeps_old_receipts_valid_and_the_ledger_verifies(file_key, donate, client):
    donate()
    checkpoint_make()
    old = ledger_signer()
    before = entry_receipt(seq=1)
    donate()  # not signed yet: the old key signs it before handing over
    call_command("keys", "rotate-ledger")

    new = ledger_signer()
    assert new.verifier.vkey != old.verifier.vkey
    assert stored_fingerprints()["ledger"] == fingerprint(new.private_key)
    assert [base64.b64decode(p.read_text()) for p in file_key.glob("ledger_key.old-*")] == [
        old.private_key
    ]
    handover = Entry.objects.get(kind=EntryKind.KEY_HANDOVER)
    assert handover.seq == 3 and not handover.postings.exists()
    assert f"new {new.verifier.vkey}" in open_note(handover.memo, old.verifier)
    sizes = dict(Checkpoint.objects.values_list("size", "note"))
    assert sorted(sizes) == [1, 2, 3]
    verify_checkpoint(sizes[2], old.verifier)
    verify_checkpoint(sizes[3], new.verifier)

    call_command("ledger", "verify")
    assert entry_receipt(seq=2)["verifier_key"] == new.verifier.vkey
    page = client.post(
        "/portal/ledger/verify/", {"text": json.dumps(before)}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "does not verify" not in page and "Entry" in page
    public = client.get("/portal/ledger/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Earlier keys" in public and old.verifier.vkey in public
    donate()
    assert checkpoint_make().size == 4


def test_a_handover_not_signed_by_the_old_key_fails_verification(file_key, donate):
    donate()
    checkpoint_make()
    old = ledger_signer().verifier.vkey
    call_command("keys", "rotate-ledger")
    stranger = Signer.generate(ledger_signer().name)  # names the right keys, signs as another
    forged = stranger.sign(f"{HANDOVER_TITLE}\nold {old}\nnew {ledger_signer().verifier.vkey}\n")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Entry._meta.db_table} SET memo = %s WHERE seq = 2", [forged])
    report = ledger_verify()
    assert not report.ok and report.first_bad_entry == 2
    assert "the key handover in entry 2 does not verify" in " ".join(report.problems)
    with pytest.raises(CommandError):
        call_command("ledger", "verify")
