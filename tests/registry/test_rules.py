"""Identification rules set by those responsible: each setting a new version with who and
when, inherited by the regions below, shown on a page and in the API, and named by the
assessments that used them."""

from datetime import date

import pytest

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.regions.models import Region
from aidbridge.registry.assessment import assessment_record
from aidbridge.registry.demo import rules_load
from aidbridge.registry.models import IdentificationRule
from aidbridge.registry.rules import rule_in_force, rule_set

pytestmark = pytest.mark.django_db
ALL = ["food", "clothing", "education", "medical", "housing", "water"]
ALL_MET = dict.fromkeys(ALL, True)
PAGE = "/households/rules/"


def set_rules(username="province-510000", code="510000", **data):
    fields = {
        "year": 2025,
        "poverty_line": 4500,
        "monitoring_multiple": 1.5,
        "guarantees": ALL,
        "note": "川扶贫发〔2025〕1号",
        **data,
    }
    return rule_set(
        by=User.objects.get(username=username), region=Region.objects.get(code=code), **fields
    )


def test_setting_again_adds_a_version_and_never_changes_the_first():
    first = set_rules()
    second = set_rules(poverty_line=4800, guarantees=["food", "housing"])
    assert (first.version, second.version) == (1, 2)
    assert second.set_by.username == "province-510000" and second.set_at is not None
    first.refresh_from_db()
    assert first.poverty_line == 4500 and first.guarantees == ALL
    village = Region.objects.get(code="513422100001")
    in_force = rule_in_force(village, 2026)
    assert in_force.rule == second  # inherited from the province, latest version
    assert in_force.rules.guarantees == ("food", "housing")
    assert rule_in_force(village, 2024).rule is None  # before any rule: the default
    assert rule_in_force(village, 2024).rules.poverty_line == 4000
    first.poverty_line = 1
    with pytest.raises(ValueError, match="never changed"):
        first.save()


def test_only_the_levels_the_settings_name_set_rules_and_only_for_their_region(settings):
    with pytest.raises(NotAllowed):
        set_rules("county-513422", "513422")  # counties may not by default
    with pytest.raises(NotAllowed):
        set_rules("province-510000", "513422")  # not the province's own region
    with pytest.raises(NotAllowed):
        set_rules("city-513400", "513400")
    with pytest.raises(NotAllowed):
        set_rules("clerk-513422100001", "513422100001")
    settings.RULE_LEVELS = ("province", "county")
    county = set_rules("county-513422", "513422", poverty_line=5000)
    set_rules()
    assert rule_in_force(Region.objects.get(code="513422100001"), 2025).rule == county
    assert rule_in_force(Region.objects.get(code="513401001003"), 2025).rules.poverty_line == 4500
    assert IdentificationRule.objects.count() == 2


def test_bad_input_names_each_field_and_writes_nothing():
    with pytest.raises(InvalidInput) as caught:
        set_rules(
            year=1900,
            poverty_line=0,
            monitoring_multiple="lots",
            guarantees=["food", "wifi"],
            note="x" * 201,
        )
    fields = {e["field"] for e in caught.value.errors}
    assert fields == {"year", "poverty_line", "monitoring_multiple", "guarantees", "note"}
    with pytest.raises(InvalidInput) as caught:
        set_rules(guarantees=[], monitoring_multiple=0.5)
    assert {e["field"] for e in caught.value.errors} == {"guarantees", "monitoring_multiple"}
    assert not IdentificationRule.objects.exists()


