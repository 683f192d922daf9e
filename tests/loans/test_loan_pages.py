"""The loan pages: the household page's section, recording a loan and a repayment, the
list with its filters and exports, and the region page's totals."""

import csv
import io

import pytest
from conftest import CLERK
from django.utils import timezone
from openpyxl import load_workbook

from aidbridge.loans.models import Loan

pytestmark = pytest.mark.django_db


def test_the_household_page_shows_loans_to_those_who_read_them(client, login, lend):
    loan = lend(months_ago=6)
    page = f"/households/{loan.household.public_id}/"
    login(CLERK)
    html = client.get(page).content.decode()
    assert 'id="loans"' in html and 'class="badge failed"' in html  # overdue
    assert "担保人甲" in html and f"/loans/{loan.public_id}/repay/" in html
    login("social_worker-513422")  # sees the household, not its loans
    assert 'id="loans"' not in client.get(page).content.decode()


def test_the_clerk_records_a_repayment_from_the_household_page(client, login, lend):
    loan = lend(months_ago=6)
    login(CLERK)
    prefix = f"loan-{loan.pk}"
    response = client.post(
        f"/loans/{loan.public_id}/repay/",
        {
            f"{prefix}-paid_on": timezone.localdate().isoformat(),
            f"{prefix}-principal": "6000.00",
            f"{prefix}-interest": "0",
        },
    )
    assert response.status_code == 302 and response.url.endswith("#loans")
    assert loan.repayments.get().principal == 600_000
    html = client.get(response.url.split("#")[0]).content.decode()
    assert 'class="badge failed"' not in html


def test_a_repayment_over_what_is_owed_says_so_and_writes_nothing(client, login, lend):
    loan = lend()
    login(CLERK)
    prefix = f"loan-{loan.pk}"
    response = client.post(
        f"/loans/{loan.public_id}/repay/",
        {
            f"{prefix}-paid_on": timezone.localdate().isoformat(),
            f"{prefix}-principal": "99999",
            f"{prefix}-interest": "0",
        },
        follow=True,
    )
    assert "12,000.00" in response.content.decode()  # what is still owed
    assert not loan.repayments.exists()


def test_others_may_not_repay_or_see_a_loan(client, login, lend):
    loan = lend()
    for username in ("social_worker-513422", "donor-demo", "auditor-513400"):
        login(username)
        assert client.post(f"/loans/{loan.public_id}/repay/", {}).status_code == 404
    assert not loan.repayments.exists()


def test_the_clerk_records_a_loan(client, login, make_household, helpers):
    household = make_household("513422100001000099", sequence=99)
    login(CLERK)
    page = f"/loans/new/{household.public_id}/"
    assert client.get(page).status_code == 200
    data = {
        "lender_kind": "government_fund",
        "lender": "foshan-gov",
        "principal": "50000",
        "annual_rate": "4.35",
        "months": "36",
        "start": timezone.localdate().isoformat(),
        "method": "equal_instalments",
        "purpose": "种植花椒",
        "guarantor": "",
        "subsidy_percent": "0",
    }
    wrong = client.post(page, data | {"lender": "lsfund"})  # not a government unit
    assert wrong.status_code == 200 and wrong.context["form"].errors["lender"]
    assert client.post(page, data).status_code == 302
    loan = Loan.objects.get(household=household)
    assert loan.principal == 5_000_000 and loan.entry.postings.count() == 2
    login("social_worker-513422")
    assert client.get(page).status_code == 404


def test_the_list_filters_and_exports(client, login, lend):
    late, fine = lend(months_ago=6), lend(months_ago=0)
    login("county-513422")
    page = client.get("/loans/?overdue=yes")
    assert [r.loan.pk for r, _household in page.context["rows"]] == [late.pk]
    assert page.context["totals"]["loans"] == 1
    text = client.get("/loans/export.csv?overdue=no").content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][0] == "贷款编号" and [r[0] for r in rows[1:]] == [str(fine.public_id)]
    assert rows[1][5] == "12000.00" and rows[1][12] == "12000.00"
    book = load_workbook(io.BytesIO(client.get("/loans/export.xlsx").content))
    assert book.active.max_row == 3 and book.active["F2"].value == 12000
    login("social_worker-513422")
    assert client.get("/loans/").status_code == 404
    assert client.get("/loans/export.csv").status_code == 404


def test_the_region_page_shows_its_loan_totals(client, login, lend):
    lend(months_ago=6)
    login("county-513422")
    totals = client.get("/regions/513422/").context["loans"]
    assert totals["loans"] == 1 and totals["lent"] == 1_200_000 and totals["overdue"] == 1
    login("social_worker-513422")
    assert client.get("/regions/513422/").context["loans"] is None


def test_the_lenders_staff_repay_from_the_loans_own_page(client, login, lend):
    loan = lend()
    login("org-lsfund")
    listed = client.get("/loans/").content.decode()
    assert f"/loans/{loan.public_id}/" in listed and "/households/" not in listed
    page = client.get(f"/loans/{loan.public_id}/")
    assert page.status_code == 200 and f"/loans/{loan.public_id}/repay/" in page.content.decode()
    prefix = f"loan-{loan.pk}"
    response = client.post(
        f"/loans/{loan.public_id}/repay/",
        {
            f"{prefix}-paid_on": timezone.localdate().isoformat(),
            f"{prefix}-principal": "1000",
            f"{prefix}-interest": "0",
        },
    )
    assert response.url == f"/loans/{loan.public_id}/#loans"
    assert loan.repayments.get().principal == 100_000
