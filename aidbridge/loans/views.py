"""Loan pages: the household page's loans section, the loans list with its totals, filters
and exports, recording a loan, a repayment and the fund's subsidy."""

import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from aidbridge.errors import InvalidInput
from aidbridge.ledger.statements import fen_to_yuan
from aidbridge.loans.forms import LoanForm, RepaymentForm
from aidbridge.loans.models import Loan
from aidbridge.loans.selectors import (
    access_loan,
    household_loans,
    lenders_in,
    loan_rows,
    loan_totals,
    loan_views,
)
from aidbridge.loans.services import loan_grant, repayment_record, subsidy_pay
from aidbridge.pages import attempt, place_errors
from aidbridge.policy import Action, can, loans_in_scope
from aidbridge.regions.selectors import access_region
from aidbridge.registry.selectors import access_household
from aidbridge.spreadsheet import csv_writer, put_cell


def household_loans_panel(request, household) -> str:
    """The household page's loans section ("" for those who may not read loans)."""
    loans = household_loans(request.user, household)
    if loans is None:
        return ""
    _forms(loans)
    return render_to_string(
        "loans/_household.html",
        {
            "loans": loans,
            "household": household,
            "can_grant": can(request.user, Action.LOAN_GRANT, household),
        },
        request=request,
    )


@login_required
def loan_detail(request, public_id):
    """One loan, for those who see it without its household (the lender's staff)."""
    loan = access_loan(request.user, public_id)
    loans = loan_views(
        request.user,
        Loan.objects.filter(pk=loan.pk).select_related(
            "lender", "subsidy_fund", "household__village"
        ),
    )
    _forms(loans)
    return render(request, "loans/detail.html", {"loans": loans, "loan": loan})


def _forms(loans) -> None:
    """Each loan's repayment form, proposing its next unpaid instalment."""
    today = timezone.localdate()
    for shown in loans:
        nxt = next((line for line in shown.standing.lines if line.unpaid), None)
        shown.form = RepaymentForm(
            initial={
                "paid_on": today,
                "principal": Decimal(nxt.instalment.principal - nxt.paid_principal) / 100
                if nxt
                else None,
                "interest": Decimal(nxt.instalment.household_interest - nxt.paid_interest) / 100
                if nxt
                else None,
            },
            prefix=f"loan-{shown.loan.pk}",
        )


