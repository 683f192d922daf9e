"""Loans, repayments and subsidies through the services: each posts its ledger entry, bad
input is refused field by field with nothing written, and the overdue state follows."""

import pytest
from conftest import CLERK
from django.utils import timezone

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.ledger.models import Entry, EntryKind
from aidbridge.ledger.selectors import account_balance
from aidbridge.loans.models import Loan
from aidbridge.loans.selectors import loan_rows, loan_standing, loan_totals
from aidbridge.loans.services import (
    household_account,
    lender_account,
    loan_grant,
    repayment_record,
    subsidy_pay,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_it_posts_the_disbursement_from_the_lender_to_the_household(lend):
    loan = lend()
    assert loan.entry.kind == EntryKind.LOAN_DISBURSEMENT and loan.entry.date == loan.start
    assert account_balance(account=household_account(loan.household)) == 1_200_000
    assert account_balance(account=lender_account(loan)) == -1_200_000
    assert len(loan.instalments()) == 12


def test_a_bank_loan_posts_from_an_outside_account_named_after_the_bank(lend):
    loan = lend(lender_kind="bank", lender=None, bank_name="凉山农商银行")
    account = lender_account(loan)
    assert account.kind == "external" and account.name_zh == "凉山农商银行"
    assert (
        lend(lender_kind="bank", lender=None, bank_name="凉山农商银行")
        .entry.postings.filter(account=account)
        .exists()
    )  # one account per bank


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"principal": 0}, "principal"),
        ({"principal": 10**12}, "principal"),
        ({"principal": 1.5}, "principal"),
        ({"annual_rate": "-1"}, "annual_rate"),
        ({"annual_rate": "37"}, "annual_rate"),
        ({"annual_rate": "abc"}, "annual_rate"),
        ({"months": 0}, "months"),
        ({"months": 361}, "months"),
        ({"method": "whenever"}, "method"),
        ({"purpose": " "}, "purpose"),
        ({"lender": None}, "lender"),
        ({"lender_kind": "bank", "lender": None}, "bank_name"),
        ({"lender_kind": "friend"}, "lender_kind"),
        ({"subsidy_percent": 50}, "subsidy_fund"),
        ({"subsidy_percent": 101}, "subsidy_percent"),
        ({"guarantor": "x" * 101}, "guarantor"),
    ],
)
def test_bad_terms_are_refused_by_field_and_nothing_is_written(lend, terms, field):
    entries = Entry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        lend(**terms)
    assert field in {e["field"] for e in refused.value.errors}
    assert Entry.objects.count() == entries and not Loan.objects.exists()


def test_a_loan_lent_tomorrow_or_subsidised_by_a_non_government_fund_is_refused(lend, helpers):
    with pytest.raises(InvalidInput) as refused:
        lend(months_ago=-1)
    assert refused.value.errors[0]["field"] == "start"
    with pytest.raises(InvalidInput) as refused:
        lend(subsidy_percent=100, subsidy_fund=helpers["lsfund"])
    assert refused.value.errors[0]["field"] == "subsidy_fund"


def test_only_registrars_of_the_households_area_record_a_loan(make_household, user, helpers):
    household = make_household("513422100001000077", sequence=901)
    for username in ("social_worker-513422", "org-lsfund", "auditor-513400"):
        with pytest.raises(NotAllowed):
            loan_grant(
                by=user(username),
                household=household,
                lender_kind="organization",
                lender=helpers["lsfund"],
                principal=100,
                annual_rate=0,
                months=1,
                start=TODAY(),
                method="equal_instalments",
                purpose="x",
            )


def test_repayments_post_back_to_the_lender_and_clear_the_overdue_state(lend, user):
    loan = lend(months_ago=6)  # six instalments of 1,000 yuan due, none paid
    late = loan_standing(loan)
    assert late.overdue and late.overdue_amount >= 400_000 and late.outstanding == 1_200_000
    repayment = repayment_record(
        by=user(CLERK), loan=loan, paid_on=TODAY(), principal=600_000, interest=0
    )
    assert repayment.entry.kind == EntryKind.LOAN_REPAYMENT
    assert account_balance(account=household_account(loan.household)) == 600_000
    now = loan_standing(loan)
    assert not now.overdue and now.outstanding == 600_000
    assert [line.state for line in now.lines[:7]] == ["paid"] * 6 + ["upcoming"]


def test_the_lenders_staff_record_repayments_of_their_loans_only(lend, user, helpers):
    mine = lend()
    repayment_record(by=user("org-lsfund"), loan=mine, paid_on=TODAY(), principal=100, interest=0)
    theirs = lend(lender_kind="bank", lender=None, bank_name="某银行")
    with pytest.raises(NotAllowed):
        repayment_record(
            by=user("org-lsfund"), loan=theirs, paid_on=TODAY(), principal=100, interest=0
        )


