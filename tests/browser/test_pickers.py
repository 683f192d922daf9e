"""Pick, don't type: on a phone, a registrar finds the village by part of its name and a
household by the start of its number; the suggestions come under the Content Security
Policy (htmx, no inline script) and the form submits the codes."""

import re

import pytest
from playwright.sync_api import expect

from .test_csp import watch_csp
from .test_dashboard import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
def test_a_registrar_picks_village_and_household(served, browser, language):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=language)
    page = context.new_page()
    violations = watch_csp(page)
    log_in(page, served, "county-513422")
    page.goto(f"{served}/households/")
    known = page.locator("table.data small.mono").first.text_content().strip()
    page.goto(f"{served}/needs/new/")
    village = page.locator("#id_village")
    village.press_sequentially("达吉" if language == "zh-CN" else "dajil", delay=50)
    option = page.locator("#id_village-options option[value='513422100001']")
    expect(option).to_have_count(1)
    label = option.get_attribute("label") or option.text_content()
    assert re.search("达吉林社区|Dajilin Community", label)
    village.fill(known[:-4])  # what choosing the suggestion puts in the field

    number = page.locator("#id_household_number")
    number.press_sequentially(known[:-2], delay=50)
    options = page.locator("#id_household_number-options option")
    expect(options.first).to_have_attribute("value", re.compile(rf"^{known[:-2]}\d\d$"))
    assert "*" in options.first.text_content()  # the head's name, masked
    assert not re.search(r"\d{17}[\dX]", page.content())  # no resident ID anywhere
    assert violations == []
    context.close()
