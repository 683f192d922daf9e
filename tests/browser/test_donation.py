"""A donation in a real browser: the individual donor gives to a demo project, the foundation
confirms it arrived and issues the receipt, and the donor ends holding a proof file that the
portal and the offline verifier both accept; meanwhile the foundation spends part of it on the
project's published need and on materials, and reads both in the project's statement."""

import subprocess
import sys
import urllib.request

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.upload_files import image_bytes

from .conftest import screenshot
from .test_dashboard import log_in
from .test_needs_loop import as_user

pytestmark = pytest.mark.browser
PROJECT = "助学圆梦计划（演示）"
PUBLISHED_NEED = "种苗和农业技术指导"


def test_a_donor_gives_and_ends_holding_a_receipt_that_verifies(served, browser, tmp_path):
    donor = as_user(browser, served, "donor-demo", "en-US")
    expect(donor.locator(".who")).to_be_visible()  # logged in
    donor.goto(f"{served}/portal/projects/")  # the public portal's project list
    donor.click(f"a:has-text('{PROJECT}')")
    expect(donor.locator("svg")).to_be_visible()  # where its money came from and went
    donor.click("a.button:has-text('Donate')")
    expect(donor.locator("#id_recipient")).to_contain_text("DEMO-")  # registration number
    donor.fill("#id_amount", "888.88")
    donor.click("form.form button.primary")
    expect(donor.locator("body")).to_contain_text("Waiting for the recipient to confirm")
    donation_url = donor.url

    staff = as_user(browser, served, "org-lsfund")
    expect(staff.locator(".who")).to_be_visible()
    staff.goto(donation_url)  # the link of the notification the foundation received
    staff.once("dialog", lambda dialog: dialog.accept())
    staff.click("form[action$='/receive/'] button")
    receipt = staff.locator("#receipt")
    expect(receipt).to_contain_text("人民币捌佰捌拾捌元捌角捌分")
    expect(receipt).to_contain_text("DEMO-")
    screenshot(staff, "donation-receipt-zh")
    spend_and_read_the_statement(staff, served, tmp_path)
    staff.context.close()

    donor.goto(donation_url)
    for _ in range(50):  # the background worker signs a checkpoint within moments
        if donor.locator("#proof").count():
            break
        donor.wait_for_timeout(200)
        donor.reload()
    with donor.expect_download() as download:
        donor.click("#proof")
    proof = tmp_path / "receipt.json"
    download.value.save_as(proof)
    expect(donor.locator("#receipt-donor")).to_contain_text("爱心人士（演示）")  # as registered
    with donor.expect_download() as download:
        donor.click("#receipt-pdf")
    printed = tmp_path / "receipt.pdf"
    download.value.save_as(printed)
    text = "".join("".join(p.extract_text() for p in PdfReader(printed).pages).split())
    for shown in ("爱心人士（演示）", "人民币捌佰捌拾捌元捌角捌分", "公益事业捐赠票据", "DEMO-"):
        assert shown in text, shown

    donor.goto(f"{served}/portal/ledger/verify/")
    donor.set_input_files("#id_file", str(proof))
    donor.click("form.form button.primary")
    expect(donor.locator("#verdict")).to_contain_text("is in the ledger")
    expect(donor.locator("#verdict")).to_contain_text("This checkpoint is published on this site.")
    screenshot(donor, "donation-verified-en")

    key = urllib.request.urlopen(f"{served}/portal/ledger/key.txt").read().decode().strip()
    offline = subprocess.run(
        [sys.executable, "-m", "aidbridge.cli", "receipt", "verify", str(proof), "--key", key],
        capture_output=True,
        text=True,
    )
    assert offline.returncode == 0, offline.stderr

    # On a phone, in Chinese: the receipt and the donor's annual statement fit the screen.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    ).new_page()
    log_in(phone, served, "donor-demo")
    phone.goto(donation_url)
    expect(phone.locator("#receipt-deduction")).to_contain_text("税前扣除资格")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "donation-receipt-phone-zh")
    phone.goto(f"{served}/donations/")
    phone.click("#statements a.button >> nth=0")
    expect(phone.locator("#statement-total")).to_contain_text("人民币")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "donation-statement-phone-zh")
    phone.context.close()


def held(page) -> float:
    return float(page.locator("#balance").inner_text().replace(",", ""))


def spend_and_read_the_statement(staff, served, tmp_path):
    """The foundation's staff pay part of the gift to the project's published need with an
    evidence photo, buy materials against an invoice, and find both in the project's balance
    and statement."""
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(image_bytes())
    staff.goto(f"{served}/projects/")
    staff.click(f"a:has-text('{PROJECT}')")
    project = staff.url
    staff.click("#spending a.button")
    before = held(staff)
    staff.click("#record-disbursement summary")
    staff.select_option("#id_disbursement_recipient_kind", "need")
    need = staff.locator("#id_disbursement_need option", has_text=PUBLISHED_NEED).first
    staff.select_option("#id_disbursement_need", need.get_attribute("value"))
    staff.fill("#id_disbursement_purpose", "种苗款")
    staff.fill("#id_disbursement_amount", "500")
    staff.set_input_files("#id_disbursement_evidence", str(photo))
    staff.click("#record-disbursement button.primary")
    expect(staff.locator("#records")).to_contain_text("种苗款")
    assert held(staff) == before - 500
    staff.click("#record-purchase summary")
    staff.fill("#id_purchase_purpose", "采购农具")
    staff.fill("#id_purchase_supplier", "木里县农资公司")
    staff.fill("#id_purchase_invoice_number", "No.2026-17")
    staff.fill("#id_purchase_goods", "锄头")
    staff.fill("#id_purchase_quantity", "20")
    staff.fill("#id_purchase_unit", "把")
    staff.fill("#id_purchase_amount", "300")
    staff.set_input_files("#id_purchase_invoice", str(photo))
    staff.click("#record-purchase button.primary")
    expect(staff.locator("#held")).to_contain_text("20 把")
    balance = held(staff)
    assert balance == before - 800

    staff.goto(project)
    staff.click("a[href$='/statement/']")
    closing = staff.locator("#closing").inner_text()
    assert float(closing.split()[0].replace(",", "")) == balance
    expect(staff.locator("#categories tr", has_text="采购")).to_contain_text("300")
    expect(staff.locator("#categories tr", has_text="帮扶需求")).to_contain_text("500")
    expect(staff.locator("#materials tr", has_text="把")).to_contain_text("20")
