"""Tamper evidence: a change made behind the application's back, straight in the database, is
named by `aidbridge ledger verify`; one that also rewrote the stored hash is caught by the
signed checkpoints; checkpoints never seal a change and are consistent with each other."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from aidbridge.cli import main
from aidbridge.errors import InvalidInput
from aidbridge.ledger.checkpoint import Checkpoint as TreeHead
from aidbridge.ledger.checkpoint import Signer, sign_checkpoint
from aidbridge.ledger.encoding import encode_entry
from aidbridge.ledger.keys import ledger_signer
from aidbridge.ledger.merkle import leaf_hash
from aidbridge.ledger.models import Account, Checkpoint, Entry, LedgerCorrupt, Posting
from aidbridge.ledger.proofs import ProofFileError, consistency_verify
from aidbridge.ledger.selectors import checkpoint_consistency, entry_fields
from aidbridge.ledger.services import checkpoint_make
from aidbridge.ledger.verification import ledger_verify

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db


def sql(statement: str, params=()) -> None:
    """Write behind the application's back."""
    tables = {
        "entry": Entry._meta.db_table,
        "posting": Posting._meta.db_table,
        "account": Account._meta.db_table,
        "checkpoint": Checkpoint._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(statement.format(**tables), params)


def verify() -> tuple[str, str]:
    """Run `aidbridge ledger verify`; returns its output and error output."""
    out, err = io.StringIO(), io.StringIO()
    call_command("ledger", "verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused() -> str:
    with pytest.raises(CommandError) as exc:
        verify()
    return str(exc.value)


def rehash(seq: int) -> None:
    """Rewrite an entry's stored hash to fit its changed contents, as a careful forger would."""
    fields = entry_fields(Entry.objects.get(seq=seq))
    lines = [
        (p["account"], p["amount"], p.get("quantity"), p.get("unit", ""))
        for p in fields["postings"]
    ]
    leaf = leaf_hash(
        encode_entry(seq, fields["kind"], fields["date"], fields["memo"], fields["reverses"], lines)
    )
    sql("UPDATE {entry} SET leaf_hash = %s WHERE seq = %s", [leaf, seq])


@pytest.fixture
def ledger(donate):
    """Seven donations, checkpoints after the third and the sixth."""
    for n in range(1, 8):
        donate(n * 10_000, memo=f"第{n}笔")
        if n in (3, 6):
            checkpoint_make()


def test_a_ledger_untouched_verifies(ledger):
    out, err = verify()
    assert "7 entries and 2 checkpoints verified" in out and not err
    report = ledger_verify()
    assert report.ok and (report.entries, report.checkpoints) == (7, 2)


def test_changing_one_stored_amount_is_named_by_verify(ledger):
    sql("UPDATE {posting} SET amount = amount + 100 WHERE entry_id = 5 AND line = 1")
    message = refused()
    assert message.startswith("entry 5 does not match its stored hash")
    report = ledger_verify()
    assert (report.first_bad_entry, report.bad_entries) == (5, 1)
    assert report.first_bad_checkpoint == 6 and report.first_bad_range == (4, 6)
    with pytest.raises(SystemExit) as exit_status:
        main(["ledger", "verify"])
    assert exit_status.value.code != 0


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE {posting} SET amount = -amount WHERE entry_id = 2",
        "UPDATE {posting} SET quantity = 1, unit = 'kg' WHERE entry_id = 2 AND line = 1",
        "UPDATE {posting} SET line = 2 WHERE entry_id = 2 AND line = 0",  # now the last
        "UPDATE {posting} SET account_id = (SELECT id FROM {account} WHERE code = 'outside') "
        "WHERE entry_id = 2 AND line = 1",
        "UPDATE {entry} SET memo = 'changed' WHERE seq = 2",
        "UPDATE {entry} SET date = '2001-01-01' WHERE seq = 2",
        "UPDATE {entry} SET kind = 'transfer' WHERE seq = 2",
        "DELETE FROM {posting} WHERE entry_id = 2 AND line = 1",
    ],
)
def test_every_field_of_an_entry_is_covered(ledger, change):
    sql(change)
    assert refused().startswith("entry 2 does not match its stored hash")


def test_renaming_an_account_code_shows_in_every_entry_that_uses_it(ledger):
    sql("UPDATE {account} SET code = 'donor-li' WHERE code = 'donor-zhang'")
    report = ledger_verify()
    assert (report.first_bad_entry, report.bad_entries) == (1, 7)
    assert "7 entries in all do not match" in report.problems[1]


def test_a_missing_entry_is_named(ledger):
    sql("DELETE FROM {posting} WHERE entry_id = 4")
    sql("DELETE FROM {entry} WHERE seq = 4")
    assert refused() == "entry 4 is missing"


