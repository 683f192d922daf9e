"""Assessments: the rules of the nearest region apply, the suggestion is explained in the
user's language, only registrars of the village assess."""

from datetime import date

import pytest
from django.utils import translation

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.regions.models import Region
from aidbridge.registry.assessment import assessment_record, explain, rules_for
from aidbridge.registry.models import IdentificationRule

pytestmark = pytest.mark.django_db
ALL_MET = {k: True for k in ("food", "clothing", "education", "medical", "housing", "water")}


@pytest.fixture
def household(make_household):
    return make_household(
        "AS-1", name="沙马", born=date(1969, 5, 5), sequence=7, main_cause="skills", status="lifted"
    )


def test_the_nearest_configured_region_and_latest_year_apply(household):
    assert rules_for(household, 2025).poverty_line == 4000  # the default
    IdentificationRule.objects.create(
        region=Region.objects.get(code="513400"), year=2020, poverty_line=4200
    )
    IdentificationRule.objects.create(
        region=Region.objects.get(code="513422"),
        year=2023,
        poverty_line=4500,
        monitoring_multiple=2,
    )
    IdentificationRule.objects.create(
        region=Region.objects.get(code="513422"), year=2030, poverty_line=9999
    )
    IdentificationRule.objects.create(
        region=Region.objects.get(code="513401"), year=2024, poverty_line=8888
    )  # another county: never applies
    assert rules_for(household, 2021).poverty_line == 4200
    rules = rules_for(household, 2025)
    assert (rules.poverty_line, rules.monitoring_line) == (4500, 9000)


def test_an_assessment_suggests_and_explains(household):
    clerk = User.objects.get(username="clerk-513422100001")
    poor = assessment_record(
        by=clerk,
        household=household,
        assessed_on=date(2025, 6, 1),
        per_capita_income=3120,
        indicators={**ALL_MET, "housing": False},
    )
    assert poor.suggested_status == "poor"
    with translation.override("en"):
        assert explain(poor.reasons) == (
            "income 3,120 below the poverty line 4,000; no safe housing"
        )
    with translation.override("zh-hans"):
        assert explain(poor.reasons) == "人均纯收入 3,120 元，低于贫困线 4,000 元；不具备安全住房"
    lifted_again = assessment_record(
        by=clerk,
        household=household,
        assessed_on=date(2025, 7, 1),
        per_capita_income=5000,
        indicators=ALL_MET,
    )
    assert lifted_again.suggested_status == "monitored"  # lifted before, under 6,000
    household.refresh_from_db()
    assert household.status == "lifted"  # status changes only through the procedure


def test_bad_input_and_wrong_roles_are_refused(household):
    clerk = User.objects.get(username="clerk-513422100001")
    with pytest.raises(InvalidInput) as caught:
        assessment_record(
            by=clerk,
            household=household,
            assessed_on=date(2999, 1, 1),
            per_capita_income=-1,
            indicators={"food": True},
        )
    fields = {e["field"] for e in caught.value.errors}
    assert {"assessed_on", "per_capita_income", "indicators.water"} <= fields
    with pytest.raises(NotAllowed):
        assessment_record(
            by=User.objects.get(username="supervisor-513400"),
            household=household,
            assessed_on=date(2025, 1, 1),
            per_capita_income=3000,
            indicators=ALL_MET,
        )


def test_the_household_page_records_an_assessment(client, household):
    client.force_login(User.objects.get(username="clerk-513422100001"))
    client.cookies.load({"django_language": "en"})
    url = f"/households/{household.public_id}/"
    form = {
        "assessed_on": "2025-06-01",
        "per_capita_income": "3500",
        **{k: "on" for k in ALL_MET if k != "water"},
    }
    assert client.post(url, form).url == url
    html = client.get(url).content.decode()
    assert "no safe drinking water" in html and "Registered poor" in html
    client.force_login(User.objects.get(username="supervisor-513400"))
    assert "Record an assessment" not in client.get(url).content.decode()
    assert client.post(url, form).status_code == 200
    assert household.assessments.count() == 1
