"""The API of the leads from people: visits, calls recorded for a household, self-reports to
link, and the public report and tracking (rate-limited)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone

from aidbridge import ratelimit
from aidbridge.accounts.models import ApiToken, User
from aidbridge.monitoring.models import Lead, Visit
from aidbridge.registry.identification import INDICATORS
from aidbridge.registry.responsible import responsible_helper_assign

pytestmark = pytest.mark.django_db
MET = dict.fromkeys(INDICATORS, True)


@pytest.fixture(autouse=True)
def _no_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def call(client):
    def send(username, method, path, **json):
        headers = {}
        if username:
            _token, raw = ApiToken.issue(User.objects.get(username=username))
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        kwargs = {"content_type": "application/json", "data": json} if json else {}
        return getattr(client, method)(f"/api/v1{path}", **headers, **kwargs)

    return send


def test_a_visit_through_the_api_opens_its_leads(call, make_household):
    household = make_household("A-1")
    today = timezone.localdate().isoformat()
    body = {
        "household": str(household.public_id),
        "visited_on": today,
        "indicators": MET,
        "per_capita_income": 2000,
        "shocks": ["disaster"],
    }
    response = call("clerk-513422100001", "post", "/monitoring/visits", **body)
    assert response.status_code == 201, response.content
    leads = response.json()["leads"]
    assert [(lead["rule"], lead["created"]) for lead in leads] == [
        ("visit_income", True),
        ("visit_shock", True),
    ]
    listed = call(
        "township-513422100", "get", f"/monitoring/visits?household={household.public_id}"
    )
    assert listed.json()["items"][0]["leads"][0]["tracking_code"] == leads[0]["tracking_code"]
    bad = call(
        "clerk-513422100001", "post", "/monitoring/visits", **{**body, "indicators": {"food": 1}}
    )
    assert bad.status_code == 422 and Visit.objects.count() == 1
    refused = call("org-lsfund", "post", "/monitoring/visits", **body)
    assert refused.status_code == 404 and Visit.objects.count() == 1


def test_a_helpers_staff_records_a_visit_of_its_household(call, make_household):
    household = make_household("A-2")
    staff = User.objects.get(username="org-lsfund")
    responsible_helper_assign(
        by=User.objects.get(username="admin"),
        household=household,
        name="帮扶人",
        helper=staff.organization,
        since=date(2026, 1, 1),
    )
    body = {
        "household": str(household.public_id),
        "visited_on": timezone.localdate().isoformat(),
        "indicators": {**MET, "medical": False},
    }
    response = call("org-lsfund", "post", "/monitoring/visits", **body)
    assert response.status_code == 201 and response.json()["leads"][0]["rule"] == "visit_guarantee"


def test_calls_reports_and_links_through_the_api(call, make_household):
    household = make_household("A-3")
    clerk = "clerk-513422100001"
    made = call(
        clerk,
        "post",
        "/monitoring/self-reports",
        household=str(household.public_id),
        description="来电：老人摔伤",
    )
    assert made.status_code == 201 and made.json()["created"] is True
    assert (
        call(
            "supervisor-513400",
            "post",
            "/monitoring/self-reports",
            household=str(household.public_id),
            description="x",
        ).status_code
        == 403
    )
    public = call(
        None,
        "post",
        "/portal/monitoring/report",
        village="513422100001",
        description="邻居家里遭灾",
    )
    assert public.status_code == 201
    code = public.json()["tracking_code"]
    report = Lead.objects.get(tracking_code=code)
    waiting = call(clerk, "get", "/monitoring/self-reports").json()["items"]
    assert [r["tracking_code"] for r in waiting] == [code]
    assert call("org-lsfund", "get", "/monitoring/self-reports").status_code == 403
    other = make_household("A-4", sequence=2)
    linked = call(
        clerk,
        "post",
        f"/monitoring/self-reports/{report.public_id}/link",
        household=str(other.public_id),
    )
    assert linked.status_code == 200 and linked.json()["household_id"] == str(other.public_id)
    tracked = call(None, "post", "/portal/monitoring/track", code=code.lower())
    assert tracked.status_code == 200
    assert set(tracked.json()) == {"status", "stage", "opened_on", "decide_by", "decided_on"}
    assert call(None, "post", "/portal/monitoring/track", code="MZZZZZZZZZZ").status_code == 404
    invalid = call(None, "post", "/portal/monitoring/report", village="513422", description="")
    assert invalid.status_code == 422
    assert {e["field"] for e in invalid.json()["errors"]} == {"village", "description"}


def test_the_public_api_is_limited_per_address(call, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "monitoring.track", 2)
    codes = [call(None, "post", "/portal/monitoring/track", code="M").status_code for _ in "abc"]
    assert codes == [404, 404, 429]
