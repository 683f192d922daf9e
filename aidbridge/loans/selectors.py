"""Reads of micro-loans, filtered by the policy's scope: a loan's standing (its schedule as
the repayments cover it), the loans list with its filters, and a region's totals."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from aidbridge.loans import schedule
from aidbridge.loans.models import Loan, Repayment, SubsidyPayment
from aidbridge.policy import Action, can, loans_in_scope


def paid_totals(loan: Loan) -> dict[str, int]:
    """What was repaid of the principal and the household's interest, and the subsidy paid."""
    repaid = loan.repayments.aggregate(p=Sum("principal"), i=Sum("interest"))
    subsidy = loan.subsidies.aggregate(s=Sum("amount"))["s"]
    return {"principal": repaid["p"] or 0, "interest": repaid["i"] or 0, "subsidy": subsidy or 0}


def loan_standing(
    loan: Loan, *, today: datetime.date | None = None, paid: dict | None = None
) -> schedule.Standing:
    paid = paid or paid_totals(loan)
    return schedule.standing(
        loan.instalments(),
        paid_principal=paid["principal"],
        paid_interest=paid["interest"],
        today=today or timezone.localdate(),
        grace_days=settings.LOAN_GRACE_DAYS,
    )


@dataclass
class LoanView:
    """A loan with what the page shows of it."""

    loan: Loan
    standing: schedule.Standing
    repayments: list[Repayment]
    subsidies: list[SubsidyPayment]
    subsidy_due: int
    can_repay: bool
    can_subsidise: bool


def household_loans(user, household) -> list[LoanView] | None:
    """The loans of `household` as `user` may see them; None if they may not."""
    if not can(user, Action.HOUSEHOLD_LOANS, household):
        return None
    today = timezone.localdate()
    loans = household.loans.select_related("lender", "subsidy_fund", "household__village")
    shown = []
    for loan in loans.prefetch_related("repayments", "subsidies"):
        repayments, subsidies = list(loan.repayments.all()), list(loan.subsidies.all())
        paid = {
            "principal": sum(r.principal for r in repayments),
            "interest": sum(r.interest for r in repayments),
        }
        subsidy_paid = sum(s.amount for s in subsidies)
        shown.append(
            LoanView(
                loan=loan,
                standing=loan_standing(loan, today=today, paid=paid),
                repayments=repayments,
                subsidies=subsidies,
                subsidy_due=schedule.subsidy_due(
                    loan.instalments(), today=today, paid=subsidy_paid
                ),
                can_repay=can(user, Action.LOAN_REPAY, loan),
                can_subsidise=can(user, Action.LOAN_SUBSIDY, loan),
            )
        )
    return shown


def access_loan(user, public_id) -> Loan:
    """The loan, if the user may see it; 404 otherwise (its existence does not leak)."""
    loan = (
        Loan.objects.select_related("household__village", "lender", "subsidy_fund")
        .filter(public_id=public_id)
        .first()
    )
    if loan is None or not can(user, Action.LOAN_VIEW, loan):
        raise Http404
    return loan


@dataclass
class LoanRow:
    loan: Loan
    repaid: int
    standing: schedule.Standing


def loan_rows(
    user,
    *,
    region=None,
    household=None,
    lender: str = "",
    overdue: bool | None = None,
    today: datetime.date | None = None,
) -> list[LoanRow]:
    """The loans the user sees, of households in `region` (a Region, any level: a village
    too) or of one `household`, lent by the helper of code `lender` (or "bank"), overdue or
    not; oldest first."""
    qs = loans_in_scope(user, Loan.objects.all())
    if region is not None:
        qs = qs.filter(household__region_path__startswith=region.path)
    if household is not None:
        qs = qs.filter(household=household)
    if lender == "bank":
        qs = qs.filter(lender__isnull=True)
    elif lender:
        qs = qs.filter(lender__code=lender)
    qs = qs.select_related("household__village", "lender", "subsidy_fund").annotate(
        repaid_principal=Sum("repayments__principal"),
        repaid_interest=Sum("repayments__interest"),
    )
    today = today or timezone.localdate()
    rows = []
    for loan in qs.order_by("start", "pk"):
        paid = {"principal": loan.repaid_principal or 0, "interest": loan.repaid_interest or 0}
        row = LoanRow(loan, paid["principal"], loan_standing(loan, today=today, paid=paid))
        if overdue is None or row.standing.overdue == overdue:
            rows.append(row)
    return rows


def loan_totals(rows: list[LoanRow]) -> dict[str, int]:
    """Loans, households, lent, outstanding, overdue loans and the overdue amount."""
    overdue = [r for r in rows if r.standing.overdue]
    return {
        "loans": len(rows),
        "households": len({r.loan.household_id for r in rows}),
        "lent": sum(r.loan.principal for r in rows),
        "outstanding": sum(r.standing.outstanding for r in rows),
        "overdue": len(overdue),
        "overdue_amount": sum(r.standing.overdue_amount for r in overdue),
    }


def region_loan_totals(user, region) -> dict[str, int] | None:
    """The totals of the loans of households in `region` the user sees; None when the user
    does not read loans or the region has none."""
    if not can(user, Action.LOANS_BROWSE):
        return None
    rows = loan_rows(user, region=region)
    return loan_totals(rows) if rows else None


def lenders_in(qs: QuerySet | None = None) -> list[tuple[str, str]]:
    """The lending helpers of the loans in `qs`, (code, name), for the list's filter."""
    qs = Loan.objects.all() if qs is None else qs
    found = (
        qs.filter(lender__isnull=False)
        .values_list("lender__code", "lender__name_zh")
        .annotate(n=Count("pk"))
        .order_by("lender__code")
    )
    return [(code, name) for code, name, _n in found]
