"""Every role's home: what a helper, a donor, a supervisor, an auditor and a social worker
find when they log in, in a bounded number of queries; no home promises features later."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import aidbridge
from aidbridge.donations.services import donation_offer, donation_receive
from aidbridge.matching import services as matching
from aidbridge.needs import claims
from aidbridge.needs.models import Need
from aidbridge.needs.services import need_submit
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db
SOON = date.today() + timedelta(days=20)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, anchor: str) -> str:
    """The text of the <section id=anchor>."""
    return re.search(rf'<section class="card" id="{anchor}">(.*?)</section>', page, re.S).group(1)


def test_a_donor_sees_its_donations_receipts_and_the_project_it_funded(
    client, project, user, helper_staff, django_capture_on_commit_callbacks
):
    donor = user("donor-demo")
    offered = donation_offer(
        by=donor, target=project.money, recipient=helper_staff.organization, value=50_000
    )
    with django_capture_on_commit_callbacks(execute=True):
        received = donation_receive(by=helper_staff, donation=offered)
    waiting = donation_offer(
        by=donor, target=project.money, recipient=helper_staff.organization, value=20_000
    )
    page = home(client, donor)
    donations = section(page, "donations")
    assert received.serial in donations and "Signed: the proof can be checked" in donations
    assert waiting.get_absolute_url() in donations and "Offered" in donations
    assert project.title in section(page, "projects")
    assert client.get(f"/projects/{project.public_id}/").status_code == 200  # was a 404
    staff_page = home(client, helper_staff)
    assert waiting.get_absolute_url() in section(staff_page, "to-confirm")


def test_a_helpers_home_lists_claims_to_deliver_and_proposals_to_answer(
    client, file_need, helper_staff, user
):
    claimed = file_need(title="住院费用", household_number="H-1", publish=True)
    claims.claim_create(by=helper_staff, need=claimed, kind="money", amount=1000, deliver_by=SOON)
    file_need(title="学费资助", household_number="H-2", category="education", publish=True)
    matching.offer_create(
        by=helper_staff,
        data={
            "title": "助学",
            "capacity": 3000,
            "categories": ["education"],
            "regions": [Region.objects.get(code="513422")],
        },
    )
    county = user("county-513422")
    found = matching.Round.objects.create(
        region=county.region, region_path=county.region.path, created_by=county
    )
    matching.round_run(found)
    matching.round_send(by=county, found=found)
    page = home(client, helper_staff)
    assert "住院费用" in section(page, "to-deliver") and SOON.isoformat() in page
    assert "学费资助" in section(page, "proposals")
    assert "/matching/proposals/" in section(page, "proposals")


def test_a_supervisor_sees_late_reviews_and_overdue_pledges(client, file_need, user, helper_staff):
    late = file_need(title="迟迟未审", household_number="H-3")
    need_submit(by=late.created_by, need=late)
    Need.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - timedelta(days=30))
    pledged = file_need(title="逾期交付", household_number="H-4", publish=True)
    claim = claims.claim_create(
        by=helper_staff, need=pledged, kind="money", amount=500, deliver_by=SOON
    )
    type(claim).objects.filter(pk=claim.pk).update(deliver_by=date.today() - timedelta(days=3))
    page = home(client, user("supervisor-513400"))
    assert "迟迟未审" in section(page, "late-reviews")
    assert "逾期交付" in section(page, "overdue-claims")
    assert "?status=submitted" in section(page, "needs-by-status")


def test_an_auditor_sees_the_ledger_and_the_projects_of_the_area(client, project, user):
    page = home(client, user("auditor-513400"))
    assert "/portal/ledger/" in section(page, "ledger")
    assert project.title in section(page, "projects")


def test_a_social_worker_sees_households_to_care_for_and_care_needs(
    client, make_household, file_need, user
):
    household = make_household("SW-1", status="poor")
    household.members.update(health="serious")
    make_household("SW-2", status="poor", sequence=2)  # all healthy
    file_need(title="心理疏导", household_number="SW-1", category="psychology", publish=True)
    page = home(client, user("social_worker-513422"))
    cared = section(page, "households")
    assert "SW-1" in cared and "SW-2" not in cared
    assert "心理疏导" in section(page, "care-needs")


def test_the_helpers_home_costs_the_same_queries_with_one_claim_or_five(
    client, file_need, helper_staff
):
    def count() -> int:
        client.force_login(helper_staff)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    for n in range(1, 6):
        need = file_need(title=f"需{n}", household_number=f"Q-{n}", publish=True)
        claims.claim_create(by=helper_staff, need=need, kind="money", amount=100, deliver_by=SOON)
        if n == 1:
            one = count()
    assert count() == one


def test_no_page_promises_features_later():
    promises = re.compile(
        r"will appear here as|as those parts|coming soon|later (issue|release|version)|"
        r"not available yet|敬请期待|即将开放|后续开放",
        re.I,
    )
    templates = Path(aidbridge.__file__).parent / "templates"
    found = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if promises.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
