"""The village clerk's phone (390 px): the household page shows its micro-loans, their
schedule and overdue state; the clerk records a repayment and the state changes, in Chinese
and in English."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_dashboard import log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CLERK = "clerk-513422100001"


def clerks_phone(browser, served, language):
    context = browser.new_context(viewport=PHONE, locale=language)
    page = context.new_page()
    log_in(page, served, CLERK)
    return page


def repay_the_next_instalment(page, loan):
    """Record the repayment the form proposes (the next unpaid instalment) for `loan`."""
    loan.locator("details.repay summary").click()
    principal = loan.locator("input[name$=-principal]")
    expect(principal).not_to_have_value("")
    loan.locator("details.repay button.primary").click()
    expect(page).to_have_url(re.compile(r"#loans$"))


def test_the_clerk_records_a_repayment_and_the_overdue_state_changes(browser, served):
    page = clerks_phone(browser, served, "zh-CN")
    page.goto(f"{served}/loans/?overdue=yes")  # the demo's trainee is late since October
    expect(page.locator("h1")).to_have_text("小额信贷")
    page.locator("table.data tbody tr a").first.click()
    late = page.locator("article.loan:has(.badge.failed)")
    expect(late).to_have_count(1)
    expect(late.locator("h3 .badge.failed")).to_contain_text("逾期")
    loan_id = late.get_attribute("id")
    paid_before = late.locator("tr.state-paid").count()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "loans-phone-zh-before")
    repay_the_next_instalment(page, late)
    loan = page.locator(f"#{loan_id}")
    expect(page.locator(".flash").first).to_contain_text("还款已记录")
    expect(loan.locator("h3 .badge.failed")).to_have_count(0)
    expect(loan.locator("tr.state-paid")).to_have_count(paid_before + 1)
    expect(loan.locator("tr.state-overdue")).to_have_count(0)
    screenshot(page, "loans-phone-zh-after")
    page.context.close()

    page = clerks_phone(browser, served, "en-US")
    page.goto(f"{served}/loans/?overdue=no")
    expect(page.locator("h1")).to_have_text("Micro-loans")
    page.locator("table.data tbody tr a").first.click()
    loan = page.locator(f"#{loan_id}")
    expect(loan.locator("h3 .badge")).to_have_text("Repaying")
    expect(loan.locator("summary").first).to_have_text("Repayment schedule")
    repay_the_next_instalment(page, loan)
    expect(loan.locator("tr.state-paid")).to_have_count(paid_before + 2)
    expect(loan.locator("tr.state-paid").last).to_contain_text("Paid")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "loans-phone-en-after")
    page.context.close()