@login_required
def loan_new(request, household_id):
    household = access_household(request.user, household_id)
    if not can(request.user, Action.LOAN_GRANT, household):
        raise Http404
    form = LoanForm(request.POST or None, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            loan_grant(by=request.user, household=household, **form.service_input())
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(request, _("Loan recorded and posted to the ledger."))
            return redirect(f"{reverse('registry:detail', args=[household.public_id])}#loans")
    return render(request, "loans/new.html", {"form": form, "household": household})


@login_required
@require_POST
def loan_repay(request, public_id):
    loan = access_loan(request.user, public_id)
    if not can(request.user, Action.LOAN_REPAY, loan):
        raise Http404
    form = RepaymentForm(request.POST, prefix=f"loan-{loan.pk}")
    if form.is_valid():
        done = attempt(
            request,
            lambda: repayment_record(by=request.user, loan=loan, **form.service_input()),
            refused=_("You may not record repayments of this loan."),
        )
        if done:
            messages.success(request, _("Repayment recorded and posted to the ledger."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
    return _back_to(request, loan)


@login_required
@require_POST
def loan_subsidy(request, public_id):
    loan = access_loan(request.user, public_id)
    if not can(request.user, Action.LOAN_SUBSIDY, loan):
        raise Http404
    done = attempt(
        request,
        lambda: subsidy_pay(by=request.user, loan=loan, paid_on=timezone.localdate()),
        refused=_("You may not record this loan's subsidy."),
    )
    if done:
        messages.success(request, _("Interest subsidy paid and posted to the ledger."))
    return _back_to(request, loan)


def _back_to(request, loan):
    if can(request.user, Action.HOUSEHOLD_LOANS, loan.household):
        return redirect(f"{reverse('registry:detail', args=[loan.household.public_id])}#loans")
    return redirect(f"{reverse('loans:detail', args=[loan.public_id])}#loans")


def _filters(request) -> tuple[dict, dict]:
    params = {k: request.GET.get(k, "").strip() for k in ("region", "lender", "overdue")}
    region = access_region(request.user, params["region"]) if params["region"] else None
    overdue = {"yes": True, "no": False}.get(params["overdue"])
    return params, {"region": region, "lender": params["lender"], "overdue": overdue}


SHOWN = 500  # rows on the page; the downloads have them all


@login_required
def loan_list(request):
    if not can(request.user, Action.LOANS_BROWSE):
        raise Http404
    params, filters = _filters(request)
    rows = loan_rows(request.user, limit=SHOWN + 1, **filters)
    totals = loan_totals(request.user, **filters)
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return render(
        request,
        "loans/list.html",
        {
            "rows": [
                (row, can(request.user, Action.HOUSEHOLD_LOANS, row.loan.household))
                for row in rows[:SHOWN]
            ],
            "more": max(totals["loans"] - SHOWN, 0),
            "totals": totals,
            "params": params,
            "region": filters["region"],
            "lenders": lenders_in(loans_in_scope(request.user, Loan.objects.all())),
            "query": query,
        },
    )


COLUMNS = [
    ("loan", "Loan", "贷款编号"),
    ("village_code", "Village code", "村代码"),
    ("village", "Village", "村"),
    ("household", "Household number", "户编号"),
    ("lender", "Lender", "放贷方"),
    ("principal", "Principal (yuan)", "本金（元）"),
    ("annual_rate", "Annual rate (%)", "年利率（%）"),
    ("months", "Term (months)", "期限（月）"),
    ("start", "Lent on", "放款日期"),
    ("method", "Repayment method", "还款方式"),
    ("subsidy_percent", "Interest subsidy (%)", "贴息比例（%）"),
    ("repaid", "Principal repaid (yuan)", "已还本金（元）"),
    ("outstanding", "Outstanding (yuan)", "贷款余额（元）"),
    ("overdue_days", "Days overdue", "逾期天数"),
    ("overdue_amount", "Overdue amount (yuan)", "逾期金额（元）"),
]


def _cells(row) -> list:
    loan = row.loan
    return [
        str(loan.public_id),
        loan.household.village.code,
        loan.household.village.name,
        loan.household.number,
        loan.lender_name,
        fen_to_yuan(loan.principal),
        loan.annual_rate,
        loan.months,
        loan.start.isoformat(),
        loan.get_method_display(),
        loan.subsidy_percent,
        fen_to_yuan(row.repaid),
        fen_to_yuan(row.outstanding),
        row.overdue_days,
        fen_to_yuan(row.overdue_amount),
    ]


@login_required
def loan_export(request, fmt):
    """The list's loans, with its filters, as CSV (UTF-8 with BOM) or XLSX."""
    if not can(request.user, Action.LOANS_BROWSE) or fmt not in ("csv", "xlsx"):
        raise Http404
    _params, filters = _filters(request)
    rows = loan_rows(request.user, **filters)
    header = [c[1] if request.LANGUAGE_CODE == "en" else c[2] for c in COLUMNS]
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv_writer(out)
        writer.writerow(header)
        writer.writerows(_cells(row) for row in rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=False)
        sheet = book.active
        sheet.title = "loans"
        for col, title in enumerate(header, start=1):
            put_cell(sheet.cell(row=1, column=col), title)
        for r, row in enumerate(rows, start=2):
            for col, value in enumerate(_cells(row), start=1):
                put_cell(sheet.cell(row=r, column=col), value)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="loans.{fmt}"'
    return response
