"""The loans API: a loan with its schedule, a repayment, the subsidy, the list and totals,
and refusals in the one error shape."""

import pytest
from conftest import CLERK
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_it_records_a_loan_and_a_repayment(api, make_household, helpers):
    household = make_household("513422100001000055", sequence=55)
    today = timezone.localdate().isoformat()
    body = {
        "household": str(household.public_id),
        "lender_kind": "bank",
        "bank_name": "凉山农商银行",
        "principal": 3_000_000,
        "annual_rate": "4.35",
        "months": 24,
        "start": today,
        "method": "interest_monthly",
        "purpose": "养牛",
        "subsidy_percent": 100,
        "subsidy_fund": "foshan-gov",
    }
    made = api(CLERK, "post", "/loans", body)
    assert made.status_code == 201, made.content
    loan = made.json()
    assert len(loan["schedule"]) == 24 and loan["schedule"][-1]["principal"] == 3_000_000
    assert loan["schedule"][0]["payable"] == 0  # the fund pays all the interest
    repaid = api(
        CLERK, "post", f"/loans/{loan['id']}/repayments", {"paid_on": today, "principal": 1000}
    )
    assert repaid.status_code == 201 and repaid.json()["outstanding"] == 2_999_000
    assert api("auditor-513400", "get", f"/loans/{loan['id']}").status_code == 200
    assert api("social_worker-513422", "get", f"/loans/{loan['id']}").status_code == 404
    listed = api("county-513422", "get", "/loans?overdue=false").json()["items"]
    assert [item["id"] for item in listed] == [loan["id"]]
    mine = api("county-513422", "get", f"/loans?household={household.public_id}").json()
    assert [item["id"] for item in mine["items"]] == [loan["id"]]
    totals = api("county-513422", "get", "/loans/totals?region=513422").json()
    assert totals == {
        "loans": 1,
        "households": 1,
        "lent": 3_000_000,
        "outstanding": 2_999_000,
        "overdue": 0,
        "overdue_amount": 0,
    }


def test_refusals_name_the_field(api, lend):
    loan = lend()
    response = api(
        CLERK,
        "post",
        f"/loans/{loan.public_id}/repayments",
        {"paid_on": timezone.localdate().isoformat(), "principal": 10**9},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "principal"
    assert (
        api(
            "auditor-513400",
            "post",
            f"/loans/{loan.public_id}/repayments",
            {"paid_on": timezone.localdate().isoformat(), "principal": 1},
        ).status_code
        == 403
    )
    assert api("donor-demo", "get", "/loans").status_code == 404
