"""The stored tree (TreeNode): written with each append, it gives the same roots and proofs as
the in-memory MerkleTree of every leaf; receipts, consistency proofs and checkpoints read it
instead of the whole tree; a changed or missing node is found."""

import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidbridge.errors import InvalidInput
from aidbridge.ledger.merkle import MerkleTree, verify_inclusion
from aidbridge.ledger.models import NODE_HEIGHT, Checkpoint, Entry, LedgerCorrupt, TreeNode
from aidbridge.ledger.selectors import (
    checkpoint_consistency,
    consistency_proof,
    entry_receipt,
    inclusion_proof,
    tree_frontier,
    tree_root,
)
from aidbridge.ledger.services import checkpoint_make, entries_append, receipt_issue
from aidbridge.ledger.verification import ledger_verify

from .conftest import DAY

pytestmark = pytest.mark.django_db
SIZE = 3 * (1 << NODE_HEIGHT) + 37  # three blocks of entries and part of a fourth


def donations(books, count: int) -> list[dict]:
    return [
        {
            "kind": "donation",
            "date": DAY,
            "memo": f"第{n}笔",
            "postings": [
                {"account": books.donor, "amount": -(n + 1) * 100},
                {"account": books.org, "amount": (n + 1) * 100},
            ],
        }
        for n in range(count)
    ]


def append(books, count: int, batches: random.Random) -> None:
    """Append `count` donations in batches of random sizes (single entries among them)."""
    while count:
        n = min(count, batches.choice([1, 1, 2, 7, 60, 255, 256, 300]))
        entries_append(by=books.admin, entries=donations(books, n))
        count -= n


def memory_tree() -> MerkleTree:
    return MerkleTree(bytes(h) for h in Entry.objects.values_list("leaf_hash", flat=True))


def stored_nodes() -> dict[tuple[int, int], bytes]:
    rows = TreeNode.objects.values_list("height", "index", "hash")
    return {(h, i): bytes(x) for h, i, x in rows}


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.format(node=TreeNode._meta.db_table), params)


@pytest.fixture
def ledger(books):
    append(books, SIZE, random.Random(5))
    checkpoint_make()
    return books


