"""The matching API: offers, a round from start to accepted claim, errors by field, and scope
for every endpoint."""

import pytest

from aidbridge.matching.models import Round

pytestmark = pytest.mark.django_db
ORG, COUNTY = "org-lsfund", "county-513422"


def test_a_round_through_the_api(
    api, need, helper_staff, django_capture_on_commit_callbacks, deadline
):
    wanted = need("住院", 2000, urgency=5)
    need("种苗", 900, category="agriculture")
    made = api(
        ORG,
        "post",
        "/offers",
        {"title": "基金", "capacity": 1500, "categories": ["health"], "regions": ["513422"]},
    )
    assert made.status_code == 201, made.json()
    offer = made.json()
    assert (offer["capacity"], offer["free"], offer["regions"]) == (1500, 1500, ["513422"])
    with django_capture_on_commit_callbacks(execute=True):
        started = api(COUNTY, "post", "/matching/rounds", {"region": "513422"})
    assert started.status_code == 201 and started.json()["job_id"]
    round_id = started.json()["id"]
    found = api(COUNTY, "get", f"/matching/rounds/{round_id}").json()
    assert found["status"] == "proposed" and found["summary"]["allocated"] == 1500
    [short_health, short_farm] = sorted(
        api(COUNTY, "get", f"/matching/rounds/{round_id}/shortfalls").json()["items"],
        key=lambda s: s["missing"],
    )
    assert (short_health["missing"], short_health["reason"]) == (500, "used_up")
    assert (short_farm["missing"], short_farm["reason"]) == (900, "no_offer")
    assert api(COUNTY, "post", f"/matching/rounds/{round_id}/send").json()["status"] == "sent"
    [proposal] = api(ORG, "get", "/matching/proposals?status=sent").json()["items"]
    assert (proposal["amount"], proposal["weight"]) == (1500, 5 + 2)
    accepted = api(
        ORG,
        "post",
        f"/matching/proposals/{proposal['id']}/accept",
        {"deliver_by": deadline.isoformat()},
    )
    assert accepted.json()["status"] == "accepted" and accepted.json()["claim_id"]
    wanted.refresh_from_db()
    assert wanted.claimed == 1500
    held = api(ORG, "get", f"/offers/{offer['id']}").json()
    assert (held["held"], held["free"]) == (1500, 0)


def test_errors_name_the_field(api, helper_staff):
    bad = api(
        ORG, "post", "/offers", {"title": "", "capacity": -5, "categories": [], "regions": ["999"]}
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"regions"}
    bad = api(
        ORG,
        "post",
        "/offers",
        {"title": "", "capacity": -5, "categories": ["gold"], "regions": ["513422"]},
    )
    assert {e["field"] for e in bad.json()["errors"]} == {"title", "capacity", "categories"}
    assert (
        api(COUNTY, "post", "/matching/rounds", {"region": "nowhere"}).json()["errors"][0]["field"]
        == "region"
    )


def test_scope_of_every_endpoint(api, need, offer, run_round, helper_staff, deadline):
    mine = offer(1000)
    need("需", 500)
    found = run_round()
    rid, oid = found.public_id, mine.public_id
    # Another county sees neither the round nor the offer, and may not act on them.
    outsider = "county-513401"
    for method, path in [
        ("get", f"/matching/rounds/{rid}"),
        ("get", f"/matching/rounds/{rid}/proposals"),
        ("get", f"/matching/rounds/{rid}/shortfalls"),
        ("post", f"/matching/rounds/{rid}/send"),
        ("post", f"/matching/rounds/{rid}/discard"),
        ("get", f"/offers/{oid}"),
    ]:
        assert api(outsider, method, path).status_code == 404, path
    assert api(outsider, "get", "/matching/rounds").json()["items"] == []
    assert api(outsider, "post", "/matching/rounds", {"region": "513422"}).status_code == 403
    assert (
        api(
            "clerk-513422100001", "post", "/matching/rounds", {"region": "513422100001"}
        ).status_code
        == 403
    )
    # The helper sees no draft proposals, may not send, and other staff may not patch.
    assert api(ORG, "get", "/matching/proposals").json()["items"] == []
    assert api(ORG, "get", f"/matching/rounds/{rid}").status_code == 404
    assert api("donor-demo", "patch", f"/offers/{oid}", {"capacity": 5}).status_code == 404
    assert api(COUNTY, "patch", f"/offers/{oid}", {"capacity": 5}).status_code == 403
    assert api(ORG, "patch", f"/offers/{oid}", {"is_open": False}).json()["is_open"] is False
    # Gaps: region users only, within their scope.
    assert api(ORG, "get", "/matching/gaps").status_code == 404
    assert api(outsider, "get", "/matching/gaps?region=513422").status_code == 404
    assert api(COUNTY, "get", "/matching/gaps").status_code == 200
    api(COUNTY, "post", f"/matching/rounds/{rid}/send")
    proposal = found.proposals.get()
    assert (
        api(
            "donor-demo",
            "post",
            f"/matching/proposals/{proposal.public_id}/accept",
            {"deliver_by": deadline.isoformat()},
        ).status_code
        == 404
    )
    assert api(None, "get", "/matching/rounds").status_code == 401
    assert Round.objects.count() == 1
