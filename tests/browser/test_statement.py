"""A helper's staff member reads a project's statement in a real browser: opens it from the
project's page, changes the period, downloads the XLSX and the CSV and finds in them what the
page shows; in English on a laptop, and on a 390 px phone with no sideways scrolling."""

import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .conftest import screenshot
from .test_phone import LAPTOP, PHONE, as_user

pytestmark = pytest.mark.browser
PROJECT = "助学圆梦计划（演示）"


def _yuan(text: str) -> Decimal:
    return Decimal(re.search(r"-?[\d,]+(\.\d+)?", text)[0].replace(",", ""))


def _open_statement(page, served):
    page.goto(f"{served}/projects/?q={PROJECT}")
    page.click(f"a:has-text('{PROJECT}')")
    page.click("#statement a.button")
    expect(page.locator("#closing")).to_be_visible()


def test_a_helpers_staff_reads_and_downloads_the_project_statement(served, browser, tmp_path):
    staff = as_user(browser, served, "org-lsfund", "zh-CN", LAPTOP)
    _open_statement(staff, served)
    year = int(staff.locator("#id_period").input_value())
    opening, closing = _yuan(staff.inner_text("#opening")), _yuan(staff.inner_text("#closing"))
    income, spending = _yuan(staff.inner_text("#income")), _yuan(staff.inner_text("#spending"))
    assert closing == opening + income - spending and income > 0
    expect(staff.locator("#categories")).to_contain_text("捐赠")
    screenshot(staff, "statement-zh")

    staff.select_option("#id_period", str(year - 1))
    staff.click("#period-form button")
    expect(staff).to_have_url(re.compile(f"period={year - 1}"))
    last_year_closing = _yuan(staff.inner_text("#closing"))
    assert last_year_closing == opening  # last year's closing is this year's opening
    staff.select_option("#id_period", str(year))
    staff.click("#period-form button")
    expect(staff).to_have_url(re.compile(f"period={year}$"))
    assert _yuan(staff.inner_text("#closing")) == closing

    with staff.expect_download() as download:
        staff.click("a[href*='format=csv']")
    assert download.value.suggested_filename.endswith(f"-{year}.csv")
    path = tmp_path / "statement.csv"
    download.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["日期", "分录号", "类型"]
    money = [r for r in rows[1:] if not r[8]]  # goods have a quantity: under materials
    debit = sum(Decimal(r[5]) for r in money)
    credit = sum(Decimal(r[6]) for r in money)
    assert (debit, credit) == (income, spending)

    with staff.expect_download() as download:
        staff.click("a[href*='format=xlsx']")
    path = tmp_path / "statement.xlsx"
    download.value.save_as(path)
    summary, postings = load_workbook(path).worksheets
    assert summary["A1"].value == PROJECT
    figures = {r[0]: r[1] for r in summary.iter_rows(values_only=True) if r and r[0]}
    assert Decimal(str(figures["期末余额（元）"])) == closing
    assert postings.max_row == len(rows)
    staff.context.close()

    english = as_user(browser, served, "org-lsfund", "en-US", LAPTOP)
    _open_statement(english, served)
    expect(english.locator("h1")).to_contain_text("Statement")
    expect(english.locator("#categories")).to_contain_text("Donation: Donor")
    english.fill("#id_start", f"{year}-02-01")
    english.fill("#id_end", f"{year}-02-28")
    english.click("#dates-form button")
    expect(english.locator(".sub")).to_contain_text(f"From {year}-02-01 to {year}-02-28")
    screenshot(english, "statement-en")
    english.context.close()

    phone = as_user(browser, served, "org-lsfund", "zh-CN", PHONE)
    _open_statement(phone, served)
    expect(phone.locator("#categories td[data-label]").first).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    screenshot(phone, "statement-phone")
    phone.goto(f"{served}/")  # the helper's home leads to its ledger entries
    phone.click("a.button[href$='/entries/']")
    expect(phone.locator("table.data td[data-label]").first).to_be_visible()
    screenshot(phone, "entries-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    phone.context.close()
