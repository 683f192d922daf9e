"""Posting entries: validation that names the field, zero sums of integer fen, kinds of entry,
append-only records, reversals, balances derived from postings and gapless numbers."""

import base64
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from aidbridge.errors import InvalidInput
from aidbridge.ledger.encoding import encode_entry
from aidbridge.ledger.keys import ledger_signer
from aidbridge.ledger.merkle import leaf_hash
from aidbridge.ledger.models import AppendOnly, Checkpoint, Entry, Posting
from aidbridge.ledger.selectors import account_balance, account_quantities, balances
from aidbridge.ledger.services import (
    account_open,
    checkpoint_make,
    entries_append,
    entry_post,
    entry_reverse,
)

from .conftest import DAY

pytestmark = pytest.mark.django_db


def fields(exc_info) -> set[str]:
    return {e["field"] for e in exc_info.value.errors}


def test_it_posts_a_donation_and_derives_balances(books, donate):
    entry = donate(500_000)
    assert (entry.seq, entry.kind, entry.date, entry.created_by) == (
        1,
        "donation",
        DAY,
        books.admin,
    )
    lines = [("donor-zhang", -500_000, None, ""), (books.org.code, 500_000, None, "")]
    expected = leaf_hash(encode_entry(1, "donation", DAY.isoformat(), "春季募捐", None, lines))
    assert bytes(entry.leaf_hash) == expected
    donate(120_000)
    entry_post(
        by=books.admin,
        kind="disbursement",
        date=DAY,
        postings=[
            {"account": books.org.code, "amount": -300_000},
            {"account": books.household.code, "amount": 300_000},
        ],
    )
    assert account_balance(account=books.donor) == -620_000
    assert account_balance(account=books.org) == 320_000
    assert account_balance(account=books.world) == 0
    assert balances() == {
        "donor-zhang": -620_000,
        books.org.code: 320_000,
        books.household.code: 300_000,
    }
    assert balances(kind="household") == {books.household.code: 300_000}


def test_it_records_materials_given_in_kind_at_a_stated_value(books):
    entry_post(
        by=books.admin,
        kind="donation",
        date=DAY,
        memo="大米 100 袋",
        postings=[
            {"account": books.donor, "amount": -600_000, "quantity": -100, "unit": "袋"},
            {"account": books.org, "amount": 600_000, "quantity": 100, "unit": "袋"},
        ],
    )
    entry_post(
        by=books.admin,
        kind="disbursement",
        date=DAY,
        postings=[
            {"account": books.org, "amount": -240_000, "quantity": -40, "unit": "袋"},
            {"account": books.household, "amount": 240_000, "quantity": 40, "unit": "袋"},
        ],
    )
    assert account_quantities(account=books.org) == {"袋": 60}
    assert account_quantities(account=books.household) == {"袋": 40}
    assert account_balance(account=books.org) == 360_000


