"""Spending recorded by the people who spend: each kind posts its entry, goes only to
published needs, never beyond what the giver holds, waits above the threshold for a second
person of the same helper, and refuses bad input naming the field, writing nothing."""

import pytest
from django.utils import translation

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.ledger.models import Entry, Posting
from aidbridge.projects.services import project_link
from aidbridge.spending.models import Evidence, Spending
from aidbridge.spending.selectors import approvals_waiting, project_holdings
from aidbridge.spending.services import spending_approve, spending_record, spending_reject

pytestmark = pytest.mark.django_db


def fields(err) -> set[str]:
    return {e["field"] for e in err.value.errors}


@pytest.fixture
def published(funded, file_need, user):
    need = file_need(kind="village", publish=True)
    project_link(by=user("county-513422"), project=funded, needs=[need.public_id])
    return need


def pay(staff, project, photo, **changes):
    data = {
        "kind": "disbursement",
        "purpose": "医疗救助",
        "amount": 100_000,
        "recipient_kind": "supplier",
        "supplier": "县医院",
        "evidence": [photo()],
    }
    return spending_record(by=staff, project=project, **{**data, **changes})


def test_a_disbursement_to_a_published_need_is_posted_with_its_evidence(
    funded, staff, published, photo
):
    record = pay(staff, funded, photo, recipient_kind="need", need=published, supplier="")
    assert record.status == "posted" and record.entry.kind == "disbursement"
    lines = list(record.entry.postings.order_by("line").values_list("account__code", "amount"))
    assert lines == [
        (f"project-{funded.public_id}", -100_000),
        (f"need-{published.public_id}", 100_000),
    ]
    assert project_holdings(funded).money == 400_000
    stored = Evidence.objects.get(spending=record)
    assert stored.file.name.endswith(".jpg")  # re-encoded by Pillow


def test_money_goes_only_to_verified_published_needs(funded, staff, file_need, user, photo):
    submitted = file_need(kind="village")
    project_link(by=user("county-513422"), project=funded, needs=[submitted.public_id])
    entries = Entry.objects.count()
    with translation.override("en"), pytest.raises(InvalidInput) as err:
        pay(staff, funded, photo, recipient_kind="need", need=submitted)
    assert fields(err) == {"need"}
    assert "published" in str(err.value.errors[0]["message"])
    assert Entry.objects.count() == entries and not Spending.objects.exists()


def test_spending_more_than_the_project_holds_is_refused_with_the_balance(funded, staff, photo):
    with translation.override("en"), pytest.raises(InvalidInput) as err:
        pay(staff, funded, photo, amount=500_001)
    assert fields(err) == {"amount"}
    assert "5,000.00" in str(err.value.errors[0]["message"])
    assert not Spending.objects.exists() and not Evidence.objects.exists()


@pytest.mark.parametrize("amount", [0, -5, True, 1.5, 10**14, None])
def test_amounts_are_positive_whole_fen_below_the_ceiling(funded, staff, photo, amount):
    with pytest.raises(InvalidInput) as err:
        pay(staff, funded, photo, amount=amount)
    assert "amount" in fields(err)


def test_every_refusal_names_its_field_in_the_users_language(funded, staff):
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as err:
        spending_record(by=staff, project=funded, kind="purchase", purpose="", amount=100)
    assert {"purpose", "supplier", "invoice_number", "goods", "invoice", "quantity", "unit"} <= (
        fields(err)
    )
    assert all(not str(e["message"]).isascii() for e in err.value.errors)


def test_a_purchase_turns_money_into_goods_that_are_then_given(
    funded, staff, photo, pdf, make_household, user
):
    bought = spending_record(
        by=staff,
        project=funded,
        kind="purchase",
        purpose="采购书包",
        amount=60_000,
        quantity=20,
        unit="个",
        goods="书包",
        supplier="县文具厂",
        invoice_number="No.0012345",
        invoice=pdf(),
    )
    assert bought.entry.kind == "purchase" and "No.0012345" in bought.entry.memo
    held = project_holdings(funded)
    assert held.money == 440_000 and held.goods["个"].quantity == 20
    assert held.goods["个"].value == 60_000
    assert Evidence.objects.get(spending=bought).invoice
    home = funded.households.first()
    given = spending_record(
        by=staff,
        project=funded,
        kind="disbursement",
        purpose="书包发放",
        quantity=5,
        unit="个",
        recipient_kind="household",
        household=home,
        evidence=[photo()],
    )
    assert given.amount == 15_000  # the average value held
    assert project_holdings(funded).goods["个"].quantity == 15
    with pytest.raises(InvalidInput) as err:
        spending_record(
            by=staff,
            project=funded,
            kind="disbursement",
            purpose="书包发放",
            quantity=16,
            unit="个",
            recipient_kind="household",
            household=home,
            evidence=[photo()],
        )
    assert fields(err) == {"quantity"} and "15" in str(err.value.errors[0]["message"])


