"""Filing, numbering, escalation, decisions and appeals of grievances (grievances.services),
on the real database (SQLite by default, PostgreSQL with DATABASE_URL)."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.grievances import services
from aidbridge.grievances.models import EventKind, Grievance, Status
from aidbridge.grievances.selectors import grievance_track
from aidbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)


def file(now=MONDAY, **given):
    data = {
        "channel": "portal",
        "region_code": "513422100001",
        "category": "aid_not_received",
        "description": "补助没有发到我家",
        **given,
    }
    return services.grievance_file(now=now, **data)


def test_an_anonymous_complaint_keeps_no_identity_and_gets_a_number():
    grievance = file(anonymous=True, name="张三", phone="13800001234")
    assert grievance.number == "2026-000001"
    assert grievance.tracking_code.startswith("G") and len(grievance.tracking_code) == 11
    assert grievance.complainant_name == "" and grievance.complainant_phone == ""
    assert grievance.complainant_key is not None  # the phone's keyed digest only
    assert b"13800001234" not in bytes(grievance.complainant_key)
    assert grievance.level_region.code == "513422100"  # the township above the village
    assert grievance.severity == "high" and grievance.status == Status.NEW
    # high: 3 working days from Monday 09:00
    assert grievance.due == datetime(2026, 12, 3, 9, 0, tzinfo=TZ)
    assert list(grievance.events.values_list("kind", flat=True)) == [EventKind.FILED]
    # the township's officer is told
    assert Notification.objects.filter(user__username="township-513422100").exists()


def test_numbers_follow_each_other_and_start_again_each_year():
    numbers = [file().number for _ in range(3)]
    assert numbers == ["2026-000001", "2026-000002", "2026-000003"]
    assert file(now=datetime(2027, 1, 1, 9, tzinfo=TZ)).number == "2027-000001"


def test_a_refused_filing_takes_no_number_and_writes_nothing():
    with pytest.raises(InvalidInput) as refused:
        file(description=" ", category="nonsense", region_code="999")
    fields = {e["field"] for e in refused.value.errors}
    assert {"description", "category", "region"} <= fields
    assert Grievance.objects.count() == 0
    assert file().number == "2026-000001"


def test_a_named_complaint_needs_a_name_and_keeps_it():
    with pytest.raises(InvalidInput) as refused:
        file(anonymous=False, phone="13800001234")
    assert refused.value.errors[0]["field"] == "name"
    grievance = file(anonymous=False, name="李四", phone="138 0000 1234")
    assert (grievance.complainant_name, grievance.complainant_phone) == ("李四", "138 0000 1234")


def test_abuse_of_a_child_escalates_at_once(user):
    grievance = file(category="child_abuse")
    assert grievance.severity == "critical" and grievance.sensitivity == "highly_sensitive"
    assert grievance.level_region.code == "513422"  # the county, not the township
    assert grievance.due == MONDAY + timedelta(hours=24)
    kinds = list(grievance.events.values_list("kind", flat=True))
    assert kinds == [EventKind.FILED, EventKind.ESCALATED]
    assert Notification.objects.filter(user=user("county-513422")).exists()


def test_the_third_complaint_of_a_person_within_six_months_escalates():
    first = file(phone="13800001234", now=MONDAY - timedelta(days=170))
    second = file(phone="+86 138-0000-1234", now=MONDAY - timedelta(days=10))
    other = file(phone="13900009999")
    third = file(phone="13800001234")
    assert [g.escalations for g in (first, second, other, third)] == [0, 0, 0, 1]
    assert third.level_region.code == "513422"
    # the first is more than six months before a fourth one
    fourth = file(phone="13800001234", now=MONDAY + timedelta(days=20))
    assert fourth.escalations == 1  # second and third are within six months


def test_a_clerk_files_on_behalf_for_their_area_only(user):
    clerk = user("clerk-513422100001")
    grievance = file(by=clerk, channel="phone", severity="low", sensitivity="sensitive")
    assert grievance.created_by == clerk and grievance.channel == "phone"
    with pytest.raises(InvalidInput) as refused:
        file(by=clerk, channel="visit", region_code="513422101200")
    assert refused.value.errors[0]["field"] == "region"


def test_steps_and_decision_by_the_officer_of_the_level(user):
    grievance = file()
    township, county = user("township-513422100"), user("county-513422")
    with pytest.raises(NotAllowed):
        services.grievance_take_up(by=county, grievance=grievance)
    grievance = services.grievance_assign(by=township, grievance=grievance, to=township)
    assert grievance.status == Status.ASSIGNED
    with pytest.raises(InvalidInput):
        services.grievance_assign(by=township, grievance=grievance, to=county)
    grievance = services.grievance_take_up(by=township, grievance=grievance)
    assert grievance.status == Status.IN_PROGRESS
    with pytest.raises(InvalidInput) as refused:
        services.grievance_decide(by=township, grievance=grievance, decision="upheld", reply="")
    assert refused.value.errors[0]["field"] == "reply"
    with pytest.raises(InvalidInput) as refused:
        services.grievance_decide(by=township, grievance=grievance, decision="case", reply="转")
    assert refused.value.errors[0]["field"] == "reference"
    grievance = services.grievance_decide(
        by=township,
        grievance=grievance,
        decision="rectification",
        reply="已转整改，请联系13800001234",
        now=MONDAY + timedelta(hours=5),
    )
    assert grievance.status == Status.DECIDED and grievance.order is not None
    with pytest.raises(InvalidInput):
        services.grievance_decide(by=township, grievance=grievance, decision="upheld", reply="x")
    tracked = grievance_track(grievance.tracking_code.lower(), now=MONDAY + timedelta(days=1))
    assert tracked.decision_label and "13800001234" not in tracked.reply  # redacted
    assert [m.kind for m in tracked.timeline] == ["filed", "taken_up", "decided"]
    assert tracked.may_appeal


def test_the_daily_job_marks_at_risk_then_escalates_up_the_tree(user):
    grievance = file(category="false_need")  # medium: 7 working days
    due = grievance.due
    assert due == datetime(2026, 12, 9, 9, 0, tzinfo=TZ)
    assert services.grievances_daily(now=MONDAY + timedelta(days=3)) == {
        "escalated": 0,
        "at_risk": 0,
        "overdue_at_top": 0,
    }
    done = services.grievances_daily(now=due - timedelta(days=1))
    assert done["at_risk"] == 1
    grievance.refresh_from_db()
    assert grievance.at_risk
    assert services.grievances_daily(now=due - timedelta(hours=20))["at_risk"] == 0  # once
    done = services.grievances_daily(now=due + timedelta(minutes=1))
    assert done["escalated"] == 1
    grievance.refresh_from_db()
    assert grievance.level_region.code == "513422" and grievance.breached
    assert not grievance.at_risk and grievance.status == Status.NEW
    assert Notification.objects.filter(
        user=user("county-513422"), subject__contains=grievance.number
    ).exists()
    # up to the province, then it stays at the top
    far = due + timedelta(days=400)
    for expected in ("513400", "510000", "510000"):
        services.grievances_daily(now=far)
        grievance.refresh_from_db()
        assert grievance.level_region.code == expected
        far += timedelta(days=60)


def test_an_appeal_reopens_at_the_next_level(user):
    township = user("township-513422100")
    grievance = file()
    with pytest.raises(InvalidInput):
        services.grievance_appeal(code=grievance.tracking_code, reason="不服")
    services.grievance_decide(
        by=township,
        grievance=grievance,
        decision="rejected",
        reply="经核实，补助已发放。",
        now=MONDAY + timedelta(days=1),
    )
    with pytest.raises(InvalidInput) as refused:
        services.grievance_appeal(code=grievance.tracking_code, reason=" ")
    assert refused.value.errors[0]["field"] == "reason"
    appeal = services.grievance_appeal(
        code=grievance.tracking_code, reason="我没有收到", now=MONDAY + timedelta(days=2)
    )
    grievance.refresh_from_db()
    assert grievance.status == Status.APPEALED
    assert appeal.appeal_of == grievance and appeal.level_region.code == "513422"
    assert appeal.number == "2026-000002" and appeal.tracking_code != grievance.tracking_code
    tracked = grievance_track(grievance.tracking_code)
    assert tracked.status == "appealed" and tracked.appeals[0].number == appeal.number
    with pytest.raises(InvalidInput):  # only once
        services.grievance_appeal(code=grievance.tracking_code, reason="再次")


def test_appeals_close_after_their_days(user, settings):
    settings.GRIEVANCE_APPEAL_DAYS = 30
    grievance = file()
    services.grievance_decide(
        by=user("township-513422100"),
        grievance=grievance,
        decision="upheld",
        reply="已补发",
        now=MONDAY,
    )
    with pytest.raises(InvalidInput) as refused:
        services.grievance_appeal(
            code=grievance.tracking_code, reason="晚了", now=MONDAY + timedelta(days=31)
        )
    assert "30" in refused.value.errors[0]["message"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.usefixtures("committed")
def test_concurrent_filings_get_distinct_numbers_without_gaps():
    from django.db import connections

    numbers, failures = [], []
    barrier = threading.Barrier(4)

    def one():
        try:
            barrier.wait()
            numbers.append(file().number)
        except Exception as exc:  # noqa: BLE001  (reported below)
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert sorted(numbers) == [f"2026-00000{n}" for n in range(1, 5)]


def test_a_filing_that_fails_after_taking_its_number_gives_it_back(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the event could not be written")

    monkeypatch.setattr(services, "_event", broken)
    with pytest.raises(RuntimeError):
        file()
    monkeypatch.undo()
    assert Grievance.objects.count() == 0
    assert file().number == "2026-000001"


def test_the_dashboard_counts_volume_time_to_decide_and_compliance(user, region):
    from aidbridge.grievances.selectors import dashboard

    township = user("township-513422100")
    on_time = file()
    services.grievance_decide(
        by=township,
        grievance=on_time,
        decision="upheld",
        reply="已补发",
        now=MONDAY + timedelta(hours=4),
    )
    late = file(category="false_need", region_code="513422100200")
    services.grievances_daily(now=late.due + timedelta(minutes=1))  # escalated: breached
    late.refresh_from_db()
    services.grievance_decide(
        by=user("county-513422"),
        grievance=late,
        decision="rejected",
        reply="不属实",
        now=MONDAY + timedelta(days=10),
    )
    file(category="other", region_code="513422101200")  # Wachang: open
    board = dashboard(user("admin"), region("513422"))
    assert (board.total, board.open, board.decided) == (3, 1, 2)
    assert board.compliance == 50.0
    assert board.mean_hours == (4 + 240) / 2
    assert {label: n for label, n in board.by_status} == {"已办结": 2, "新收到": 1}
    rows = {c["region"].code: c for c in board.children}
    assert set(rows) == {"513422100", "513422101"}
    assert (rows["513422100"]["decided"], rows["513422100"]["compliance"]) == (2, 50.0)
    assert rows["513422101"]["open"] == 1 and rows["513422101"]["compliance"] is None
    assert dashboard(user("admin"), region("513401")).total == 0


def test_a_referral_opens_an_order_the_village_answers_and_the_officer_verifies(user):
    """ "Referred to a rectification order" opens one to the office of the place complained
    about (the village: its clerk answers); the deciding officer verifies the answer."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aidbridge.policy import Action, can
    from aidbridge.supervision.models import OrderStatus
    from aidbridge.supervision.orders import order_answer, order_verify

    grievance = file(category="misuse_of_funds", description="修路的钱被挪用")
    township, clerk = user("township-513422100"), user("clerk-513422100001")
    grievance = services.grievance_decide(
        by=township, grievance=grievance, decision="rectification", reply="已转村整改"
    )
    order = grievance.order
    finding = order.finding
    assert order.region.code == "513422100001" and order.status == OrderStatus.OPEN
    assert finding.visit is None and finding.kind == "money_misused"
    assert grievance.number in finding.source and finding.place == order.region
    assert Notification.objects.filter(user=clerk).exists()  # the unit is told
    assert can(clerk, Action.ORDER_ANSWER, order) and not can(township, Action.ORDER_ANSWER, order)
    order = order_answer(
        order=order,
        by=clerk,
        answer="已追回挪用资金",
        evidence=[SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
    )
    assert Notification.objects.filter(user=township).exists()  # the verifier is told
    with pytest.raises(NotAllowed):
        order_verify(order=order, by=user("county-513422"), accept=True)
    order = order_verify(order=order, by=township, accept=True, note="已核实")
    assert order.status == OrderStatus.CLOSED
