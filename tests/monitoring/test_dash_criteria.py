"""The monitoring criteria page and service: what is in force for a region and year beside
the monitoring income line of the identification rules, with both histories; a new version
set by the officers of the rule levels, each bad field named and nothing written."""

from decimal import Decimal

import pytest

from aidbridge.accounts.models import ApiToken
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.monitoring.criteria_versions import criteria_set
from aidbridge.monitoring.models import MonitoringCriteria
from aidbridge.monitoring.selectors import criteria_in_force
from aidbridge.registry.rules import rule_set

pytestmark = pytest.mark.django_db
GOOD = dict(
    year=2026, medical_share="0.4", education_share="0.25", disaster_share="0.3", window_days=180
)


def test_a_new_version_each_time_and_the_old_one_unchanged(region, user):
    province = user("province-510000")
    first = criteria_set(by=province, region=region("510000"), **GOOD, note="文件一")
    second = criteria_set(by=province, region=region("510000"), **{**GOOD, "medical_share": 0.6})
    assert (first.version, second.version) == (1, 2)
    assert MonitoringCriteria.objects.get(pk=first.pk).medical_share == Decimal("0.400")
    in_force = criteria_in_force(region("513422100001"), 2026)
    assert in_force.version == second and in_force.criteria.medical_share == 0.6
    assert in_force.criteria.window_days == 180
    with pytest.raises(ValueError):
        first.save()


def test_every_bad_field_is_named_and_nothing_is_written(region, user):
    with pytest.raises(InvalidInput) as refused:
        criteria_set(
            by=user("province-510000"),
            region=region("510000"),
            year=1999,
            medical_share="half",
            education_share=0,
            disaster_share="10.5",
            window_days=True,
            note="x" * 201,
        )
    fields = [e["field"] for e in refused.value.errors]
    assert fields == [
        "year",
        "medical_share",
        "education_share",
        "disaster_share",
        "window_days",
        "note",
    ]
    assert not MonitoringCriteria.objects.exists()


def test_only_the_rule_levels_set_criteria_and_only_for_their_region(region, user):
    with pytest.raises(NotAllowed):
        criteria_set(by=user("county-513422"), region=region("513422"), **GOOD)
    with pytest.raises(NotAllowed):
        criteria_set(by=user("province-510000"), region=region("513400"), **GOOD)
    assert not MonitoringCriteria.objects.exists()


def test_the_page_shows_the_line_the_criteria_their_history_and_the_kinds(client, region, user):
    province = user("province-510000")
    rule_set(
        by=province,
        region=region("510000"),
        year=2026,
        poverty_line=4600,
        monitoring_multiple="1.5",
        guarantees=["food", "clothing"],
    )
    client.force_login(province)
    response = client.post(
        "/monitoring/criteria/?region=510000",
        {**GOOD, "medical_share": "0.45", "note": "川乡振发〔2026〕1号"},
    )
    assert response.status_code == 302
    assert response.url == "/monitoring/criteria/?region=510000&year=2026"
    refused = client.post("/monitoring/criteria/?region=510000", {**GOOD, "window_days": "0"})
    assert refused.status_code == 200 and refused.context["form"].errors["window_days"]
    assert MonitoringCriteria.objects.count() == 1

    client.force_login(user("clerk-513422100001"))
    page = client.get("/monitoring/criteria/?year=2026")
    text = page.content.decode()
    assert page.status_code == 200 and page.context["form"] is None
    assert "6,900" in text  # the monitoring line: 1.5 x 4,600
    assert "0.45 倍" in text and "0.450" not in text and "川乡振发〔2026〕1号" in text
    assert text.count('class="current"') == 2  # the line's version and the criteria's
    assert "脱贫不稳定户" in text and "突发严重困难户" in text
    assert client.get("/monitoring/criteria/?region=513401").status_code == 404


def test_the_api_reads_and_sets_criteria(client, region, user):
    def call(username, method, path, **data):
        raw = ApiToken.issue(user(username))[1]
        kwargs = {"data": data, "content_type": "application/json"} if data else {}
        return getattr(client, method)(
            f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {raw}", **kwargs
        )

    body = {**GOOD, "region_code": "510000"}
    assert call("county-513422", "post", "/monitoring/criteria", **body).status_code == 403
    made = call("province-510000", "post", "/monitoring/criteria", **body)
    assert made.status_code == 201 and made.json()["version"] == 1
    bad = call("province-510000", "post", "/monitoring/criteria", **{**body, "window_days": -1})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "window_days"
    found = call("township-513422100", "get", "/monitoring/criteria?year=2026").json()
    assert found["region_code"] == "513422100" and found["medical_share"] == 0.4
    assert found["version"]["region_code"] == "510000" and len(found["history"]) == 1
    assert (
        call("township-513422100", "get", "/monitoring/criteria?region=513401").status_code == 404
    )