def test_above_the_threshold_a_second_person_of_the_same_helper_approves(
    funded, staff, colleague, photo, user, django_capture_on_commit_callbacks
):
    helper = staff.organization
    helper.spending_approval_threshold = 200_000
    helper.save()
    with django_capture_on_commit_callbacks(execute=True):
        record = pay(staff, funded, photo, amount=300_000)
    assert record.status == "pending" and record.entry is None
    assert project_holdings(funded).money == 500_000
    assert list(approvals_waiting(colleague)) == [record]
    assert colleague.notifications.exists()
    assert not approvals_waiting(staff).exists()
    with pytest.raises(NotAllowed):
        spending_approve(by=staff, spending=record)
    with pytest.raises(NotAllowed):
        spending_approve(by=user("county-513422"), spending=record)
    approved = spending_approve(by=colleague, spending=record)
    assert approved.status == "posted" and approved.decided_by == colleague
    assert project_holdings(funded).money == 200_000
    with pytest.raises(InvalidInput) as err:
        spending_approve(by=colleague, spending=approved)
    assert fields(err) == {"status"}


def test_a_rejection_says_why_and_posts_nothing(funded, staff, colleague, photo):
    helper = staff.organization
    helper.spending_approval_threshold = 100
    helper.save()
    record = pay(staff, funded, photo)
    with pytest.raises(InvalidInput) as err:
        spending_reject(by=colleague, spending=record, reason="  ")
    assert fields(err) == {"reason"}
    rejected = spending_reject(by=colleague, spending=record, reason="发票不全")
    assert rejected.status == "rejected" and rejected.entry is None
    assert project_holdings(funded).money == 500_000


def test_approval_checks_the_balance_again(funded, staff, colleague, photo):
    helper = staff.organization
    helper.spending_approval_threshold = 300_000
    helper.save()
    first = pay(staff, funded, photo, amount=300_000)
    second = pay(staff, funded, photo, amount=300_000)
    spending_approve(by=colleague, spending=first)
    with pytest.raises(InvalidInput) as err:
        spending_approve(by=colleague, spending=second)
    assert fields(err) == {"amount"}
    second.refresh_from_db()
    assert second.status == "pending"


def test_a_refund_is_at_most_what_is_left_of_the_donation(funded, staff, photo):
    donation = funded.donations.get()
    refund = dict(kind="refund", purpose="结余退回", donation=donation, evidence=[photo()])
    spending_record(by=staff, project=funded, amount=300_000, **refund)
    with translation.override("en"), pytest.raises(InvalidInput) as err:
        spending_record(by=staff, project=funded, amount=200_001, **refund)
    assert fields(err) == {"amount"} and "2,000.00" in str(err.value.errors[0]["message"])
    done = spending_record(by=staff, project=funded, amount=200_000, **refund)
    lines = dict(done.entry.postings.values_list("account__code", "amount"))
    assert lines["donor-ls-yi-embroidery"] == 200_000


def test_a_reversal_names_its_entry_and_is_done_once(funded, staff, photo):
    paid = pay(staff, funded, photo)
    undo = dict(kind="reversal", purpose="录入错误", reverses=paid.entry)
    reversal = spending_record(by=staff, project=funded, **undo)
    assert reversal.entry.reverses_id == paid.entry.seq
    assert project_holdings(funded).money == 500_000
    with pytest.raises(InvalidInput) as err:
        spending_record(by=staff, project=funded, **undo)
    assert fields(err) == {"reverses"} and str(paid.entry.seq) in err.value.errors[0]["message"]
    with pytest.raises(InvalidInput) as err:
        spending_record(by=staff, project=funded, **undo | {"reverses": reversal.entry})
    assert fields(err) == {"reverses"}
    donation_entry = funded.donations.get().entry
    with pytest.raises(InvalidInput) as err:
        spending_record(by=staff, project=funded, **undo | {"reverses": donation_entry})
    assert fields(err) == {"reverses"}


