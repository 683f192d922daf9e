"""The monitoring dashboards in a browser: the county officer on a laptop drills down from
the county to a township and downloads a figure as CSV; the township officer on a phone works
from the list of open leads, overdue first; the province officer sets a new version of the
monitoring criteria; the clerk opens their village's dashboard from the menu on a phone. In
Chinese and in English, without horizontal overflow."""

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from .conftest import SERVED_ENV, screenshot
from .test_dashboard import log_in

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}

# Three leads in the clerk's village, of households nothing else monitors: one overdue at
# the township's check (escalated), one waiting for the visit, one decided (monitored).
SEED = """
import json
from datetime import timedelta
from django.utils import timezone
from aidbridge.monitoring.models import Lead, MonitoredHousehold
from aidbridge.monitoring.services import lead_open
from aidbridge.registry.models import Household
today = timezone.localdate()
free = Household.objects.filter(
    village__code="513422100001", monitoring__isnull=True, monitoring_leads__isnull=True
).order_by("number")[:3]
late, waiting, decided = list(free)
a, _ = lead_open(channel="department", household=late, rule="medical_share", source="medical")
Lead.objects.filter(pk=a.pk).update(
    stage="township_check", step_due=today - timedelta(days=2),
    decide_by=today + timedelta(days=5), escalated_to="county",
)
b, _ = lead_open(channel="visit", household=waiting, rule="visit_income")
Lead.objects.filter(pk=b.pk).update(step_due=today + timedelta(days=3))
c, _ = lead_open(channel="self_report", household=decided, rule="self_report_dash")
Lead.objects.filter(pk=c.pk).update(
    status="approved", stage="county_approval",
    opened_on=today - timedelta(days=12), decided_on=today - timedelta(days=2),
)
MonitoredHousehold.objects.create(
    household=decided, kind="marginal", lead=c, since=today - timedelta(days=2)
)
print(json.dumps({"late": late.number, "waiting": waiting.number}))
"""


@pytest.fixture(scope="module")
def leads(served):
    done = subprocess.run(
        [sys.executable, "-m", "aidbridge.cli", "shell", "-c", SEED],
        env=SERVED_ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def open_as(browser, served, username, viewport, locale):
    context = browser.new_context(viewport=viewport, locale=locale, accept_downloads=True)
    page = context.new_page()
    log_in(page, served, username)
    return page


def no_overflow(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_county_drills_down_and_downloads_a_figure(browser, served, leads, locale):
    zh = locale == "zh-CN"
    page = open_as(browser, served, "county-513422", LAPTOP, locale)
    page.goto(f"{served}/monitoring/")
    expect(page.locator("h1")).to_have_text("防止返贫监测" if zh else "Relapse monitoring")
    expect(page.locator(".pagehead .sub")).to_contain_text("木里藏族自治县" if zh else "Muli")
    for key in ("monitored", "leads", "overdue", "decisions", "regions"):
        expect(page.locator(f"#figure-{key} table.data")).to_be_visible()
    overdue = page.locator(".stats .stat").nth(2)
    expect(overdue).to_have_class("stat bad")
    no_overflow(page, LAPTOP["width"])
    screenshot(page, f"monitoring-county-{locale}")
    with page.expect_download() as download:
        page.locator("#figure-leads .cardhead a").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.splitlines()[0].startswith("渠道," if zh else "Channel,")
    page.locator("#figure-regions a", has_text="乔瓦镇" if zh else "Qiaowa").click()
    expect(page.locator(".crumbs")).to_contain_text("木里藏族自治县" if zh else "Muli")
    expect(page.locator(".pagehead .sub")).to_contain_text("乔瓦镇" if zh else "Qiaowa")
    village = page.locator("#figure-regions tbody tr", has_text="达吉林社区" if zh else "Dajilin")
    expect(village).to_be_visible()
    open_leads = village.locator("td").nth(4)  # after the name, monitored, its bar, eliminated
    assert int(open_leads.inner_text()) >= 2  # ours included
    page.context.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_township_works_from_its_list_on_a_phone(browser, served, leads, locale):
    zh = locale == "zh-CN"
    page = open_as(browser, served, "township-513422100", PHONE, locale)
    page.goto(f"{served}/monitoring/")
    page.locator(".pagehead .actions a").first.click()
    expect(page.locator("h1")).to_have_text("待办监测线索" if zh else "Open leads to work on")
    first = page.locator("table#work tbody tr").first
    expect(first.locator(".badge.failed")).to_have_text("逾期" if zh else "overdue")
    late = page.locator("table#work tbody tr", has_text=leads["late"])
    expect(late).to_contain_text("医疗支出超过收入的规定比例" if zh else "Medical spending")
    expect(late.locator(".badge.running")).to_be_visible()  # escalated
    expect(page.locator("table#work tbody tr", has_text=leads["waiting"])).to_be_visible()
    assert late.locator("td").first.evaluate("e => getComputedStyle(e).display") != "table-cell"
    no_overflow(page, PHONE["width"])
    screenshot(page, f"monitoring-work-phone-{locale}")
    page.select_option("select[name=stage]", "visit")
    expect(page.locator("table#work tbody tr", has_text=leads["late"])).to_have_count(0)
    expect(page.locator("table#work tbody tr", has_text=leads["waiting"])).to_be_visible()
    page.context.close()


def test_the_province_sets_criteria_and_the_clerk_reads_them(browser, served, leads):
    page = open_as(browser, served, "province-510000", LAPTOP, "en-US")
    page.goto(f"{served}/monitoring/criteria/?year=2026")
    expect(page.locator("h1")).to_have_text("Monitoring criteria")
    page.fill("#id_medical_share", "0.45")
    page.fill("#id_window_days", "0")
    page.locator("#set button.primary").click()
    expect(page.locator("#set .error")).to_contain_text("1")  # the days, named
    page.fill("#id_window_days", "300")
    page.fill("#id_note", "Doc 2026-1")
    page.locator("#set button.primary").click()
    expect(page.locator(".flash").first).to_contain_text("version 1")
    expect(page.locator("#history tr.current")).to_contain_text("Doc 2026-1")
    no_overflow(page, LAPTOP["width"])
    page.context.close()

    page = open_as(browser, served, "clerk-513422100001", PHONE, "zh-CN")
    page.locator("button[data-navtoggle]").click()
    page.locator("nav.mainnav a", has_text="返贫监测").click()
    expect(page.locator(".pagehead .sub")).to_contain_text("达吉林社区")
    expect(page.locator("#figure-regions")).to_contain_text("没有下级地区")
    page.locator(".pagehead .actions a", has_text="监测标准").click()
    expect(page.locator("#in-force")).to_contain_text("0.45")
    expect(page.locator("#kinds")).to_contain_text("边缘易致贫户")
    expect(page.locator("#set")).to_have_count(0)
    no_overflow(page, PHONE["width"])
    screenshot(page, "monitoring-criteria-phone-zh")
    page.context.close()
