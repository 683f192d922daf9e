"""A matching round in a real browser: the county officer runs it on demo data, reviews what
each helper would cover and sends it; the foundation's staff accept the proposal, which
becomes their claim on the need."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_needs_loop import as_user

pytestmark = pytest.mark.browser
TITLE = "敬老院冬季被褥"


def publish_need(browser, served) -> str:
    """File and publish a need through the API (the pages of that are tested elsewhere)."""
    request = browser.new_context().request

    def call(username, path, body):
        token = request.post(
            f"{served}/api/v1/auth/token", data={"username": username, "password": "demo12345"}
        ).json()
        response = request.post(
            f"{served}/api/v1{path}",
            data=body,
            headers={"Authorization": f"Bearer {token['token']}"},
        )
        assert response.ok, response.text()
        return response.json()

    need = call(
        "clerk-513422100001",
        "/needs",
        {
            "kind": "institution",
            "region": "513422100001",
            "institution": "达吉林敬老院",
            "category": "living",
            "title": TITLE,
            "amount": 1800,
            "urgency": 5,
            "deadline": (date.today() + timedelta(days=40)).isoformat(),
        },
    )
    call("clerk-513422100001", f"/needs/{need['id']}/submit", {})
    call("township-513422100", f"/needs/{need['id']}/review", {"approve": True})
    call("county-513422", f"/needs/{need['id']}/review", {"approve": True})
    return need["id"]


def test_a_round_is_run_reviewed_sent_and_accepted(served, browser):
    need_id = publish_need(browser, served)
    officer = as_user(browser, served, "county-513422")
    officer.goto(f"{served}/matching/")
    expect(officer.locator("#id_region")).to_have_value("513422")
    officer.click("form.form button.primary")
    send = officer.locator("button:has-text('发送给帮扶力量')")
    expect(send).to_be_visible(timeout=20_000)  # the job ran and the page updated itself
    expect(officer.locator("body")).to_contain_text("凉山乡村振兴公益基金会")
    expect(officer.locator(".stat.good .num")).to_have_text("1,800")
    screenshot(officer, "matching-round-zh")
    officer.once("dialog", lambda dialog: dialog.accept())
    send.click()
    expect(officer.locator(".badge.round-sent")).to_be_visible()
    officer.context.close()

    helper = as_user(browser, served, "org-lsfund", "en-US")
    helper.goto(f"{served}/matching/")  # the demo foundation is a hub: it sees rounds too
    helper.click("a.button:has-text('Proposals')")
    row = helper.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("1,800")
    row.locator("button:has-text('Accept')").click()
    expect(helper.locator("body")).to_contain_text("Accepted: your pledge is recorded")
    screenshot(helper, "matching-proposals-en")
    helper.goto(f"{served}/needs/{need_id}/")
    expect(helper.locator(".badge.need-fully_claimed")).to_have_text("Fully claimed")
    helper.context.close()