@pytest.mark.parametrize(
    ("paid", "field"),
    [
        ({"principal": 1_200_001, "interest": 0}, "principal"),
        ({"principal": 0, "interest": 1}, "interest"),  # an interest-free loan
        ({"principal": 0, "interest": 0}, "principal"),
        ({"principal": -5, "interest": 0}, "principal"),
        ({"principal": 100, "interest": 0, "paid_on": "2026-01-01"}, "paid_on"),
    ],
)
def test_repaying_more_than_is_owed_or_nothing_is_refused(lend, user, paid, field):
    loan = lend()
    entries = Entry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        repayment_record(by=user(CLERK), loan=loan, **{"paid_on": TODAY()} | paid)
    assert field in {e["field"] for e in refused.value.errors}
    assert Entry.objects.count() == entries and not loan.repayments.exists()


def test_the_fund_pays_its_share_of_the_interest_due_once(lend, user, helpers):
    loan = lend(
        annual_rate="6",
        method="interest_monthly",
        subsidy_percent=100,
        subsidy_fund=helpers["foshan-gov"],
        months_ago=3,
    )
    interest = 6_000  # 1,200,000 fen x 6% / 12
    assert all(i.household_interest == 0 and i.subsidy == interest for i in loan.instalments())
    paid = subsidy_pay(by=user(CLERK), loan=loan, paid_on=TODAY())
    assert paid.amount == 3 * interest and paid.entry.kind == EntryKind.TRANSFER
    assert account_balance(account=lender_account(loan)) == -1_200_000 + 3 * interest
    with pytest.raises(InvalidInput) as refused:
        subsidy_pay(by=user(CLERK), loan=loan, paid_on=TODAY())
    assert refused.value.errors[0]["field"] == "paid_on"


def test_the_list_filters_and_totals_follow_the_scope(lend, user, make_household, region):
    lend(months_ago=6)  # overdue, in Dajilin
    fine = lend(months_ago=0)
    elsewhere = lend(
        household=make_household("513422101200000001", village="513422101200", sequence=900),
        by="county-513422",
    )
    township = user("township-513422100")
    rows = loan_rows(township)
    assert {r.loan.pk for r in rows} == {r.loan.pk for r in loan_rows(user(CLERK))}
    assert elsewhere.pk not in {r.loan.pk for r in rows}
    totals = loan_totals(township)
    assert totals["loans"] == 2 and totals["households"] == 2 and totals["lent"] == 2_400_000
    assert totals["overdue"] == 1 and totals["overdue_amount"] > 0
    assert [r.loan.pk for r in loan_rows(township, overdue=False)] == [fine.pk]
    assert loan_rows(user("social_worker-513422")) == []
    assert {r.loan.pk for r in loan_rows(user("org-lsfund"))} == {
        r.loan.pk for r in loan_rows(user("admin"))
    }
    assert len(loan_rows(user("admin"), region=region("513422101"))) == 1
    assert loan_rows(user("admin"), lender="bank") == []


@pytest.mark.parametrize("grace", [0, 30])
def test_the_databases_figures_agree_with_the_schedule_core(lend, user, helpers, settings, grace):
    """figured() computes in SQL what schedule.standing computes in Python, for loans of
    both methods, with and without a subsidy, repaid in part, in full, or not at all."""
    settings.LOAN_GRACE_DAYS = grace
    clerk = user(CLERK)
    loans = [
        lend(months_ago=7, annual_rate="4.35"),
        lend(months_ago=11, annual_rate="6", method="interest_monthly"),
        lend(
            months_ago=5,
            annual_rate="3.5",
            subsidy_percent=50,
            subsidy_fund=helpers["foshan-gov"],
        ),
        lend(months_ago=13, annual_rate="0"),
        lend(months_ago=0),
    ]
    repayment_record(by=clerk, loan=loans[0], paid_on=TODAY(), principal=250_000, interest=3_000)
    repayment_record(by=clerk, loan=loans[1], paid_on=TODAY(), principal=0, interest=24_000)
    repayment_record(by=clerk, loan=loans[3], paid_on=TODAY(), principal=1_200_000, interest=0)
    repayment_record(by=clerk, loan=loans[2], paid_on=TODAY(), principal=1, interest=0)
    rows = {row.loan.pk: row for row in loan_rows(user("admin"))}
    for loan in loans:
        core, row = loan_standing(loan), rows[loan.pk]
        assert (row.outstanding, row.due_amount, row.overdue_amount, row.overdue_days) == (
            core.outstanding,
            core.due_amount,
            core.overdue_amount,
            core.overdue_days,
        ), loan.purpose
    totals = loan_totals(user("admin"))
    assert totals["overdue"] == sum(1 for loan in loans if loan_standing(loan).overdue) >= 2
    assert totals["overdue_amount"] == sum(loan_standing(loan).overdue_amount for loan in loans)
    assert totals["outstanding"] == sum(loan_standing(loan).outstanding for loan in loans)