def posting(account, amount, **extra):
    return {"account": account, "amount": amount, **extra}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "gift"}, "kind"),
        ({"kind": "reversal"}, "kind"),
        ({"date": None}, "date"),
        ({"date": "2026-01-05"}, "date"),
        ({"date": datetime(2026, 1, 5, 8, 0)}, "date"),
        ({"date": date.today() + timedelta(days=1)}, "date"),
        ({"memo": "x" * 501}, "memo"),
        ({"postings": [posting("donor-zhang", -5)]}, "postings"),
        ({"postings": None}, "postings"),
        ({"postings": [posting("donor-zhang", -5.0), posting("ORG", 5)]}, "postings[0].amount"),
        (
            {"postings": [posting("donor-zhang", -5), posting("ORG", Decimal(5))]},
            "postings[1].amount",
        ),
        ({"postings": [posting("donor-zhang", -5), posting("ORG", "5")]}, "postings[1].amount"),
        ({"postings": [posting("donor-zhang", -1), posting("ORG", True)]}, "postings[1].amount"),
        ({"postings": [posting("donor-zhang", 0), posting("ORG", 0)]}, "postings[0].amount"),
        (
            {"postings": [posting("donor-zhang", -(10**16)), posting("ORG", 10**16)]},
            "postings[0].amount",
        ),
        ({"postings": [posting("donor-zhang", -5), posting("ORG", 6)]}, "postings"),
        ({"postings": [posting("donor-zhang", -5), posting("nobody", 5)]}, "postings[1].account"),
        ({"postings": [posting("donor-zhang", -5), "ORG"]}, "postings[1].account"),
        (
            {
                "postings": [
                    posting("donor-zhang", -5, quantity=-1),
                    posting("ORG", 5, quantity=1, unit="kg"),
                ]
            },
            "postings[0].unit",
        ),
        (
            {"postings": [posting("donor-zhang", -5, unit="kg"), posting("ORG", 5)]},
            "postings[0].unit",
        ),
        (
            {
                "postings": [
                    posting("donor-zhang", -5, quantity=1, unit="kg"),
                    posting("ORG", 5, quantity=-1, unit="kg"),
                ]
            },
            "postings[0].quantity",
        ),
        (
            {
                "postings": [
                    posting("donor-zhang", -5, quantity=-1.5, unit="kg"),
                    posting("ORG", 5, quantity=1.5, unit="kg"),
                ]
            },
            "postings[1].quantity",
        ),
        (
            {
                "postings": [
                    posting("donor-zhang", -5, quantity=-1, unit="big bag"),
                    posting("ORG", 5, quantity=1, unit="big bag"),
                ]
            },
            "postings[1].unit",
        ),
        (
            {
                "postings": [
                    posting("donor-zhang", -5, quantity=-2, unit="kg"),
                    posting("ORG", 5, quantity=1, unit="kg"),
                ]
            },
            "postings",
        ),
        ({"postings": [posting("HOUSEHOLD", -5), posting("ORG", 5)]}, "postings[0].account"),
        (
            {"postings": [posting("donor-zhang", -5), posting("donor-zhang", 5)]},
            "postings[1].account",
        ),
        (
            {"kind": "transfer", "postings": [posting("donor-zhang", -5), posting("ORG", 5)]},
            "postings[0].account",
        ),
        (
            {"kind": "service_purchase", "postings": [posting("ORG", -5), posting("outside", 5)]},
            "postings[0].account",
        ),
        (
            {
                "kind": "loan_disbursement",
                "postings": [posting("gov-513422", -5), posting("ORG", 5)],
            },
            "postings[1].account",
        ),
    ],
)
def test_every_rejection_names_the_field(books, change, field):
    codes = {"ORG": books.org.code, "HOUSEHOLD": books.household.code}
    data = {
        "kind": "donation",
        "date": DAY,
        "memo": "",
        "postings": [posting("donor-zhang", -5), posting("ORG", 5)],
        **change,
    }
    if isinstance(data["postings"], list):
        data["postings"] = [
            {**p, "account": codes.get(p["account"], p["account"])} if isinstance(p, dict) else p
            for p in data["postings"]
        ]
    with pytest.raises(InvalidInput) as err:
        entry_post(by=books.admin, **data)
    assert field in fields(err)
    assert all(e["message"] for e in err.value.errors)
    assert not Entry.objects.exists() and not Posting.objects.exists()


def test_each_kind_moves_between_the_accounts_it_is_for(books):
    moves = [
        ("donation", books.donor, books.org),
        ("transfer", books.world, books.fund),
        ("service_purchase", books.fund, books.org),
        ("loan_disbursement", books.fund, books.household),
        ("loan_repayment", books.household, books.fund),
        ("disbursement", books.org, books.world),
        ("refund", books.org, books.donor),
        ("purchase", books.org, books.world),
        ("disbursement", books.fund, books.org),
    ]
    for kind, giver, receiver in moves:
        entry_post(
            by=books.admin,
            kind=kind,
            date=DAY,
            postings=[posting(giver, -1_000), posting(receiver, 1_000)],
        )
    assert list(Entry.objects.values_list("kind", flat=True)) == [k for k, _g, _r in moves]
    assert sum(balances().values()) == 0


def test_a_batch_is_appended_whole_or_refused_naming_the_row(books):
    good = {
        "kind": "donation",
        "date": DAY,
        "postings": [posting(books.donor, -100), posting(books.org, 100)],
    }
    bad = {**good, "postings": [posting(books.donor, -100), posting(books.org, 99)]}
    with pytest.raises(InvalidInput) as err:
        entries_append(by=None, entries=[good, good, bad, good])
    assert [(e["row"], e["field"]) for e in err.value.errors] == [(2, "postings")]
    assert not Entry.objects.exists()
    assert entries_append(by=None, entries=[good] * 3) == range(1, 4)
    assert entries_append(by=None, entries=[good] * 2) == range(4, 6)
    assert Posting.objects.count() == 10 and account_balance(account=books.org) == 500


