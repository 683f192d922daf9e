"""An inspection visit with a finding, rectified and closed, in Chinese and English: the
inspector opens their list on a 390 px phone, fills the checklist (kept over a reload), loses
the connection and submits (queued on the phone), comes back online and the visit is
recorded once; adds a finding; the township officer, on a laptop, answers with an evidence
file; the inspector closes the order."""

import json
import subprocess
import sys
import urllib.request

import pytest
from playwright.sync_api import expect
from upload_files import image_bytes

from .conftest import SERVED_ENV, screenshot
from .test_csp import watch_csp
from .test_dashboard import log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 860}
INSPECTOR = "supervisor-513400"
LANGUAGES = ["zh-CN", "en-US"]
TEXT = {
    "zh-CN": {"queued": "没有网络", "closed": "已整改销号", "restored": "已恢复"},
    "en-US": {"queued": "No connection", "closed": "Rectified and closed", "restored": "kept"},
}

# Two of the demo plan's visits still to make by the inspector (one a language), and an
# officer account for the township each belongs to (the demo has two townships' officers).
SEED = """
import json
from aidbridge.accounts.models import Role, User
from aidbridge.accounts.demo import DEMO_PASSWORD
from aidbridge.regions.models import Region
from aidbridge.supervision.models import InspectionVisit
inspector = User.objects.get(username="supervisor-513400")
visits = InspectionVisit.objects.filter(inspectors=inspector, status="assigned").select_related(
    "region__parent"
).order_by("region__path", "pk")
chosen = []
for visit in visits[:2]:
    township = visit.region.parent
    officer = User.objects.filter(role=Role.TOWNSHIP, region=township).first()
    if officer is None:
        officer = User(username=f"township-{township.code}", role=Role.TOWNSHIP, region=township)
        officer.set_password(DEMO_PASSWORD)
        officer.save()
    chosen.append({"visit": str(visit.public_id), "officer": officer.username})
print(json.dumps(chosen))
"""


@pytest.fixture(scope="module")
def chosen(served):
    done = subprocess.run(
        [sys.executable, "-m", "aidbridge.cli", "shell", "-c", SEED],
        env=SERVED_ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _api(served, path, username):
    token = _post(served, "/auth/token", username=username, password="demo12345")["token"]
    request = urllib.request.Request(
        f"{served}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _post(served, path, **body):
    request = urllib.request.Request(
        f"{served}/api/v1{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


WIDER = """Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 3).map(e => e.tagName + '.' + e.className)"""


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], page.evaluate(WIDER)


@pytest.mark.parametrize("language", LANGUAGES)
def test_visit_offline_finding_answer_and_close(served, browser, chosen, language, tmp_path):
    words = TEXT[language]
    mine = chosen[LANGUAGES.index(language)]
    visit_id, officer = mine["visit"], mine["officer"]
    done_before = _api(served, "/supervision/visits?status=done&page_size=500", INSPECTOR)

    # The inspector, on a phone, opens their list and the visit's form.
    phone = browser.new_context(viewport=PHONE, locale=language)
    page = phone.new_page()
    violations = watch_csp(page)
    log_in(page, served, INSPECTOR)
    page.wait_for_load_state()
    page.goto(f"{served}/supervision/visits/")
    link = page.locator(f"#my-visits a[href='/supervision/visits/{visit_id}/record/']")
    expect(link).to_have_count(1)
    _fits(page)
    link.click()
    expect(page.locator("form[data-offline-form]")).to_be_visible()
    _fits(page)
    for key, value in {
        "food_clothing": "yes",
        "education": "yes",
        "medical": "yes",
        "housing": "no",
        "water": "yes",
        "aid_received": "partial",
        "aid_on_time": "no",
        "identification": "right",
        "exit": "na",
        "satisfied": "no",
    }.items():
        page.locator(f"input[name=q_{key}][value={value}]").check()
    page.fill("#id_notes", "房屋漏雨，帮扶物资只到一半")
    page.set_input_files(
        "#id_photos",
        files=[{"name": "roof.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()}],
    )

    # A reload keeps what was filled in (not the photo, which is chosen again).
    page.reload()
    expect(page.locator("[data-offline-status]")).to_contain_text(words["restored"])
    expect(page.locator("input[name=q_housing][value=no]")).to_be_checked()
    expect(page.locator("#id_notes")).to_have_value("房屋漏雨，帮扶物资只到一半")
    page.set_input_files(
        "#id_photos",
        files=[{"name": "roof.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()}],
    )
    screenshot(page, f"supervision-visit-form-{language}")

    # Offline: the submission is queued on the phone and the page says so.
    phone.set_offline(True)
    page.click("form[data-offline-form] button[type=submit]")
    status = page.locator("[data-offline-status]")
    expect(status).to_contain_text(words["queued"])
    screenshot(page, f"supervision-visit-queued-{language}")
    recorded = _api(served, f"/supervision/visits/{visit_id}", INSPECTOR)
    assert recorded["status"] == "assigned"

    # Online again: it is sent by itself, recorded once, and the visit's page opens.
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page).to_have_url(f"{served}/supervision/visits/{visit_id}/", timeout=20_000)
    expect(page.locator("#answers")).to_be_visible()
    recorded = _api(served, f"/supervision/visits/{visit_id}", INSPECTOR)
    assert recorded["status"] == "done" and recorded["photos"] == 1
    assert recorded["answers"]["housing"] is False and recorded["latitude"] is None
    done_after = _api(served, "/supervision/visits?status=done&page_size=500", INSPECTOR)
    assert done_after["count"] == done_before["count"] + 1
    _fits(page)

    # A finding opens an order to the township.
    page.click(f"a[href='/supervision/visits/{visit_id}/finding/']")
    page.select_option("#id_kind", "aid_not_received")
    page.fill("#id_description", "帮扶的两头仔猪只收到一头")
    page.click("form.form button.primary")
    order_link = page.locator("#findings a[href^='/supervision/orders/']")
    expect(order_link).to_have_count(1)
    order_url = order_link.get_attribute("href")
    _fits(page)
    screenshot(page, f"supervision-visit-{language}")

    # The township officer, on a laptop, answers with an evidence file.
    laptop = browser.new_context(viewport=LAPTOP, locale=language)
    desk = laptop.new_page()
    violations += watch_csp(desk)
    log_in(desk, served, officer)
    desk.wait_for_load_state()
    desk.goto(f"{served}/supervision/orders/")
    desk.click(f"#orders a[href='{order_url}']")
    desk.fill("#id_answer", "已补发一头仔猪，附签收单")
    evidence = tmp_path / "receipt.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% signed receipt\n")
    desk.set_input_files("#id_evidence", str(evidence))
    desk.click("#answer-form button.primary")
    expect(desk.locator("#answer")).to_be_visible()
    expect(desk.locator("#answer a[href^='/supervision/evidence/']")).to_have_count(1)
    screenshot(desk, f"supervision-order-answered-{language}")
    laptop.close()

    # The inspector closes it.
    page.goto(f"{served}{order_url}")
    page.click("#verify-form button[value=accept]")
    expect(page.locator("#order-status")).to_contain_text(words["closed"])
    _fits(page)
    screenshot(page, f"supervision-order-closed-{language}")
    phone.close()
    assert violations == []
