"""The helpers API: a directory for every signed-in user, individual donors shown by name
only, profile changes by the helper's staff, verification by officers in scope."""

import json

import pytest
from django.utils import timezone

from aidbridge.accounts.models import ApiToken, User
from aidbridge.helpers.models import Organization
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db


def call(client, username, method, path, body=None):
    auth = {}
    if username:
        _token, raw = ApiToken.issue(User.objects.get(username=username))
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    kwargs = {"content_type": "application/json"} if body is not None else {}
    return getattr(client, method)(f"/api/v1{path}", body, **kwargs, **auth)


@pytest.fixture
def muli(db):
    """lsfund registered in Muli county, and an individual donor living there acting through
    donor-demo."""
    county = Region.objects.get(code="513422")
    Organization.objects.filter(code="lsfund").update(region=county)
    person = Organization.objects.create(
        code="zhang",
        name_zh="张爱心",
        name_en="Zhang Aixin",
        kind="individual",
        registration_number="510000-PRIVATE",
        region=county,
        description="住在乔瓦镇",
        verified_at=timezone.now(),
    )
    User.objects.filter(username="donor-demo").update(organization=person)
    return person


@pytest.mark.parametrize(
    "username",
    ["clerk-513422100001", "county-513401", "org-lsfund", "donor-demo", "auditor-513400"],
)
def test_every_signed_in_user_sees_the_directory(client, muli, username):
    listed = call(client, username, "get", "/helpers").json()
    assert {h["code"] for h in listed["items"]} == {"lsfund", "zhang"}
    lsfund = call(client, username, "get", "/helpers/lsfund").json()
    assert lsfund["profile"]["registration_number"] == "DEMO-5134-0001"
    assert lsfund["profile"]["region_code"] == "513422"


def test_anonymous_callers_are_refused(client, muli):
    assert call(client, None, "get", "/helpers").status_code == 401
    assert call(client, None, "get", "/helpers/lsfund").status_code == 401
    assert call(client, None, "patch", "/helpers/lsfund", {"description": "x"}).status_code == 401
    assert call(client, None, "post", "/helpers/lsfund/verify").status_code == 401


@pytest.mark.parametrize(
    ("username", "profile"),
    [
        ("clerk-513422100001", False),
        ("org-lsfund", False),
        ("county-513401", False),
        ("donor-demo", True),
        ("county-513422", True),
        ("admin", True),
    ],
)
def test_an_individual_donor_shows_only_a_name_except_to_themselves_and_verifiers(
    client, muli, username, profile
):
    response = call(client, username, "get", "/helpers/zhang")
    person = response.json()
    assert person["name"] == "张爱心" and person["kind"] == "individual"
    assert (person["profile"] is not None) == profile
    text = json.dumps(person, ensure_ascii=False)
    assert ("510000-PRIVATE" in text) == ("住在乔瓦镇" in text) == profile


def test_the_directory_filters_by_verification_kind_and_words(client, muli):
    def codes(query):
        return [
            h["code"]
            for h in call(client, "clerk-513422100001", "get", f"/helpers?{query}").json()["items"]
        ]

    assert codes("verified=true") == ["zhang"]
    assert codes("verified=false") == ["lsfund"]
    assert codes("kind=foundation") == ["lsfund"]
    assert codes("q=凉山") == ["lsfund"]
    assert codes("q=Aixin") == ["zhang"]
    assert call(client, "admin", "get", "/helpers/nobody").status_code == 404


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("county-513422", 200),
        ("city-513400", 200),
        ("admin", 200),
        ("county-513401", 403),
        ("township-513422100", 403),
        ("org-lsfund", 403),
        ("donor-demo", 403),
    ],
)
def test_officers_whose_region_holds_the_helper_verify_it(client, muli, username, expected):
    response = call(client, username, "post", "/helpers/lsfund/verify")
    assert response.status_code == expected
    assert Organization.objects.get(code="lsfund").verified == (expected == 200)
    if expected == 200:
        assert response.json()["verified"] is True
        again = call(client, username, "post", "/helpers/lsfund/verify")
        assert again.status_code == 422 and again.json()["errors"][0]["field"] == "verified"


@pytest.mark.parametrize(
    ("username", "expected"),
    [("org-lsfund", 200), ("donor-demo", 403), ("county-513422", 403), ("clerk-513422100001", 403)],
)
def test_only_the_helpers_staff_change_its_profile(client, muli, username, expected):
    response = call(
        client,
        username,
        "patch",
        "/helpers/lsfund",
        {
            "description": "资助医疗和教育",
            "fields": ["health"],
            "service_regions": ["513422100", "513422101"],
        },
    )
    assert response.status_code == expected
    if expected == 200:
        changed = response.json()
        assert changed["fields"] == ["health"]
        assert changed["service_regions"] == ["513422100", "513422101"]
        assert changed["profile"]["description"] == "资助医疗和教育"


def test_profile_errors_name_the_field_and_a_new_number_needs_a_new_verification(client, muli):
    Organization.objects.filter(code="lsfund").update(verified_at=timezone.now())
    for body, field in [
        ({"service_regions": ["nowhere"]}, "service_regions"),
        ({"fields": ["astrology"]}, "fields"),
        ({"name_zh": " "}, "name_zh"),
        ({"fields": "health"}, "fields"),
    ]:
        response = call(client, "org-lsfund", "patch", "/helpers/lsfund", body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field
    changed = call(
        client, "org-lsfund", "patch", "/helpers/lsfund", {"registration_number": "DEMO-5134-0002"}
    ).json()
    assert changed["verified"] is False
    assert changed["profile"]["registration_number"] == "DEMO-5134-0002"


def test_an_officer_does_not_verify_with_a_reason_the_staff_read_through_the_api(client, muli):
    refused = call(client, "county-513422", "post", "/helpers/lsfund/reject", {"reason": " "})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    assert (
        call(client, "county-513401", "post", "/helpers/lsfund/reject", {"reason": "x"}).status_code
        == 403
    )
    done = call(client, "county-513422", "post", "/helpers/lsfund/reject", {"reason": "缺少证书"})
    assert done.status_code == 200 and done.json()["rejection"] == "缺少证书"
    assert call(client, "org-lsfund", "get", "/helpers/lsfund").json()["rejection"] == "缺少证书"
    assert call(client, "clerk-513422100001", "get", "/helpers/lsfund").json()["rejection"] is None


def test_the_helpers_admin_creates_staff_accounts_through_the_api(client, muli):
    body = {"username": "lsfund-2", "password": "long enough", "admin": True}
    assert call(client, "county-513422", "post", "/helpers/lsfund/staff", body).status_code == 403
    made = call(client, "org-lsfund", "post", "/helpers/lsfund/staff", body)
    assert made.status_code == 201
    assert made.json() == {"username": "lsfund-2", "role": "org_staff", "admin": True}
    again = call(client, "org-lsfund", "post", "/helpers/lsfund/staff", body)
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "username"
