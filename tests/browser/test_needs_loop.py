"""The whole loop of a need in a real browser: a village clerk files it, the township and the
county approve it, it appears on the public portal, an organization claims it, the clerk
records the delivery with evidence and the beneficiary's confirmation, and closes it."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from upload_files import image_bytes

from .conftest import screenshot
from .test_dashboard import log_in

pytestmark = pytest.mark.browser
TITLE = "村小学冬季取暖设备"


def as_user(browser, served, username, language="zh-CN"):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale=language)
    page = context.new_page()
    if username:
        log_in(page, served, username)
    return page


def test_a_need_goes_from_the_village_to_a_helper_and_closes(served, browser, tmp_path):
    clerk = as_user(browser, served, "clerk-513422100001")
    clerk.goto(f"{served}/needs/new/")
    clerk.select_option("#id_kind", "institution")
    expect(clerk.locator("#id_village")).to_have_value("513422100001")
    clerk.fill("#id_institution", "达吉林小学")
    clerk.select_option("#id_category", "education")
    clerk.fill("#id_title", TITLE)
    clerk.fill("#id_description", "教室冬季没有取暖设备，需要电暖器 6 台。")
    clerk.fill("#id_amount", "6000")
    clerk.select_option("#id_urgency", "5")
    clerk.fill("#id_deadline", (date.today() + timedelta(days=45)).isoformat())
    clerk.click("form.form button.primary")
    expect(clerk.locator("h1")).to_contain_text(TITLE)
    clerk.click("button[value=submit]")
    expect(clerk.locator(".badge.need-submitted")).to_be_visible()
    need_url = clerk.url

    for reviewer, status in (
        ("township-513422100", "township_reviewed"),
        ("county-513422", "published"),
    ):
        page = as_user(browser, served, reviewer)
        page.goto(f"{served}/needs/?tab=review")
        page.click(f"a:has-text('{TITLE}')")
        page.click("button[value=approve]")
        expect(page.locator(f".badge.need-{status}")).to_be_visible()
        page.context.close()

    public = as_user(browser, served, None)
    public.goto(f"{served}/portal/")
    public.click(f"a:has-text('{TITLE}')")
    expect(public.locator("body")).to_contain_text("6,000")
    screenshot(public, "portal-need-zh")
    public.context.close()

    helper = as_user(browser, served, "org-lsfund", "en-US")
    helper.goto(need_url)
    expect(helper.locator("#id_amount")).to_have_value("6000")
    helper.fill("#id_deliver_by", (date.today() + timedelta(days=10)).isoformat())
    helper.click("details.claim button.primary")
    expect(helper.locator(".badge.need-fully_claimed")).to_have_text("Fully claimed")
    screenshot(helper, "need-claimed-en")
    helper.context.close()

    evidence = tmp_path / "receipt.jpg"
    evidence.write_bytes(image_bytes())
    clerk.goto(need_url)
    clerk.click("details:has(button[value=deliver]) summary")
    clerk.set_input_files("input[name=evidence]", str(evidence))
    clerk.click("button[value=deliver]")
    expect(clerk.locator(".badge.need-in_delivery")).to_be_visible()
    clerk.click("details:has(button[value=confirm]) summary")
    clerk.fill("textarea[name=note]", "校长签字确认收到 6 台电暖器")
    clerk.click("button[value=confirm]")
    expect(clerk.locator(".badge.need-fulfilled")).to_be_visible()
    clerk.click("button[value=close]")
    expect(clerk.locator(".badge.need-closed")).to_be_visible()
    expect(clerk.locator("a[href$='/evidence']")).to_be_visible()
    screenshot(clerk, "need-closed-zh")
    assert re.search(r"/needs/[0-9a-f-]{36}/$", clerk.url)
