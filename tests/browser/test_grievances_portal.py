"""Grievances end to end, in Chinese and English: an anonymous visitor files a complaint on a
390 px phone and follows it by its tracking code; the daily job, run for a day a month
ahead, escalates it from the township to the county; the county officer takes it up and
decides it with a reply (on a phone in Chinese, on a laptop in English); the visitor then
reads the decision and the reply, and appeals to the prefecture."""

import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import SERVED_ENV, screenshot
from .test_csp import watch_csp
from .test_dashboard import log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 860}
CODE = re.compile(r"G[2-9A-HJKMNP-Z]{10}")
TEXT = {
    "zh-CN": {
        "village": "达吉",
        "new": "新收到",
        "township": "乔瓦镇",
        "county": "木里藏族自治县",
        "city": "凉山彝族自治州",
        "escalated": "已上报",
        "decided": "已办结",
        "upheld": "投诉属实",
    },
    "en-US": {
        "village": "dajil",
        "new": "New",
        "township": "Qiaowa Town",
        "county": "Muli Tibetan Autonomous County",
        "city": "Liangshan Yi Autonomous Prefecture",
        "escalated": "Escalated",
        "decided": "Decided",
        "upheld": "Upheld",
    },
}


def _fits(page, width) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _track(page, served, code):
    page.goto(f"{served}/portal/grievances/track/")
    page.fill("#id_code", code.lower())
    page.click("#track button.primary")
    return page.locator(".tracked").first


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
def test_file_follow_escalate_and_decide(served, browser, language):
    words = TEXT[language]
    context = browser.new_context(viewport=PHONE, locale=language)
    page = context.new_page()
    violations = watch_csp(page)

    # An anonymous visitor files a complaint on a phone, without an account.
    page.goto(f"{served}/portal/")
    page.click("nav.tabs a[href='/portal/grievances/']")
    page.select_option("#id_category", "misuse_of_funds")
    region = page.locator("#id_region")
    region.press_sequentially(words["village"], delay=50)
    expect(page.locator("#id_region-options option[value='513422100001']")).to_have_count(1)
    region.fill("513422100001")
    page.fill("#id_description", "村里修路的钱被挪用了，联系我13800002222")
    page.fill("#id_phone", "13800002222")
    expect(page.locator("#id_anonymous")).to_be_checked()
    expect(page.locator("#id_name")).to_be_hidden()  # anonymous: no name asked
    page.uncheck("#id_anonymous")
    expect(page.locator("#id_name")).to_be_visible()
    page.check("#id_anonymous")
    _fits(page, PHONE["width"])
    page.click("#complaint button.primary")
    code = page.locator("#tracking-code").text_content().strip()
    assert CODE.fullmatch(code) and code not in page.url
    _fits(page, PHONE["width"])
    screenshot(page, f"grievance-filed-{language}")

    # ...and follows it by its code: new, at the township, nothing personal shown.
    tracked = _track(page, served, code)
    expect(tracked).to_contain_text(words["new"])
    expect(tracked).to_contain_text(words["township"])
    assert "13800002222" not in page.content() and "修路" not in page.content()
    number = re.search(r"\d{4}-\d{6}", tracked.locator("h2").text_content()).group(0)
    _fits(page, PHONE["width"])

    # The daily job, a month ahead: the township's time ran out, the county has it now.
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    done = subprocess.run(
        [sys.executable, "-m", "aidbridge.cli", "grievances", "daily", f"--today={later}"],
        env=SERVED_ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    assert re.match(r"escalated: [1-9]", done.stdout), done.stdout
    tracked = _track(page, served, code)
    expect(tracked.locator(f"#level-{number}")).to_have_text(words["county"])
    expect(tracked.locator(".timeline")).to_contain_text(words["escalated"])
    screenshot(page, f"grievance-escalated-{language}")

    # The county officer finds it in the list, takes it up and decides it with a reply.
    screen = PHONE if language == "zh-CN" else LAPTOP
    staff = browser.new_context(viewport=screen, locale=language)
    desk = staff.new_page()
    staff_violations = watch_csp(desk)
    log_in(desk, served, "county-513422")
    desk.goto(f"{served}/grievances/?status=open&mine=on")
    _fits(desk, screen["width"])
    desk.click(f"#grievance-{number} a")
    expect(desk.locator("#level")).to_contain_text(words["county"])
    desk.click("#take-up")
    desk.select_option("#id_decision", "upheld")
    reply = (
        "经查属实，已责令退回资金并追责。"
        if language == "zh-CN"
        else "Confirmed; the money is being returned."
    )
    desk.fill("#id_reply", reply)
    desk.click("#decide button.primary")
    expect(desk.locator("#decision")).to_contain_text(reply)
    _fits(desk, screen["width"])
    screenshot(desk, f"grievance-decided-{language}")
    staff.close()

    # The visitor reads the decision and the reply, and may appeal.
    tracked = _track(page, served, code)
    expect(tracked.locator(f"#status-{number}")).to_have_text(words["decided"])
    expect(tracked.locator(f"#decision-{number}")).to_contain_text(words["upheld"])
    expect(tracked.locator(f"#reply-{number}")).to_have_text(reply)
    expect(page.locator("#appeal textarea")).to_be_visible()
    _fits(page, PHONE["width"])
    screenshot(page, f"grievance-answered-{language}")

    # An appeal goes one level up (the prefecture), with its own code; the first code shows it.
    page.fill("#appeal textarea", "退回的钱不到一半")
    page.click("#appeal button")
    appeal_code = page.locator("#tracking-code").text_content().strip()
    assert CODE.fullmatch(appeal_code) and appeal_code != code
    _track(page, served, code)
    expect(page.locator(".tracked")).to_have_count(2)
    expect(page.locator(".tracked").nth(1)).to_contain_text(words["city"])
    assert violations == [] and staff_violations == []
    context.close()
