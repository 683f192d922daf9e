"""Writers of micro-loans: a loan granted (a ``loan_disbursement`` entry from the lender to
the household), a repayment (``loan_repayment``, the household back to the lender) and the
fund's interest subsidy (a ``transfer`` from the fund to the lender). Each record and its
ledger entry are written in one transaction; every refusal names its field."""

import datetime
import hashlib
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.ledger.models import Account, AccountKind, EntryKind
from aidbridge.ledger.services import account_of, account_open, entry_post, helper_account
from aidbridge.loans import schedule
from aidbridge.loans.models import (
    LenderKind,
    Loan,
    LoanInstalment,
    Method,
    Repayment,
    SubsidyPayment,
)
from aidbridge.loans.selectors import loan_standing, paid_totals
from aidbridge.policy import Action, require
from aidbridge.validation import is_whole

MAX_RATE = Decimal(36)  # percent a year: the legal ceiling of private lending
_TEXTS = {"bank_name": 100, "guarantor": 100, "purpose": 200}


def household_account(household) -> Account:
    """The household's ledger account, named by its public id (never its number or names)."""
    return account_of(
        kind=AccountKind.HOUSEHOLD,
        household=household,
        name_zh=f"受助家庭 {household.public_id}",
        name_en=f"Household {household.public_id}",
    )


def lender_account(loan: Loan) -> Account:
    if loan.lender_kind == LenderKind.BANK:
        code = "bank-" + hashlib.sha256(loan.bank_name.encode()).hexdigest()[:16]
        found = Account.objects.filter(code=code).first()
        return found or account_open(kind=AccountKind.EXTERNAL, code=code, name_zh=loan.bank_name)
    kind = (
        AccountKind.GOVERNMENT_FUND
        if loan.lender_kind == LenderKind.GOVERNMENT_FUND
        else AccountKind.ORGANIZATION
    )
    return helper_account(kind, loan.lender)


def fund_account(fund: Organization) -> Account:
    return helper_account(AccountKind.GOVERNMENT_FUND, fund)


def loan_grant(
    *,
    by,
    household,
    lender_kind: str,
    principal: int,
    annual_rate,
    months: int,
    start: datetime.date,
    method: str,
    purpose: str,
    lender: Organization | None = None,
    bank_name: str = "",
    guarantor: str = "",
    subsidy_percent: int = 0,
    subsidy_fund: Organization | None = None,
) -> Loan:
    """Record a loan to `household` and post its disbursement on `start`."""
    require(by, Action.LOAN_GRANT, household)
    texts = {"bank_name": bank_name, "guarantor": guarantor, "purpose": purpose}
    texts = {k: v.strip() if isinstance(v, str) else "" for k, v in texts.items()}
    errors = [
        problem(field, _("write at most %(n)s characters") % {"n": n})
        for field, n in _TEXTS.items()
        if len(texts[field]) > n
    ]
    if not texts["purpose"]:
        errors.append(problem("purpose", _("say what the loan is for")))
    errors += _lender_errors(lender_kind, lender, texts["bank_name"])
    errors += _amount_errors("principal", principal, settings.LOAN_MAX_PRINCIPAL)
    rate = _rate(annual_rate)
    if rate is None:
        errors.append(
            problem("annual_rate", _("give a rate from 0 to %(max)s%% a year") % {"max": MAX_RATE})
        )
    if not is_whole(months) or not 1 <= months <= schedule.MAX_MONTHS:
        errors.append(problem("months", _("give a term of 1 to 360 months")))
    if method not in Method.values:
        errors.append(problem("method", _("choose one of the repayment methods")))
    errors += _date_errors("start", start, None)
    if not is_whole(subsidy_percent) or not 0 <= subsidy_percent <= 100:
        errors.append(problem("subsidy_percent", _("give a share from 0 to 100")))
    elif subsidy_percent and subsidy_fund is None:
        errors.append(problem("subsidy_fund", _("choose the fund that pays the subsidy")))
    if subsidy_fund is not None:
        if not _is_government(subsidy_fund):
            errors.append(problem("subsidy_fund", _("choose a government unit's fund")))
        elif lender is not None and subsidy_fund.pk == lender.pk:
            errors.append(problem("subsidy_fund", _("the lender does not subsidise itself")))
    if errors:
        raise InvalidInput(errors)
    loan = Loan(
        household=household,
        lender_kind=lender_kind,
        lender=None if lender_kind == LenderKind.BANK else lender,
        bank_name=texts["bank_name"] if lender_kind == LenderKind.BANK else "",
        principal=principal,
        annual_rate=rate,
        months=months,
        start=start,
        method=method,
        guarantor=texts["guarantor"],
        purpose=texts["purpose"],
        subsidy_percent=subsidy_percent,
        subsidy_fund=subsidy_fund if subsidy_percent else None,
        created_by=by,
    )
    with transaction.atomic():
        loan.entry = entry_post(
            by=by,
            kind=EntryKind.LOAN_DISBURSEMENT,
            date=start,
            memo=_memo("扶贫小额信贷发放", loan.purpose),
            postings=[
                {"account": lender_account(loan), "amount": -principal},
                {"account": household_account(household), "amount": principal},
            ],
        )
        loan.save()
        _instalments_store(loan)
    return loan


