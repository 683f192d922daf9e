"""A county officer logs in, sees their county's townships, and switches language."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser


def log_in(page, base, username="county-513422", password="demo12345"):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")


def test_county_officer_sees_townships_in_both_languages(served, page):
    log_in(page, served)
    expect(page).to_have_url(re.compile(r"/regions/513422/$"))
    expect(page.locator("h1")).to_have_text("木里藏族自治县")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(27)  # Muli's 27 real townships
    expect(rows.first).to_contain_text("乔瓦镇")
    expect(page.locator(".stats.small .stat").first).to_contain_text("27")
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    expect(page.locator("ol.timeline").first).to_be_visible()  # history loaded by htmx
    screenshot(page, "dashboard-zh")

    page.click("button[data-lang=en]")
    expect(page.locator("h1")).to_have_text("Muli Tibetan Autonomous County")
    expect(rows.first).to_contain_text("Qiaowa Town")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    screenshot(page, "dashboard-en")

    page.click("a:has-text('Qiaowa Town')")
    expect(page.locator("h1")).to_have_text("Qiaowa Town")
    expect(page.locator(".crumbs")).to_contain_text("Muli Tibetan Autonomous County")


def test_township_officer_cannot_open_the_county(served, page):
    log_in(page, served, "township-513422100")
    expect(page).to_have_url(re.compile(r"/regions/513422100/$"))
    response = page.goto(f"{served}/regions/513422/")
    assert response.status == 404
    response = page.goto(f"{served}/api/v1/regions/513422101")
    assert response.status == 404


def test_wrong_password_is_refused_with_a_message(served, page):
    log_in(page, served, password="wrong")
    expect(page.locator(".errors")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_the_dashboard_works_on_a_phone(served, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    log_in(page, served, "clerk-513422100001")
    expect(page.locator("h1")).to_have_text("达吉林社区")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    screenshot(page, "clerk-phone-zh")
    context.close()
