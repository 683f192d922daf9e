"""Histories speak their reader's language: statuses and other choices by their translated
labels, never codes, in every history (households, needs, projects, accounts); a household's
history includes its members, responsible helpers and assessments, a project's its targets,
pledges, partners, links, milestones and notes."""

from datetime import date

import pytest
from django.utils import timezone, translation

from aidbridge.audit import history_rows, shown
from aidbridge.needs.models import Need
from aidbridge.registry.assessment import assessment_record
from aidbridge.registry.identification import INDICATORS
from aidbridge.registry.models import Household, HouseholdStatus, Member
from aidbridge.registry.responsible import responsible_helper_assign

pytestmark = pytest.mark.django_db
CLERK, COUNTY = "clerk-513422100001", "county-513422"


def timeline(html: str) -> str:
    """The change history of a page (its last timeline)."""
    assert '<ol class="timeline">' in html, "no history on the page"
    return html.rsplit('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]


def lived(make_household, user) -> Household:
    """A marginal household whose status, causes and a member's health changed, with a
    responsible helper and an assessment."""
    household = make_household("H-1", name="王大山", status="marginal")
    household.status, household.secondary_causes = "monitored", ["water", "skills"]
    household.save()
    member = Member.objects.get(household=household)
    member.health = "chronic"
    member.save()
    responsible_helper_assign(
        by=user(CLERK),
        household=household,
        name="张三",
        work_unit="乔瓦镇人民政府",
        phone="13812345678",
        since=date(2024, 3, 1),
    )
    assessment_record(
        by=user(CLERK),
        household=household,
        assessed_on=timezone.localdate(),
        per_capita_income=5000,
        indicators=dict.fromkeys(INDICATORS, True),
    )
    return household


def test_a_value_is_shown_by_its_label():
    field = Household._meta.get_field("status")
    with translation.override("zh-hans"):
        assert str(shown(field, "monitored")) == "监测户"
    with translation.override("en"):
        assert str(shown(field, "monitored")) == "Monitored"
        assert shown(field, "") is None
        cause = Household._meta.get_field("secondary_causes")
        assert shown(cause, ["water", "skills"], {"water": "Lack of water"}.items()) == (
            "Lack of water, skills"
        )


def test_household_history_in_chinese_has_labels_and_its_parts(client, login, make_household, user):
    household = lived(make_household, user)
    login(COUNTY)
    html = timeline(client.get(f"/households/{household.public_id}/").content.decode())
    assert "<del>边缘户</del> → <ins>监测户</ins>" in html
    assert "<ins>缺水、缺技术</ins>" in html
    assert "<del>健康</del> → <ins>长期慢性病</ins>" in html
    assert "家庭成员 王大山" in html and "帮扶责任人 张三" in html and "评估 " in html
    assert "乔瓦镇人民政府" in html
    for code in ("marginal", "monitored", "chronic", "water", "skills", "healthy"):
        assert code not in html


def test_household_history_hides_health_from_roles_without_personal_data(
    client, login, make_household, user
):
    household = lived(make_household, user)
    login("supervisor-513400")
    client.cookies.load({"django_language": "en"})
    html = timeline(client.get(f"/households/{household.public_id}/").content.decode())
    assert "member 王大山" in html and "responsible helper 张三" in html
    assert "<del>Marginal</del> → <ins>Monitored</ins>" in html
    assert "Chronic" not in html and "13812345678" not in html


def test_household_history_in_the_api_in_english(client, api, make_household, user):
    household = lived(make_household, user)
    client.cookies.load({"django_language": "en"})
    rows = api(COUNTY, "get", f"/households/{household.public_id}/history").json()
    status = [c for r in rows for c in r["changes"] if c["field"] == "status"]
    assert status == [{"field": "status", "old": "Marginal", "new": "Monitored"}]
    assessments = [r for r in rows if (r["record"] or "").startswith("assessment")]
    assert assessments and assessments[0]["who"] == CLERK
    suggested = {c["field"]: c["new"] for c in assessments[0]["changes"]}
    assert suggested["suggested status"] in {label for _, label in HouseholdStatus.choices}
    assert any((r["record"] or "").startswith("member 王大山") for r in rows)


def test_project_history_has_labels_and_its_parts(client, login, start, bring):
    project = bring(start("助学项目"), "closed")
    login(COUNTY)
    html = timeline(client.get(f"/projects/{project.public_id}/").content.decode())
    assert "环节: <del>需求挖掘</del> → <ins>资源筹集</ins>" in html
    assert "<del>协同执行</del> → <ins>已关闭</ins>" in html
    lsfund = "凉山乡村振兴公益基金会（演示）"
    for record in (
        "目标 校服",
        f"承诺 {lsfund}",
        f"合作方 {lsfund}",
        "里程碑 校服发放",
        "调查记录 ",
    ):
        assert f'<span class="record">{record}' in html, record
    assert "角色: 社会组织" in html and "类型: 物资" in html and "走访发现缺少校服" in html
    assert "projects/" not in html  # an evidence file's path is no reader's business
    # The household linked while mining shows by its number.
    assert f"<ins>B-{project.pk}</ins>" in html
    for code in ("mining", "raising", "executing", "organization", "material"):
        assert f">{code}<" not in html and f"{code} " not in html

    client.cookies.load({"django_language": "en"})
    html = timeline(client.get(f"/projects/{project.public_id}/").content.decode())
    assert "<del>Mining needs</del> → <ins>Raising funds and supplies</ins>" in html
    assert "pledge " in html and "partner " in html and "milestone 校服发放" in html


def test_need_and_account_histories_show_labels(client, login, make_household, file_need, user):
    need = file_need(household_number=make_household("H-1").number)
    need.status = "submitted"
    need.save()
    login(COUNTY)
    client.cookies.load({"django_language": "en"})
    html = timeline(client.get(f"/needs/{need.public_id}/").content.decode())
    assert "<del>Draft</del> → <ins>Submitted by the village</ins>" in html
    clerk = user(CLERK)
    clerk.is_active = False
    clerk.save()
    rows = history_rows(clerk)
    with translation.override("zh-hans"):
        values = [(str(c["old"]), str(c["new"])) for r in rows for c in r["changes"]]
    assert ("是", "否") in values
    assert Need.objects.filter(pk=need.pk).exists()
