"""Leads from people, on a 390 px phone in Chinese and English: a resident reports a
household in hardship on the portal and follows it by its tracking code; the clerk records a
call for a household; a responsible helper's staff records a visit with a photo that finds a
guarantee unmet, and the page names the lead it opened."""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect
from upload_files import image_bytes

from .conftest import screenshot
from .test_csp import watch_csp
from .test_dashboard import log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CLERK = "clerk-513422100001"
CODE = re.compile(r"M[2-9A-HJKMNP-Z]{10}")
TEXT = {
    "zh-CN": {"village": "达吉", "open": "正在办理", "found": "住房"},
    "en-US": {"village": "dajil", "open": "Being handled", "found": "housing"},
}


def _api(served, method, path, token=None, **body):
    request = urllib.request.Request(
        f"{served}/api/v1{path}",
        data=json.dumps(body).encode() if body else None,
        method=method,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
def test_report_track_call_and_visit_on_a_phone(served, browser, language, tmp_path):
    words = TEXT[language]
    context = browser.new_context(viewport=PHONE, locale=language)
    page = context.new_page()
    violations = watch_csp(page)

    # A resident reports on the portal, without an account, and follows the code.
    page.goto(f"{served}/portal/monitoring/report/")
    village = page.locator("#id_village")
    village.press_sequentially(words["village"], delay=50)
    expect(page.locator("#id_village-options option[value='513422100001']")).to_have_count(1)
    village.fill("513422100001")
    page.fill("#id_description", "隔壁家父亲住院，家里没人干活了")
    page.fill("#id_reporter_phone", "13800001111")
    page.click("form.form button.primary")
    code = page.locator("#tracking-code").text_content().strip()
    assert CODE.fullmatch(code)
    _fits(page)
    page.goto(f"{served}/portal/monitoring/track/")
    page.fill("#id_code", code.lower())
    page.click("form.form button.primary")
    expect(page.locator("#tracked")).to_contain_text(words["open"])
    assert "13800001111" not in page.content() and "住院" not in page.content()
    assert f"code={code}" not in page.url and code not in page.url
    _fits(page)
    screenshot(page, f"monitoring-track-{language}")

    # The clerk records a call for a household of the village.
    log_in(page, served, CLERK)
    page.goto(f"{served}/households/")
    links = page.locator("table.data a[href^='/households/']")
    household = links.nth(list(TEXT).index(language)).get_attribute("href")  # one a language
    page.goto(f"{served}{household}")
    page.click("#monitoring a[href$='/call/']")
    page.fill("#id_description", "户主来电：孩子辍学在家")
    page.fill("#id_reporter_name", "户主")
    page.click("form.form button.primary")
    expect(page.locator(".flash")).to_contain_text(CODE)
    expect(page.locator("#monitoring")).to_contain_text(CODE)
    _fits(page)
    screenshot(page, f"monitoring-call-{language}")

    # The clerk's township makes the foundation's staff responsible for the household (API).
    token = _api(served, "POST", "/auth/token", username=CLERK, password="demo12345")["token"]
    household_id = household.strip("/").split("/")[-1]
    _api(
        served,
        "POST",
        f"/households/{household_id}/helpers",
        token,
        name="帮扶干部",
        helper="lsfund",
        since="2026-01-01",
    )

    # Its staff find it among the households to visit and record a visit with a photo.
    page.context.clear_cookies()
    log_in(page, served, "org-lsfund")
    page.goto(f"{served}/monitoring/my-households/")
    page.click(f"a[href='/monitoring/households/{household_id}/visit/']")
    for name in ("food", "clothing", "education", "medical", "water"):
        page.check(f"input[name=g_{name}][value=yes]")
    page.check("input[name=g_housing][value=no]")
    page.fill("#id_per_capita_income", "12000")
    photo = tmp_path / "house.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(64, 48)))
    page.set_input_files("#id_photos", str(photo))
    page.click("form.form button.primary")
    flash = page.locator(".flash")
    expect(flash).to_contain_text(CODE)
    expect(flash).to_contain_text(words["found"])
    expect(page.locator("table.data a[href^='/monitoring/visit-photos/']")).to_have_count(1)
    _fits(page)
    screenshot(page, f"monitoring-visit-{language}")
    assert violations == []
    context.close()
