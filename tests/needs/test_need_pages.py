"""The needs pages: the loop from filing to closing through the web, and who sees what."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from upload_files import image_bytes

from aidbridge.needs.models import Need
from aidbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db
DEADLINE = (date.today() + timedelta(days=30)).isoformat()


def test_it_runs_the_whole_loop_through_the_pages(client, login, make_household, helper_staff):
    make_household("P-1", status="poor", name="王大山")
    login("clerk-513422100001")
    response = client.post(
        "/needs/new/",
        {
            "kind": "household",
            "village": "513422100001",
            "household_number": "P-1",
            "category": "health",
            "title": "住院费用",
            "amount": "3000",
            "unit": "yuan",
            "urgency": "5",
            "deadline": DEADLINE,
        },
    )
    need = Need.objects.get(title="住院费用")
    assert response.url == f"/needs/{need.public_id}/"
    client.post(f"/needs/{need.public_id}/act/", {"action": "submit"})
    login("township-513422100")
    assert "住院费用" in client.get("/needs/?tab=review").content.decode()
    client.post(f"/needs/{need.public_id}/act/", {"action": "approve"})
    login("county-513422")
    client.post(f"/needs/{need.public_id}/act/", {"action": "approve"})
    need.refresh_from_db()
    assert need.status == "published"
    client.force_login(helper_staff)
    page = client.get(f"/needs/{need.public_id}/").content.decode()
    assert "王大山" not in page and "P-1" not in page
    assert 'action="/needs/' in page and 'name="deliver_by"' in page  # the claim form
    client.post(
        f"/needs/{need.public_id}/claim/",
        {"kind": "money", "amount": "3000", "deliver_by": DEADLINE},
    )
    claim = need.claims.get()
    login("clerk-513422100001")
    client.post(
        f"/needs/claims/{claim.public_id}/act/",
        {
            "action": "deliver",
            "note": "转账",
            "evidence": SimpleUploadedFile("receipt.jpg", image_bytes()),
        },
    )
    client.post(f"/needs/claims/{claim.public_id}/act/", {"action": "confirm", "note": "户主签字"})
    client.post(f"/needs/{need.public_id}/act/", {"action": "close"})
    need.refresh_from_db()
    assert (need.status, need.confirmed) == ("closed", 3000)
    assert Notification.objects.filter(user=helper_staff).count() == 2  # delivered, confirmed


def test_a_reviewer_must_explain_overriding_a_finding(client, login, make_household, file_need):
    make_household("P-2", status="not_poor")
    need = file_need(household_number="P-2")
    login("clerk-513422100001")
    client.post(f"/needs/{need.public_id}/act/", {"action": "submit"})
    login("township-513422100")
    page = client.get(f"/needs/{need.public_id}/").content.decode()
    assert 'name="override_not_eligible"' in page
    client.post(f"/needs/{need.public_id}/act/", {"action": "approve"}, follow=True)
    need.refresh_from_db()
    assert need.status == "submitted"
    client.post(
        f"/needs/{need.public_id}/act/", {"action": "approve", "override_not_eligible": "突发大病"}
    )
    need.refresh_from_db()
    assert need.status == "township_reviewed"
    assert need.flags.get().override_reason == "突发大病"


@pytest.mark.parametrize(
    "username, status",
    [
        ("clerk-513422100001", 200),
        ("township-513422100", 200),
        ("county-513422", 200),
        ("city-513400", 200),
        ("admin", 200),
        ("county-513401", 404),
        ("township-513422101", 404),
        ("org-lsfund", 404),
        ("donor-demo", 404),
    ],
)
def test_a_draft_is_seen_only_within_its_region(
    client, login, make_household, file_need, username, status
):
    make_household("P-3", status="poor")
    need = file_need(household_number="P-3")
    login(username)
    assert client.get(f"/needs/{need.public_id}/").status_code == status
    listed = need.title in client.get("/needs/").content.decode()
    assert listed == (status == 200)


@pytest.mark.parametrize(
    "username, status",
    [("org-lsfund", 200), ("donor-demo", 200), ("county-513401", 404), ("clerk-513422100001", 200)],
)
def test_a_published_need_is_seen_by_helpers_but_not_other_counties(
    client, login, make_household, file_need, username, status
):
    make_household("P-4", status="poor")
    need = file_need(household_number="P-4", publish=True)
    login(username)
    assert client.get(f"/needs/{need.public_id}/").status_code == status


@pytest.mark.parametrize(
    "username", ["org-lsfund", "county-513401", "social_worker-513422", "supervisor-513400"]
)
def test_only_registrars_in_scope_file_needs(client, login, username):
    login(username)
    response = client.post(
        "/needs/new/",
        {
            "kind": "village",
            "village": "513422100001",
            "category": "ecology",
            "title": "村道护坡",
            "amount": "50000",
            "urgency": "3",
            "deadline": DEADLINE,
        },
    )
    assert response.status_code in (200, 404)
    assert not Need.objects.filter(title="村道护坡").exists()


def test_bad_input_is_shown_beside_its_field(client, login):
    login("clerk-513422100001")
    page = client.post(
        "/needs/new/",
        {
            "kind": "household",
            "village": "513422100001",
            "category": "health",
            "title": "x",
            "amount": "10",
            "urgency": "3",
            "deadline": "2000-01-01",
        },
    ).content.decode()
    assert page.count('class="error"') == 2  # household number, deadline
    assert not Need.objects.exists()


def test_anonymous_users_go_to_the_login_page(client):
    assert client.get("/needs/").status_code == 302
    assert client.get("/needs/new/").url.startswith("/accounts/login/")


def test_only_who_delivered_or_manages_sees_the_evidence(
    client, login, make_household, file_need, helper_staff
):
    from aidbridge.needs.claims import claim_create, claim_deliver

    make_household("P-5", status="poor")
    need = file_need(household_number="P-5", publish=True)
    claim = claim_create(
        by=helper_staff, need=need, kind="money", amount=10, deliver_by=date.today()
    )
    claim_deliver(by=helper_staff, claim=claim, evidence=SimpleUploadedFile("r.jpg", image_bytes()))
    url = f"/needs/claims/{claim.public_id}/evidence"
    client.force_login(helper_staff)
    assert client.get(url).status_code == 200
    for username, status in [
        ("clerk-513422100001", 200),
        ("county-513401", 404),
        ("donor-demo", 404),
    ]:
        login(username)
        assert client.get(url).status_code == status


def test_a_helper_too_late_for_a_need_is_told_what_is_left(
    client, make_household, file_need, helper_staff
):
    make_household("P-9", status="poor")
    need = file_need(household_number="P-9", amount=500, publish=True)
    client.force_login(helper_staff)
    client.post(
        f"/needs/{need.public_id}/claim/",
        {"kind": "money", "amount": "500", "deliver_by": DEADLINE},
    )
    page = client.get(f"/needs/{need.public_id}/").content.decode()
    assert 'name="deliver_by"' not in page  # fully claimed: no claim form any more
    late = client.post(
        f"/needs/{need.public_id}/claim/",
        {"kind": "money", "amount": "100", "deliver_by": DEADLINE},
        follow=True,
    )
    assert "该需求仅剩 0 yuan 待认领" in late.content.decode()
    assert need.claims.count() == 1
