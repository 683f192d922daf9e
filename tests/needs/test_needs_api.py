"""The needs and claims API: the whole loop, errors by field, scope and permissions, and no
personal data of the household in a need."""

import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from upload_files import image_bytes

from aidbridge.accounts.models import ApiToken, User
from aidbridge.helpers.models import Organization
from aidbridge.regions.models import Region
from aidbridge.registry import idcard

pytestmark = pytest.mark.django_db
CLERK, TOWNSHIP, COUNTY = "clerk-513422100001", "township-513422100", "county-513422"
OUTSIDER, ORG, DONOR = "county-513401", "org-lsfund", "donor-demo"
HEAD = "阿依莫日色"  # a name that appears nowhere else
HEAD_ID = idcard.generate(region_code="513422", birth_date=date(1970, 1, 1), sex="male", sequence=1)
SOON = (date.today() + timedelta(days=10)).isoformat()


def call(client, username, method, path, body=None, *, form=False):
    """``method`` on /api/v1``path`` as ``username`` (None: anonymous) with a JSON body, or
    a multipart ``form``."""
    auth = {}
    if username:
        _token, raw = ApiToken.issue(User.objects.get(username=username))
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    kwargs = {"content_type": "application/json"} if body is not None and not form else {}
    return getattr(client, method)(f"/api/v1{path}", body, **kwargs, **auth)


def need_body(**data):
    return {
        "kind": "household",
        "region": "513422100001",
        "household_number": "API-N1",
        "category": "health",
        "title": "住院医疗费用",
        "amount": 5000,
        "urgency": 4,
        "deadline": (date.today() + timedelta(days=60)).isoformat(),
        **data,
    }


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def no_personal_data(response):
    assert HEAD not in text(response) and HEAD_ID not in text(response)
    return response


@pytest.fixture
def household(make_household):
    return make_household("API-N1", status="poor", name=HEAD)


@pytest.fixture
def lsfund_in_muli(db):
    """The demo helper, registered in the county whose officer verifies it."""
    Organization.objects.filter(code="lsfund").update(region=Region.objects.get(code="513422"))


def test_the_whole_loop_through_the_api(client, household, lsfund_in_muli):
    def ok(username, method, path, body=None, status=200):
        response = call(client, username, method, path, body)
        assert response.status_code == status, response.content
        return no_personal_data(response).json()

    assert HEAD in text(call(client, CLERK, "get", f"/households/{household.public_id}"))
    need = ok(CLERK, "post", "/needs", need_body(amount=4000), status=201)
    assert (need["status"], need["household_number"]) == ("draft", "API-N1")
    assert (need["region_code"], need["region_name"]) == ("513422100001", "达吉林社区")
    path = f"/needs/{need['id']}"
    assert ok(CLERK, "patch", path, {"amount": 5000, "title": None})["amount"] == 5000
    assert ok(CLERK, "post", f"{path}/submit")["pending_level"] == "township"
    assert ok(TOWNSHIP, "post", f"{path}/review", {"approve": True})["pending_level"] == "county"
    published = ok(COUNTY, "post", f"{path}/review", {"approve": True, "reason": "核实"})
    assert published["status"] == "published"
    assert [r["level"] for r in published["reviews"]] == ["township", "county"]

    assert ok(COUNTY, "post", "/helpers/lsfund/verify")["verified"] is True
    seen_by_helper = ok(ORG, "get", path)
    assert seen_by_helper["household_number"] is None and seen_by_helper["flags"] == []
    claim = ok(
        ORG,
        "post",
        f"{path}/claims",
        {"kind": "money", "amount": 5000, "deliver_by": SOON, "note": "分两次"},
        201,
    )
    assert (claim["status"], claim["helper_code"], claim["unit"]) == ("pledged", "lsfund", "yuan")
    evidence = SimpleUploadedFile("receipt.jpg", image_bytes(), content_type="image/jpeg")
    response = call(
        client,
        ORG,
        "post",
        f"/claims/{claim['id']}/deliver",
        {"evidence": evidence, "note": "已转账"},
        form=True,
    )
    assert response.status_code == 200, response.content
    assert response.json()["has_evidence"] and response.json()["status"] == "delivered"
    confirmed = ok(CLERK, "post", f"/claims/{claim['id']}/confirm", {"note": "户主签字确认"})
    assert confirmed["confirmation_note"] == "户主签字确认"
    assert ok(ORG, "get", f"/claims/{claim['id']}")["confirmation_note"] is None
    assert ok(CLERK, "get", path)["status"] == "fulfilled"
    closed = ok(CLERK, "post", f"{path}/close")
    assert closed["status"] == "closed" and closed["claims"][0]["status"] == "confirmed"
    history = ok(TOWNSHIP, "get", f"{path}/history")
    assert len(history) >= 5 and history[0]["who"]


