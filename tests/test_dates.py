"""Every date input carries an ISO value (YYYY-MM-DD) in every language: a browser's date
input rejects anything else (Chinese formats give 2026/12/04) and then blocks the form."""

import importlib
import pkgutil
import re
from datetime import date

import pytest
from django import forms
from django.utils import translation

import aidbridge
from aidbridge import widgets
from aidbridge.donations.forms import DonationForm

DAY = date(2026, 12, 4)
LANGUAGES = ["zh-hans", "en"]


def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class declared in aidbridge's forms and views modules."""
    found = set()
    for info in pkgutil.walk_packages(aidbridge.__path__, "aidbridge."):
        if not info.name.rsplit(".", 1)[-1].endswith(("forms", "views")):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found.add(value)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _date_fields() -> list[tuple[str, str, forms.Field]]:
    return [
        (f"{form.__module__}.{form.__qualname__}", name, field)
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
    ]


DATE_FIELDS = _date_fields()


def _value(html: str) -> str:
    found = re.search(r'<input type="date"[^>]*\bvalue="([^"]*)"', html)
    assert found, html
    return found.group(1)


def test_the_forms_with_dates_are_found():
    """The walk finds the forms the field work needs (pledges, partners, milestones, helpers,
    assessments, needs, claims, pairings), so the tests below cover them."""
    names = {f"{form}.{name}" for form, name, _ in DATE_FIELDS}
    for expected in [
        "aidbridge.projects.forms.PledgeForm.pledged_on",
        "aidbridge.projects.forms.PartnerForm.since",
        "aidbridge.projects.forms.MilestoneForm.due",
        "aidbridge.registry.responsible_views.ResponsibleHelperForm.since",
        "aidbridge.registry.views.AssessmentForm.assessed_on",
        "aidbridge.needs.forms.NeedForm.deadline",
        "aidbridge.needs.forms.ClaimForm.deliver_by",
        "aidbridge.pairing.views.PostForm.since",
        "aidbridge.matching.forms.AcceptForm.deliver_by",
    ]:
        assert expected in names


@pytest.mark.parametrize(("form", "name", "field"), DATE_FIELDS, ids=lambda v: str(v))
def test_every_date_field_uses_the_one_iso_widget(form, name, field):
    assert isinstance(field, widgets.DateField), f"{form}.{name}"
    assert isinstance(field.widget, widgets.DateInput), f"{form}.{name}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("form", "name", "field"), DATE_FIELDS, ids=lambda v: str(v))
def test_every_date_field_renders_iso(form, name, field, language):
    """The field inside a form with a date as initial value, and bound to submitted ISO input,
    renders YYYY-MM-DD in Chinese and English."""
    one = type("One", (forms.Form,), {name: field})
    with translation.override(language):
        assert _value(str(one(initial={name: DAY})[name])) == "2026-12-04"
        assert _value(str(one(initial={name: lambda: DAY})[name])) == "2026-12-04"
        bound = one(data={name: "2026-12-04"})
        assert _value(str(bound[name])) == "2026-12-04"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_with_a_date_added_on_creation_renders_iso(language, db):
    """The donation form adds its date ("arrived on") for a recipient's staff."""
    with translation.override(language):
        form = DonationForm(targets=[], recipients=[], records=True, initial={"received_on": DAY})
        assert isinstance(form.fields["received_on"], widgets.DateField)
        assert _value(str(form["received_on"])) == "2026-12-04"


@pytest.mark.parametrize("language", LANGUAGES)
def test_chinese_input_still_parses(language):
    """People typing a date by hand in the Chinese style are still understood."""
    with translation.override(language):
        assert widgets.DateField().clean("2026-12-04") == DAY
    with translation.override("zh-hans"):
        assert widgets.DateField().clean("2026/12/04") == DAY
