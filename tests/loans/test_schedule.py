"""The pure schedule core: instalments sum to the principal to the fen, for any loan."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from aidbridge.loans.schedule import (
    EQUAL_INSTALMENTS,
    INTEREST_MONTHLY,
    METHODS,
    add_months,
    schedule,
    standing,
    subsidy_due,
)

loans = st.fixed_dictionaries(
    {
        "principal": st.integers(1, 10**11),
        "annual_percent": st.decimals(0, 36, places=4),
        "months": st.integers(1, 360),
        "start": st.dates(date(2000, 1, 1), date(2060, 12, 31)),
        "method": st.sampled_from(METHODS),
        "subsidy_percent": st.integers(0, 100),
    }
)


@given(loans)
def test_instalments_sum_to_the_principal_to_the_fen(loan):
    items = schedule(**loan)
    assert len(items) == loan["months"]
    assert sum(i.principal for i in items) == loan["principal"]
    assert all(i.principal >= 0 and i.interest >= 0 for i in items)
    assert all(0 <= i.subsidy <= i.interest for i in items)
    assert [i.due for i in items] == sorted({i.due for i in items})
    assert items[-1].due == add_months(loan["start"], loan["months"])


@given(loans)
def test_equal_instalments_pay_the_same_each_month_but_at_the_end(loan):
    assume(loan["principal"] >= 1000 * loan["months"])  # at least 10 yuan a month
    items = schedule(**loan | {"method": EQUAL_INSTALMENTS})
    if loan["annual_percent"] > 0:
        payments = {i.principal + i.interest for i in items[:-1]}
        assert len(payments) <= 1
        if payments:  # the last one takes what rounding left
            rate = float(loan["annual_percent"]) / 1200
            bound = sum((1 + rate) ** k for k in range(len(items))) + 1  # a fen a month, grown
            last = (
                items[-1].principal + items[-1].interest + items[-2].principal + items[-2].interest
            )
            assert abs(last - 2 * payments.pop()) <= bound
    else:
        assert max(i.principal for i in items) - min(i.principal for i in items) <= 1


@given(loans)
def test_a_loan_repaid_in_full_is_never_overdue(loan):
    items = schedule(**loan)
    paid = standing(
        items,
        paid_principal=loan["principal"],
        paid_interest=sum(i.household_interest for i in items),
        today=items[-1].due + timedelta(days=400),
        grace_days=0,
    )
    assert paid.outstanding == 0 and not paid.overdue and paid.due_amount == 0
    assert {line.state for line in paid.lines} == {"paid"}


@given(loans, st.integers(0, 60))
def test_nothing_repaid_after_the_end_is_all_overdue(loan, grace):
    items = schedule(**loan)
    today = items[-1].due + timedelta(days=grace + 1)
    late = standing(items, paid_principal=0, paid_interest=0, today=today, grace_days=grace)
    assert late.overdue_amount == sum(i.payable for i in items) == late.due_amount
    first = next(i for i in items if i.payable)  # an instalment of nothing is never owed
    assert late.overdue_days == (today - first.due).days
    assert late.outstanding == loan["principal"]


def test_a_textbook_loan():
    """10,000 yuan at 4.35% over 12 months: 853.10 yuan a month (any bank's calculator)."""
    items = schedule(
        principal=1_000_000,
        annual_percent=Decimal("4.35"),
        months=12,
        start=date(2026, 1, 31),
        method=EQUAL_INSTALMENTS,
        subsidy_percent=100,
    )
    assert items[0].principal + items[0].interest == 85_310
    assert items[0].interest == 3625 and items[0].household_interest == 0
    assert items[0].due == date(2026, 2, 28) and items[1].due == date(2026, 3, 31)


def test_interest_monthly_principal_at_the_end_with_half_subsidy():
    items = schedule(
        principal=5_000_000,
        annual_percent="6",
        months=3,
        start=date(2026, 1, 10),
        method=INTEREST_MONTHLY,
        subsidy_percent=50,
    )
    assert [(i.principal, i.interest, i.subsidy) for i in items] == [
        (0, 25_000, 12_500),
        (0, 25_000, 12_500),
        (5_000_000, 25_000, 12_500),
    ]
    assert subsidy_due(items, today=date(2026, 3, 10), paid=12_500) == 12_500


def test_overdue_counts_from_the_first_unpaid_instalment_after_the_grace():
    items = schedule(
        principal=120_000,
        annual_percent=0,
        months=12,
        start=date(2026, 1, 1),
        method=EQUAL_INSTALMENTS,
    )
    one_paid = dict(paid_principal=10_000, paid_interest=0, grace_days=30)
    assert not standing(items, today=date(2026, 3, 31), **one_paid).overdue  # 30 days: grace
    late = standing(items, today=date(2026, 4, 1), **one_paid)
    assert late.overdue_days == 31 and late.overdue_amount == 10_000
    assert late.due_amount == 20_000  # March's instalment is due, not yet overdue
    assert [line.state for line in late.lines[:4]] == ["paid", "overdue", "due", "upcoming"]


@pytest.mark.parametrize(
    "wrong",
    [{"principal": 0}, {"months": 0}, {"months": 361}, {"method": "x"}, {"subsidy_percent": 101}],
)
def test_impossible_loans_are_refused(wrong):
    loan = dict(principal=100, annual_percent=1, months=1, start=date(2026, 1, 1))
    with pytest.raises(ValueError):
        schedule(**loan | {"method": EQUAL_INSTALMENTS} | wrong)
