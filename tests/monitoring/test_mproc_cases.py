"""The stored monitoring procedure: a lead from a department file through visit, notice,
township check and county approval to a monitored household with a plan, then to risk
eliminated; refusals, rejections with reasons, the daily job and who may act."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from upload_files import image_bytes

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.insights.worklist import worklist
from aidbridge.monitoring import cases
from aidbridge.monitoring.models import (
    Elimination,
    Lead,
    Measure,
    MonitoredHousehold,
    MonitoredStage,
    Step,
    Visit,
)
from aidbridge.monitoring.services import lead_open
from aidbridge.monitoring.visits import visit_record
from aidbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db
MET = dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), True)
CLERK, TOWNSHIP, COUNTY = "clerk-513422100001", "township-513422100", "county-513422"


def consent():
    return SimpleUploadedFile("consent.jpg", image_bytes(), content_type="image/jpeg")


def visit(on, income=3000, **more):
    return {"visited_on": on, "indicators": MET, "per_capita_income": income, **more}


def approved_lead(make_household, user, *, start):
    """A medical lead opened ``start`` days ago, taken through every step to approval."""
    opened = timezone.localdate() - timedelta(days=start)
    household = make_household("P-1", status="lifted")
    lead, _ = lead_open(
        channel="department",
        household=household,
        rule="medical_share",
        source="medical",
        on=opened,
    )
    clerk, township, county = user(CLERK), user(TOWNSHIP), user(COUNTY)
    cases.case_visit(
        by=clerk, case=lead, visit=visit(opened, consent=consent()), kind="hardship", on=opened
    )
    for action in ("review", "start_notice"):
        cases.case_act(by=clerk, case=lead, action=action, on=opened)
    closed_on = opened + timedelta(days=5)
    cases.case_act(by=township, case=lead, action="close_notice", on=closed_on)
    cases.case_act(by=township, case=lead, action="check", on=closed_on)
    cases.case_act(by=county, case=lead, action="approve", on=closed_on)
    lead.refresh_from_db()
    return lead


def test_a_medical_lead_becomes_a_monitored_household_with_a_plan(make_household, user):
    lead = approved_lead(make_household, user, start=20)
    assert lead.status == "approved" and lead.kind == "hardship" and lead.step_due is None
    monitored = MonitoredHousehold.objects.get(lead=lead)
    assert monitored.kind == "hardship" and monitored.stage == MonitoredStage.MONITORED
    lead.household.refresh_from_db()
    assert lead.household.status == "monitored"
    assert list(lead.steps.values_list("action", flat=True)) == [
        "visit",
        "review",
        "start_notice",
        "close_notice",
        "check",
        "approve",
    ]
    assert lead.visits.get().consent.name
    measure = cases.measure_add(
        by=user(TOWNSHIP),
        monitored=monitored,
        kind="medical",
        description="大病救助",
        responsible="乡镇民政办",
    )
    cases.measure_update(by=user(CLERK), measure=measure, status="under_way")
    assert Measure.objects.get().status == "under_way"
    with pytest.raises(NotAllowed):
        cases.measure_add(
            by=user("org-lsfund"),
            monitored=monitored,
            kind="medical",
            description="x",
            responsible="y",
        )


def test_steps_are_refused_with_a_reason_and_nothing_is_written(make_household, user):
    household = make_household("P-2")
    lead, _ = lead_open(channel="department", household=household, rule="dropout")
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as refused:
        cases.case_visit(by=user(CLERK), case=lead, visit=visit(today), kind="", on=today)
    assert {e["field"] for e in refused.value.errors} == {"consent", "kind"}
    with pytest.raises(InvalidInput) as refused:
        cases.case_act(by=user(COUNTY), case=lead, action="approve", on=today, kind="marginal")
    assert "stage" in refused.value.errors[0]["message"] or refused.value.errors
    with pytest.raises(InvalidInput):
        cases.case_act(by=user(CLERK), case=lead, action="reject", on=today, comment="")
    assert not Visit.objects.exists() and not Step.objects.exists()
    lead.refresh_from_db()
    assert lead.stage == "visit" and lead.status == "open" and lead.kind == ""
    with pytest.raises(NotAllowed):
        cases.case_act(by=user("supervisor-513400"), case=lead, action="review", on=today)


def test_a_rejected_lead_keeps_its_reason(make_household, user):
    lead, _ = lead_open(channel="visit", household=make_household("P-3"), rule="visit_income")
    today = timezone.localdate()
    cases.case_act(by=user(CLERK), case=lead, action="reject", on=today, comment="外出务工收入稳定")
    lead.refresh_from_db()
    assert lead.status == "rejected" and lead.decided_on == today
    assert lead.steps.get().comment == "外出务工收入稳定"
    assert not MonitoredHousehold.objects.exists()


def test_the_daily_job_closes_notices_and_escalates_overdue_steps(make_household, user):
    today = timezone.localdate()
    late, _ = lead_open(
        channel="department",
        household=make_household("P-4"),
        rule="dropout",
        on=today - timedelta(days=4),
    )
    noticed, _ = lead_open(
        channel="department",
        household=make_household("P-5", sequence=2),
        rule="dropout",
        on=today - timedelta(days=6),
    )
    clerk = user(CLERK)
    start = today - timedelta(days=6)
    cases.case_visit(
        by=clerk, case=noticed, visit=visit(start, consent=consent()), kind="marginal", on=start
    )
    cases.case_act(by=clerk, case=noticed, action="review", on=start)
    cases.case_act(by=clerk, case=noticed, action="start_notice", on=start)
    call_command("monitoring", "daily")
    late.refresh_from_db()
    noticed.refresh_from_db()
    assert noticed.stage == "township_check" and noticed.steps.last().by is None
    assert late.escalated_to == "township"
    note = Notification.objects.get(user=user(TOWNSHIP))
    assert late.tracking_code in note.subject and "户主" not in note.subject + note.body
    # The township may now take the clerk's overdue step; running again sends nothing new.
    assert "reject" in cases.allowed(user(TOWNSHIP), late, today)
    call_command("monitoring", "daily")
    assert Notification.objects.filter(user=user(TOWNSHIP)).count() == 1
    # In worklists a lead is counted once: the township's step now, the county's overdue list.
    township = {p.key: [r.pk for r in p.rows] for p in worklist(user(TOWNSHIP))}
    assert late.pk in township["leads"] and late.pk not in township.get("overdue", [])
    county = {p.key: [r.pk for r in p.rows] for p in worklist(user("county-513422"))}
    assert late.pk in county["overdue"] and late.pk not in county.get("leads", [])


def test_risk_elimination_after_six_months_above_the_line(make_household, user):
    lead = approved_lead(make_household, user, start=250)
    monitored = lead.monitored
    clerk, today = user(CLERK), timezone.localdate()
    with pytest.raises(InvalidInput) as refused:
        cases.elimination_propose(by=clerk, monitored=monitored, on=today)
    assert "3000" in refused.value.errors[0]["message"]  # the lead's visit: below the line
    household = lead.household
    for days in (200, 100, 10):
        visit_record(by=clerk, household=household, **visit(today - timedelta(days), 20000))
    assert cases.elimination_refusals(monitored, today) == []
    proposal = cases.elimination_propose(by=clerk, monitored=monitored, on=today - timedelta(6))
    monitored.refresh_from_db()
    assert monitored.stage == MonitoredStage.ELIMINATING
    start = today - timedelta(6)
    cases.case_visit(
        by=clerk, case=proposal, visit=visit(start, 20000, consent=consent()), on=start
    )
    cases.case_act(by=clerk, case=proposal, action="review", on=start)
    cases.case_act(by=clerk, case=proposal, action="start_notice", on=start)
    cases.case_act(by=user(TOWNSHIP), case=proposal, action="close_notice", on=today)
    cases.case_act(by=user(TOWNSHIP), case=proposal, action="check", on=today)
    cases.case_act(by=user(COUNTY), case=proposal, action="approve", on=today)
    monitored.refresh_from_db()
    household.refresh_from_db()
    assert monitored.stage == MonitoredStage.ELIMINATED and monitored.eliminated_on == today
    assert household.status == "risk_eliminated"
    assert Elimination.objects.get().status == "approved" and Lead.objects.get().pk == lead.pk
    assert household.monitoring_visits.count() == 5  # the data stay


def test_the_county_cannot_approve_a_second_monitoring_of_a_household(make_household, user):
    first = approved_lead(make_household, user, start=20)
    second, _ = lead_open(channel="visit", household=first.household, rule="visit_income")
    second.stage, second.kind = "county_approval", "marginal"
    second.save()
    with pytest.raises(InvalidInput) as refused:
        cases.case_act(by=user(COUNTY), case=second, action="approve", on=timezone.localdate())
    assert refused.value.errors[0]["field"] == "household"
    second.refresh_from_db()
    assert second.status == "open" and MonitoredHousehold.objects.count() == 1


def test_a_household_registered_as_poor_is_not_monitored(make_household, user):
    lead, _ = lead_open(channel="visit", household=make_household("P-6", status="poor"), rule="r")
    lead.stage, lead.kind = "county_approval", "marginal"
    lead.save()
    with pytest.raises(InvalidInput) as refused:
        cases.case_act(by=user(COUNTY), case=lead, action="approve", on=timezone.localdate())
    assert refused.value.errors[0]["field"] == "household"
    assert not MonitoredHousehold.objects.exists()