def _instalments_store(loan: Loan) -> None:
    rows, principal, interest = [], 0, 0
    for item in loan.instalments():
        principal += item.principal
        interest += item.household_interest
        rows.append(
            LoanInstalment(
                loan=loan,
                number=item.number,
                due=item.due,
                principal=item.principal,
                interest=item.interest,
                subsidy=item.subsidy,
                principal_to_date=principal,
                household_interest_to_date=interest,
            )
        )
    LoanInstalment.objects.bulk_create(rows)


def repayment_record(
    *, by, loan: Loan, paid_on: datetime.date, principal: int, interest: int
) -> Repayment:
    """Record what the household paid on `paid_on`: principal and its share of the interest,
    at most what is still owed of each."""
    require(by, Action.LOAN_REPAY, loan)
    errors = _date_errors("paid_on", paid_on, loan.start)
    errors += _amount_errors("principal", principal, settings.LOAN_MAX_PRINCIPAL, zero=True)
    errors += _amount_errors("interest", interest, settings.LOAN_MAX_PRINCIPAL, zero=True)
    if not errors and principal + interest == 0:
        errors.append(problem("principal", _("give the principal, the interest or both")))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        Loan.objects.select_for_update().filter(pk=loan.pk).first()  # one repayment at a time
        owed = loan_standing(loan, today=paid_on)
        totals = paid_totals(loan)
        interest_left = sum(i.household_interest for i in loan.instalments()) - totals["interest"]
        if principal > owed.outstanding:
            errors.append(_too_much("principal", owed.outstanding))
        if interest > interest_left:
            errors.append(_too_much("interest", interest_left))
        if errors:
            raise InvalidInput(errors)
        entry = entry_post(
            by=by,
            kind=EntryKind.LOAN_REPAYMENT,
            date=paid_on,
            memo=_memo(
                "扶贫小额信贷还款", f"本金 {principal / 100:.2f} 元，利息 {interest / 100:.2f} 元"
            ),  # noqa: E501
            postings=[
                {"account": household_account(loan.household), "amount": -(principal + interest)},
                {"account": lender_account(loan), "amount": principal + interest},
            ],
        )
        return Repayment.objects.create(
            loan=loan,
            paid_on=paid_on,
            principal=principal,
            interest=interest,
            entry=entry,
            recorded_by=by,
        )


def subsidy_pay(*, by, loan: Loan, paid_on: datetime.date) -> SubsidyPayment:
    """The fund pays the lender its share of the interest of the instalments due by
    `paid_on` that it has not paid yet."""
    require(by, Action.LOAN_SUBSIDY, loan)
    errors = _date_errors("paid_on", paid_on, loan.start)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        Loan.objects.select_for_update().filter(pk=loan.pk).first()
        amount = schedule.subsidy_due(
            loan.instalments(), today=paid_on, paid=paid_totals(loan)["subsidy"]
        )
        if amount == 0:
            raise InvalidInput(
                [problem("paid_on", _("no subsidy is due by this date that was not paid"))]
            )
        entry = entry_post(
            by=by,
            kind=EntryKind.TRANSFER,
            date=paid_on,
            memo=_memo("扶贫小额信贷贴息", str(loan.public_id)),
            postings=[
                {"account": fund_account(loan.subsidy_fund), "amount": -amount},
                {"account": lender_account(loan), "amount": amount},
            ],
        )
        return SubsidyPayment.objects.create(
            loan=loan, paid_on=paid_on, amount=amount, entry=entry, recorded_by=by
        )


def _memo(what: str, detail: str) -> str:
    return f"{what}：{detail}"[:500]


def _is_government(helper: Organization) -> bool:
    return helper.kind == OrganizationKind.GOVERNMENT or helper.government_background


def _lender_errors(kind: str, lender, bank_name: str) -> list[dict]:
    if kind not in LenderKind.values:
        return [problem("lender_kind", _("choose who lends"))]
    if kind == LenderKind.BANK:
        return [] if bank_name else [problem("bank_name", _("name the bank"))]
    if lender is None:
        return [problem("lender", _("choose the lending helper"))]
    if kind == LenderKind.GOVERNMENT_FUND and not _is_government(lender):
        return [problem("lender", _("choose a government unit's fund"))]
    return []


def _rate(value) -> Decimal | None:
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not rate.is_finite() or not 0 <= rate <= MAX_RATE:
        return None
    return rate if rate == rate.quantize(Decimal("0.0001")) else None


def _amount_errors(field: str, value, ceiling: int, *, zero: bool = False) -> list[dict]:
    if is_whole(value) and (0 < value or zero and value == 0) and value <= ceiling:
        return []
    limits = {"max": f"{ceiling // 100:,}"}
    if zero:
        return [problem(field, _("give an amount from 0 to %(max)s yuan") % limits)]
    return [problem(field, _("give an amount above 0 and at most %(max)s yuan") % limits)]


def _date_errors(field: str, value, earliest: datetime.date | None) -> list[dict]:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        return [problem(field, _("must be a date"))]
    if value > timezone.localdate():
        return [problem(field, _("must not be in the future"))]
    if earliest is not None and value < earliest:
        return [problem(field, _("must not be before the loan was made"))]
    return []


def _too_much(field: str, left: int) -> dict:
    return problem(field, _("at most %(left)s yuan is still owed") % {"left": f"{left / 100:,.2f}"})