def test_findings_reach_reviewers_with_their_text_and_need_override_reasons(
    client, household, helper_staff
):
    need = call(client, CLERK, "post", "/needs", need_body(household_number="NOPE")).json()
    path = f"/needs/{need['id']}"
    flags = call(client, CLERK, "post", f"{path}/submit").json()["flags"]
    assert [f["code"] for f in flags] == ["not_in_registry"]
    assert flags[0]["text"] == "本村建档立卡信息中没有该户编号。"  # in the default language
    refused = call(client, TOWNSHIP, "post", f"{path}/review", {"approve": True})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "override.not_in_registry"
    approved = call(
        client,
        TOWNSHIP,
        "post",
        f"{path}/review",
        {"approve": True, "overrides": {"not_in_registry": "新识别户"}},
    ).json()
    assert approved["flags"][0]["override_reason"] == "新识别户"
    call(client, COUNTY, "post", f"{path}/review", {"approve": True})
    assert call(client, ORG, "get", path).json()["flags"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (need_body(amount=0), "amount"),
        (need_body(amount="many"), "amount"),
        (need_body(urgency=9), "urgency"),
        (need_body(region="999"), "region"),
        (need_body(kind="household", household_number=""), "household_number"),
        ({k: v for k, v in need_body().items() if k != "title"}, "title"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, body, field):
    response = call(client, CLERK, "post", "/needs", body)
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == "invalid input"
    assert field in {e["field"] for e in response.json()["errors"]}


def test_claim_and_delivery_errors_name_the_field(client, household, file_need, helper_staff):
    need = file_need(household_number="API-N1", amount=100, publish=True)
    over = call(
        client,
        ORG,
        "post",
        f"/needs/{need.public_id}/claims",
        {"kind": "money", "amount": 101, "deliver_by": SOON},
    )
    assert over.status_code == 422 and over.json()["errors"][0]["field"] == "amount"
    claim = call(
        client,
        ORG,
        "post",
        f"/needs/{need.public_id}/claims",
        {"kind": "money", "amount": 100, "deliver_by": SOON},
    ).json()
    missing = call(client, ORG, "post", f"/claims/{claim['id']}/deliver", {"note": "x"}, form=True)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "evidence"
    reject = call(client, TOWNSHIP, "post", f"/claims/{claim['id']}/cancel", {"reason": " "})
    assert reject.status_code == 422 and reject.json()["errors"][0]["field"] == "reason"


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (CLERK, 200),
        (TOWNSHIP, 200),
        (COUNTY, 200),
        (OUTSIDER, 404),
        (ORG, 404),
        (DONOR, 404),
        (None, 401),
    ],
)
def test_who_sees_a_draft(client, household, file_need, username, expected):
    need = file_need(household_number="API-N1")
    response = call(client, username, "get", f"/needs/{need.public_id}")
    assert response.status_code == expected
    if expected == 200:
        assert no_personal_data(response).json()["household_number"] == "API-N1"
    listed = call(client, username, "get", "/needs")
    if username:
        assert listed.json()["count"] == (1 if expected == 200 else 0)


@pytest.mark.parametrize(
    ("username", "file", "change", "submit"),
    [
        (CLERK, 201, 200, 200),
        (TOWNSHIP, 201, 200, 200),
        (OUTSIDER, 403, 404, 404),
        (ORG, 403, 404, 404),
        (DONOR, 403, 404, 404),
        (None, 401, 401, 401),
    ],
)
def test_who_files_changes_and_submits(
    client, household, file_need, username, file, change, submit
):
    assert call(client, username, "post", "/needs", need_body()).status_code == file
    draft = f"/needs/{file_need(household_number='API-N1').public_id}"
    assert call(client, username, "patch", draft, {"urgency": 5}).status_code == change
    assert call(client, username, "post", f"{draft}/submit").status_code == submit


