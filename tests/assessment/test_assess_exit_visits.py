"""The exit indicators (两率一度) from real inspection visits, on SQLite and PostgreSQL: a
household plan and a village plan of the demo county are drawn through supervision's
services, their visits recorded done, and the assessment counts people, villages and
surveyed households, with intervals, and keeps one evidence row per visit; the portal's
copy leaves out households and visits."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aidbridge.assessment import services
from aidbridge.assessment.selectors import public_evidence
from aidbridge.supervision.models import Finding, InspectionVisit
from aidbridge.supervision.services import plan_create, plan_draw, plan_publish

YEAR = 2026
LOTTERY = "2026141: 03 08 14 21 27 30 + 11"


def _plan(user, region, kind, size):
    plan = plan_create(
        by=user("supervisor-513400"),
        title=f"{YEAR} {kind}",
        year=YEAR,
        region=region("513422"),
        kind=kind,
        strata="none",
        size=size,
        visit_by=date(YEAR, 12, 20),
        inspectors=[(user("supervisor-513400"), None), (user("auditor-513400"), None)],
        public_source="China Welfare Lottery, issue 2026141",
    )
    plan = plan_publish(plan=plan, by=user("supervisor-513400"))
    return plan_draw(plan=plan, by=user("supervisor-513400"), public_value=LOTTERY)


@pytest.fixture
def visited(user, region, make_household):
    """Four sampled households (people 4, 3, 5, 2; one wrongly exited, one not exited;
    three surveyed, two satisfied) and the county's three villages (checked 100, 50, 0;
    missed 1, 0, 0), all visited."""
    for n in range(1, 5):
        make_household(f"E-{n}", sequence=n)
    households = _plan(user, region, "household", 4)
    answers = [
        {"people": 4, "exit": "wrong", "satisfied": True},
        {"people": 3, "exit": "right", "satisfied": False},
        {"people": 5, "exit": "na", "satisfied": True},
        {"people": 2, "exit": "right", "satisfied": None},
    ]
    visits = list(households.visits.order_by("household__number"))
    assert len(visits) == 4
    for visit, given in zip(visits, answers, strict=True):
        # Recording a visit is the supervision app's (visits on a phone): written here as done.
        InspectionVisit.objects.filter(pk=visit.pk).update(
            status="done", answers=given, visited_on=date(YEAR, 6, 1)
        )
    Finding.objects.create(
        visit=visits[0], kind="wrong_exit", description="张三家", created_by=user("auditor-513400")
    )
    villages = _plan(user, region, "village", 3)
    for visit, given in zip(
        villages.visits.order_by("region__code"),
        [{"people_checked": 100, "people_missed": 1}, {"people_checked": 50, "people_missed": 0}],
        strict=False,
    ):
        InspectionVisit.objects.filter(pk=visit.pk).update(
            status="done", answers=given, visited_on=date(YEAR, 6, 2)
        )
    services.scorecard_set(
        user=user("province-510000"),
        province=region("510000"),
        year=YEAR,
        pass_score=0,
        lines=services.default_lines(),
    )
    return visits


def test_the_exit_rates_come_from_the_visits(visited, user, region):
    assessment = services.assessment_compute(
        user=user("province-510000"), county=region("513422"), year=YEAR
    )
    values = {v.key: v for v in assessment.values.all()}
    wrong = values["wrong_exit"]
    assert (wrong.numerator, wrong.denominator) == (4, 9)  # people, not households
    assert str(wrong.value) == "44.44" and wrong.low < wrong.value < wrong.high
    assert wrong.met is False and wrong.veto
    omission = values["omission"]
    assert (omission.numerator, omission.denominator) == (1, 150)
    assert str(omission.value) == "0.67" and omission.met is True
    assert omission.uncertain  # 0.67% with an interval reaching past 2%
    satisfaction = values["satisfaction"]
    assert (satisfaction.numerator, satisfaction.denominator) == (2, 3)
    assert assessment.vetoed_by == ["wrong_exit", "satisfaction"] and not assessment.passed
    assert len(assessment.evidence) == 6  # four households, two villages visited
    first = assessment.evidence[0]
    assert first["household"] == "E-1" and first["findings"] == ["wrong_exit"]
    public = public_evidence(assessment)
    assert all("household" not in row and "visit" not in row for row in public)
    assert "张三" not in str(assessment.evidence)  # a finding's text stays in supervision


def test_the_public_report_shows_no_household(visited, user, region, client):
    province = user("province-510000")
    assessment = services.assessment_compute(user=province, county=region("513422"), year=YEAR)
    client.force_login(province)
    staff = client.get(reverse("assessment:detail", args=[assessment.public_id])).content.decode()
    assert "E-1" in staff and "错误退出" in staff
    assessment = services.assessment_review(user=user("supervisor-513400"), assessment=assessment)
    services.assessment_publish(user=province, assessment=assessment)
    client.logout()
    page = client.get(reverse("assessment_public:detail", args=[assessment.public_id]))
    text = page.content.decode()
    assert page.status_code == 200 and "错退率" in text and "错误退出" in text
    assert "E-1" not in text and str(visited[0].public_id)[:8] not in text
    xlsx = client.get(reverse("assessment_public:report_xlsx", args=[assessment.public_id]))
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert "E-1" not in cells and "错误退出" in cells
