"""A random inspection plan from draft to draw on a 1366 px laptop, in Chinese and English
(the site's language switch): the prefecture's supervisor drafts a plan of Muli's households
with a pool of three inspectors, publishes it, enters the public value and draws, and sees
the samples with their inspectors; the portal shows the draw to anyone without a name, and
its JSON file verifies with supervision.draw.verify. Both pages also fit a 390 px phone."""

import json
import re

import pytest
from playwright.sync_api import expect

from aidbridge.supervision import draw

from .conftest import screenshot
from .test_csp import watch_csp
from .test_dashboard import log_in

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LOTTERY = "2026141: 03 08 14 21 27 30 + 11"
POOL = ("supervisor-513400", "auditor-513400", "county-513401")
TEXT = {
    "zh-hans": {"home": "双随机抽查", "draft": "草稿", "published": "已公开", "drawn": "已抽取"},
    "en": {
        "home": "Random inspection",
        "draft": "Draft",
        "published": "Published",
        "drawn": "Drawn",
    },
}


def _fits(page, width=LAPTOP["width"]) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_supervisor_plans_publishes_and_draws(served, browser, language):
    words = TEXT[language]
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    violations = watch_csp(page)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, served, "supervisor-513400")
    if language == "en":
        page.click(".langswitch button[data-lang='en']")

    # The supervisor's home and the menu lead to the plans.
    page.click(".pagehead a[href='/supervision/']")
    expect(page.locator("h1")).to_have_text(words["home"])
    expect(page.locator("#mainnav a[href='/supervision/']")).to_have_count(1)
    page.click("a[href='/supervision/plans/new/']")

    title = f"Muli households {language}"
    page.fill("#id_title", title)
    page.fill("#id_region", "513422")
    page.select_option("#id_kind", "household")
    page.select_option("#id_strata", "township")
    page.fill("#id_size", "2")
    page.fill("#id_visit_by", "2026-12-20")
    page.fill("#id_public_source", "China Welfare Lottery, issue 2026141")
    for username in POOL:
        page.locator("#pool tbody tr", has_text=username).locator("input[type=checkbox]").check()
    home = page.locator("#pool tbody tr", has_text="county-513401").locator("input[type=text]")
    expect(home).to_have_value("513401")  # recused from their own county by default
    _fits(page)
    screenshot(page, f"supervision-plan-new-{language}")
    page.click("form button.primary[type=submit]")

    expect(page.locator("#plan-status")).to_contain_text(words["draft"])
    expect(page.locator("#strata tbody tr").first).to_be_visible()
    page.click("#publish button.primary")
    expect(page.locator("#plan-status")).to_contain_text(words["published"])
    frame_hash = page.locator("#frame-hash").text_content().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", frame_hash)

    page.fill("#id_public_value", LOTTERY)
    page.click("#draw button.primary")
    expect(page.locator("#plan-status")).to_contain_text(words["drawn"])
    seed = page.locator("#seed").text_content().strip()
    assert seed == draw.seed_from(frame_hash, LOTTERY)
    rows = page.locator("#samples tbody tr")
    expect(rows.first).to_contain_text(re.compile(r"I0[123]"))
    assert "auditor-513400" in page.locator("#pool").text_content()  # the planner sees names
    _fits(page)
    screenshot(page, f"supervision-plan-drawn-{language}")
    plan_url = page.url
    page.set_viewport_size(PHONE)  # the same page on a phone: its tables become cards
    _fits(page, PHONE["width"])

    # Anyone sees the draw on the portal, without a name, and re-computes its file.
    public = browser.new_context(viewport=PHONE, locale="zh-CN", accept_downloads=True)
    visitor = public.new_page()
    plan_id = plan_url.rstrip("/").split("/")[-1]
    visitor.goto(f"{served}/portal/supervision/")
    if language == "en":
        visitor.click(".langswitch button[data-lang='en']")
    expect(visitor.locator("h1")).to_have_text(words["home"])
    visitor.click(f"a[href='/portal/supervision/plans/{plan_id}/']")
    expect(visitor.locator("#seed")).to_have_text(seed)
    expect(visitor.locator("#assignments tbody tr").first).to_contain_text(re.compile(r"I0"))
    text = visitor.content()
    for username in POOL:
        assert username not in text
    with visitor.expect_download() as downloaded:
        visitor.click(".pagehead a[download]")
    with open(downloaded.value.path(), encoding="utf-8") as handle:
        doc = json.load(handle)
    assert doc["seed"] == seed and doc["frame_sha256"] == frame_hash
    assert draw.verify(doc) == []
    _fits(visitor, PHONE["width"])
    screenshot(visitor, f"supervision-portal-plan-{language}")
    public.close()
    assert violations == []
    context.close()