@pytest.mark.parametrize(
    ("username", "review", "history"),
    [
        (CLERK, 403, 200),
        (TOWNSHIP, 200, 200),
        (COUNTY, 403, 200),
        (OUTSIDER, 404, 404),
        ("social_worker-513422", 403, 403),
        (ORG, 404, 404),
        (DONOR, 404, 404),
        (None, 401, 401),
    ],
)
def test_who_reviews_and_reads_the_history(client, household, file_need, username, review, history):
    need = file_need(household_number="API-N1")
    path = f"/needs/{need.public_id}"
    call(client, CLERK, "post", f"{path}/submit")
    assert call(client, username, "get", f"{path}/history").status_code == history
    assert call(client, username, "post", f"{path}/review", {"approve": True}).status_code == review


@pytest.mark.parametrize(
    ("username", "view", "claim", "withdraw", "close"),
    [
        (CLERK, 200, 403, 200, 422),
        (COUNTY, 200, 403, 200, 422),
        (OUTSIDER, 404, 404, 404, 404),
        (ORG, 200, 201, 403, 403),
        (DONOR, 200, 403, 403, 403),
        (None, 401, 401, 401, 401),
    ],
)
def test_who_claims_withdraws_and_closes_a_published_need(
    client, household, file_need, helper_staff, username, view, claim, withdraw, close
):
    """Registrars may withdraw a need nobody claimed; only a fulfilled need closes (422)."""
    path = f"/needs/{file_need(household_number='API-N1', publish=True).public_id}"
    response = call(client, username, "get", path)
    assert response.status_code == view
    if view == 200:
        no_personal_data(response)
        assert (response.json()["household_number"] is None) == (username in (ORG, DONOR))
    assert (
        call(
            client,
            username,
            "post",
            f"{path}/claims",
            {"kind": "money", "amount": 10, "deliver_by": SOON},
        ).status_code
        == claim
    )
    assert call(client, username, "post", f"{path}/close").status_code == close
    assert (
        call(client, username, "post", f"{path}/withdraw", {"reason": "重复"}).status_code
        == withdraw
    )


@pytest.mark.parametrize(
    ("username", "listed", "view", "deliver", "confirm", "cancel"),
    [
        (CLERK, 1, 200, 200, 200, 422),
        (TOWNSHIP, 1, 200, 200, 200, 422),
        (OUTSIDER, 0, 404, 404, 404, 404),
        (ORG, 1, 200, 200, 403, 422),
        (DONOR, 0, 404, 404, 404, 404),
        (None, None, 401, 401, 401, 401),
    ],
)
def test_who_sees_delivers_confirms_and_cancels_claims(
    client, household, file_need, helper_staff, username, listed, view, deliver, confirm, cancel
):
    need = file_need(household_number="API-N1", publish=True)
    claim = call(
        client,
        ORG,
        "post",
        f"/needs/{need.public_id}/claims",
        {"kind": "materials", "amount": 10, "deliver_by": SOON},
    ).json()
    path = f"/claims/{claim['id']}"
    if listed is not None:
        assert call(client, username, "get", "/claims?status=pledged").json()["count"] == listed
    assert call(client, username, "get", path).status_code == view
    evidence = SimpleUploadedFile("photo.jpg", image_bytes(), content_type="image/jpeg")
    assert (
        call(
            client, username, "post", f"{path}/deliver", {"evidence": evidence}, form=True
        ).status_code
        == deliver
    )
    assert (
        call(client, username, "post", f"{path}/confirm", {"note": "户主确认收到"}).status_code
        == confirm
    )
    assert (
        call(client, username, "post", f"{path}/cancel", {"reason": "预算"}).status_code == cancel
    )


