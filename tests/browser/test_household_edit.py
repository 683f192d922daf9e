"""On a 390 px phone, the village clerk registers a seven-member household, adding rows
with htmx (and removing one), then edits it: a new income, a member's schooling, a birth;
a mistyped ID is summarised at the top and its link leads to the field; no CSP violation.
Both languages."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from aidbridge.registry import idcard

from .conftest import screenshot
from .test_csp import watch_csp
from .test_dashboard import log_in

pytestmark = pytest.mark.browser

WORDS = {
    "zh-hans": {
        "add": "添加成员",
        "register": "登记",
        "registered": "已登记",
        "edit": "编辑农户信息",
        "save": "保存",
        "saved": "已保存",
        "problems": "请更正以下问题",
    },
    "en": {
        "add": "Add a member",
        "register": "Register",
        "registered": "registered",
        "edit": "Edit household",
        "save": "Save",
        "saved": "saved",
        "problems": "Please correct these problems",
    },
}
# (relation, sex, birth date, labour, schooling) of the seven members, the head first.
FAMILY = [
    ("head", "male", date(1950, 4, 1), "weak", "primary"),
    ("spouse", "female", date(1952, 5, 2), "weak", "illiterate"),
    ("child", "male", date(1975, 6, 3), "normal", "junior"),
    ("child", "female", date(1978, 7, 4), "normal", "junior"),
    ("child_in_law", "female", date(1976, 8, 5), "normal", "primary"),
    ("grandchild", "male", date(2004, 9, 6), "normal", "senior"),
    ("grandchild", "female", date(2012, 10, 7), "none", "primary"),
]


def rid(sex, born, sequence):
    return idcard.generate(region_code="510104", birth_date=born, sex=sex, sequence=sequence)


def fill_member(page, index, name, relation, sex, born, labour, schooling, sequence):
    page.fill(f"#id_m-{index}-name", name)
    page.fill(f"#id_m-{index}-resident_id", rid(sex, born, sequence))
    page.select_option(f"#id_m-{index}-relation", relation)
    page.select_option(f"#id_m-{index}-labour", labour)
    page.select_option(f"#id_m-{index}-schooling", schooling)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_clerk_registers_and_edits_a_large_household_on_a_phone(served, browser, language):
    words = WORDS[language]
    sequence = 400 if language == "en" else 300
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    violations = watch_csp(page)
    log_in(page, served, "clerk-513422100001")
    if language == "en":
        page.click("button[data-lang=en]")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{served}/households/new/")
    rows = page.locator("#member-rows fieldset.member")
    expect(rows).to_have_count(4)
    for count in range(5, 9):  # three rows for the family and one too many
        page.click(f"#add-member button:has-text('{words['add']}')")
        expect(rows).to_have_count(count)
    page.click("#row-8 .remove-row")
    expect(rows).to_have_count(7)
    page.select_option("#id_main_cause", "illness")
    page.fill("#id_income_year", "2025")
    page.fill("#id_per_capita_income", "3200")
    for index, (relation, sex, born, labour, schooling) in enumerate(FAMILY):
        name = f"{'阿' if language == 'zh-hans' else '吉'}{'一二三四五六七'[index]}"
        fill_member(page, index, name, relation, sex, born, labour, schooling, sequence)
    screenshot(page, f"household-new-phone-{language}")
    page.click(f"button.primary:has-text('{words['register']}')")
    expect(page).to_have_url(re.compile(r"/households/[0-9a-f-]+/$"))
    expect(page.locator(".flash")).to_contain_text(words["registered"])
    expect(page.locator(".stat .num").first).to_have_text("7")

    page.click(f"a:has-text('{words['edit']}')")
    expect(page).to_have_url(re.compile(r"/households/[0-9a-f-]+/edit/$"))
    expect(rows).to_have_count(7)
    page.fill("#id_income_year", "2026")
    page.fill("#id_per_capita_income", "5600")
    page.select_option("#id_m-6-schooling", "junior")
    page.click(f"#add-member button:has-text('{words['add']}')")
    expect(rows).to_have_count(8)
    born = date(2026, 6, 1)
    fill_member(page, 7, "小八", "grandchild", "female", born, "none", "preschool", sequence + 1)
    page.fill("#id_m-7-resident_id", "51010420260601")  # mistyped: too short
    page.click(f"button.primary:has-text('{words['save']}')")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(words["problems"])
    summary.locator("a[href='#id_m-7-resident_id']").click()
    expect(page.locator("#id_m-7-resident_id")).to_be_focused()
    screenshot(page, f"household-edit-errors-phone-{language}")
    page.fill("#id_m-7-resident_id", rid("female", born, sequence + 1))
    page.click(f"button.primary:has-text('{words['save']}')")
    expect(page.locator(".flash")).to_contain_text(words["saved"])
    expect(page.locator(".stat .num").first).to_have_text("8")
    expect(page.locator(".stat .num").nth(1)).to_have_text("5,600")
    expect(page.locator("table.data").first).to_contain_text("小八")
    screenshot(page, f"household-edited-phone-{language}")
    assert violations == []
    context.close()