def test_assessments_name_the_version_they_used(client, make_household):
    household = make_household("RU-1", status="poor")
    clerk = User.objects.get(username="clerk-513422100001")

    def assess(on):
        return assessment_record(
            by=clerk,
            household=household,
            assessed_on=on,
            per_capita_income=4600,
            indicators=ALL_MET,
        )

    default = assess(date(2024, 6, 1))
    assert default.rule is None and default.suggested_status == "marginal"
    set_rules(poverty_line=4500)
    second = set_rules(poverty_line=4800)
    judged = assess(date(2025, 6, 1))
    assert judged.rule == second and judged.suggested_status == "poor"  # 4,600 < 4,800
    client.force_login(clerk)
    for language, texts in (
        (
            "en",
            [
                "Rules of Sichuan Province from 2025, version 2, applied to 2025",
                "The default rule, applied to 2024",
            ],
        ),
        ("zh-hans", ["四川省 2025 年起第 2 版规则，用于 2025 年", "默认规则，用于 2024 年"]),
    ):
        client.cookies.load({"django_language": language})
        html = client.get(f"/households/{household.public_id}/").content.decode()
        assert all(t in html for t in texts), language


def test_the_page_shows_what_is_in_force_and_the_province_sets_it(client, login):
    login("clerk-513422100001")
    client.cookies.load({"django_language": "en"})
    html = client.get(PAGE).content.decode()
    assert "The default rule: no region above has set its own." in html
    assert "4,000" in html and "Set these rules" not in html
    assert client.post(PAGE, {"year": 2025, "poverty_line": 9}).status_code == 404

    login("province-510000")
    form = {
        "year": "2025",
        "poverty_line": "4800",
        "monitoring_multiple": "1.6",
        "guarantees": ["food", "clothing", "education", "medical", "housing"],
        "note": "川扶贫发〔2025〕1号",
    }
    response = client.post(PAGE, form)
    assert response.status_code == 302 and "year=2025" in response.url
    client.post(PAGE, {**form, "poverty_line": "5000"})
    assert list(IdentificationRule.objects.values_list("version", "poverty_line")) == [
        (2, 5000),
        (1, 4800),
    ]
    bad = client.post(PAGE, {**form, "poverty_line": "", "guarantees": []})
    assert bad.status_code == 200 and bad.content.decode().count('class="error"') == 2

    login("clerk-513422100001")
    client.cookies.load({"django_language": "zh-hans"})
    html = client.get(f"{PAGE}?region=513422100001&year=2025").content.decode()
    assert "四川省，2025 年起，第 2 版" in html and "继承" in html
    assert "5,000" in html and "8,000" in html  # 1.6 × 5,000
    assert "province-510000" in html and "川扶贫发〔2025〕1号" in html
    assert "安全饮水" in html and "不要求" in html  # water is no longer required
    assert client.get(f"{PAGE}?region=513401").status_code == 404  # another county


def test_the_api_reads_and_sets_rules(api):
    created = api(
        "province-510000",
        "post",
        "/rules",
        {"region_code": "510000", "year": 2025, "poverty_line": 4700, "guarantees": ["food"]},
    )
    assert created.status_code == 201 and created.json()["version"] == 1
    refused = api(
        "county-513422",
        "post",
        "/rules",
        {"region_code": "513422", "year": 2025, "poverty_line": 4700, "guarantees": ["food"]},
    )
    assert refused.status_code == 403
    bad = api(
        "province-510000",
        "post",
        "/rules",
        {"region_code": "510000", "year": 2025, "poverty_line": -3, "guarantees": []},
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"poverty_line", "guarantees"}
    shown = api("clerk-513422100001", "get", "/rules?year=2026").json()
    assert shown["region_code"] == "513422100001" and shown["poverty_line"] == 4700
    assert shown["monitoring_line"] == 7050 and shown["guarantees"] == ["food"]
    assert shown["rule"]["region_code"] == "510000" and shown["rule"]["set_by"] == "province-510000"
    assert len(shown["history"]) == 1
    assert api("clerk-513422100001", "get", "/rules?region=513401").status_code == 404
    assert api("org-lsfund", "get", "/rules").status_code == 404


def test_the_demo_sets_sichuans_rules_once():
    assert rules_load() is True and rules_load() is False
    rule = rule_in_force(Region.objects.get(code="513422100001"), 2026).rule
    assert (rule.region.code, rule.year, rule.version, rule.poverty_line) == (
        "510000",
        2020,
        1,
        4000,
    )
    assert rule.set_by.username == "province-510000" and len(rule.guarantees) == 6
