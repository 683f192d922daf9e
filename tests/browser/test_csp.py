"""The pages under the Content Security Policy in a real browser: confirm buttons, the
auto-submitting filter, htmx updates, bar widths and the API docs all work, and Chromium
reports no CSP violation on the way."""

import re

import pytest
from playwright.sync_api import expect

from .test_dashboard import log_in

pytestmark = pytest.mark.browser


def watch_csp(page) -> list[str]:
    """Collect the CSP violations Chromium reports, from the console and from the DOM."""
    seen = []
    page.on(
        "console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + "
        "e.violatedDirective + ' ' + e.blockedURI))"
    )
    return seen


def test_confirm_autosubmit_htmx_and_docs_work_under_the_csp(served, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = context.new_page()
    violations = watch_csp(page)
    log_in(page, served)
    expect(page).to_have_url(re.compile(r"/regions/513422/$"))
    expect(page.locator("ol.timeline").first).to_be_visible()  # htmx loaded the history
    widths = page.eval_on_selector_all(
        "span.bar[data-var]", "bars => bars.map(b => b.style.getPropertyValue('--w'))"
    )
    assert widths and all(w.endswith("%") for w in widths) and "100%" in widths

    page.goto(f"{served}/matching/")
    page.click("form.form button.primary")
    discard = page.locator("button:has-text('作废')")
    expect(discard).to_be_visible(timeout=20_000)  # the job's progress came by htmx
    round_url = page.url

    page.once("dialog", lambda dialog: dialog.dismiss())
    discard.click()
    expect(page.locator(".badge.round-proposed")).to_be_visible()  # cancelled: nothing sent
    assert page.url == round_url

    reason = page.locator("select[name=reason]")
    value = reason.locator("option").nth(1).get_attribute("value")
    reason.select_option(value)  # no button: the select submits its form itself
    expect(page).to_have_url(re.compile(rf"\?reason={value}"))
    expect(page.locator("select[name=reason]")).to_have_value(value)

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("button:has-text('作废')").click()
    expect(page.locator(".badge.round-discarded")).to_be_visible()

    page.goto(f"{served}/jobs/")
    page.locator("table.data tbody a").first.click()  # the round's job, done
    expect(page.locator(".progress span")).to_have_attribute("data-width", "100")
    assert page.eval_on_selector(".progress span", "bar => bar.style.width") == "100%"

    page.goto(f"{served}/api/v1/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    assert violations == []
    context.close()
