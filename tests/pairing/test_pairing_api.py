"""The pairing API: coverage, a village's posts, East-West pairings; reads outside the scope
answer 404, writes without the right 403."""

from datetime import date

import pytest

from aidbridge.accounts.models import ApiToken, User
from aidbridge.helpers.models import PairingPost, RegionPairing
from aidbridge.pairing.services import region_pairing_create

pytestmark = pytest.mark.django_db
MULI_POOR, MULI_MONITORED = "513422100001", "513422100200"
COUNTY, OUTSIDER, CLERK, ORG = "county-513422", "county-513401", "clerk-513422100001", "org-lsfund"
POST = {"role": "first_secretary", "holder": "张三", "phone": "13800000000", "since": "2025-01-01"}
PAIRING = {"helper": "hangzhou-gov", "county": "513422", "since": "2024-01-01"}


def call(client, username, method, path, body=None):
    """``method`` on /api/v1/pairing``path`` as ``username`` (None: anonymous)."""
    auth = {}
    if username:
        _token, raw = ApiToken.issue(User.objects.get(username=username))
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    kwargs = {"content_type": "application/json"} if body is not None else {}
    return getattr(client, method)(f"/api/v1/pairing{path}", body, **kwargs, **auth)


def test_coverage(client, poor_villages, staff):
    staff(MULI_POOR)
    body = call(client, COUNTY, "get", "/coverage").json()
    assert body["region_code"] == "513422"
    assert (body["poor_villages"], body["fully_staffed"], body["missing"]) == (2, 1, 1)
    assert body["villages"] == [
        {
            "code": MULI_MONITORED,
            "name": "锄头湾村",
            "missing_roles": [
                "contact_leader",
                "support_unit",
                "working_group",
                "first_secretary",
                "technician",
            ],
        }
    ]
    assert (body["page"], body["pages"]) == (1, 1)
    assert (
        call(client, "city-513400", "get", "/coverage?region=513401").json()["poor_villages"] == 1
    )


@pytest.mark.parametrize(
    "username, status", [(COUNTY, 200), (CLERK, 200), (OUTSIDER, 404), (ORG, 404), (None, 401)]
)
def test_coverage_stays_in_scope(client, poor_villages, username, status):
    assert call(client, username, "get", f"/coverage?region={MULI_POOR}").status_code == status


def test_set_a_post_and_read_the_village(client, staff):
    [old] = staff(MULI_POOR, ["first_secretary"])
    response = call(
        client,
        COUNTY,
        "post",
        f"/villages/{MULI_POOR}/posts",
        {**POST, "since": "2025-06-01", "helper": "lsfund"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["helper_code"] == "lsfund"
    old.refresh_from_db()
    assert old.until == date(2025, 6, 1)
    body = call(client, CLERK, "get", f"/villages/{MULI_POOR}").json()
    assert [p["holder"] for p in body["posts"]] == ["张三"]
    assert [p["id"] for p in body["former"]] == [old.pk]
    assert "first_secretary" not in body["missing_roles"] and len(body["missing_roles"]) == 4


def test_post_errors_name_their_field(client):
    response = call(
        client,
        COUNTY,
        "post",
        f"/villages/{MULI_POOR}/posts",
        {**POST, "role": "mayor", "helper": "nobody"},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["helper"]
    response = call(
        client, COUNTY, "post", f"/villages/{MULI_POOR}/posts", {**POST, "role": "mayor"}
    )
    assert [e["field"] for e in response.json()["errors"]] == ["role"]
    assert call(client, COUNTY, "get", "/villages/513422100").status_code == 404


@pytest.mark.parametrize(
    "username, read, write",
    [
        (COUNTY, 200, 201),
        ("township-513422100", 200, 201),
        (CLERK, 200, 403),
        (OUTSIDER, 404, 404),
        (ORG, 404, 404),
        (None, 401, 401),
    ],
)
def test_village_posts_stay_in_scope(client, username, read, write):
    assert call(client, username, "get", f"/villages/{MULI_POOR}").status_code == read
    response = call(client, username, "post", f"/villages/{MULI_POOR}/posts", POST)
    assert response.status_code == write
    assert PairingPost.objects.exists() == (write == 201)


def test_east_west_pairings(client, gov):
    response = call(client, COUNTY, "post", "/east-west", {**PAIRING, "note": "对口支援"})
    assert response.status_code == 201, response.content
    assert response.json()["helper_name"] == "杭州市人民政府"
    items = call(client, "city-513400", "get", "/east-west").json()["items"]
    assert [(p["helper_code"], p["county_code"], p["until"]) for p in items] == [
        ("hangzhou-gov", "513422", None)
    ]
    response = call(client, COUNTY, "post", "/east-west", {**PAIRING, "helper": "lsfund"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["helper"]
    response = call(client, COUNTY, "post", "/east-west", {**PAIRING, "county": "nowhere"})
    assert [e["field"] for e in response.json()["errors"]] == ["county"]


@pytest.mark.parametrize(
    "username, read, write",
    [
        (COUNTY, 200, 201),
        (CLERK, 200, 403),
        (OUTSIDER, 200, 403),
        (ORG, 404, 403),
        (None, 401, 401),
    ],
)
def test_east_west_stays_in_scope(client, user, region, gov, username, read, write):
    region_pairing_create(
        by=user(COUNTY), helper=gov, county=region("513422"), since=date(2023, 1, 1)
    )
    response = call(client, username, "get", "/east-west")
    assert response.status_code == read
    if read == 200:
        assert len(response.json()["items"]) == (1 if username == COUNTY else 0)
    assert call(client, username, "get", "/east-west?region=513422").status_code == (
        200 if username == COUNTY else read if read == 401 else 404
    )
    RegionPairing.objects.update(until=date(2024, 1, 1))
    assert call(client, username, "post", "/east-west", PAIRING).status_code == write
    assert RegionPairing.objects.count() == (2 if write == 201 else 1)
