"""Helper directory, profile, verification and profile editing."""

import pytest

from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization
from aidbridge.helpers.services import helper_register
from aidbridge.notifications.models import Notification
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(db):
    """A foundation registered in Muli county, waiting for verification."""
    user = helper_register(
        data={
            "name_zh": "木里助学会",
            "name_en": "Muli School Aid",
            "kind": "association",
            "registration_number": "5134X1",
            "fields": ["education"],
            "region": Region.objects.get(code="513422"),
        },
        username="muli-aid",
        password="long enough",
    )
    return user.organization


def test_registering_tells_the_officers_above_the_region(applicant):
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {"county-513422", "city-513400", "province-510000"} <= told
    assert "county-513401" not in told and not applicant.verified


@pytest.mark.parametrize(
    "username, allowed",
    [
        ("county-513422", True),
        ("city-513400", True),
        ("county-513401", False),
        ("township-513422100", False),
        ("org-lsfund", False),
        ("donor-demo", False),
    ],
)
def test_only_officers_above_the_helper_verify_it(client, login, applicant, username, allowed):
    login(username)
    page = client.get(f"/helpers/{applicant.code}/").content.decode()
    assert (f"/helpers/{applicant.code}/verify/" in page) == allowed
    client.post(f"/helpers/{applicant.code}/verify/")
    applicant.refresh_from_db()
    assert applicant.verified == allowed


def test_staff_edit_their_profile_and_a_new_number_needs_a_new_verification(client, applicant):
    Organization.objects.filter(pk=applicant.pk).update(verified_at="2026-01-01T00:00Z")
    client.force_login(User.objects.get(username="muli-aid"))
    response = client.post(
        f"/helpers/{applicant.code}/",
        {
            "name_zh": "木里助学会",
            "registration_number": "5134X2",
            "fields": ["education", "training"],
            "service_regions": "513422 513401",
        },
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.fields == ["education", "training"] and not applicant.verified
    assert {r.code for r in applicant.service_regions.all()} == {"513422", "513401"}
    page = client.post(
        f"/helpers/{applicant.code}/", {"name_zh": "木里助学会", "service_regions": "999999"}
    ).content.decode()
    assert "999999" in page and 'class="error"' in page


def test_others_cannot_edit_a_profile(client, login, applicant):
    login("org-lsfund")
    client.post(f"/helpers/{applicant.code}/", {"name_zh": "改名"})
    applicant.refresh_from_db()
    assert applicant.name_zh == "木里助学会"


def test_the_directory_lists_and_filters_helpers(client, login, applicant):
    login("donor-demo")
    page = client.get("/helpers/?verified=no").content.decode()
    assert "木里助学会" in page
    assert "木里助学会" not in client.get("/helpers/?verified=yes").content.decode()
    assert client.get("/helpers/nope/").status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, applicant):
    assert client.get("/helpers/").status_code == 302
    assert client.post(f"/helpers/{applicant.code}/verify/").status_code == 302
