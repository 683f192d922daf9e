"""The village clerk's phone (390 px wide): tables become cards, so a claimed need's status and
its actions stay on screen, and the clerk records the delivery (with evidence) and the
beneficiary's confirmation, in Chinese and in English."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from upload_files import image_bytes

from .conftest import screenshot
from .test_dashboard import log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 860}
CLERK = "clerk-513422100001"
LANGUAGES = {"zh-CN": ("已全部认领", "已完成"), "en-US": ("Fully claimed", "Fulfilled")}


def as_user(browser, served, username, language, viewport):
    context = browser.new_context(viewport=viewport, locale=language)
    page = context.new_page()
    log_in(page, served, username)
    return page


def claimed_need(browser, served, title, language) -> str:
    """A need of the clerk's village, filed on the phone, approved and fully claimed."""
    clerk = as_user(browser, served, CLERK, language, PHONE)
    clerk.goto(f"{served}/needs/new/")
    clerk.select_option("#id_kind", "institution")
    clerk.fill("#id_institution", "达吉林小学")
    clerk.select_option("#id_category", "education")
    clerk.fill("#id_title", title)
    clerk.fill("#id_description", "教室冬季没有取暖设备，需要电暖器 4 台。")
    clerk.fill("#id_amount", "4000")
    clerk.fill("#id_deadline", (date.today() + timedelta(days=45)).isoformat())
    clerk.click("form.form button.primary")
    clerk.click("button[value=submit]")
    expect(clerk.locator(".badge.need-submitted")).to_be_visible()
    url = clerk.url
    clerk.context.close()
    for reviewer, status in (
        ("township-513422100", "township_reviewed"),
        ("county-513422", "published"),
    ):
        page = as_user(browser, served, reviewer, language, LAPTOP)
        page.goto(url)
        for reason in page.locator("textarea[name^=override_]").all():
            reason.fill("已入户核实")  # the filters may flag a similar need of the village
        page.click("button[value=approve]")
        expect(page.locator(f".badge.need-{status}")).to_be_visible()
        page.context.close()
    helper = as_user(browser, served, "org-lsfund", language, LAPTOP)
    helper.goto(url)
    helper.fill("#id_deliver_by", (date.today() + timedelta(days=10)).isoformat())
    helper.click("details.claim button.primary")
    expect(helper.locator(".badge.need-fully_claimed")).to_be_visible()
    helper.context.close()
    return url


def on_screen(locator) -> None:
    """Shown and inside the phone's width (not cut off, not scrolled sideways)."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_clerk_records_delivery_and_confirmation_on_a_phone(
    served, browser, tmp_path, language
):
    claimed, fulfilled = LANGUAGES[language]
    url = claimed_need(browser, served, f"手机上的取暖设备 {language}", language)
    clerk = as_user(browser, served, CLERK, language, PHONE)
    clerk.goto(url)
    expect(clerk.locator(".badge.need-fully_claimed")).to_have_text(claimed)
    card = clerk.locator("#claims table.data tbody tr").first
    on_screen(card.locator(".badge"))
    deliver = card.locator("details:has(button[value=deliver]) summary")
    on_screen(deliver)
    # Each cell of the card says which column it is.
    status_cell = card.locator("td:has(.badge)")
    assert status_cell.get_attribute("data-label") in ("状态", "Status")
    screenshot(clerk, f"phone-claim-{language}")

    evidence = tmp_path / "receipt.jpg"
    evidence.write_bytes(image_bytes())
    deliver.click()
    clerk.set_input_files("#claims input[name=evidence]", str(evidence))
    on_screen(clerk.locator("#claims button[value=deliver]"))
    clerk.click("#claims button[value=deliver]")
    expect(clerk.locator(".badge.need-in_delivery")).to_be_visible()

    confirm = clerk.locator("#claims details:has(button[value=confirm]) summary")
    on_screen(confirm)
    confirm.click()
    clerk.fill("#claims textarea[name=note]", "校长签字确认收到 4 台电暖器")
    on_screen(clerk.locator("#claims button[value=confirm]"))
    clerk.click("#claims button[value=confirm]")
    expect(clerk.locator(".badge.need-fulfilled")).to_have_text(fulfilled)
    on_screen(clerk.locator("#claims a[href$='/evidence']"))
    screenshot(clerk, f"phone-fulfilled-{language}")
    clerk.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_list_hides_a_status_on_a_phone(served, browser, language):
    """The household and need lists keep every column on a phone: rows are cards."""
    page = as_user(browser, served, "county-513422", language, PHONE)
    for path in ("/households/", "/needs/"):
        page.goto(f"{served}{path}")
        row = page.locator("table.data tbody tr").first
        cells = row.locator("td")
        for i in range(cells.count()):
            if cells.nth(i).inner_text().strip():
                on_screen(cells.nth(i))
        on_screen(row.locator(".badge").first)
        screenshot(page, f"phone-{path.strip('/')}-{language}")
    page.context.close()
