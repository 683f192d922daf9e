"""Micro-loan schedules and what repayments cover, in whole fen: a pure core without Django.

Two repayment methods: equal instalments (等额本息: the same payment each month, interest on
the balance, the last one takes what the rounding left) and interest monthly with the
principal at the end (按月付息、到期还本). The monthly rate is the annual rate / 12. Amounts
are rounded half up to the fen; the principals always sum to the principal exactly. An
interest subsidy (贴息) is the share of each instalment's interest a fund pays; the
household pays the rest.

Repayments are applied in order: the principal paid covers the instalments' principal from
the first, the household's interest paid covers their share of interest the same way. An
instalment is overdue once it is not covered more than ``grace_days`` after its due date.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

EQUAL_INSTALMENTS = "equal_instalments"
INTEREST_MONTHLY = "interest_monthly"
METHODS = (EQUAL_INSTALMENTS, INTEREST_MONTHLY)
MAX_MONTHS = 360


@dataclass(frozen=True)
class Instalment:
    number: int  # 1, 2, ...
    due: date
    principal: int
    interest: int
    subsidy: int  # the fund's part of the interest

    @property
    def household_interest(self) -> int:
        return self.interest - self.subsidy

    @property
    def payable(self) -> int:
        """What the household pays for this instalment."""
        return self.principal + self.household_interest


@dataclass(frozen=True)
class Line:
    """One instalment as the repayments left it."""

    instalment: Instalment
    paid_principal: int
    paid_interest: int
    state: str  # paid, partly_paid, overdue, due, upcoming

    @property
    def unpaid(self) -> int:
        return self.instalment.payable - self.paid_principal - self.paid_interest


@dataclass(frozen=True)
class Standing:
    lines: list[Line]
    outstanding: int  # principal not yet repaid
    overdue_days: int  # days since the first overdue instalment fell due; 0 when none
    overdue_amount: int  # unpaid part of the overdue instalments
    due_amount: int  # unpaid part of everything due by then, overdue included

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _div(a: int, b: int) -> int:
    """a / b rounded half up, for a >= 0 and b > 0, in integers (fast for many loans)."""
    return (2 * a + b) // (2 * b)


def monthly_rate(annual_percent: Decimal | Fraction | int | str) -> Fraction:
    return Fraction(Decimal(str(annual_percent))) / 1200


def schedule(
    *,
    principal: int,
    annual_percent: Decimal | Fraction | int | str,
    months: int,
    start: date,
    method: str,
    subsidy_percent: int = 0,
) -> list[Instalment]:
    """The instalments of a loan of `principal` fen lent on `start`."""
    if principal <= 0 or not 1 <= months <= MAX_MONTHS or method not in METHODS:
        raise ValueError("principal > 0, 1 <= months <= 360 and a known method")
    if not 0 <= subsidy_percent <= 100:
        raise ValueError("subsidy_percent is 0 to 100")
    rate = monthly_rate(annual_percent)
    if rate < 0:
        raise ValueError("the rate is not negative")
    split = _equal if method == EQUAL_INSTALMENTS else _interest_monthly
    parts = split(principal, rate.numerator, rate.denominator, months)
    return [
        Instalment(
            number=n,
            due=add_months(start, n),
            principal=p,
            interest=i,
            subsidy=_div(i * subsidy_percent, 100),
        )
        for n, (p, i) in enumerate(parts, start=1)
    ]


def _equal(principal: int, num: int, den: int, months: int) -> list[tuple[int, int]]:
    """Monthly rate num / den."""
    if num == 0:
        base, extra = divmod(principal, months)
        return [(base + (1 if n < extra else 0), 0) for n in range(months)]
    grown, start = (den + num) ** months, den**months  # (1 + r)^n = grown / start
    payment = _div(principal * num * grown, den * (grown - start))
    balance, parts = principal, []
    for n in range(months):
        interest = _div(balance * num, den)
        paid = balance if n == months - 1 else min(max(payment - interest, 0), balance)
        parts.append((paid, interest))
        balance -= paid
    return parts


def _interest_monthly(principal: int, num: int, den: int, months: int) -> list[tuple[int, int]]:
    interest = _div(principal * num, den)
    return [(principal if n == months - 1 else 0, interest) for n in range(months)]


def standing(
    instalments: list[Instalment],
    *,
    paid_principal: int,
    paid_interest: int,
    today: date,
    grace_days: int,
) -> Standing:
    """The instalments as `paid_principal` and `paid_interest` (the household's, in total)
    cover them on `today`."""
    principal_left, interest_left = paid_principal, paid_interest
    lines, first_overdue, overdue_amount, due_amount = [], None, 0, 0
    for item in instalments:
        p = min(principal_left, item.principal)
        i = min(interest_left, item.household_interest)
        principal_left, interest_left = principal_left - p, interest_left - i
        unpaid = item.payable - p - i
        late = (today - item.due).days
        if unpaid == 0:
            state = "paid"
        elif late > grace_days:
            state = "overdue"
            first_overdue = first_overdue or item.due
            overdue_amount += unpaid
        elif late >= 0:
            state = "due"
        else:
            state = "partly_paid" if p or i else "upcoming"
        if late >= 0:
            due_amount += unpaid
        lines.append(Line(item, p, i, state))
    total = sum(item.principal for item in instalments)
    return Standing(
        lines=lines,
        outstanding=total - min(paid_principal, total),
        overdue_days=(today - first_overdue).days if first_overdue else 0,
        overdue_amount=overdue_amount,
        due_amount=due_amount,
    )


def subsidy_due(instalments: list[Instalment], *, today: date, paid: int) -> int:
    """What the fund owes on `today`: the subsidy of the instalments due by then, less what
    it paid."""
    return max(sum(i.subsidy for i in instalments if i.due <= today) - paid, 0)
