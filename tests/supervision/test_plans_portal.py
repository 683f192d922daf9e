"""The portal's inspection plans (no login): published plans only, a plan's draw (strata,
samples, inspectors by pseudonym) and its results counted, the JSON file byte for byte what
`aidbridge supervision draw-file` prints, and nothing personal anywhere: no inspector's
name, no household number, name or resident ID, no visit notes or finding texts."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from aidbridge.registry import idcard
from aidbridge.supervision import draw
from aidbridge.supervision.models import (
    Finding,
    FindingKind,
    InspectionVisit,
    OrderStatus,
    RectificationOrder,
    VisitStatus,
)
from aidbridge.supervision.services import plan_draw, plan_publish
from tests.supervision.inspect_setup import household_plan

pytestmark = pytest.mark.django_db

LOTTERY = "2026141: 03 08 14 21 27 30 + 11"
NAMES = ["张秀英", "李建国", "王桂兰", "赵志强", "刘淑珍", "陈德明"]


@pytest.fixture
def households(make_household):
    return [
        make_household(f"LS-{n:04d}", name=name, sequence=n)
        for n, name in enumerate(NAMES, start=1)
    ]


@pytest.fixture
def plan(user, region, households):
    return household_plan(user, region)


def drawn(plan):
    plan = plan_publish(plan=plan, by=plan.created_by)
    return plan_draw(plan=plan, by=plan.created_by, public_value=LOTTERY)


def personal(households) -> list[str]:
    numbers = [h.number for h in households]
    ids = [
        idcard.generate(region_code="513422", birth_date=date(1970, 1, 1), sex="male", sequence=n)
        for n in range(1, len(households) + 1)
    ]
    people = ["supervisor-513400", "auditor-513400", "township-513422100"]
    return numbers + ids + NAMES + people


def test_drafts_are_not_public(client, plan):
    listing = client.get("/portal/supervision/").content.decode()
    assert str(plan.public_id) not in listing and plan.title not in listing
    assert client.get(f"/portal/supervision/plans/{plan.public_id}/").status_code == 404
    assert client.get(f"/portal/supervision/plans/{plan.public_id}/draw.json").status_code == 404


def test_a_published_plan_shows_its_frame_hash_before_the_seed(client, plan):
    plan = plan_publish(plan=plan, by=plan.created_by)
    listing = client.get("/portal/supervision/").content.decode()
    assert plan.title in listing and plan.frame_sha256 in listing
    page = client.get(f"/portal/supervision/plans/{plan.public_id}/")
    assert page.status_code == 200
    assert plan.frame_sha256 in page.content.decode() and not page.context["doc"]["seed"]


def test_the_draw_is_public_and_nothing_personal_is(client, plan, households):
    plan = drawn(plan)
    visit = InspectionVisit.objects.filter(plan=plan).first()
    visit.status, visit.visited_on = VisitStatus.DONE, timezone.localdate()
    visit.notes = f"{NAMES[0]} said the aid came late"
    visit.save()
    finding = Finding.objects.create(
        visit=visit,
        kind=FindingKind.AID_NOT_RECEIVED,
        description=f"{households[0].number}: the subsidy did not arrive",
        created_by=plan.created_by,
    )
    RectificationOrder.objects.create(
        finding=finding, region=visit.region, due=date(2026, 12, 30), status=OrderStatus.CLOSED
    )
    page = client.get(f"/portal/supervision/plans/{plan.public_id}/")
    body = page.content.decode()
    assert plan.seed in body and plan.public_value in body
    doc = page.context["doc"]
    for stratum in doc["strata"]:
        for object_id in stratum["sample"]:
            assert object_id in body
    assert "I01" in body and len(doc["assignments"]) == 3
    results = page.context["results"]
    assert (results.visits, results.done, results.orders, results.orders_closed) == (3, 1, 1, 1)
    assert results.by_kind == {"aid_not_received": 1}
    for text in personal(households) + ["said the aid came late", "did not arrive"]:
        assert text not in body, text
    listing = client.get("/portal/supervision/").content.decode()
    assert plan.seed in listing
    for text in personal(households):
        assert text not in listing, text


def test_the_json_file_is_the_draw_file_and_verifies(client, plan, households):
    plan = drawn(plan)
    response = client.get(f"/portal/supervision/plans/{plan.public_id}/draw.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    out = StringIO()
    call_command("supervision", "draw-file", str(plan.public_id), stdout=out)
    assert response.content.decode() == out.getvalue()
    doc = json.loads(response.content)
    assert draw.verify(doc) == []
    for text in personal(households):
        assert text not in response.content.decode(), text


def test_the_portal_links_to_the_plans(client):
    assert 'href="/portal/supervision/"' in client.get("/portal/").content.decode()
