"""Reads of micro-loans, filtered by the policy's scope: a loan's standing (its schedule as
the repayments cover it), the loans list with its filters, and a region's totals."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BigIntegerField, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone

from aidbridge.loans import schedule
from aidbridge.loans.models import Loan, LoanInstalment, Repayment, SubsidyPayment
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
    loans = household.loans.select_related("lender", "subsidy_fund", "household__village")
    return loan_views(user, loans)


def loan_views(user, loans) -> list[LoanView]:
    """`loans` (already seen by `user`) as the page shows them."""
    today, shown = timezone.localdate(), []
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
    """A loan of a list, with its figures as the database computed them."""

    loan: Loan
    repaid: int  # principal
    outstanding: int
    due_amount: int
    overdue_amount: int
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_amount > 0


def _sum(qs: QuerySet, field) -> Coalesce:
    """The sum of `field` over `qs` (rows of one loan: OuterRef), 0 when there are none."""
    summed = qs.order_by().values("loan").annotate(s=Sum(field)).values("s")[:1]
    return Coalesce(Subquery(summed), 0, output_field=BigIntegerField())


def figured(qs: QuerySet, today: datetime.date) -> QuerySet:
    """`qs` (loans) with their figures, in SQL: ``repaid`` (principal), ``repaid_interest``,
    ``outstanding``, ``due_amount`` (unpaid of what fell due by `today`), ``overdue_amount``
    (unpaid of what fell due more than the grace days ago; repayments cover instalments in
    order, so that is what is due by then less what was paid) and ``overdue_since`` (the due
    date of the first instalment not covered, when overdue). Agrees with schedule.standing."""
    cutoff = today - datetime.timedelta(days=settings.LOAN_GRACE_DAYS)
    mine = LoanInstalment.objects.filter(loan=OuterRef("pk"))
    late, due = mine.filter(due__lt=cutoff), mine.filter(due__lte=today)
    household_interest = F("interest") - F("subsidy")
    qs = qs.annotate(
        repaid=_sum(Repayment.objects.filter(loan=OuterRef("pk")), "principal"),
        repaid_interest=_sum(Repayment.objects.filter(loan=OuterRef("pk")), "interest"),
    )
    zero = Value(0)
    qs = qs.annotate(
        outstanding=F("principal") - F("repaid"),
        due_amount=Greatest(_sum(due, "principal") - F("repaid"), zero)
        + Greatest(_sum(due, household_interest) - F("repaid_interest"), zero),
        overdue_amount=Greatest(_sum(late, "principal") - F("repaid"), zero)
        + Greatest(_sum(late, household_interest) - F("repaid_interest"), zero),
        overdue_since=Subquery(
            late.filter(
                Q(principal_to_date__gt=OuterRef("repaid"))
                | Q(household_interest_to_date__gt=OuterRef("repaid_interest"))
            )
            .order_by("number")
            .values("due")[:1]
        ),
    )
    return qs


def _loans(user, *, region=None, household=None, lender: str = "") -> QuerySet:
    qs = loans_in_scope(user, Loan.objects.all())
    if region is not None:
        qs = qs.filter(household__region_path__startswith=region.path)
    if household is not None:
        qs = qs.filter(household=household)
    if lender == "bank":
        qs = qs.filter(lender__isnull=True)
    elif lender:
        qs = qs.filter(lender__code=lender)
    return qs


def loans_figured(
    user,
    *,
    region=None,
    household=None,
    lender: str = "",
    overdue: bool | None = None,
    today: datetime.date | None = None,
) -> QuerySet:
    """The loans the user sees, of households in `region` (a Region, any level: a village
    too) or of one `household`, lent by the helper of code `lender` (or "bank"), overdue or
    not, with their figures (``figured``); oldest first."""
    qs = figured(
        _loans(user, region=region, household=household, lender=lender),
        today or timezone.localdate(),
    )
    if overdue is not None:
        qs = qs.filter(overdue_amount__gt=0) if overdue else qs.filter(overdue_amount=0)
    return qs.order_by("start", "pk")


def loan_rows(user, *, limit: int | None = None, today=None, **filters) -> list[LoanRow]:
    """``loans_figured`` as rows (the first `limit`)."""
    today = today or timezone.localdate()
    qs = loans_figured(user, today=today, **filters).select_related(
        "household__village", "lender", "subsidy_fund"
    )
    return [
        LoanRow(
            loan=loan,
            repaid=loan.repaid,
            outstanding=loan.outstanding,
            due_amount=loan.due_amount,
            overdue_amount=loan.overdue_amount,
            overdue_days=(today - loan.overdue_since).days if loan.overdue_since else 0,
        )
        for loan in (qs[:limit] if limit else qs)
    ]


def loan_totals(user, **filters) -> dict[str, int]:
    """Loans, households, lent, outstanding, overdue loans and the overdue amount of
    ``loans_figured(user, **filters)``: the database figures each loan, one row per loan
    is summed here (aggregating over the figures' subqueries is not portable)."""
    rows = loans_figured(user, **filters).order_by()
    totals = dict.fromkeys(("loans", "lent", "outstanding", "overdue", "overdue_amount"), 0)
    households = set()
    for household, principal, outstanding, overdue in rows.values_list(
        "household_id", "principal", "outstanding", "overdue_amount"
    ):
        households.add(household)
        totals["loans"] += 1
        totals["lent"] += principal
        totals["outstanding"] += outstanding
        totals["overdue"] += overdue > 0
        totals["overdue_amount"] += overdue
    return totals | {"households": len(households)}


def region_loan_totals(user, region) -> dict[str, int] | None:
    """The totals of the loans of households in `region` the user sees; None when the user
    does not read loans or the region has none."""
    if not can(user, Action.LOANS_BROWSE):
        return None
    totals = loan_totals(user, region=region)
    return totals if totals["loans"] else None


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