def test_entries_postings_and_checkpoints_are_append_only(donate):
    entry = donate()
    checkpoint = checkpoint_make()
    line = entry.postings.first()
    for record in (entry, line, checkpoint):
        with pytest.raises(AppendOnly):
            record.save()
        with pytest.raises(AppendOnly):
            record.delete()
    entry.memo = "changed"
    with pytest.raises(AppendOnly):
        entry.save()
    for model in (Entry, Posting, Checkpoint):
        with pytest.raises(AppendOnly):
            model.objects.update(pk=99)
        with pytest.raises(AppendOnly):
            model.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry(
            seq=1, kind="donation", date=DAY, created_at=entry.created_at, leaf_hash=entry.leaf_hash
        ).save()  # an insert over an existing number
    entry.refresh_from_db()
    assert entry.memo == "春季募捐"


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Posting, {"line": 2, "amount": 0}),
        (Posting, {"line": 2, "amount": 5, "quantity": -1, "unit": "kg"}),
        (Posting, {"line": 2, "amount": 5, "quantity": 1}),
        (Posting, {"line": 2, "amount": 5, "unit": "kg"}),
        (Posting, {"line": 0, "amount": 5}),
        (Entry, {"seq": 2, "reverses_id": 1}),
        (Entry, {"seq": 2, "kind": "reversal"}),
        (Entry, {"seq": 2, "leaf_hash": b"short"}),
    ],
)
def test_the_database_refuses_what_the_services_refuse(books, donate, model, values):
    entry = donate()
    if model is Posting:
        record = Posting(entry=entry, account=books.org, **values)
    else:
        record = Entry(
            **{
                "kind": "donation",
                "date": DAY,
                "created_at": entry.created_at,
                "leaf_hash": bytes(32),
                **values,
            }
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_a_reversal_mirrors_the_entry_and_is_never_repeated(books, donate):
    entry = donate(500_000)
    reversal = entry_reverse(by=books.admin, entry=entry, memo="捐款人撤回", date=DAY)
    assert (reversal.seq, reversal.kind, reversal.reverses_id) == (2, "reversal", 1)
    assert list(reversal.postings.values_list("account__code", "amount")) == [
        ("donor-zhang", 500_000),
        (books.org.code, -500_000),
    ]
    assert account_balance(account=books.donor) == account_balance(account=books.org) == 0
    entry.refresh_from_db()
    assert entry.reversed_by == reversal
    with pytest.raises(InvalidInput, match="already reversed by entry 2"):
        entry_reverse(by=books.admin, entry=entry, memo="again")
    with pytest.raises(InvalidInput) as err:
        entry_reverse(by=books.admin, entry=reversal, memo=" ")
    assert fields(err) == {"entry", "memo"}
    assert Entry.objects.count() == 2


def test_a_reversal_of_materials_negates_their_quantities(books):
    entry = entry_post(
        by=books.admin,
        kind="donation",
        date=DAY,
        postings=[
            posting(books.donor, -600, quantity=-3, unit="kg"),
            posting(books.org, 600, quantity=3, unit="kg"),
        ],
    )
    entry_reverse(by=books.admin, entry=entry, memo="数量记错")
    assert account_quantities(account=books.org) == {}
    assert account_balance(account=books.org) == 0


def test_numbers_stay_gapless_when_an_append_is_rolled_back(books, donate):
    donate()
    with pytest.raises(RuntimeError), transaction.atomic():
        donate()
        raise RuntimeError("the caller's transaction fails after the append")
    donate()
    assert list(Entry.objects.values_list("seq", flat=True)) == [1, 2]


def test_accounts_take_their_code_from_what_they_belong_to(books, make_household, file_need):
    household = books.household.household
    assert books.household.code == f"household-{household.public_id}"
    assert household.number not in books.household.code
    assert books.org.code == "org-lsfund"
    need = file_need(household_number="H-L1")
    assert account_open(kind="need", need=need, name_zh=need.title).code == f"need-{need.public_id}"
    donor = account_open(kind="donor", organization=books.org.organization, name_zh="基金会捐赠")
    assert donor.code == "donor-lsfund"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "bank"}, "kind"),
        ({"kind": "need"}, "need"),
        ({"kind": "household"}, "household"),
        ({"kind": "external", "code": "has space"}, "code"),
        ({"kind": "external", "code": ""}, "code"),
        ({"kind": "external", "code": "outside"}, "code"),
        ({"kind": "external", "code": "elsewhere", "name_zh": " "}, "name_zh"),
        ({"kind": "external", "code": "elsewhere", "organization": "LSFUND"}, "organization"),
        ({"kind": "project", "code": "p-1", "need": "NEED"}, "need"),
        ({"kind": "project", "code": "p-2"}, "project"),
    ],
)
def test_opening_an_account_names_what_is_wrong(books, file_need, data, field):
    if data.get("organization"):
        data = {**data, "organization": books.org.organization}
    if data.get("need"):
        data = {**data, "need": file_need(household_number="H-L1")}
    with pytest.raises(InvalidInput) as err:
        account_open(**{"name_zh": "账户", **data})
    assert field in fields(err)


def test_the_signing_key_is_made_once_in_the_data_folder(settings, tmp_path):
    settings.LEDGER_KEY, settings.AIDBRIDGE_HOME = "", tmp_path
    first = ledger_signer()
    assert (tmp_path / "ledger_key").stat().st_mode & 0o777 == 0o600
    assert ledger_signer() == first and first.name == "aidbridge.test/ledger"
    seed = first.private_key
    settings.LEDGER_KEY = base64.b64encode(seed).decode()
    assert ledger_signer() == first
    settings.LEDGER_KEY = seed.hex()
    assert ledger_signer() == first
    settings.LEDGER_KEY = "not a key"
    with pytest.raises(ImproperlyConfigured):
        ledger_signer()