def test_transfers_between_a_fund_and_the_project(funded, staff, photo, helpers):
    out = dict(kind="transfer_out", purpose="设立周转金", evidence=[photo()])
    spending_record(by=staff, project=funded, organization=helpers["lsfund"], amount=100_000, **out)
    assert project_holdings(funded).money == 400_000
    back = out | {"kind": "transfer_in", "evidence": [photo()]}
    with pytest.raises(InvalidInput) as err:
        spending_record(
            by=staff, project=funded, organization=helpers["lsfund"], amount=100_001, **back
        )
    assert fields(err) == {"amount"}
    spending_record(
        by=staff, project=funded, organization=helpers["lsfund"], amount=100_000, **back
    )
    assert project_holdings(funded).money == 500_000
    with pytest.raises(InvalidInput) as err:
        spending_record(
            by=staff, project=funded, organization=helpers["foshan-gov"], amount=1, **back
        )
    assert fields(err) == {"organization"}


def test_only_those_who_spend_record(funded, user, photo):
    for name in ("auditor-513400", "donor-demo", "admin", "supervisor-513400"):
        with pytest.raises(NotAllowed):
            pay(user(name), funded, photo)
    assert pay(user("county-513422"), funded, photo).status == "posted"
    assert Posting.objects.filter(entry__kind="disbursement").count() == 2


def test_reversing_a_purchase_gives_the_money_back_while_the_goods_are_held(
    funded, staff, pdf, photo, make_household
):
    bought = spending_record(
        by=staff,
        project=funded,
        kind="purchase",
        purpose="采购书包",
        amount=60_000,
        quantity=20,
        unit="个",
        goods="书包",
        supplier="县文具厂",
        invoice_number="No.1",
        invoice=pdf(),
    )
    spending_record(
        by=staff,
        project=funded,
        kind="disbursement",
        purpose="书包发放",
        quantity=1,
        unit="个",
        recipient_kind="household",
        household=funded.households.first(),
        evidence=[photo()],
    )
    undo = dict(kind="reversal", purpose="发票作废", reverses=bought.entry)
    with pytest.raises(InvalidInput) as err:
        spending_record(by=staff, project=funded, **undo)
    assert fields(err) == {"reverses"} and "19" in str(err.value.errors[0]["message"])
    funded2 = spending_record(
        by=staff,
        project=funded,
        kind="purchase",
        purpose="补购",
        amount=3_000,
        quantity=1,
        unit="个",
        goods="书包",
        supplier="县文具厂",
        invoice_number="No.2",
        invoice=pdf(),
    )
    assert funded2.status == "posted"
    reversal = spending_record(by=staff, project=funded, **undo)
    assert reversal.amount == 60_000
    assert project_holdings(funded).money == 500_000 - 3_000


def test_the_donors_annual_statement_leaves_out_what_was_refunded(funded, staff, photo, helpers):
    from aidbridge.donations.selectors import annual_statement

    donation = funded.donations.get()
    year = donation.received_on.year
    before = annual_statement(helpers["ls-yi-embroidery"], year)
    assert before["total"] == 500_000 and before["deductible"] == 500_000
    refund = dict(kind="refund", purpose="结余退回", donation=donation, evidence=[photo()])
    spending_record(by=staff, project=funded, amount=120_000, **refund)
    after = annual_statement(helpers["ls-yi-embroidery"], year)
    (row,) = after["rows"]
    assert (row.refunded_fen, row.refunded) == (120_000, False)
    assert after["total"] == after["deductible"] == 380_000 and after["count"] == 1
    spending_record(by=staff, project=funded, amount=380_000, **refund)
    whole = annual_statement(helpers["ls-yi-embroidery"], year)
    assert whole["rows"][0].refunded and whole["total"] == 0 and whole["count"] == 0
