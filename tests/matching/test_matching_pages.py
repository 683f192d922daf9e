"""The matching pages: a round run, reviewed and sent by an officer and accepted by a helper
through the web; offers managed by helpers; the gaps report; and who sees which page."""

import pytest

from aidbridge.matching import services
from aidbridge.matching.models import Offer, ProposalStatus, Round
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_round_is_run_reviewed_sent_and_accepted_through_the_pages(
    client, login, need, django_capture_on_commit_callbacks, helper_staff, deadline
):
    wanted = need("住院", 3000, urgency=5)
    need("学费", 800, category="education")
    client.force_login(helper_staff)
    client.post(
        "/matching/offers/new/",
        {"title": "冬季救助", "capacity": "2500", "categories": ["health"], "regions": "513422"},
    )
    offer = Offer.objects.get(title="冬季救助")
    login("county-513422")
    assert 'name="region"' in text(client.get("/matching/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/matching/", {"region": "513422"})
    found = Round.objects.get()
    assert response.url == f"/matching/rounds/{found.public_id}/"
    page = text(client.get(response.url))
    assert "冬季救助" in page and "2,500" in page
    assert "学费" in page and "No open offer takes this category" in page
    assert "住院" in text(client.get(f"{response.url}?offer={offer.public_id}"))
    client.post(f"/matching/rounds/{found.public_id}/act/", {"action": "send"})
    found.refresh_from_db()
    assert found.status == "sent"
    client.force_login(helper_staff)
    page = text(client.get("/matching/proposals/"))
    proposal = found.proposals.get()
    assert "住院" in page and f"/matching/proposals/{proposal.public_id}/answer/" in page
    client.post(
        f"/matching/proposals/{proposal.public_id}/answer/",
        {"action": "accept", "deliver_by": deadline.isoformat()},
    )
    proposal.refresh_from_db()
    wanted.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and wanted.claimed == 2500
    assert "Accepted" in text(client.get("/matching/proposals/"))


def test_the_offer_form_names_the_wrong_fields(client, helper_staff):
    client.force_login(helper_staff)
    page = text(
        client.post("/matching/offers/new/", {"title": "x", "capacity": "0", "regions": "999999"})
    )
    assert "Unknown region codes: 999999" in page
    assert page.count('class="error"') >= 3  # capacity, categories, regions
    assert not Offer.objects.exists()


def test_helpers_change_and_close_their_offers(client, helper_staff, offer):
    mine = offer(1000)
    client.force_login(helper_staff)
    client.post(
        f"/matching/offers/{mine.public_id}/",
        {
            "title": "改名",
            "capacity": "1500",
            "categories": ["health", "living"],
            "regions": "513422 513401",
        },
    )
    client.post(f"/matching/offers/{mine.public_id}/open/", {"open": "0"})
    mine.refresh_from_db()
    assert (mine.title, mine.capacity, mine.categories, mine.is_open) == (
        "改名",
        1500,
        ["health", "living"],
        False,
    )
    assert sorted(r.code for r in mine.regions.all()) == ["513401", "513422"]


def test_who_sees_which_page(client, login, helper_staff, offer, run_round, need, user):
    mine = offer(1000)
    need("需", 500)
    found = run_round()
    login("county-513401")  # another county
    assert client.get(f"/matching/rounds/{found.public_id}/").status_code == 404
    assert client.get(f"/matching/offers/{mine.public_id}/").status_code == 404
    login("township-513422100")  # the round covers more than the township
    assert client.get(f"/matching/rounds/{found.public_id}/").status_code == 404
    login("supervisor-513400")
    page = text(client.get(f"/matching/rounds/{found.public_id}/"))
    assert "Liangshan Rural" in page and "Send to helpers" not in page
    login("township-513422100")
    assert 'name="title"' not in text(client.get(f"/matching/offers/{mine.public_id}/"))
    login("donor-demo")  # acts for no helper
    assert client.get("/matching/proposals/").status_code == 404
    assert client.get("/matching/gaps/").status_code == 404
    assert client.get(f"/matching/rounds/{found.public_id}/").status_code == 404
    client.force_login(helper_staff)
    assert client.get("/matching/").url == "/matching/proposals/"
    assert (
        client.post(f"/matching/rounds/{found.public_id}/act/", {"action": "send"}).status_code
        == 404
    )
    login("clerk-513422100001")
    assert 'name="region"' not in text(client.get("/matching/"))  # sees rounds, runs none
    login("county-513422")
    assert client.get("/matching/offers/new/").status_code == 404  # acts for no helper
    client.post(f"/matching/offers/{mine.public_id}/open/", {"open": "0"})
    mine.refresh_from_db()
    assert mine.is_open  # only the helper's staff may close it
    services.round_send(by=user("county-513422"), found=found)
    login("donor-demo")
    proposal = found.proposals.get()
    assert (
        client.post(
            f"/matching/proposals/{proposal.public_id}/answer/",
            {"action": "decline", "reason": "x"},
        ).status_code
        == 404
    )


def test_the_gaps_page(client, login, need, make_household):
    need("心理辅导", 600, category="psychology")
    login("county-513422")
    page = text(client.get("/matching/gaps/"))
    assert "Qiaowa Town" in page and "600" in page
    assert "No household here was aided twice" in page
    login("county-513401")
    assert client.get("/matching/gaps/?region=513422").status_code == 404


def test_an_officer_makes_a_verified_helper_a_hub(client, login, helper_staff):
    helper = helper_staff.organization
    helper.region = Region.objects.get(code="513422")
    helper.save()
    login("county-513401")  # another county
    client.post(f"/helpers/{helper.code}/hub/", {"hub": "1"})
    helper.refresh_from_db()
    assert not helper.hub
    login("county-513422")
    assert "Make a coordinating hub" in text(client.get(f"/helpers/{helper.code}/"))
    client.post(f"/helpers/{helper.code}/hub/", {"hub": "1"})
    helper.refresh_from_db()
    assert helper.hub
