"""A lead from a medical file goes, in a browser, through the clerk's home visit with
signed consent, the village review and the public notice (on the clerk's 390 px phone), the
township's check and the county's approval (on a 1366 px laptop) to a monitored household
with a plan; and later, after six months of visits above the monitoring line, through the
same steps to risk eliminated. Chinese and English alternate between the steps."""

import json
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect
from upload_files import image_bytes

from .conftest import SERVED_ENV, screenshot
from .test_dashboard import log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 800}

SET_UP = """
import json
from aidbridge.monitoring.models import Lead
from aidbridge.monitoring.services import lead_open
from aidbridge.registry.models import Household
household = (
    Household.objects.filter(village__code="513422100001", status__in=["lifted", "marginal"])
    .filter(monitoring_leads__isnull=True, cases__isnull=True)
    .order_by("-number")
    .first()
)
lead, _ = lead_open(
    channel="department", household=household, rule="medical_share", source="medical"
)
print(json.dumps({"lead": str(lead.public_id), "head": household.head_name}))
"""
NOTICE_BACK = """
from datetime import timedelta
from django.utils import timezone
from aidbridge.monitoring.models import {model}
today = timezone.localdate()
{model}.objects.filter({key}="{value}", stage="notice").update(
    notice_started=today - timedelta(days=5), step_due=today
)
"""
VISITS_ABOVE_THE_LINE = """
from datetime import timedelta
from django.utils import timezone
from aidbridge.accounts.models import User
from aidbridge.monitoring.models import Lead
from aidbridge.monitoring.visits import visit_record
lead = Lead.objects.get(public_id="{lead}")
lead.visits.update(visited_on=timezone.localdate() - timedelta(days=220))  # time passes
met = dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), True)
for days in (200, 100, 10):
    visit_record(
        by=User.objects.get(username="clerk-513422100001"), household=lead.household,
        visited_on=timezone.localdate() - timedelta(days=days), indicators=met,
        per_capita_income=50000,
    )
"""


def served_shell(code: str) -> str:
    """Run ``code`` in the served app's Django (its database), return what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "aidbridge.cli", "shell", "-c", code],
        env=SERVED_ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def as_user(browser, served, username, viewport, language):
    context = browser.new_context(viewport=viewport, locale=language)
    page = context.new_page()
    log_in(page, served, username)
    return page


def fits(page, viewport) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def home_visit(page, consent, *, kind=None, income="3200"):
    page.locator("a.button.primary[href$='/visit/']").click()
    if kind:
        page.select_option("#id_kind", kind)
    page.fill("#id_per_capita_income", income)
    page.set_input_files("#id_consent", str(consent))
    page.locator("form button.primary").click()


def step(page, action):
    page.locator(f"button[name=action][value={action}]").click()
    expect(page.locator(".flash").first).to_be_visible()


def test_a_medical_lead_to_a_monitored_household_and_on_to_risk_eliminated(
    browser, served, tmp_path
):
    made = json.loads(served_shell(SET_UP).strip().splitlines()[-1])
    lead_url = f"{served}/monitoring/leads/{made['lead']}/"
    consent = tmp_path / "consent.jpg"
    consent.write_bytes(image_bytes())

    # The clerk, on the phone, in Chinese: the visit with consent, the review, the notice.
    page = as_user(browser, served, "clerk-513422100001", PHONE, "zh-CN")
    page.goto(f"{served}/work/")
    expect(page.locator("#work-leads")).to_be_visible()  # more may wait than the part shows
    page.goto(f"{served}/monitoring/work/?stage=visit")
    page.locator(f"#work a[href='/monitoring/leads/{made['lead']}/']").click()
    expect(page.locator("h1")).to_contain_text("监测线索")
    expect(page.locator("#lead")).to_contain_text("医保")
    fits(page, PHONE)
    home_visit(page, consent, kind="hardship")
    expect(page.locator(".flash").first).to_contain_text("走访已记录")
    step(page, "review")
    step(page, "start_notice")
    expect(page.locator("#procedure .badge").first).to_have_text("公示")
    expect(page.locator("ol.steps li")).to_have_count(3)
    fits(page, PHONE)
    screenshot(page, "monitoring-lead-phone-zh")
    page.goto(f"{served}/portal/notices/513422100001/")
    expect(page.locator("#monitoring-notices")).to_contain_text(made["head"])
    expect(page.locator("#monitoring-notices")).not_to_contain_text("医疗")
    page.context.close()

    served_shell(NOTICE_BACK.format(model="Lead", key="public_id", value=made["lead"]))

    # The township, on a laptop, in English: close the notice and check.
    page = as_user(browser, served, "township-513422100", LAPTOP, "en-US")
    page.goto(f"{served}/work/")
    expect(page.locator("#work-leads")).to_contain_text("Monitoring leads waiting for your step")
    page.locator(f"#work-leads a[href='/monitoring/leads/{made['lead']}/']").click()
    step(page, "close_notice")
    step(page, "check")
    expect(page.locator("#procedure .badge").first).to_have_text("County approval")
    page.context.close()

    # The county, on a laptop, in Chinese: approve; then a plan.
    page = as_user(browser, served, "county-513422", LAPTOP, "zh-CN")
    page.goto(lead_url)
    expect(page.locator("button[name=action][value=approve]")).to_have_text("审批通过（县级）")
    step(page, "approve")
    page.locator("a[href*='/monitoring/monitored/']").click()
    expect(page.locator("h1 .badge")).to_have_text("监测户")
    page.select_option("#id_kind", "medical")
    page.fill("#id_description", "大病医疗救助")
    page.fill("#id_responsible", "县医疗保障局")
    page.locator("details.add-measure button.primary").click()
    expect(page.locator("table.measures")).to_contain_text("大病医疗救助")
    monitored_url = page.url.split("#")[0]
    screenshot(page, "monitoring-household-laptop-zh")
    page.context.close()

    # Six months later: visits above the line; the clerk proposes, in English on the phone.
    served_shell(VISITS_ABOVE_THE_LINE.format(lead=made["lead"]))
    page = as_user(browser, served, "clerk-513422100001", PHONE, "en-US")
    page.goto(monitored_url)
    expect(page.locator("table.measures")).to_contain_text("大病医疗救助")
    page.locator("#elimination button.primary").click()
    expect(page.locator(".flash").first).to_contain_text("Risk elimination proposed")
    home_visit(page, consent, income="52000")
    step(page, "review")
    step(page, "start_notice")
    expect(page.locator("#elimination .badge").first).to_have_text("Public notice")
    fits(page, PHONE)
    screenshot(page, "monitoring-elimination-phone-en")
    page.context.close()

    monitored_id = re.search(r"/monitored/([0-9a-f-]+)/", monitored_url).group(1)
    served_shell(
        NOTICE_BACK.format(model="Elimination", key="monitored__public_id", value=monitored_id)
    )
    page = as_user(browser, served, "township-513422100", LAPTOP, "zh-CN")
    page.goto(f"{served}/work/")
    page.locator(f"#work-eliminations a[href^='/monitoring/monitored/{monitored_id}/']").click()
    step(page, "close_notice")
    step(page, "check")
    page.context.close()

    page = as_user(browser, served, "county-513422", LAPTOP, "en-US")
    page.goto(monitored_url)
    step(page, "approve")
    expect(page.locator("#monitoring .badge")).to_have_text("Risk eliminated")
    expect(page.locator("h1 .badge")).to_have_text("Risk eliminated")
    expect(page.locator("table.measures")).to_contain_text("大病医疗救助")  # the data stay
    screenshot(page, "monitoring-eliminated-laptop-en")
    page.context.close()
