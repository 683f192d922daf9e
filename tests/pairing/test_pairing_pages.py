"""Pairing pages: coverage, a village's posts, East-West pairings, and who sees and changes
them (officer in scope, officer outside, clerk, organization staff, anonymous)."""

from datetime import date

import pytest

from aidbridge.helpers.models import PairingPost, RegionPairing
from aidbridge.pairing.services import region_pairing_create

pytestmark = pytest.mark.django_db
MULI_POOR, MULI_MONITORED, XICHANG_POOR = "513422100001", "513422100200", "513401001003"
COUNTY, OUTSIDER, CLERK, ORG = "county-513422", "county-513401", "clerk-513422100001", "org-lsfund"
VILLAGE = f"/pairing/village/{MULI_POOR}/"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def pairing(user, region, gov):
    return region_pairing_create(
        by=user(COUNTY),
        helper=gov,
        county=region("513422"),
        since=date(2024, 1, 1),
        note="对口支援",
    )


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_coverage_lists_poor_villages_missing_posts(client, login, poor_villages, staff):
    staff(MULI_POOR)
    login(COUNTY)
    html = page(client, "/pairing/")
    assert f"/pairing/village/{MULI_MONITORED}/" in html
    assert f"/pairing/village/{MULI_POOR}/" not in html  # fully staffed
    assert "Farm technician" in html and 'href="/pairing/"' in html  # missing role; menu
    login("city-513400")
    html = page(client, "/pairing/?region=513401")
    assert f"/pairing/village/{XICHANG_POOR}/" in html
    assert f"/pairing/village/{MULI_MONITORED}/" not in html


def test_coverage_empty_states(client, login, staff, make_household):
    login(COUNTY)
    assert "No village in this area has a poor or monitored household." in page(client, "/pairing/")
    make_household("PAIR-E", MULI_POOR, status="poor")
    staff(MULI_POOR)
    assert "all five posts filled" in page(client, "/pairing/")


@pytest.mark.parametrize(
    "username, status", [(COUNTY, 200), (CLERK, 200), (OUTSIDER, 404), (ORG, 404)]
)
def test_coverage_stays_in_scope(client, login, poor_villages, username, status):
    login(username)
    assert client.get(f"/pairing/?region={MULI_POOR}").status_code == status
    html = client.get("/pairing/").content.decode()
    assert (f"/pairing/village/{MULI_POOR}/" in html) == (status == 200)
    assert ('href="/pairing/"' in html) == (username != ORG)  # the menu item


def test_officer_sets_and_ends_a_post(client, login):
    login(COUNTY)
    html = page(client, VILLAGE)
    assert "Set a post" in html and "Vacant" in html
    response = client.post(
        VILLAGE,
        {
            "role": "first_secretary",
            "holder": "张三",
            "phone": "13800000000",
            "since": "2025-01-01",
        },
    )
    assert response.status_code == 302
    response = client.post(
        VILLAGE, {"role": "first_secretary", "holder": "李四", "since": "2025-06-01"}
    )
    first, second = PairingPost.objects.order_by("pk")
    assert first.until == date(2025, 6, 1) and second.holder == "李四"
    html = page(client, VILLAGE)
    assert "李四" in html and "Former holders" in html and "13800000000" not in html
    end = f"/pairing/village/{MULI_POOR}/posts/{second.pk}/end/"
    assert end in html and "data-confirm=" in html
    assert client.post(end).status_code == 302
    second.refresh_from_db()
    assert second.until == date.today()


def test_a_post_form_shows_errors_beside_fields(client, login):
    login(COUNTY)
    html = client.post(
        VILLAGE,
        {"role": "first_secretary", "holder": "张三", "phone": "call me", "since": "2025-01-01"},
    ).content.decode()
    assert 'class="error"' in html and "is not a phone number" in html
    assert not PairingPost.objects.exists()


@pytest.mark.parametrize("username, view", [(OUTSIDER, 404), (CLERK, 200), (ORG, 404)])
def test_others_cannot_set_or_end_posts(client, login, staff, username, view):
    [post] = staff(MULI_POOR, ["technician"])
    login(username)
    response = client.get(VILLAGE)
    assert response.status_code == view
    assert "Set a post" not in response.content.decode()
    client.post(VILLAGE, {"role": "first_secretary", "holder": "张三", "since": "2025-01-01"})
    end = client.post(f"/pairing/village/{MULI_POOR}/posts/{post.pk}/end/")
    assert end.status_code == 404
    assert list(PairingPost.objects.all()) == [post]
    post.refresh_from_db()
    assert post.until is None


def test_the_village_page_is_for_villages(client, login):
    login(COUNTY)
    assert client.get("/pairing/village/513422100/").status_code == 404
    assert client.get("/pairing/village/nowhere/").status_code == 404


def test_officer_adds_and_ends_east_west_pairings(client, login, gov):
    login(COUNTY)
    html = page(client, "/pairing/east-west/")
    assert "No county in this area is paired yet." in html and "Add a pairing" in html
    response = client.post(
        "/pairing/east-west/", {"helper": "hangzhou-gov", "county": "513422", "since": "2024-01-01"}
    )
    assert response.status_code == 302
    pairing = RegionPairing.objects.get()
    html = page(client, "/pairing/east-west/")
    assert "Hangzhou Municipal Government" in html and "data-confirm=" in html
    assert (
        client.post(f"/pairing/east-west/{pairing.pk}/end/", {"region": "513422"}).url
        == "/pairing/east-west/?region=513422"
    )
    pairing.refresh_from_db()
    assert pairing.until == date.today()


def test_east_west_form_rejects_other_helpers_and_counties(client, login, gov):
    login(COUNTY)
    client.post(
        "/pairing/east-west/", {"helper": "lsfund", "county": "513401", "since": "2024-01-01"}
    )
    assert not RegionPairing.objects.exists()


@pytest.mark.parametrize("username, listed", [(OUTSIDER, False), (CLERK, False), (ORG, None)])
def test_others_cannot_add_or_end_east_west_pairings(client, login, pairing, username, listed):
    login(username)
    response = client.get("/pairing/east-west/")
    assert response.status_code == (404 if listed is None else 200)
    html = response.content.decode()
    assert f"/pairing/east-west/{pairing.pk}/end/" not in html and "对口支援" not in html
    assert ("Add a pairing" in html) == (username == OUTSIDER)  # for Xichang only
    assert client.get("/pairing/east-west/?region=513422").status_code == 404
    client.post(
        "/pairing/east-west/", {"helper": "hangzhou-gov", "county": "513422", "since": "2025-01-01"}
    )
    assert client.post(f"/pairing/east-west/{pairing.pk}/end/").status_code == 404
    assert RegionPairing.objects.get().until is None


def test_the_city_sees_pairings_of_its_counties(client, login, pairing):
    login("city-513400")
    assert "Hangzhou" in page(client, "/pairing/east-west/")


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/pairing/"),
        ("get", VILLAGE),
        ("post", VILLAGE),
        ("post", f"/pairing/village/{MULI_POOR}/posts/1/end/"),
        ("get", "/pairing/east-west/"),
        ("post", "/pairing/east-west/"),
        ("post", "/pairing/east-west/1/end/"),
    ],
)
def test_anonymous_users_are_sent_to_log_in(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
