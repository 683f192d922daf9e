"""The public API of the portal: no login, published needs only, anonymised."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from upload_files import image_bytes

from aidbridge.accounts.models import Role, User
from aidbridge.needs.claims import claim_create
from aidbridge.needs.services import need_document_add
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db
FIELDS = {
    "id",
    "kind",
    "category",
    "title",
    "description",
    "places",
    "urgency",
    "deadline",
    "status",
    "amount",
    "unit",
    "claimed",
    "confirmed",
    "published_at",
}


def test_needs_are_listed_without_login_and_only_when_published(client, publish):
    shown = publish(title="村小学课桌椅", urgency=5)
    hidden = [publish(stop_at=stop) for stop in ("draft", "submitted", "rejected")]
    response = client.get("/api/v1/portal/needs", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and set(body["items"][0]) == FIELDS
    need = body["items"][0]
    assert need["id"] == str(shown.public_id)
    assert [p["code"] for p in need["places"]] == ["513422", "513422100", "513422100001"]
    for other in hidden:
        response = client.get(f"/api/v1/portal/needs/{other.public_id}")
        assert response.status_code == 404 and response.json()["detail"] == "not found"


def test_filters_and_paging_match_the_pages(client, publish):
    for n in range(21):
        publish(title=f"需求{n:02d}", category="living" if n else "housing", urgency=3)
    assert client.get("/api/v1/portal/needs?page=2").json()["count"] == 21
    assert len(client.get("/api/v1/portal/needs?page=2").json()["items"]) == 1
    for query, count in [
        ("category=housing", 1),
        ("urgency=4", 0),
        ("status=open", 21),
        ("status=delivery", 0),
        ("region=513422100", 21),
        ("region=513401", 0),
        ("q=需求07", 1),
    ]:
        assert client.get(f"/api/v1/portal/needs?{query}").json()["count"] == count, query


def test_one_need_with_its_helpers_and_consented_photos(client, publish, helper_staff):
    need = publish(amount=3000)
    claim_create(
        by=helper_staff,
        need=need,
        kind="money",
        amount=1000,
        deliver_by=date.today() + timedelta(days=5),
    )
    photo = need_document_add(
        by=need.created_by,
        need=need,
        is_photo=True,
        public_consent=True,
        file=ContentFile(image_bytes(), name="p.jpg"),
    )
    need_document_add(
        by=need.created_by,
        need=need,
        is_photo=True,
        public_consent=False,
        file=ContentFile(image_bytes(), name="q.jpg"),
    )
    body = client.get(f"/api/v1/portal/needs/{need.public_id}").json()
    assert body["claims"] == [
        {"helper": "凉山乡村振兴公益基金会（演示）", "amount": 1000, "status": "pledged"}
    ]
    assert body["photos"] == [f"/portal/photos/{photo.public_id}/"]
    assert body["claimed"] == 1000 and "household_number" not in body


def test_stats_by_category_and_county(client, publish, helper_staff):
    need = publish(category="housing", amount=10000)
    publish(category="living", amount=500, unit="sets")
    User.objects.create(
        username="township-513401001",
        role=Role.TOWNSHIP,
        region=Region.objects.get(code="513401001"),
    )
    publish(category="living", village="513401001003", by="admin", amount=700)
    publish(stop_at="draft", amount=99999)
    claim_create(
        by=helper_staff,
        need=need,
        kind="money",
        amount=4000,
        deliver_by=date.today() + timedelta(days=5),
    )
    body = client.get("/api/v1/portal/stats").json()
    assert {k: body[k] for k in ("needs", "amount_yuan", "claimed_yuan", "confirmed_yuan")} == {
        "needs": 3,
        "amount_yuan": 10700,
        "claimed_yuan": 4000,
        "confirmed_yuan": 0,
    }
    assert {c["category"]: (c["needs"], c["amount_yuan"]) for c in body["by_category"]} == {
        "housing": (1, 10000),
        "living": (2, 700),
    }
    assert {c["code"]: (c["needs"], c["claimed_yuan"]) for c in body["by_county"]} == {
        "513401": (1, 0),
        "513422": (2, 4000),
    }
    assert client.get("/api/v1/portal/stats?region=513401").json()["needs"] == 1


def test_the_schema_lists_the_public_endpoints_without_security(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/portal/needs", "/api/v1/portal/needs/{need_id}", "/api/v1/portal/stats"):
        assert "security" not in schema["paths"][path]["get"], path
