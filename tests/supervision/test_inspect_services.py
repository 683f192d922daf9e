"""Inspection visits, findings and rectification through the services, on the real
database: problems by field, a resubmission counted once, no position without consent,
only the assigned inspectors record, only the unit answers, returning and closing,
escalation up the region tree and accountability."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.notifications.models import Notification
from aidbridge.supervision.inspections import finding_add, inspection_record
from aidbridge.supervision.models import (
    Accountability,
    InspectionPhoto,
    OrderStatus,
    RectificationOrder,
    VisitStatus,
)
from aidbridge.supervision.orders import (
    accountability_record,
    order_answer,
    order_verify,
    orders_escalate,
)
from tests.supervision.inspect_setup import HOUSEHOLD_ANSWERS, drawn_plan, photo, visit_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(user, region, make_household):
    return drawn_plan(user, region, make_household)


@pytest.fixture
def visit(plan):
    return visit_in(plan, "513422100001")


def inspector(visit):
    return visit.inspectors.order_by("pk").first()


def recorded(visit, **extra):
    return inspection_record(visit=visit, by=inspector(visit), answers=HOUSEHOLD_ANSWERS, **extra)


def test_checklist_problems_are_named_by_field_and_nothing_is_written(visit):
    answers = {**HOUSEHOLD_ANSWERS, "identification": "", "water": "maybe", "colour": "red"}
    with pytest.raises(InvalidInput) as err:
        inspection_record(visit=visit, by=inspector(visit), answers=answers, photos=[photo()])
    fields = {e["field"] for e in err.value.errors}
    assert fields == {"answers.identification", "answers.water", "answers.colour"}
    visit.refresh_from_db()
    assert visit.status == VisitStatus.ASSIGNED and not InspectionPhoto.objects.exists()


def test_a_household_visit_counts_its_registered_people_unless_answered(visit):
    visit = recorded(visit)
    assert visit.answers["people"] == visit.household.size == 1
    assert visit.answers["aid_received"] == "partial" and visit.answers["water"] is True


def test_a_resubmission_with_the_same_key_is_recorded_once(visit):
    key = uuid.uuid4()
    first = recorded(visit, client_key=key, photos=[photo()], notes="门口有狗")
    again = inspection_record(
        visit=visit,
        by=inspector(visit),
        answers={**HOUSEHOLD_ANSWERS, "satisfied": "yes"},
        client_key=key,
        photos=[photo()],
        notes="second",
    )
    assert again.pk == first.pk and again.notes == "门口有狗"
    assert again.answers["satisfied"] is False
    assert InspectionPhoto.objects.filter(visit=visit).count() == 1
    with pytest.raises(InvalidInput) as err:
        recorded(visit, client_key=uuid.uuid4())
    assert err.value.errors[0]["field"] == "status"


def test_without_consent_no_position_is_kept(plan, visit):
    done = recorded(visit, latitude="28.1234567", longitude="101.2", consent=False)
    assert done.latitude is None and done.longitude is None
    other = visit_in(plan, "513422101200")
    done = recorded(other, latitude="28.1234567", longitude="101.2", consent=True)
    done.refresh_from_db()
    assert str(done.latitude) == "28.123457" and str(done.longitude) == "101.200000"


def test_only_the_assigned_inspectors_record(visit, user):
    township = user("township-513422100")  # recused from its own township
    assert not visit.inspectors.filter(pk=township.pk).exists()
    for outsider in (township, user("county-513422")):
        with pytest.raises(NotAllowed):
            inspection_record(visit=visit, by=outsider, answers=HOUSEHOLD_ANSWERS)


@pytest.fixture
def order(visit):
    visit = recorded(visit)
    finding = finding_add(
        visit=visit, by=inspector(visit), kind="aid_not_received", description="补贴只到一半"
    )
    return finding.order


def test_a_finding_orders_the_villages_township_with_the_kinds_deadline(order, user, settings):
    township = user("township-513422100")
    assert order.region.code == "513422100" and order.status == OrderStatus.OPEN
    assert order.due == timezone.localdate() + timedelta(days=30)
    assert Notification.objects.filter(user=township).count() == 1
    settings.SUPERVISION_ORDER_DAYS = {"default": 30, "wrong_exit": 10}
    visit = order.finding.visit
    again = finding_add(visit=visit, by=inspector(visit), kind="wrong_exit", description="x")
    assert again.order.due == timezone.localdate() + timedelta(days=10)


def test_a_finding_needs_a_recorded_visit(visit):
    with pytest.raises(InvalidInput) as err:
        finding_add(visit=visit, by=inspector(visit), kind="wrong_exit", description="x")
    assert err.value.errors[0]["field"] == "visit"


def test_only_the_unit_answers_and_with_evidence(order, user):
    for other in (user("county-513422"), user("township-513422101"), user("supervisor-513400")):
        with pytest.raises(NotAllowed):
            order_answer(order=order, by=other, answer="done", evidence=[photo()])
    township = user("township-513422100")
    with pytest.raises(InvalidInput) as err:
        order_answer(order=order, by=township, answer="已补发")
    assert err.value.errors[0]["field"] == "evidence"
    order = order_answer(order=order, by=township, answer="已补发", evidence=[photo("r.jpg")])
    assert order.status == OrderStatus.ANSWERED and order.evidence.count() == 1
    assert order.evidence.get().file.name.endswith(".png")  # re-encoded, named by content


def test_the_inspector_returns_then_closes(order, user):
    township = user("township-513422100")
    inspector_ = inspector(order.finding.visit)
    order = order_answer(order=order, by=township, answer="已补发", evidence=[photo()])
    with pytest.raises(NotAllowed):
        order_verify(order=order, by=township, accept=True)
    with pytest.raises(InvalidInput):
        order_verify(order=order, by=inspector_, accept=False)
    order = order_verify(order=order, by=inspector_, accept=False, note="缺少签收单")
    assert order.status == OrderStatus.OPEN and order.returned == 1
    assert order.due == timezone.localdate() + timedelta(days=30)
    order = order_answer(order=order, by=township, answer="补签收单", evidence=[photo()])
    order = order_verify(order=order, by=inspector_, accept=True, note="核实")
    assert order.status == OrderStatus.CLOSED and order.closed_by == inspector_


def test_overdue_orders_escalate_up_the_tree_once_each_time(order, user):
    RectificationOrder.objects.filter(pk=order.pk).update(due=timezone.localdate() - timedelta(1))
    today = timezone.localdate()
    assert orders_escalate(today=today) == 1
    assert orders_escalate(today=today) == 0  # marks nothing twice
    order.refresh_from_db()
    assert order.escalated_to.code == "513422" and order.escalated_on == today
    county = user("county-513422")
    assert Notification.objects.filter(user=county).count() == 1
    order_answer(order=order, by=county, answer="县里督办", evidence=[photo()])
    order.refresh_from_db()
    RectificationOrder.objects.filter(pk=order.pk).update(status=OrderStatus.OPEN)
    later = order.due + timedelta(days=1)
    out = StringIO()
    call_command("supervision", "daily", "--today", later.isoformat(), stdout=out)
    assert "escalated 1" in out.getvalue()
    order.refresh_from_db()
    assert order.escalated_to.code == "513400"
    with pytest.raises(NotAllowed):
        order_answer(order=order, by=user("township-513422101"), answer="x", evidence=[photo()])


def test_accountability_is_recorded_by_supervisors_and_auditors(order, user):
    with pytest.raises(NotAllowed):
        accountability_record(
            order=order, by=user("township-513422100"), person="张三", measure="诫勉谈话"
        )
    with pytest.raises(InvalidInput) as err:
        accountability_record(order=order, by=user("auditor-513400"), person="", measure="")
    assert {e["field"] for e in err.value.errors} == {"person", "measure"}
    accountability_record(
        order=order,
        by=user("supervisor-513400"),
        person="张三",
        position="村支书",
        measure="诫勉谈话",
    )
    assert Accountability.objects.get().position == "村支书"
