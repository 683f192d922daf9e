"""The micro-loans API: loans to households with their schedules and overdue state,
recording a loan, a repayment and the fund's interest subsidy, and a region's totals. Who
sees and records what is aidbridge.policy's; money is integer fen."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import Organization
from aidbridge.loans import selectors, services
from aidbridge.policy import Action, can
from aidbridge.regions.selectors import access_region
from aidbridge.registry.selectors import access_household
from aidbridge.schemas import Pages

router = Router(tags=["loans"])


class LoanOut(Schema):
    id: UUID
    household_id: UUID
    village_code: str
    lender_kind: str
    lender_code: str | None
    bank_name: str
    principal: int = Field(description="Fen")
    annual_rate: Decimal = Field(description="Percent a year")
    months: int
    start: date
    method: str
    purpose: str
    guarantor: str
    subsidy_percent: int
    subsidy_fund_code: str | None
    entry: int = Field(description="The ledger entry of the disbursement")
    repaid_principal: int
    outstanding: int = Field(description="Principal not yet repaid, fen")
    due_amount: int = Field(description="Unpaid part of the instalments due by today, fen")
    overdue_days: int = Field(description="0 when not overdue")
    overdue_amount: int


class InstalmentOut(Schema):
    number: int
    due: date
    principal: int
    interest: int
    subsidy: int = Field(description="The fund's part of the interest")
    payable: int = Field(description="What the household pays")
    paid_principal: int
    paid_interest: int
    state: str = Field(description="paid, partly_paid, due, overdue or upcoming")


class RepaymentOut(Schema):
    paid_on: date
    principal: int
    interest: int
    entry: int = Field(alias="entry_id")


class SubsidyOut(Schema):
    paid_on: date
    amount: int
    entry: int = Field(alias="entry_id")


class LoanDetailOut(LoanOut):
    schedule: list[InstalmentOut]
    repayments: list[RepaymentOut]
    subsidies: list[SubsidyOut]


class LoanIn(Schema):
    household: UUID
    lender_kind: str = Field(description="organization, government_fund or bank")
    lender: str = Field("", description="The lending helper's code (not for a bank)")
    bank_name: str = ""
    principal: int = Field(description="Fen")
    annual_rate: Decimal = Field(description="Percent a year, up to four decimals")
    months: int
    start: date
    method: str = Field("equal_instalments", description="equal_instalments or interest_monthly")
    purpose: str
    guarantor: str = ""
    subsidy_percent: int = 0
    subsidy_fund: str = Field("", description="The subsidising government fund's helper code")


class RepaymentIn(Schema):
    paid_on: date
    principal: int = Field(0, description="Fen")
    interest: int = Field(0, description="Fen: the household's share of the interest")


class SubsidyIn(Schema):
    paid_on: date | None = Field(None, description="Default: today")


class TotalsOut(Schema):
    loans: int
    households: int
    lent: int
    outstanding: int
    overdue: int
    overdue_amount: int


def _out(loan, repaid: int, outstanding: int, due: int, overdue: int, days: int) -> dict:
    return {
        "id": loan.public_id,
        "household_id": loan.household.public_id,
        "village_code": loan.household.village.code,
        "lender_kind": loan.lender_kind,
        "lender_code": loan.lender.code if loan.lender else None,
        "bank_name": loan.bank_name,
        "principal": loan.principal,
        "annual_rate": loan.annual_rate,
        "months": loan.months,
        "start": loan.start,
        "method": loan.method,
        "purpose": loan.purpose,
        "guarantor": loan.guarantor,
        "subsidy_percent": loan.subsidy_percent,
        "subsidy_fund_code": loan.subsidy_fund.code if loan.subsidy_fund else None,
        "entry": loan.entry_id,
        "repaid_principal": repaid,
        "outstanding": outstanding,
        "due_amount": due,
        "overdue_days": days,
        "overdue_amount": overdue,
    }


def _detail(loan) -> dict:
    paid = selectors.paid_totals(loan)
    standing = selectors.loan_standing(loan, paid=paid)
    schedule = [
        {
            "number": line.instalment.number,
            "due": line.instalment.due,
            "principal": line.instalment.principal,
            "interest": line.instalment.interest,
            "subsidy": line.instalment.subsidy,
            "payable": line.instalment.payable,
            "paid_principal": line.paid_principal,
            "paid_interest": line.paid_interest,
            "state": line.state,
        }
        for line in standing.lines
    ]
    figures = (
        paid["principal"],
        standing.outstanding,
        standing.due_amount,
        standing.overdue_amount,
        standing.overdue_days,
    )
    return _out(loan, *figures) | {
        "schedule": schedule,
        "repayments": list(loan.repayments.all()),
        "subsidies": list(loan.subsidies.all()),
    }


def _browse(request) -> None:
    if not can(request.auth, Action.LOANS_BROWSE):
        raise Http404


@router.get("", response=list[LoanOut], summary="Micro-loans you may see")
@paginate(Pages, page_size=50)
def list_loans(
    request,
    region: str = "",
    household: UUID | None = None,
    lender: str = "",
    overdue: bool | None = None,
):
    """Loans of households in `region` (any level) or of one `household`, by `lender` (a
    helper's code, or "bank"), overdue or not; oldest first."""
    _browse(request)
    chosen = access_region(request.auth, region) if region else None
    rows = selectors.loan_rows(
        request.auth,
        region=chosen,
        household=access_household(request.auth, household) if household else None,
        lender=lender,
        overdue=overdue,
    )
    return [
        _out(r.loan, r.repaid, r.outstanding, r.due_amount, r.overdue_amount, r.overdue_days)
        for r in rows
    ]


@router.get("/totals", response=TotalsOut, summary="Totals of the loans you may see")
def totals(request, region: str = "", lender: str = "", overdue: bool | None = None):
    _browse(request)
    chosen = access_region(request.auth, region) if region else None
    return selectors.loan_totals(request.auth, region=chosen, lender=lender, overdue=overdue)


@router.post("", response={201: LoanDetailOut}, summary="Record a loan to a household")
def create(request, data: LoanIn):
    household = access_household(request.auth, data.household)
    fields = data.dict(exclude={"household", "lender", "subsidy_fund"})
    loan = services.loan_grant(
        by=request.auth,
        household=household,
        lender=_helper("lender", data.lender),
        subsidy_fund=_helper("subsidy_fund", data.subsidy_fund),
        **fields,
    )
    return Status(201, _detail(loan))


@router.get("/{uuid:loan_id}", response=LoanDetailOut, summary="One loan and its schedule")
def get_loan(request, loan_id: UUID):
    return _detail(selectors.access_loan(request.auth, loan_id))


@router.post(
    "/{uuid:loan_id}/repayments",
    response={201: LoanDetailOut},
    summary="Record a repayment",
)
def repay(request, loan_id: UUID, data: RepaymentIn):
    loan = selectors.access_loan(request.auth, loan_id)
    services.repayment_record(by=request.auth, loan=loan, **data.dict())
    return Status(201, _detail(loan))


@router.post(
    "/{uuid:loan_id}/subsidies",
    response={201: LoanDetailOut},
    summary="Pay the fund's interest subsidy due",
)
def subsidise(request, loan_id: UUID, data: SubsidyIn):
    loan = selectors.access_loan(request.auth, loan_id)
    services.subsidy_pay(by=request.auth, loan=loan, paid_on=data.paid_on or timezone.localdate())
    return Status(201, _detail(loan))


def _helper(field: str, code: str) -> Organization | None:
    if not code:
        return None
    found = Organization.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput([problem(field, _("no such helper"))])
    return found
