"""An account's movements: each entry as the account saw it, corrections left out."""

import datetime

from aidbridge.ledger.selectors import movements, movements_by_account
from aidbridge.ledger.services import entry_post, entry_reverse

DAY = datetime.date(2026, 3, 1)


def test_movements_show_each_entry_from_the_account_with_its_counterparts(books):
    donated = entry_post(
        by=None,
        kind="donation",
        date=DAY,
        memo="gift",
        postings=[
            {"account": books.donor, "amount": -50_000},
            {"account": books.org, "amount": 50_000},
        ],
    )
    entry_post(
        by=None,
        kind="disbursement",
        date=DAY,
        postings=[
            {"account": books.org, "amount": -30_000},
            {"account": books.household, "amount": 20_000},
            {"account": books.world, "amount": 10_000},
        ],
    )
    seen = movements(account=books.org)
    assert [(m.seq, m.kind, m.amount) for m in seen] == [
        (donated.seq, "donation", 50_000),
        (donated.seq + 1, "disbursement", -30_000),
    ]
    assert seen[0].counterparts == ((books.donor, 50_000),)
    assert seen[1].counterparts == ((books.household, 20_000), (books.world, 10_000))
    assert seen[0].memo == "gift" and seen[0].date == DAY


def test_a_reversed_entry_and_its_reversal_are_left_out_unless_asked(books):
    kept = entry_post(
        by=None,
        kind="donation",
        date=DAY,
        postings=[{"account": books.donor, "amount": -100}, {"account": books.org, "amount": 100}],
    )
    wrong = entry_post(
        by=None,
        kind="donation",
        date=DAY,
        postings=[{"account": books.donor, "amount": -900}, {"account": books.org, "amount": 900}],
    )
    entry_reverse(by=None, entry=wrong, memo="typed 9 for 1")
    assert [m.seq for m in movements(account=books.org)] == [kept.seq]
    everything = movements(account=books.org, corrected=False)
    assert [m.amount for m in everything] == [100, 900, -900]


def test_many_accounts_movements_in_two_queries_each_seen_from_its_side(
    books, django_assert_num_queries
):
    gift = entry_post(
        by=None,
        kind="donation",
        date=DAY,
        postings=[{"account": books.donor, "amount": -700}, {"account": books.org, "amount": 700}],
    )
    paid = entry_post(
        by=None,
        kind="disbursement",
        date=DAY,
        postings=[
            {"account": books.org, "amount": -500},
            {"account": books.household, "amount": 500},
        ],
    )
    with django_assert_num_queries(2):
        seen = movements_by_account(accounts=[books.org, books.household, books.world])
    assert set(seen) == {books.org.pk, books.household.pk}
    assert [(m.seq, m.amount) for m in seen[books.org.pk]] == [(gift.seq, 700), (paid.seq, -500)]
    assert seen[books.household.pk][0].counterparts == ((books.org, 500),)
    assert seen[books.org.pk][1].counterparts == ((books.household, 500),)
