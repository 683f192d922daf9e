"""Many writers append at the same moment: numbers stay gapless and the tree stays valid.
Real threads, each with its own database connection, committing for real."""

import threading

import pytest
from django.db import connection, connections

from aidbridge.ledger.models import Entry
from aidbridge.ledger.services import account_open, checkpoint_make, entries_append, entry_post
from aidbridge.ledger.verification import ledger_verify

from .conftest import DAY

THREADS, SINGLES, BATCH = 8, 10, 25


def test_concurrent_appends_keep_the_sequence_gapless_and_the_tree_valid(committed):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks; its writes are serialised whole")
    donor = account_open(kind="donor", code="donor-many", name_zh="众人")
    org = account_open(kind="organization", code="org-one", name_zh="一家机构")
    barrier = threading.Barrier(THREADS)
    failures = []

    def postings(amount):
        return [{"account": donor.code, "amount": -amount}, {"account": org.code, "amount": amount}]

    def append(worker):
        try:
            barrier.wait()
            for n in range(SINGLES):
                entry_post(
                    by=None,
                    kind="donation",
                    date=DAY,
                    memo=f"{worker}-{n}",
                    postings=postings(worker * 100 + n + 1),
                )
                if n == SINGLES // 2:
                    entries_append(
                        by=None,
                        entries=[
                            {
                                "kind": "donation",
                                "date": DAY,
                                "memo": f"{worker}-batch",
                                "postings": postings(1),
                            }
                        ]
                        * BATCH,
                    )
                    checkpoint_make()
        except Exception as exc:  # reported below, with the thread's name
            failures.append(f"{worker}: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(w,)) for w in range(1, THREADS + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    total = THREADS * (SINGLES + BATCH)
    assert list(Entry.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    for worker in range(1, THREADS + 1):  # each batch stayed in one piece
        seqs = list(Entry.objects.filter(memo=f"{worker}-batch").values_list("seq", flat=True))
        assert seqs == list(range(seqs[0], seqs[0] + BATCH))
    checkpoint_make()
    report = ledger_verify()
    assert report.ok and report.entries == total and report.checkpoints >= 2
