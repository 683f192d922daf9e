"""The API of inspection visits and orders: record with a client key (again: 200, nothing
twice), problems by field, a finding, the unit's multipart answer, the inspector's verify."""

import uuid

import pytest
from django.test import Client

from aidbridge.accounts.models import ApiToken
from aidbridge.supervision.models import InspectionPhoto, InspectionVisit, RectificationOrder
from tests.supervision.inspect_setup import HOUSEHOLD_ANSWERS, drawn_plan, photo, visit_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(user, region, make_household):
    return visit_in(drawn_plan(user, region, make_household), "513422100001")


def test_record_find_answer_and_verify_through_the_api(api, visit, user):
    inspector = visit.inspectors.order_by("pk").first().username
    path = f"/supervision/visits/{visit.public_id}"
    bad = api(inspector, "post", path, {"answers": {**HOUSEHOLD_ANSWERS, "exit": "maybe"}})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["answers.exit"]
    key = str(uuid.uuid4())
    body = {"answers": HOUSEHOLD_ANSWERS, "client_key": key, "latitude": 28.1, "longitude": 101}
    first = api(inspector, "post", path, body)
    assert first.status_code == 201, first.content
    assert first.json()["answers"]["people"] == 1 and first.json()["latitude"] is None
    again = api(inspector, "post", path, body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert InspectionVisit.objects.filter(client_key=key).count() == 1
    assert api("township-513422101", "get", path).status_code == 404
    listed = api("supervisor-513400", "get", "/supervision/visits?status=done")
    assert [v["id"] for v in listed.json()["items"]] == [str(visit.public_id)]

    made = api(inspector, "post", f"{path}/findings", {"kind": "wrong_exit", "description": "x"})
    assert made.status_code == 201 and made.json()["unit"] == "513422100"
    order = f"/supervision/orders/{made.json()['id']}"
    assert api("county-513422", "post", f"{order}/verify", {"accept": True}).status_code == 403

    token = ApiToken.issue(user("township-513422100"), "t")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    answered = client.post(
        f"/api/v1{order}/answer", {"answer": "已纠正", "evidence": [photo(), photo("b.png")]}
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered" and answered.json()["evidence"] == 2
    done = api(inspector, "post", f"{order}/verify", {"accept": True, "note": "ok"})
    assert done.json()["status"] == "closed"
    assert RectificationOrder.objects.get().closed_by.username == inspector
    assert not InspectionPhoto.objects.exists()
