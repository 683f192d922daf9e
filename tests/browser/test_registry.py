"""A village clerk imports households through the page, watches the job finish, opens the
household (registered poor) and starts its exit procedure."""

import re

import pytest
from playwright.sync_api import expect

from aidbridge.registry.importer import template_csv

from .conftest import screenshot
from .test_dashboard import log_in

pytestmark = pytest.mark.browser


def test_clerk_imports_and_starts_the_exit_procedure(served, page, tmp_path):
    source = tmp_path / "households.csv"
    source.write_text(template_csv(chinese=True), encoding="utf-8")
    log_in(page, served, "clerk-513422100001")
    page.click("nav.mainnav a:has-text('贫困户')")
    expect(page.locator("h1")).to_have_text("贫困户")
    page.click("a:has-text('导入贫困户')")
    page.set_input_files("input[type=file]", str(source))
    page.click("button:has-text('上传并导入')")
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    expect(page.locator("#job-progress .badge")).to_have_text("已完成", timeout=20_000)
    expect(page.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100")
    screenshot(page, "import-job-zh")

    page.goto(f"{served}/households/")
    page.click("a:has-text('扎西')")
    expect(page.locator("h1")).to_contain_text("扎西")
    expect(page.locator("table.data")).to_contain_text("513422")  # the clerk sees full IDs
    page.click("button:has-text('启动')")
    expect(page.locator(".flash")).to_have_text("操作已记录。")
    expect(page.locator("#procedure")).to_contain_text("脱贫退出")
    expect(page.locator("#procedure")).to_contain_text("已申请：待村民主评议")
    screenshot(page, "household-zh")

    page.click("button[data-lang=en]")
    expect(page.locator("#procedure")).to_contain_text("Applied: awaiting village appraisal")
    screenshot(page, "household-en")