def test_every_complete_node_from_height_8_is_stored_once_with_the_trees_hash(ledger):
    tree = memory_tree()
    expected = {
        (h, i): tree.node(h, i)
        for h in range(NODE_HEIGHT, SIZE.bit_length())
        for i in range(SIZE >> h)
    }
    assert len(expected) == 4  # three blocks of 256 and one of 512
    assert stored_nodes() == expected


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_proofs_from_stored_nodes_equal_proofs_from_the_whole_tree(ledger, data):
    tree = memory_tree()
    size = data.draw(st.integers(1, SIZE), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    old = data.draw(st.integers(0, size), label="old")
    assert tree_root(size) == tree.root(size)
    assert inclusion_proof(index, size) == tree.inclusion_proof(index, size)
    assert consistency_proof(old, size) == tree.consistency_proof(old, size)
    assert tree_frontier(size).root() == tree.root(size)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_sizes_and_batches_store_what_the_whole_tree_has(books, seed):
    rng = random.Random(seed)
    size = rng.randrange(2 * (1 << NODE_HEIGHT), 5 * (1 << NODE_HEIGHT))
    append(books, size, rng)
    tree = memory_tree()
    assert len(tree) == size
    assert stored_nodes() == {
        (h, i): tree.node(h, i)
        for h in range(NODE_HEIGHT, size.bit_length())
        for i in range(size >> h)
    }
    for index in rng.sample(range(size), 20):
        assert inclusion_proof(index, size) == tree.inclusion_proof(index, size)
    for old in rng.sample(range(size + 1), 20):
        assert consistency_proof(old, size) == tree.consistency_proof(old, size)


def test_a_receipt_takes_the_same_queries_in_a_larger_ledger(ledger, books):
    seq = 2 * (1 << NODE_HEIGHT) + 5
    with CaptureQueriesContext(connection) as small:
        receipt = entry_receipt(seq=seq)
    append(books, 4 * (1 << NODE_HEIGHT), random.Random(9))
    checkpoint_make()
    with CaptureQueriesContext(connection) as large:
        assert entry_receipt(seq=seq)["entry"] == receipt["entry"]
    assert len(large.captured_queries) == len(small.captured_queries) <= 8
    tree = memory_tree()
    size = Checkpoint.objects.order_by("-size").first().size
    assert len(tree) == size
    leaf = tree.node(0, seq - 1)
    verify_inclusion(seq - 1, size, leaf, inclusion_proof(seq - 1, size), tree.root())


def test_checkpoints_and_consistency_proofs_use_the_stored_tree(ledger, books):
    first = Checkpoint.objects.get()
    append(books, 700, random.Random(2))
    second = checkpoint_make()
    assert second.size == SIZE + 700
    assert bytes(second.root) == memory_tree().root()
    proof = checkpoint_consistency(old_size=first.size)
    assert proof["old"] == first.note and proof["new"] == second.note
    assert ledger_verify().ok


def test_a_changed_node_is_named_by_verify_and_refuses_receipts_and_proofs(ledger, books):
    first = Checkpoint.objects.get()
    append(books, 700, random.Random(2))
    checkpoint_make()
    sql('UPDATE {node} SET hash = %s WHERE height = 9 AND "index" = 0', [bytes(32)])
    assert ledger_verify().problems == [
        "the stored tree node of height 9 over entries 1 to 512 does not match the entries"
    ]
    assert entry_receipt(seq=3)["entry"]["seq"] == 3  # its proof does not use that node
    with pytest.raises(LedgerCorrupt, match="entry 600 is not in the signed ledger"):
        entry_receipt(seq=600)
    with pytest.raises(InvalidInput, match="failed its integrity check"):
        receipt_issue(seq=600)
    with pytest.raises(LedgerCorrupt, match=f"does not extend {first.size}"):
        checkpoint_consistency(old_size=first.size)
    with pytest.raises(CommandError, match="stored tree node of height 9"):
        call_command("ledger", "verify", stdout=io.StringIO(), stderr=io.StringIO())


def test_a_changed_node_of_the_last_checkpoint_stops_the_next(ledger, books):
    sql('UPDATE {node} SET hash = %s WHERE height = 8 AND "index" = 2', [bytes(32)])
    append(books, 1, random.Random(1))
    with pytest.raises(LedgerCorrupt, match=f"no longer lead to checkpoint {SIZE}"):
        checkpoint_make()


def test_a_node_changed_after_the_last_checkpoint_is_not_sealed(ledger, books):
    append(books, 1 << NODE_HEIGHT, random.Random(3))
    sql('UPDATE {node} SET hash = %s WHERE height = 8 AND "index" = 3', [bytes(32)])
    with pytest.raises(LedgerCorrupt, match="node of height 8 over entries 769 to 1024"):
        checkpoint_make()
    assert Checkpoint.objects.count() == 1


def test_a_missing_node_is_named(ledger):
    sql("DELETE FROM {node} WHERE height = 9")
    assert ledger_verify().problems == ["1 stored tree nodes are missing"]
    assert entry_receipt(seq=1)["entry"]["seq"] == 1
    with pytest.raises(LedgerCorrupt, match=f"stored tree nodes are missing below {SIZE}"):
        entry_receipt(seq=600)


def test_the_migration_backfills_the_nodes_of_existing_entries(ledger):
    from importlib import import_module

    from django.apps import apps

    before = stored_nodes()
    sql("DELETE FROM {node}")
    import_module("aidbridge.ledger.migrations.0007_tree_nodes").backfill(apps, None)
    assert stored_nodes() == before
    assert ledger_verify().ok