def test_a_helper_cancels_its_pledge_and_sees_only_its_own_claims(
    client, household, file_need, helper_staff
):
    need = file_need(household_number="API-N1", publish=True)
    other = Organization.objects.create(
        code="other", name_zh="另一基金会", kind="foundation", registration_number="X-1"
    )
    rival = User.objects.create(username="org-other", role="org_staff", organization=other)
    Organization.objects.filter(pk=other.pk).update(verified_at=need.published_at)
    mine = call(
        client,
        ORG,
        "post",
        f"/needs/{need.public_id}/claims",
        {"kind": "money", "amount": 10, "deliver_by": SOON},
    ).json()
    call(
        client,
        rival.username,
        "post",
        f"/needs/{need.public_id}/claims",
        {"kind": "money", "amount": 20, "deliver_by": SOON},
    )
    assert [c["id"] for c in call(client, ORG, "get", "/claims").json()["items"]] == [mine["id"]]
    assert [
        c["id"] for c in call(client, ORG, "get", f"/needs/{need.public_id}").json()["claims"]
    ] == [mine["id"]]
    assert len(call(client, CLERK, "get", f"/needs/{need.public_id}").json()["claims"]) == 2
    assert call(client, rival.username, "get", f"/claims/{mine['id']}").status_code == 404
    cancelled = call(client, ORG, "post", f"/claims/{mine['id']}/cancel", {"reason": "预算调整"})
    assert cancelled.json()["status"] == "cancelled"


def test_helpers_see_only_public_needs_and_those_they_claimed(
    client, household, file_need, helper_staff
):
    file_need(household_number="API-N1", title="草稿")
    published = file_need(
        household_number="API-N1", title="已发布", category="education", publish=True
    )
    seen = call(client, ORG, "get", "/needs").json()["items"]
    assert [(n["title"], n["household_number"]) for n in seen] == [("已发布", None)]
    assert [n["title"] for n in call(client, DONOR, "get", "/needs").json()["items"]] == ["已发布"]
    drafts = call(client, CLERK, "get", "/needs?status=draft").json()["items"]
    assert [(n["title"], n["household_number"]) for n in drafts] == [("草稿", "API-N1")]
    found = call(
        client, COUNTY, "get", "/needs?region=513422100&category=education&urgency=4&q=发布"
    ).json()
    assert [n["id"] for n in found["items"]] == [str(published.public_id)]
    assert (
        call(client, COUNTY, "get", "/needs?region=nowhere").json()["errors"][0]["field"]
        == "region"
    )


def test_openapi_describes_needs_claims_and_helpers(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    ours = {
        p: ops
        for p, ops in paths.items()
        if p.startswith(("/api/v1/needs", "/api/v1/claims", "/api/v1/helpers"))
    }
    assert {
        "/api/v1/needs",
        "/api/v1/needs/{need_id}",
        "/api/v1/needs/{need_id}/review",
        "/api/v1/needs/{need_id}/history",
        "/api/v1/needs/{need_id}/claims",
        "/api/v1/claims",
        "/api/v1/claims/{claim_id}/deliver",
        "/api/v1/helpers",
        "/api/v1/helpers/{code}/verify",
    } <= set(ours)
    for path, operations in ours.items():
        for method, operation in operations.items():
            assert operation["summary"], (method, path)
            ok = operation["responses"].get("200") or operation["responses"]["201"]
            assert ok["content"]["application/json"]["schema"], (method, path)


def test_the_loser_of_a_claim_race_gets_422_with_what_is_left(
    api, make_household, file_need, helper_staff
):
    make_household("H-RACE", status="poor")
    need = file_need(household_number="H-RACE", amount=1000, publish=True)
    deliver_by = (date.today() + timedelta(days=5)).isoformat()
    body = {"kind": "money", "amount": 800, "deliver_by": deliver_by}
    first = api("org-lsfund", "post", f"/needs/{need.public_id}/claims", body)
    assert first.status_code == 201, first.content
    second = api("org-lsfund", "post", f"/needs/{need.public_id}/claims", body)
    assert second.status_code == 422
    [error] = second.json()["errors"]
    assert error["field"] == "amount" and " 200 yuan " in error["message"]
    rest = api("org-lsfund", "post", f"/needs/{need.public_id}/claims", {**body, "amount": 200})
    assert rest.status_code == 201
    late = api("org-lsfund", "post", f"/needs/{need.public_id}/claims", {**body, "amount": 1})
    assert late.status_code == 422  # fully claimed: nothing left, said so, not "not allowed"
    assert " 0 yuan " in late.json()["errors"][0]["message"]
    assert (
        api("clerk-513422100001", "post", f"/needs/{need.public_id}/claims", body).status_code
        == 403
    )  # who may not claim at all is still refused
