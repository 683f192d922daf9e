"""Statements equal the ledger: for generated ledgers (random kinds, several postings per
entry, materials, reversals, dates over three years) and random periods and sets of accounts,
the statement's figures equal sums computed here straight from the Posting rows."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from aidbridge.errors import InvalidInput
from aidbridge.ledger.models import Account, Entry, Posting
from aidbridge.ledger.services import account_open, entries_append, entry_reverse
from aidbridge.ledger.statements import Period, period_parse, posting_rows, statement
from aidbridge.projects.services import project_create
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db

TODAY = date.today()
FIRST = TODAY - timedelta(days=3 * 365)


@pytest.fixture
def linked(books, file_need):
    """A project's and a need's accounts beside the books."""
    project = project_create(
        by=books.admin, region=Region.objects.get(code="513422"), title="测试项目"
    )
    return (
        account_open(kind="project", project=project, name_zh=project.title),
        account_open(kind="need", need=file_need(kind="village"), name_zh="测试需求"),
    )


def _ledger(rng: random.Random, books, linked) -> list[Account]:
    """Random entries between the books' accounts: donations in, transfers between the
    foundation, the fund and a project, disbursements out (some in kind), refunds; then a few
    of them reversed."""
    project, need = linked
    holders = [books.org, books.fund, project]
    entries = []
    for _ in range(rng.randint(15, 40)):
        day = FIRST + timedelta(days=rng.randint(0, (TODAY - FIRST).days))
        amount = rng.randint(1, 2_000_000)
        kind = rng.choice(["donation", "transfer", "disbursement", "refund", "split"])
        giver, receiver = rng.sample(holders, 2)
        if kind == "donation":
            postings = [(books.donor, -amount), (receiver, amount)]
        elif kind == "transfer":
            postings = [(giver, -amount), (receiver, amount)]
        elif kind == "refund":
            postings = [(giver, -amount), (books.donor, amount)]
        elif kind == "split":  # one giver, two receivers of different kinds
            kind, part = "disbursement", rng.randint(0, amount - 1) + 1
            postings = [(giver, -amount - part), (books.household, amount), (need, part)]
        else:
            postings = [(giver, -amount), (rng.choice([need, books.world]), amount)]
        entry = {"kind": kind, "date": day, "memo": f"m{_}", "postings": []}
        for account, fen in postings:
            entry["postings"].append({"account": account, "amount": fen})
        if kind == "disbursement" and len(postings) == 2 and rng.random() < 0.4:
            quantity = rng.randint(1, 50)
            entry["postings"][0] |= {"quantity": -quantity, "unit": rng.choice(["袋", "kg"])}
            entry["postings"][1] |= {"quantity": quantity, "unit": entry["postings"][0]["unit"]}
        entries.append(entry)
    entries.sort(key=lambda e: e["date"])
    seqs = entries_append(by=books.admin, entries=entries)
    for seq in rng.sample(list(seqs), k=min(4, len(seqs))):
        entry = Entry.objects.get(seq=seq)
        entry_reverse(
            by=books.admin,
            entry=entry,
            memo="录错",
            date=entry.date + timedelta(days=rng.randint(0, (TODAY - entry.date).days)),
        )
    return holders


def _expected(accounts, period: Period) -> dict:
    ids = {a.pk for a in accounts}
    rows = Posting.objects.filter(account_id__in=ids).values_list(
        "entry__date", "entry_id", "amount", "quantity", "unit"
    )
    figures = Counter()
    units = Counter()
    seqs = set()
    for day, seq, amount, quantity, unit in rows:
        if quantity is not None:  # goods: by unit, with their stated value
            if day < period.start:
                units[unit, "opening"] += quantity
                units[unit, "value"] += amount
            elif day <= period.end:
                units[unit, "received" if quantity > 0 else "given"] += abs(quantity)
                units[unit, "value"] += amount
                units[unit, "postings"] += abs(amount)
                seqs.add(seq)
            continue
        if day < period.start:
            figures["opening"] += amount
        elif day <= period.end:
            figures["income" if amount > 0 else "spending"] += abs(amount)
            seqs.add(seq)
        if day <= period.end:
            figures["closing"] += amount
    return {"figures": figures, "units": units, "seqs": seqs}


@pytest.mark.parametrize("seed", range(6))
def test_it_equals_the_sums_of_the_postings(books, linked, seed):
    rng = random.Random(seed)
    holders = _ledger(rng, books, linked)
    choices = [
        str(TODAY.year),
        f"{TODAY.year - 1}-Q{rng.randint(1, 4)}",
        f"{TODAY.year - 2}-{rng.randint(1, 12):02d}",
    ]
    for key in choices:
        for accounts in ([holders[0]], holders[1:], holders):
            period = period_parse(period=key)
            found = statement(accounts=accounts, period=period)
            expected = _expected(accounts, period)
            figures = expected["figures"]
            assert found.opening == figures["opening"]
            assert found.income == figures["income"]
            assert found.spending == figures["spending"]
            assert found.closing == figures["closing"]
            listed = [*found.lines, *found.materials]
            assert {s for line in listed for s in line.entries} == expected["seqs"]
            units = expected["units"]
            for m in found.materials:
                assert (m.opening, m.received, m.given, m.closing_value) == (
                    units[m.unit, "opening"],
                    units[m.unit, "received"],
                    units[m.unit, "given"],
                    units[m.unit, "value"],
                )
            goods = sum(units[m.unit, "postings"] for m in found.materials)
            rows = posting_rows(accounts=accounts, period=period)
            assert (
                sum(r.debit + r.credit for r in rows)
                == figures["income"] + figures["spending"] + goods
            )


def test_a_reversal_is_shown_beside_its_entry_and_cancels_it(books, linked):
    _project, need = linked
    day = TODAY - timedelta(days=2)
    first = entries_append(
        by=books.admin,
        entries=[
            {
                "kind": "donation",
                "date": day,
                "memo": "",
                "postings": [
                    {"account": books.donor, "amount": -100_000},
                    {"account": books.org, "amount": 100_000},
                ],
            },
            {
                "kind": "disbursement",
                "date": day,
                "memo": "",
                "postings": [
                    {"account": books.org, "amount": -30_000},
                    {"account": need, "amount": 30_000},
                ],
            },
        ],
    )
    paid = Entry.objects.get(seq=first[1])
    undone = entry_reverse(by=books.admin, entry=paid, memo="付错了", date=day)
    found = statement(accounts=[books.org], period=period_parse(period=str(TODAY.year)))
    by_key = {(line.kind, line.counterpart): line for line in found.lines}
    to_need = by_key["disbursement", "need"]
    assert (to_need.spending, to_need.income, to_need.net) == (30_000, 30_000, 0)
    assert to_need.entries == [paid.seq, undone.seq]
    assert by_key["donation", "donor"].income == 100_000
    assert found.closing == 100_000
    assert to_need.label == "Disbursement: Need"


def test_periods():
    assert period_parse(period="2025") == Period(date(2025, 1, 1), date(2025, 12, 31), "2025")
    assert period_parse(period="2024-q1").end == date(2024, 3, 31)
    assert period_parse(period="2024-02").end == date(2024, 2, 29)
    custom = period_parse(start="2025-03-04", end="2025-05-06")
    assert (custom.start, custom.end) == (date(2025, 3, 4), date(2025, 5, 6))
    assert period_parse().key == str(timezone.localdate().year)
    for kwargs, field in [
        ({"period": "2025-13"}, "period"),
        ({"period": "last year"}, "period"),
        ({"period": "1999"}, "period"),
        ({"start": "2025-02-30"}, "start"),
        ({"start": "2025-03-01", "end": "2025-02-01"}, "end"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            period_parse(**kwargs)
        assert refused.value.errors[0]["field"] == field
