"""On a phone: an officer chooses English on My account, the choice outlives logging out and
in again, and the 404 page is a page of the site in the chosen language, with the menu."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_dashboard import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def choose(page, base, language: str) -> None:
    page.goto(f"{base}/accounts/me/")
    page.select_option("#id_language", language)
    page.click("#language button[type=submit]")


def test_the_language_of_an_account_follows_its_user_and_the_404_page_speaks_it(served, browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    try:
        log_in(page, served)
        page.goto(f"{served}/no/such/page/")
        expect(page.locator("h1")).to_have_text("页面不存在")
        expect(page.locator("nav.mainnav a").first).to_be_attached()
        screenshot(page, "404-phone-zh")

        choose(page, served, "en")
        expect(page.locator(".flash")).to_contain_text("Your language is saved.")
        page.click("text=Log out")
        context.clear_cookies()
        log_in(page, served)
        page.goto(f"{served}/no/such/page/")
        expect(page.locator("h1")).to_have_text("Page not found")
        expect(page.locator("a.button.primary")).to_have_text("Go to the home page")
        screenshot(page, "404-phone-en")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        choose(page, served, "zh-hans")
        expect(page.locator(".flash")).to_contain_text("语言已保存")
        # Back to following the browser, as the demo account was: the tests after this one
        # choose their language by the browser's locale.
        choose(page, served, "")
        expect(page.locator(".flash")).to_be_visible()
    finally:
        context.close()
