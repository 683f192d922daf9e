"""The province scores a county with a veto item, on a 1366 px laptop: the province officer
sets a scorecard (in Chinese) with a manual one-vote veto item, computes a county, enters the
item's value, which fails the county whatever its score; a supervisor reviews (in English),
the province publishes, and the portal shows it in both languages without households."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_dashboard import log_in

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
YEAR = "2025"
COUNTY = "513401"  # Xichang: no assessment in the demo


def open_as(browser, served, username, language, viewport=LAPTOP):
    context = browser.new_context(viewport=viewport, locale=language)
    page = context.new_page()
    if username:
        log_in(page, served, username)
    return page


def test_the_province_scores_a_county_with_a_veto_item(browser, served):
    page = open_as(browser, served, "province-510000", "zh-CN")
    page.goto(f"{served}/assessment/")
    expect(page.locator("h1")).to_have_text("县级考核")
    page.get_by_role("link", name="考核指标体系").first.click()
    page.locator("input[name=year]").fill(YEAR)
    page.get_by_role("button", name="查看").click()
    expect(page.locator("h1")).to_contain_text(YEAR)
    form = page.locator("#scorecard-form")
    for box in form.locator("input[name^=on_]").all():
        box.uncheck()
    form.locator("#id_pass_score").fill("40")
    form.locator("#id_on_helpers_mobilised").check()
    form.locator("#id_weight_helpers_mobilised").fill("50")
    form.locator("#id_threshold_helpers_mobilised").fill("0")
    form.locator("#id_on_manual_1").check()
    form.locator("#id_label_manual_1").fill("贫困发生率")
    form.locator("#id_weight_manual_1").fill("50")
    form.locator("#id_direction_manual_1").select_option("at_most")
    form.locator("#id_threshold_manual_1").fill("2")
    form.locator("#id_veto_manual_1").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    screenshot(page, "assessment-scorecard-zh")
    form.get_by_role("button", name="保存考核指标体系").click()
    expect(page.locator(".flash").first).to_contain_text("考核指标体系已保存")

    page.locator("select[name=county]").select_option(COUNTY)
    page.locator("section.card input[name=year]").fill(YEAR)
    page.get_by_role("button", name="计算", exact=True).click()
    expect(page).to_have_url(re.compile(r"/assessment/[0-9a-f-]+/$"))
    manual = page.locator("#manual form")
    manual.locator("input[name=value]").fill("3.1")
    manual.locator("input[name=note]").fill("市统计局住户抽样调查")
    manual.get_by_role("button", name="保存").click()
    expect(page.locator(".flash").first).to_contain_text("请重新计算")
    page.locator("#steps").get_by_role("button", name="计算", exact=True).click()
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("一票否决未通过")
    expect(verdict).to_contain_text("50")  # the score reaches the pass score: the veto fails it
    expect(verdict).to_contain_text("贫困发生率")
    row = page.locator('tr[data-key="manual_1"]')
    expect(row).to_contain_text("一票否决")
    expect(row).to_contain_text("未达标")
    expect(page.get_by_role("button", name="确认复核")).to_have_count(0)  # not one's own
    assessment_url = page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    screenshot(page, "assessment-county-zh")
    page.context.close()

    page = open_as(browser, served, "supervisor-513400", "en-US")
    page.goto(assessment_url)
    expect(page.locator("#verdict")).to_contain_text("Failed by one-vote veto")
    page.locator("input[name=note]").fill("Checked against the statistics bureau's survey")
    page.get_by_role("button", name="Confirm the review").click()
    expect(page.locator(".flash").first).to_contain_text("The assessment is reviewed")
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    page.context.close()

    page = open_as(browser, served, "province-510000", "en-US")
    page.goto(assessment_url)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash").first).to_contain_text("published on the portal")
    expect(page.locator("#status")).to_have_text("Published")
    screenshot(page, "assessment-county-en")
    page.context.close()

    for language, veto, viewport in (
        ("zh-CN", "一票否决未通过", PHONE),
        ("en-US", "Failed by one-vote veto", LAPTOP),
    ):
        page = open_as(browser, served, None, language, viewport)
        page.goto(f"{served}/portal/assessment/")
        row = page.locator("table.data tbody tr", has_text=YEAR)
        expect(row.first).to_contain_text(veto)
        row.first.locator("a").click()
        expect(page.locator("#verdict")).to_contain_text(veto)
        expect(page.locator("#evidence th", has_text=re.compile("Household|户"))).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"assessment-portal-{language}")
        page.context.close()
