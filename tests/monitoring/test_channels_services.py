"""Leads from people: portal self-reports, calls recorded by the clerk, linking a report to a
household, and visits that open leads; tracking a lead by its code."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from upload_files import image_bytes

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.monitoring.channels import (
    hotline_record,
    self_report_link,
    self_report_submit,
    visit_submit,
)
from aidbridge.monitoring.findings import RULES, visit_findings
from aidbridge.monitoring.models import Lead, Visit, VisitFinding
from aidbridge.monitoring.selectors_channels import (
    households_to_visit,
    lead_track,
    self_reports_unlinked,
)
from aidbridge.registry.identification import INDICATORS
from aidbridge.registry.responsible import responsible_helper_assign

MET = dict.fromkeys(INDICATORS, True)
CLERK = "clerk-513422100001"


@given(
    st.dictionaries(st.sampled_from(INDICATORS), st.booleans()),
    st.one_of(st.none(), st.integers(0, 20_000)),
    st.lists(st.sampled_from(["illness", "disaster", "job_loss"])),
    st.integers(1, 20_000),
)
def test_findings_meet_exactly_the_rules_the_visit_shows(indicators, income, shocks, line):
    found = visit_findings(
        indicators=indicators, per_capita_income=income, shocks=shocks, monitoring_line=line
    )
    rules = [f.rule for f in found]
    assert rules == [r for r in RULES if r in rules]  # in order, each once
    assert ("visit_guarantee" in rules) == (not all(indicators.values()))
    assert ("visit_income" in rules) == (income is not None and income < line)
    assert ("visit_shock" in rules) == bool(shocks)
    for f in found:
        if f.rule == "visit_guarantee":
            assert set(f.facts) == {k for k, v in indicators.items() if not v}


@pytest.mark.django_db
def test_a_portal_self_report_opens_a_lead_without_household_tracked_by_its_code(user):
    lead = self_report_submit(
        village_code="513422100001",
        description="父亲住院，家里没有收入",
        reporter_name="邻居",
        reporter_phone="138 0000 0000",
    )
    assert lead.channel == "self_report" and lead.household is None
    assert lead.village.code == "513422100001" and lead.created_by is None
    assert list(self_reports_unlinked(user(CLERK))) == [lead]
    assert list(self_reports_unlinked(user("township-513422101"))) == []
    code = lead.tracking_code
    tracked = lead_track(f" {code[:4].lower()}-{code[4:]} ")
    assert tracked.status == "open" and tracked.opened_on == timezone.localdate()
    assert not {"description", "reporter_name", "reporter_phone", "village"} & set(vars(tracked))
    assert lead_track("MXXXXXXXXXX") is None and lead_track("") is None


@pytest.mark.django_db
def test_a_bad_self_report_names_each_field_and_writes_nothing():
    with pytest.raises(InvalidInput) as caught:
        self_report_submit(
            village_code="513422100",  # a township
            description="  ",
            reporter_name="x" * 51,
            reporter_phone="call me",
        )
    fields = [e["field"] for e in caught.value.errors]
    assert fields == ["village", "description", "reporter_name", "reporter_phone"]
    assert not Lead.objects.exists()


@pytest.mark.django_db
def test_the_clerk_records_calls_and_a_second_call_joins_the_open_report(make_household, user):
    household = make_household("C-1")
    clerk = user(CLERK)
    lead, created = hotline_record(by=clerk, household=household, description="孩子辍学")
    again, created_again = hotline_record(
        by=clerk, household=household, description="又打来电话", reporter_phone="13800000000"
    )
    assert created and not created_again and again.pk == lead.pk
    lead.refresh_from_db()
    assert lead.channel == "self_report" and lead.created_by == clerk
    assert "孩子辍学" in lead.description and "又打来电话" in lead.description
    for username in ("org-lsfund", "supervisor-513400", "township-513422101"):
        with pytest.raises(NotAllowed):
            hotline_record(by=user(username), household=household, description="x")
    assert Lead.objects.count() == 1


@pytest.mark.django_db
def test_linking_a_report_to_a_household_once(make_household, user):
    household = make_household("L-1")
    clerk = user(CLERK)
    report = self_report_submit(village_code="513422100001", description="房子漏雨")
    with pytest.raises(NotAllowed):
        self_report_link(by=user("township-513422101"), lead=report, household=household)
    linked = self_report_link(by=clerk, lead=report, household=household)
    assert linked.household == household and linked.rule == "self_report"
    with pytest.raises(NotAllowed):  # already linked: nothing to link
        self_report_link(by=clerk, lead=linked, household=household)
    second = self_report_submit(village_code="513422100001", description="同一户")
    with pytest.raises(InvalidInput) as caught:
        self_report_link(by=clerk, lead=second, household=household)
    assert caught.value.errors[0]["field"] == "household"
    assert report.tracking_code in str(caught.value.errors[0]["message"])
    second.refresh_from_db()
    assert second.household is None


@pytest.mark.django_db
def test_a_visit_finding_trouble_opens_a_lead_per_rule_and_the_next_joins_them(
    make_household, user
):
    household = make_household("VV-1")
    clerk = user(CLERK)
    photo = SimpleUploadedFile("h.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    visit, opened = visit_submit(
        by=clerk,
        household=household,
        visited_on=timezone.localdate(),
        indicators={**MET, "housing": False},
        per_capita_income=3000,  # below 1.5 x 4,000
        shocks=["illness"],
        photos=[photo],
    )
    assert [o.finding.rule for o in opened] == list(RULES) and all(o.created for o in opened)
    assert {lead.channel for lead in Lead.objects.all()} == {"visit"}
    assert VisitFinding.objects.filter(visit=visit).count() == 3 and visit.photos.count() == 1
    _again, joined = visit_submit(
        by=clerk,
        household=household,
        visited_on=timezone.localdate(),
        indicators=MET,
        per_capita_income=5000,
        shocks=[],
    )
    assert [o.finding.rule for o in joined] == ["visit_income"] and not joined[0].created
    assert Lead.objects.count() == 3
    _fine, none = visit_submit(
        by=clerk,
        household=household,
        visited_on=timezone.localdate(),
        indicators=MET,
        per_capita_income=6000,  # at the line: not below
    )
    assert none == []


@pytest.mark.django_db
def test_a_bad_visit_writes_neither_visit_nor_lead(make_household, user):
    household = make_household("VV-2")
    with pytest.raises(InvalidInput):
        visit_submit(
            by=user(CLERK),
            household=household,
            visited_on=date(2999, 1, 1),
            indicators={**MET, "food": False},
            shocks=["illness"],
        )
    assert not Visit.objects.exists() and not Lead.objects.exists()


@pytest.mark.django_db
def test_a_responsible_helpers_staff_visits_its_households(make_household, user):
    household, other = make_household("H-1"), make_household("H-2", sequence=2)
    staff = user("org-lsfund")
    responsible_helper_assign(
        by=user("admin"),
        household=household,
        name="帮扶人",
        helper=staff.organization,
        since=date(2026, 1, 1),
    )
    assert list(households_to_visit(staff)) == [household]
    _visit, opened = visit_submit(
        by=staff,
        household=household,
        visited_on=timezone.localdate(),
        indicators=MET,
        shocks=["job_loss"],
    )
    assert opened[0].lead.channel == "visit" and opened[0].lead.created_by == staff
    assert households_to_visit(staff).get().last_visit == timezone.localdate()
    with pytest.raises(NotAllowed):
        visit_submit(by=staff, household=other, visited_on=timezone.localdate(), indicators=MET)
