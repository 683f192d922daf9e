"""The projects API: a project from start to close, errors by field and index, households
only for those who may see them, and scope for every endpoint."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from upload_files import image_bytes

from aidbridge.accounts.models import ApiToken, User
from aidbridge.projects import services
from aidbridge.projects.models import Project

pytestmark = pytest.mark.django_db
COUNTY, ORG = "county-513422", "org-lsfund"
SIGNED = "2026-03-01"


def ok(response, status=200) -> dict:
    assert response.status_code == status, response.json()
    return response.json()


def test_a_project_through_the_api(api, client, helpers, make_household, file_need):
    make_household("A-1", status="poor")
    need = file_need(household_number="A-1")
    made = ok(
        api(
            ORG,
            "post",
            "/projects",
            {"title": "助学圆梦", "region": "513422", "initiator": "foshan-gov"},
        ),
        201,
    )
    pid = made["id"]
    assert (made["stage"], made["initiator_code"], made["initiator_kind"]) == (
        "mining",
        "lsfund",
        "organization",
    )
    assert made["typology"]["value"] == "organization_providing"
    assert made["participation_form"]["reasons"][-1]["code"] == "missing_pledges"
    assert len(made["missing"]) == 2
    # The foundation cannot see the draft need or the household: the county links them.
    ok(
        api(
            COUNTY,
            "post",
            f"/projects/{pid}/links",
            {"needs": [str(need.public_id)], "households": ["A-1"]},
        )
    )
    note = ok(api(ORG, "post", f"/projects/{pid}/notes", {"text": "学费负担重"}), 201)
    assert note["by"] == ORG
    assert ok(api(ORG, "post", f"/projects/{pid}/advance", {}))["stage"] == "raising"
    target = ok(
        api(
            ORG,
            "post",
            f"/projects/{pid}/targets",
            {"label": "助学金", "kind": "money", "amount": 7_000_000},
        ),
        201,
    )
    assert (target["amount"], target["raised"], target["unit"]) == (7_000_000, 0, "")
    ok(
        api(ORG, "post", f"/projects/{pid}/pledges", {"target": target["id"], "amount": 6_000_000}),
        201,
    )  # default: their own helper
    pledge = ok(
        api(
            ORG,
            "post",
            f"/projects/{pid}/pledges",
            {
                "target": target["id"],
                "helper": "donor-demo",
                "amount": 1_000_000,
                "pledged_on": SIGNED,
            },
        ),
        201,
    )
    assert (pledge["helper_code"], pledge["pledged_on"]) == ("donor-demo", SIGNED)
    ok(
        api(
            ORG,
            "post",
            f"/projects/{pid}/partners",
            {
                "role": "government",
                "name": "木里县教育局",
                "agreement_reference": "木教协3号",
                "agreement_on": SIGNED,
                "since": SIGNED,
            },
        ),
        201,
    )
    partner = ok(
        api(ORG, "post", f"/projects/{pid}/partners", {"role": "beneficiary", "name": "家长代表"}),
        201,
    )
    assert partner["helper_code"] is None and partner["agreement_on"] is None
    found = ok(api(ORG, "post", f"/projects/{pid}/advance", {}))
    assert found["stage"] == "executing" and found["missing"]
    assert found["typology"]["value"] == "organization_driven"
    assert found["participation_form"]["value"] == "self_funded_with_beneficiaries"
    reason = found["typology"]["reasons"][1]
    assert (reason["code"], reason["params"]) == (
        "government_agreement",
        {"name": "木里县教育局", "date": SIGNED},
    )
    assert reason["text"]
    assert found["targets"][0]["raised"] == 7_000_000
    milestone = ok(
        api(ORG, "post", f"/projects/{pid}/milestones", {"title": "发放", "due": SIGNED}), 201
    )
    done = ok(upload(client, ORG, milestone["id"]))
    assert done["has_evidence"] is True and done["done_on"] == SIGNED
    closed = ok(api(ORG, "post", f"/projects/{pid}/advance", {}))
    assert closed["stage"] == "closed" and len(closed["missing"]) == 1  # "closed"
    # The foundation sees the household only as a count; the county sees its number.
    assert (closed["households"], closed["households_linked"]) == ([], 1)
    assert closed["needs"] == [] and closed["needs_linked"] == 1
    county = ok(api(COUNTY, "get", f"/projects/{pid}"))
    assert county["households"] == ["A-1"] and county["needs"] == [str(need.public_id)]
    assert [p["stage"] for p in ok(api(COUNTY, "get", "/projects?stage=closed"))["items"]] == [
        "closed"
    ]
    history = ok(api(COUNTY, "get", f"/projects/{pid}/history"))
    # The project's own: created, its needs and households linked, three stages.
    assert len([h for h in history if h["record"] is None]) == 6
    assert {h["record"].split(" ")[0] for h in history if h["record"]} >= {"合作方", "里程碑"}


def upload(client, username, milestone_id):
    """Record a milestone done with evidence, as multipart with ``username``'s token."""
    _token, raw = ApiToken.issue(User.objects.get(username=username))
    return client.post(
        f"/api/v1/projects/milestones/{milestone_id}/done",
        {"evidence": SimpleUploadedFile("r.jpg", image_bytes()), "done_on": SIGNED},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_errors_name_the_field_and_the_index(api, start, helpers):
    pid = start().public_id
    bad = api(
        COUNTY, "post", f"/projects/{pid}/links", {"needs": ["nope"], "households": ["X-1", "X-2"]}
    )
    assert bad.status_code == 422
    assert [(e["field"], e["row"]) for e in bad.json()["errors"]] == [
        ("needs", 0),
        ("households", 0),
        ("households", 1),
    ]
    bad = api(
        COUNTY, "post", "/projects", {"title": "", "region": "513422", "initiator": "donor-demo"}
    )
    assert {e["field"] for e in bad.json()["errors"]} == {"title", "initiator"}
    assert (
        api(COUNTY, "post", "/projects", {"title": "x", "region": "nowhere"}).json()["errors"][0][
            "field"
        ]
        == "region"
    )
    assert (
        api(
            COUNTY, "post", "/projects", {"title": "x", "region": "513422", "initiator": "nobody"}
        ).json()["errors"][0]["field"]
        == "initiator"
    )
    bad = api(
        COUNTY,
        "post",
        f"/projects/{pid}/pledges",
        {"target": "00000000-0000-0000-0000-000000000000", "amount": 5},
    )
    assert bad.json()["errors"][0]["field"] == "target"
    bad = api(
        COUNTY,
        "post",
        f"/projects/{pid}/targets",
        {"label": "棉被", "kind": "material", "amount": 0},
    )
    assert {e["field"] for e in bad.json()["errors"]} == {"amount", "unit"}
    bad = api(COUNTY, "post", f"/projects/{pid}/advance", {})
    assert {e["field"] for e in bad.json()["errors"]} == {"stage"}
    assert api(COUNTY, "get", "/projects?region=nowhere").status_code == 422


def test_scope_of_every_endpoint(api, client, start, helpers, bring, user):
    project = bring(start(), "executing")
    pid = project.public_id
    target = project.targets.get()
    milestone = services.milestone_add(
        by=user(COUNTY), project=project, title="m", due=date(2026, 3, 1)
    ).public_id
    writes = [
        ("post", f"/projects/{pid}/links", {"households": []}),
        ("post", f"/projects/{pid}/unlink", {"households": []}),
        ("post", f"/projects/{pid}/notes", {"text": "x"}),
        ("post", f"/projects/{pid}/targets", {"label": "x", "kind": "money", "amount": 1}),
        (
            "post",
            f"/projects/{pid}/pledges",
            {"target": str(target.public_id), "helper": "lsfund", "amount": 1},
        ),
        ("post", f"/projects/{pid}/partners", {"role": "expert", "name": "x"}),
        ("post", f"/projects/{pid}/milestones", {"title": "x", "due": SIGNED}),
        ("post", f"/projects/{pid}/advance", {}),
    ]
    reads = [("get", f"/projects/{pid}", None), ("get", f"/projects/{pid}/history", None)]
    # Outside the county, a township it serves no one in, or a helper with no part in it: as
    # if it did not exist.
    for outsider in ("county-513401", "township-513422101", "donor-demo"):
        for method, path, body in reads + writes:
            assert api(outsider, method, path, body).status_code == 404, (outsider, path)
        assert ok(api(outsider, "get", "/projects"))["items"] == []
        assert upload(client, outsider, milestone).status_code == 404, outsider
    # Region users of the area, and those below whose household it serves, read it but do
    # not write; supervisors read its history.
    for reader in (
        "city-513400",
        "supervisor-513400",
        "social_worker-513422",
        "township-513422100",
        "clerk-513422100001",
    ):
        assert ok(api(reader, "get", f"/projects/{pid}"))["id"] == str(pid)
        assert [p["id"] for p in ok(api(reader, "get", "/projects"))["items"]] == [str(pid)]
        for method, path, body in writes:
            assert api(reader, method, path, body).status_code == 403, (reader, path)
        assert upload(client, reader, milestone).status_code == 403
    assert api("supervisor-513400", "get", f"/projects/{pid}/history").status_code == 200
    assert api("social_worker-513422", "get", f"/projects/{pid}/history").status_code == 403
    # The partner's staff (org-lsfund) see it and pledge for themselves, nothing else.
    assert ok(api(ORG, "get", f"/projects/{pid}"))["households"] == []
    assert [p["id"] for p in ok(api(ORG, "get", "/projects"))["items"]] == [str(pid)]
    for method, path, body in writes:
        expected = 201 if path.endswith("/pledges") else 403
        assert api(ORG, method, path, body).status_code == expected, path
    assert api(ORG, "get", f"/projects/{pid}/history").status_code == 403
    assert upload(client, ORG, milestone).status_code == 403
    assert upload(client, COUNTY, milestone).json()["has_evidence"] is True
    # A clerk may not start a project above the village; nobody anonymous gets anything.
    assert (
        api(
            "clerk-513422100001", "post", "/projects", {"title": "x", "region": "513422"}
        ).status_code
        == 403
    )
    assert api(None, "get", "/projects").status_code == 401
    assert api(None, "get", f"/projects/{pid}").status_code == 401
    assert Project.objects.count() == 1
