"""Computing a county's assessment on the database (SQLite and PostgreSQL): the platform
indicators, manual values, the veto that fails a county whatever its score, the review by a
second person, publishing, and who may do each."""

from decimal import Decimal

import pytest

from aidbridge.assessment import services
from aidbridge.assessment.models import Status
from aidbridge.errors import InvalidInput, NotAllowed

YEAR = 2026
COUNTY = "513422"


def _line(key, weight, direction, threshold, veto=False, label=""):
    return {
        "key": key,
        "weight": weight,
        "direction": direction,
        "threshold": threshold,
        "veto": veto,
        "label": label,
    }


@pytest.fixture
def card(user, region):
    """A scorecard of platform and manual indicators only (no visits needed)."""
    return services.scorecard_set(
        user=user("province-510000"),
        province=region("510000"),
        year=YEAR,
        pass_score=50,
        lines=[
            _line("helpers_mobilised", 40, "at_least", 0),
            _line("projects_completed", 30, "at_least", 0),
            _line("manual_1", 30, "at_most", 2, veto=True, label="贫困发生率"),
        ],
    )


def test_scorecard_refuses_bad_lines_naming_field_and_row(user, region):
    with pytest.raises(InvalidInput) as refused:
        services.scorecard_set(
            user=user("province-510000"),
            province=region("510000"),
            year=YEAR,
            pass_score=10,
            lines=[
                _line("helpers_mobilised", -1, "at_least", 0),
                _line("nonsense", 1, "at_least", 0),
                _line("manual_2", 1, "sideways", "x"),
            ],
        )
    problems = {(e["field"], e.get("row")) for e in refused.value.errors}
    assert ("weight", 1) in problems and ("key", 2) in problems
    assert {("label", 3), ("direction", 3), ("threshold", 3)} <= problems
    from aidbridge.assessment.models import Scorecard

    assert not Scorecard.objects.exists()  # nothing half-written


def test_only_the_province_sets_its_scorecard(user, region):
    for name in ("city-513400", "county-513422", "supervisor-513400"):
        with pytest.raises(NotAllowed):
            services.scorecard_set(
                user=user(name), province=region("510000"), year=YEAR, pass_score=0, lines=[]
            )


def test_a_failed_veto_fails_the_county_whatever_its_score(card, user, region):
    province = user("province-510000")
    county = region(COUNTY)
    services.manual_value_set(
        user=province, county=county, year=YEAR, key="manual_1", value="3.5", note="统计局"
    )
    assessment = services.assessment_compute(user=province, county=county, year=YEAR)
    values = {v.key: v for v in assessment.values.all()}
    assert values["helpers_mobilised"].met and values["projects_completed"].met
    assert values["manual_1"].value == Decimal("3.50") and values["manual_1"].note == "统计局"
    assert assessment.total == Decimal(70) >= assessment.pass_score
    assert assessment.passed is False and assessment.vetoed_by == ["manual_1"]
    services.manual_value_set(
        user=province, county=county, year=YEAR, key="manual_1", value="1.2", note="统计局"
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT  # a changed value waits to be computed again
    assessment = services.assessment_compute(user=province, county=county, year=YEAR)
    assert assessment.passed is True and assessment.total == Decimal(100)


def test_review_is_a_second_persons_then_the_province_publishes(card, user, region):
    province = user("province-510000")
    assessment = services.assessment_compute(user=province, county=region(COUNTY), year=YEAR)
    with pytest.raises(NotAllowed):
        services.assessment_publish(user=province, assessment=assessment)  # not reviewed
    with pytest.raises(NotAllowed):
        services.assessment_review(user=province, assessment=assessment)  # own computation
    with pytest.raises(NotAllowed):
        services.assessment_review(user=user("county-513422"), assessment=assessment)
    assessment = services.assessment_review(
        user=user("supervisor-513400"), assessment=assessment, note="核对无误"
    )
    assert assessment.status == Status.REVIEWED
    with pytest.raises(NotAllowed):
        services.assessment_publish(user=user("supervisor-513400"), assessment=assessment)
    assessment = services.assessment_publish(user=province, assessment=assessment)
    assert assessment.status == Status.PUBLISHED and assessment.published_by == province
    with pytest.raises(InvalidInput):  # a published assessment is final
        services.assessment_compute(user=province, county=region(COUNTY), year=YEAR)


def test_computing_needs_a_scorecard_and_a_county(user, region):
    province = user("province-510000")
    with pytest.raises(InvalidInput) as refused:
        services.assessment_compute(user=province, county=region(COUNTY), year=YEAR)
    assert refused.value.errors[0]["field"] == "year"
    with pytest.raises(NotAllowed):
        services.assessment_compute(user=province, county=region("513422100"), year=YEAR)
    with pytest.raises(NotAllowed):
        services.assessment_compute(user=user("county-513422"), county=region(COUNTY), year=YEAR)


def test_platform_indicators_count_the_countys_records(start, bring, region):
    """A closed project with a partner helper: one project completed, one helper mobilised;
    another county's records do not count."""
    from datetime import date

    from aidbridge.assessment.platform import platform_measures

    bring(start("校服项目", initiator="lsfund"), "closed")
    start("别县项目", region="513401", by="county-513401")
    measures = platform_measures(region(COUNTY), date.today().year)
    assert measures["projects_completed"].value == 1
    assert measures["projects_completed"].evidence == {"projects": 1}
    assert measures["helpers_mobilised"].value == 1
    assert measures["helpers_mobilised"].evidence["in_projects"] == 1
    assert measures["needs_matched"].value is None  # no verified need: no data
    earlier = platform_measures(region(COUNTY), date.today().year - 1)
    assert earlier["helpers_mobilised"].value == 0  # by the end of the year before: none


def test_a_computed_assessment_waits_in_the_other_reviewers_worklist(card, user, region):
    from aidbridge.accounts.models import Role, User
    from aidbridge.assessment.selectors import assessments_waiting
    from aidbridge.insights.worklist import worklist

    province = user("province-510000")
    other = User.objects.create(username="province-2", role=Role.PROVINCE, region=province.region)
    assessment = services.assessment_compute(user=province, county=region(COUNTY), year=YEAR)
    assert list(assessments_waiting(other)) == [assessment]
    assert list(assessments_waiting(user("supervisor-513400"))) == [assessment]
    assert not assessments_waiting(province).exists()  # not their own computation
    assert not assessments_waiting(user("county-513422")).exists()
    parts = {part.key: part.count for part in worklist(other)}
    assert parts.get("assessments") == 1 and "assessments" not in {
        part.key for part in worklist(province)
    }
    services.assessment_review(user=other, assessment=assessment)
    assert not assessments_waiting(other).exists()
