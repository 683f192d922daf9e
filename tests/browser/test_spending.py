"""Spending in a real browser: the foundation's staff receive a donation, disburse part of the
project's money to a supplier with an evidence photo, buy materials with an invoice and watch
the balance change (Chinese); a second staff member approves the care project's
above-threshold instalment (English); the spending page fits a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.upload_files import image_bytes

from .test_needs_loop import as_user

pytestmark = pytest.mark.browser
EMBROIDERY = "彝绣技能培训与就业（演示）"
CARE = "留守儿童关爱服务购买项目（演示）"


def yuan(page) -> float:
    return float(page.locator("#balance").inner_text().replace(",", ""))


def spending_page(page, served, title):
    page.goto(f"{served}/projects/")
    page.click(f"a:has-text('{title}')")
    page.click("#spending a.button")
    expect(page.locator("h1")).to_have_text(re.compile("支出|Spending"))


def test_staff_disburse_and_buy_and_a_colleague_approves(served, browser, tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(image_bytes())
    staff = as_user(browser, served, "org-lsfund")
    spending_page(staff, served, EMBROIDERY)
    spending = staff.url
    before = yuan(staff)
    staff.goto(f"{served}/donations/?status=offered")  # the individual donor's offer
    staff.locator("tr", has_text=EMBROIDERY).locator("a").first.click()
    staff.once("dialog", lambda dialog: dialog.accept())
    staff.click("form[action$='/receive/'] button")
    expect(staff.locator("#receipt")).to_contain_text("人民币壹仟元整")
    staff.goto(spending)
    assert yuan(staff) == before + 1000
    before = yuan(staff)
    staff.click("#record-disbursement summary")
    staff.select_option("#id_disbursement_recipient_kind", "supplier")
    staff.fill("#id_disbursement_supplier", "木里县文具店")
    staff.fill("#id_disbursement_purpose", "学习用品")
    staff.fill("#id_disbursement_amount", "1000")
    staff.set_input_files("#id_disbursement_evidence", str(photo))
    staff.click("#record-disbursement button.primary")
    expect(staff.locator("#balance")).not_to_have_text(f"{before:,.0f}")
    assert yuan(staff) == before - 1000
    expect(staff.locator("#records")).to_contain_text("学习用品")

    staff.click("#record-purchase summary")
    staff.fill("#id_purchase_purpose", "采购书包")
    staff.fill("#id_purchase_supplier", "木里县百货公司")
    staff.fill("#id_purchase_invoice_number", "No.0098")
    staff.fill("#id_purchase_goods", "书包")
    staff.fill("#id_purchase_quantity", "10")
    staff.fill("#id_purchase_unit", "个")
    staff.fill("#id_purchase_amount", "800")
    staff.set_input_files("#id_purchase_invoice", str(photo))
    staff.click("#record-purchase button.primary")
    expect(staff.locator("#held")).to_contain_text("10 个")
    assert yuan(staff) == before - 1800

    staff.goto(f"{served}/helpers/lsfund/")  # the foundation's admin makes a colleague
    staff.fill("#staff input[name=username]", "org-lsfund-approver")
    staff.fill("#staff input[name=password]", "demo12345")  # log_in types the demo password
    staff.click("#staff button[type=submit]")
    expect(staff.locator("#staff")).to_contain_text("org-lsfund-approver")
    staff.context.close()

    colleague = as_user(browser, served, "org-lsfund-approver", "en-US")
    colleague.context.set_default_timeout(10_000)
    expect(colleague.locator(".who")).to_be_visible()
    spending_page(colleague, served, CARE)
    before = yuan(colleague)
    pending = colleague.locator("#pending")
    expect(pending).to_contain_text("二期服务费")
    pending.locator("select[name=decision]").select_option("approve")
    pending.locator("button.primary").click()
    expect(colleague.locator("body")).to_contain_text("Approved and posted to the ledger.")
    assert yuan(colleague) == before - 60_000
    colleague.set_viewport_size({"width": 390, "height": 844})  # the phone
    colleague.reload()
    width = colleague.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
