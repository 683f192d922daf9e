"""The donations API and the ledger's public API: offer, receive, the receipt's proof file,
checking it without logging in, and who sees a donation."""

import pytest

from aidbridge.ledger.proofs import consistency_verify
from aidbridge.ledger.services import checkpoint_make
from tests.conftest import CAST


@pytest.fixture
def offered(api, project, helpers):
    response = api(
        "donor-demo",
        "post",
        "/donations",
        {
            "target": str(project.money.public_id),
            "recipient": "lsfund",
            "value": 66_600,
        },
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_donation_goes_from_offer_to_a_receipt_that_the_public_api_checks(api, offered, staff):
    assert offered["status"] == "offered" and offered["serial"] is None
    received = api("org-lsfund", "post", f"/donations/{offered['id']}/receive", {}).json()
    assert received["status"] == "received" and received["serial"].startswith("lsfund-")
    assert received["recipient_registration_number"].startswith("DEMO-")
    path = f"/donations/{offered['id']}/receipt"
    assert api("donor-demo", "get", path).status_code == 422  # no checkpoint yet
    checkpoint_make()
    receipt = api("donor-demo", "get", path).json()
    verdict = api(None, "post", "/portal/ledger/verify", receipt).json()
    assert verdict == {
        "ok": True,
        "seq": received["entry"],
        "checkpoint_size": received["entry"],
        "published": True,
        "problem": "",
    }
    receipt["entry"]["memo"] = "changed"
    verdict = api(None, "post", "/portal/ledger/verify", receipt).json()
    assert verdict["ok"] is False and verdict["problem"]
    assert (
        api(None, "get", "/portal/ledger/checkpoints").json()["items"][0]["size"]
        == (received["entry"])
    )
    assert api(None, "get", "/portal/ledger/key").json()["verifier_key"]


def test_a_wrong_offer_names_its_field(api, project):
    response = api(
        "donor-demo",
        "post",
        "/donations",
        {
            "target": str(project.goods.public_id),
            "recipient": "nobody",
            "value": 0,
        },
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields >= {"recipient", "value", "quantity", "goods"}


@pytest.mark.parametrize("username", ["county-513422", "clerk-513422100001", None])
def test_outsiders_neither_see_nor_confirm_a_donation(api, offered, username):
    assert api(username, "get", f"/donations/{offered['id']}").status_code in {401, 404}
    assert api(username, "post", f"/donations/{offered['id']}/receive", {}).status_code in {
        401,
        404,
    }
    if username:
        assert api(username, "get", "/donations").json()["items"] == []


@pytest.mark.parametrize("username", CAST)
def test_who_may_cancel_an_offer(api, offered, username):
    """The donor's and the recipient's staff cancel an offered donation. The admin sees it
    but cancels nothing in a helper's name; nobody else sees it."""
    response = api(username, "post", f"/donations/{offered['id']}/cancel")
    if username in ("donor-demo", "org-lsfund"):
        assert response.status_code == 200 and response.json()["status"] == "cancelled"
    else:
        assert response.status_code == (403 if username == "admin" else 404)
        assert api("donor-demo", "get", f"/donations/{offered['id']}").json()["status"] == (
            "offered"
        )


def test_the_donor_may_not_confirm_its_own_offer(api, offered):
    assert api("donor-demo", "post", f"/donations/{offered['id']}/receive", {}).status_code == 403


def test_the_honour_roll_is_public_in_the_api_and_on_the_portal(api, client, project, staff):
    for value, honour in ((12_300, True), (99_900, False)):
        offer = api(
            "donor-demo",
            "post",
            "/donations",
            {
                "target": str(project.money.public_id),
                "recipient": "lsfund",
                "value": value,
                "honour": honour,
                "honour_name": "一位老师" if honour else "",
            },
        ).json()
        api("org-lsfund", "post", f"/donations/{offer['id']}/receive", {})
    expected = [{"name": "一位老师", "total": 12_300}]
    assert api(None, "get", "/portal/honour").json() == expected
    assert api(None, "get", f"/portal/honour?project={project.public_id}").json() == expected
    page = client.get("/portal/honour/").content.decode()
    assert "一位老师" in page and "123" in page and "爱心人士" not in page


def test_an_older_checkpoint_is_proven_to_be_extended_by_the_latest(api, client, offered, staff):
    api("org-lsfund", "post", f"/donations/{offered['id']}/receive", {})
    old = checkpoint_make().size
    gift = {
        "target": offered["target_id"],
        "recipient": "lsfund",
        "value": 5,
        "donor": "ls-yi-embroidery",
    }
    second = api("org-lsfund", "post", "/donations", gift).json()
    api("org-lsfund", "post", f"/donations/{second['id']}/receive", {})
    new = checkpoint_make().size
    link = f"/api/v1/portal/ledger/consistency?old={old}"
    assert link in client.get("/portal/ledger/").content.decode()
    checked = consistency_verify(api(None, "get", f"/portal/ledger/consistency?old={old}").json())
    assert (checked[0].size, checked[1].size) == (old, new) and old < new
