"""The plans' API: list and detail in the caller's scope, drafting, publishing, drawing and
closing for planners (403 for others who see the plan, 404 for those who do not), errors
naming their field, and the public draw equal to `aidbridge supervision draw-file`."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from aidbridge.supervision import draw
from aidbridge.supervision.models import Plan, PlanStatus

pytestmark = pytest.mark.django_db

LOTTERY = "2026141: 03 08 14 21 27 30 + 11"


@pytest.fixture
def households(make_household):
    made = [make_household(f"A-{n}", sequence=n) for n in range(1, 6)]
    made += [make_household(f"B-{n}", "513422101200", sequence=20 + n) for n in range(1, 4)]
    return made


def body(**changes):
    return {
        "title": "2026 household visits",
        "year": 2026,
        "region": "513422",
        "kind": "household",
        "strata": "township",
        "size": 2,
        "visit_by": "2026-12-20",
        "public_source": "China Welfare Lottery, issue 2026141",
        "inspectors": [
            {"username": "supervisor-513400"},
            {"username": "auditor-513400"},
            {"username": "township-513422100"},
        ],
    } | changes


def test_a_planner_drafts_publishes_and_draws(api, households):
    made = api("supervisor-513400", "post", "/supervision/plans", body())
    assert made.status_code == 201, made.json()
    plan = made.json()
    assert plan["status"] == "draft" and plan["seed"] == ""
    pool = [(m["pseudonym"], m["username"], m["home_code"]) for m in plan["inspectors"]]
    assert pool == [
        ("I01", "supervisor-513400", None),
        ("I02", "auditor-513400", None),
        ("I03", "township-513422100", "513422100"),  # default: their own township
    ]
    assert {s["key"]: s["frame"] for s in plan["strata_detail"]} == {
        "513422100": 5,
        "513422101": 3,
    }
    url = f"/supervision/plans/{plan['id']}"
    published = api("supervisor-513400", "post", f"{url}/publish", {}).json()
    assert published["status"] == "published" and len(published["frame_sha256"]) == 64
    drawn = api("supervisor-513400", "post", f"{url}/draw", {"public_value": LOTTERY}).json()
    assert drawn["status"] == "drawn"
    assert drawn["seed"] == draw.seed_from(published["frame_sha256"], LOTTERY)
    assert [len(s["sample"]) for s in drawn["strata_detail"]] == [2, 2]
    assert drawn["results"] == {
        "visits": 4,
        "visits_done": 0,
        "findings": {},
        "orders": 0,
        "orders_closed": 0,
    }
    closed = api("supervisor-513400", "post", f"{url}/close", {})
    assert closed.json()["status"] == "closed"


def test_the_list_is_scoped_and_filtered(api, households):
    made = api("supervisor-513400", "post", "/supervision/plans", body()).json()
    listed = api("county-513422", "get", "/supervision/plans").json()["items"]
    assert [p["id"] for p in listed] == [made["id"]]
    assert api("county-513401", "get", "/supervision/plans").json()["items"] == []
    assert api("clerk-513422100001", "get", "/supervision/plans").status_code == 404
    drawn = api("county-513422", "get", "/supervision/plans?status=drawn").json()
    assert drawn["items"] == []
    detail = api("county-513422", "get", f"/supervision/plans/{made['id']}").json()
    assert detail["inspectors"][0]["username"] == "supervisor-513400"  # a planner here
    seen = api("township-513422100", "get", f"/supervision/plans/{made['id']}").json()
    assert [m["username"] for m in seen["inspectors"]] == [None, None, None]
    assert api("county-513401", "get", f"/supervision/plans/{made['id']}").status_code == 404


def test_others_are_refused(api, households):
    plan = api("supervisor-513400", "post", "/supervision/plans", body()).json()
    url = f"/supervision/plans/{plan['id']}"
    assert api("township-513422100", "post", f"{url}/publish", {}).status_code == 403
    assert api("county-513401", "post", f"{url}/publish", {}).status_code == 404
    assert (
        api("county-513422", "post", "/supervision/plans", body(region="513400")).status_code == 403
    )
    assert api("township-513422100", "post", "/supervision/plans", body()).status_code == 403
    assert Plan.objects.get().status == PlanStatus.DRAFT


def test_errors_name_their_field(api, households):
    answer = api("supervisor-513400", "post", "/supervision/plans", body(size=None))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["size"]
    members = [{"username": "supervisor-513400"}, {"username": "clerk-513422100001"}]
    answer = api("supervisor-513400", "post", "/supervision/plans", body(inspectors=members))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["inspectors.1.username"]
    members = [{"username": "supervisor-513400"}, {"username": "auditor-513400", "home": "x"}]
    answer = api("supervisor-513400", "post", "/supervision/plans", body(inspectors=members))
    assert [e["field"] for e in answer.json()["errors"]] == ["inspectors.1.home"]
    answer = api("supervisor-513400", "post", "/supervision/plans", body(region="999999"))
    assert [e["field"] for e in answer.json()["errors"]] == ["region"]
    assert not Plan.objects.exists()
    plan = api("supervisor-513400", "post", "/supervision/plans", body()).json()
    url = f"/supervision/plans/{plan['id']}"
    answer = api("supervisor-513400", "post", f"{url}/draw", {"public_value": LOTTERY})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "status"


def test_the_public_draw_is_the_draw_file(api, client, households):
    plan = api("supervisor-513400", "post", "/supervision/plans", body()).json()
    url = f"/supervision/plans/{plan['id']}"
    public = f"/portal/supervision/plans/{plan['id']}/draw"
    assert api(None, "get", public).status_code == 404  # a draft is not public
    api("supervisor-513400", "post", f"{url}/publish", {})
    api("supervisor-513400", "post", f"{url}/draw", {"public_value": LOTTERY})
    answer = api(None, "get", public)
    assert answer.status_code == 200
    out = StringIO()
    call_command("supervision", "draw-file", plan["id"], stdout=out)
    assert answer.json() == json.loads(out.getvalue())
    assert draw.verify(answer.json()) == []
