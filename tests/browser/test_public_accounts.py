"""The public accounts in a real browser, without login: a demo project's raised figure is
what its flows table brings in, and it opens the anonymised ledger entries behind it, which add
up to it; on a phone, the money page's table of a county becomes cards that fit the screen."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_needs_loop import as_user

pytestmark = pytest.mark.browser
PROJECT = "留守儿童关爱服务购买项目（演示）"


def amount(text: str) -> Decimal:
    return Decimal(text.strip().split()[0].replace(",", ""))


@pytest.mark.parametrize(
    ("language", "raised", "kind"), [("zh-CN", "筹集", "政府购买服务"), ("en-US", "Raised", "")]
)
def test_a_projects_raised_figure_matches_its_flows_and_its_entries(
    served, browser, language, raised, kind
):
    visitor = as_user(browser, served, None, language)
    visitor.goto(f"{served}/portal/projects/")
    visitor.click(f"a:has-text('{PROJECT}')")
    card = visitor.locator("#accounts")
    screenshot(visitor, f"public-accounts-project-{language}")
    figure = card.locator(f"dt:text-is('{raised}') + dd a")
    shown = amount(figure.inner_text())
    inflows = visitor.locator("#money table").first.locator("tbody tr")
    into = [
        amount(row.locator("td").nth(2).inner_text())
        for row in inflows.all()
        if row.locator("td").nth(1).inner_text().strip() == PROJECT
    ]
    assert shown > 0 and sum(into) == shown
    figure.click()
    expect(visitor.locator("h1")).to_contain_text(PROJECT)
    rows = visitor.locator("table.data tbody tr")
    assert sum(amount(r.locator("td").last.inner_text()) for r in rows.all()) == shown
    if kind:
        expect(visitor.locator("table.data")).to_contain_text(kind)
    expect(visitor.locator("a[href='/portal/ledger/']").last).to_be_visible()
    screenshot(visitor, f"public-accounts-entries-{language}")


def test_the_money_page_fits_a_phone(served, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    phone = context.new_page()
    phone.goto(f"{served}/portal/money/?region=513422")
    expect(phone.locator("#regions table.data")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    phone.locator("#regions tfoot a").first.click()  # raised by the county's projects
    expect(phone.locator("h1")).to_contain_text("Raised")
    expect(phone.locator("h1")).to_contain_text("projects")  # in the language asked for
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "public-accounts-phone-en")
    context.close()
