"""The forms of the leads from people: the portal's self-report and tracking, the clerk's
record of a call, linking a self-report, and the visit on the phone. They parse input; the
services in monitoring.channels decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aidbridge.monitoring.channels import MAX_DESCRIPTION, MAX_NAME, MAX_PHONE
from aidbridge.monitoring.models import Shock
from aidbridge.regions.widgets import RegionPicker
from aidbridge.registry.assessment import INDICATOR_LABELS
from aidbridge.registry.identification import INDICATORS
from aidbridge.registry.widgets import HouseholdPicker
from aidbridge.widgets import DateField

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class SaidForm(forms.Form):
    description = forms.CharField(
        label=_("What happened"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Illness, an accident, a disaster, a lost job, a child out of school… Only the "
            "staff who follow it up read this."
        ),
    )
    reporter_name = forms.CharField(
        label=_("Your name (optional)"), max_length=MAX_NAME, required=False
    )
    reporter_phone = forms.CharField(
        label=_("Phone to call back (optional)"),
        max_length=MAX_PHONE,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class SelfReportForm(SaidForm):
    village = forms.CharField(
        label=_("Village"),
        max_length=24,
        widget=RegionPicker(levels=("village",)),
        help_text=_("Type the village's name and pick it"),
    )
    field_order = ["village", "description", "reporter_name", "reporter_phone"]


class HotlineForm(SaidForm):
    """The clerk's record of a call: what the caller said and who called."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("What the caller said")
        self.fields["description"].help_text = ""
        self.fields["reporter_name"].label = _("Caller's name (optional)")
        self.fields["reporter_phone"].label = _("Caller's phone (optional)")


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class LinkForm(forms.Form):
    household_number = forms.CharField(
        label=_("Household number"),
        max_length=30,
        widget=HouseholdPicker(village_field="village"),
        help_text=_("Type the household's number or the start of its head's name and pick it"),
    )
    village = forms.CharField(widget=forms.HiddenInput, required=False)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleImageInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class VisitForm(forms.Form):
    """The two no-worries and three guarantees as six yes/no questions, the income now,
    shocks, notes and photos."""

    visited_on = DateField(label=_("Visited on"), initial=timezone.localdate)
    per_capita_income = forms.IntegerField(
        label=_("Income now (yuan a person a year)"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    shocks = forms.MultipleChoiceField(
        label=_("Since the last visit"),
        choices=Shock.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = PhotosField(label=_("Photos"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in INDICATORS:
            self.fields[f"g_{name}"] = forms.ChoiceField(
                label=INDICATOR_LABELS[name],
                choices=YES_NO,
                widget=forms.RadioSelect(attrs={"class": "inline"}),
            )
        self.order_fields(["visited_on", *(f"g_{name}" for name in INDICATORS)])

    def indicators(self) -> dict[str, bool]:
        return {name: self.cleaned_data[f"g_{name}"] == "yes" for name in INDICATORS}
