"""The top menu fits: no horizontal overflow on a 1366 px laptop or a 390 px phone, in
Chinese and English, for the admin (who has the most entries); on the phone a button opens
it, and every entry (those under "More" too) lies inside the screen."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_dashboard import log_in

pytestmark = pytest.mark.browser

INSIDE = """() => {
  const width = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll('.topbar a, .topbar button, .topbar summary')]
    .filter(e => e.getClientRects().length)
    .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > width; })
    .map(e => e.textContent.trim());
  const nav = document.querySelector('nav.mainnav');
  const crammed = nav.getClientRects().length > 0 && nav.scrollWidth > nav.clientWidth;
  return {scroll: document.documentElement.scrollWidth, width, out, crammed};
}"""


def fits(page) -> None:
    found = page.evaluate(INSIDE)
    assert found["scroll"] <= found["width"], found
    assert found["out"] == [], found
    assert not found["crammed"], found  # entries overlapping the tools, or scrolled away


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
@pytest.mark.parametrize("width", [1366, 1200, 390])
def test_the_admins_menu_fits_laptop_and_phone(served, browser, language, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale=language)
    page = context.new_page()
    log_in(page, served, "admin")
    page.goto(f"{served}/needs/")
    nav = page.locator("nav.mainnav")
    toggle = page.locator("button[data-navtoggle]")
    more = page.locator("details.more > summary")
    if width > 1180:
        expect(toggle).to_be_hidden()
        expect(nav.locator("> a").first).to_be_visible()
        box = page.locator("header.topbar").bounding_box()
        assert box["height"] <= 64  # one row
    else:
        expect(nav).to_be_hidden()
        fits(page)
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    for link in nav.locator("> a").all():
        expect(link).to_be_visible()
    fits(page)
    more.click()
    for link in nav.locator("details.more .menu a").all():
        expect(link).to_be_visible()
    fits(page)
    screenshot(page, f"menu-{width}-{language}")
    page.keyboard.press("Escape")
    expect(nav.locator("details.more .menu")).to_be_hidden()
    page.locator("details.more .menu a").first.evaluate("a => a.closest('details').open = true")
    page.locator("details.more .menu a[href='/jobs/']").click()
    expect(page).to_have_url(f"{served}/jobs/")
    expect(page.locator("details.more > summary.active")).to_have_count(1)
    context.close()