def test_removing_the_last_entries_is_caught_by_a_checkpoint(ledger):
    sql("DELETE FROM {posting} WHERE entry_id >= 5")
    sql("DELETE FROM {entry} WHERE seq >= 5")
    assert (
        "checkpoint 6 (entries 4 to 6) fails: it covers 6 entries but the ledger holds "
        "only 4" in refused()
    )


def test_a_change_with_its_hash_rewritten_is_caught_by_the_checkpoint_that_covers_it(ledger):
    sql("UPDATE {posting} SET amount = amount * 10 WHERE entry_id = 5")
    rehash(5)
    message = refused()
    assert message == ("checkpoint 6 (entries 4 to 6) fails: the entries do not lead to its root")
    report = ledger_verify()
    assert report.first_bad_entry is None
    assert (report.first_bad_checkpoint, report.first_bad_range) == (6, (4, 6))


def test_a_change_after_the_last_checkpoint_with_its_hash_rewritten_goes_unseen_until_signed(
    ledger,
):
    sql("UPDATE {posting} SET amount = amount * 10 WHERE entry_id = 7")
    rehash(7)
    assert ledger_verify().ok  # nothing signed vouches for entry 7 yet: sign often
    checkpoint_make()
    assert ledger_verify().ok


def test_a_checkpoint_signed_by_another_key_fails(ledger):
    forger = Signer.generate(ORIGIN)
    note = sign_checkpoint(TreeHead(ORIGIN, 3, bytes(Checkpoint.objects.get(size=3).root)), forger)
    sql("UPDATE {checkpoint} SET note = %s WHERE size = 3", [note])
    assert "checkpoint 3 (entries 1 to 3) fails: its signature does not verify" in refused()


def test_a_checkpoint_row_must_repeat_its_note(ledger):
    sql("UPDATE {checkpoint} SET size = 4 WHERE size = 3")
    assert "checkpoint 4 (entries 1 to 4) fails: its stored size or root differs" in refused()


def test_checkpoints_are_made_only_over_matching_entries(ledger, donate):
    assert checkpoint_make().size == 7
    assert checkpoint_make().size == 7 and Checkpoint.objects.count() == 3
    donate(1)
    sql("UPDATE {posting} SET amount = amount - 1 WHERE entry_id = 8 AND line = 0")
    with pytest.raises(LedgerCorrupt, match="entry 8 does not match"):
        checkpoint_make()


def test_checkpoints_refuse_to_seal_a_rewritten_history(ledger):
    sql("UPDATE {posting} SET amount = amount * 10 WHERE entry_id = 2")
    rehash(2)
    with pytest.raises(LedgerCorrupt, match="no longer lead to checkpoint 6"):
        checkpoint_make()
    with pytest.raises(CommandError, match="no longer lead to checkpoint 6"):
        call_command("ledger", "checkpoint")


def test_an_empty_ledger_has_no_checkpoint(db):
    with pytest.raises(InvalidInput):
        checkpoint_make()


def test_the_checkpoint_command_prints_the_signed_note_and_the_key_command_its_key(ledger):
    out = io.StringIO()
    call_command("ledger", "checkpoint", stdout=out)
    assert out.getvalue().startswith(f"{ORIGIN}\n7\n") and "\n\n— " in out.getvalue()
    out = io.StringIO()
    call_command("ledger", "key", stdout=out)
    assert out.getvalue().strip() == ledger_signer().verifier.vkey


def test_consistency_proofs_link_the_checkpoints(ledger):
    checkpoint_make()
    vkey = ledger_signer().verifier.vkey
    proof = checkpoint_consistency(old_size=3)
    old, new = consistency_verify(proof, trusted_key=vkey)
    assert (old.size, new.size) == (3, 7)
    assert consistency_verify(checkpoint_consistency(old_size=3, new_size=6))[1].size == 6
    with pytest.raises(ProofFileError, match="does not extend"):
        consistency_verify({**proof, "proof": proof["proof"][1:]}, trusted_key=vkey)
    swapped = {**proof, "old": proof["new"], "new": proof["old"]}
    with pytest.raises(ProofFileError):
        consistency_verify(swapped, trusted_key=vkey)
    with pytest.raises(ProofFileError, match="no signature"):
        consistency_verify(proof, trusted_key=Signer.generate(ORIGIN).verifier.vkey)
    with pytest.raises(InvalidInput):
        checkpoint_consistency(old_size=6, new_size=3)


def test_a_code_that_would_read_two_ways_fails_every_entry_that_uses_it(ledger):
    sql("UPDATE {account} SET code = 'donor zhang' WHERE code = 'donor-zhang'")
    report = ledger_verify()
    assert (report.first_bad_entry, report.bad_entries) == (1, 7)
