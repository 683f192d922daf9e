"""The forms of grievances: the portal's complaint, tracking and appeal, a clerk's complaint
on someone's behalf, the staff's filters and steps. They parse input; grievances.services
decides."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from aidbridge.grievances.models import Channel, Decision, Sensitivity, Severity, Status
from aidbridge.grievances.services import MAX_DESCRIPTION, MAX_NAME, MAX_PHONE, MAX_REFERENCE
from aidbridge.regions.widgets import RegionPicker

ANY = [("", _("Any"))]


def _categories():
    return [("", "—"), *settings.GRIEVANCE_CATEGORIES]


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about"), choices=_categories)
    region = forms.CharField(
        label=_("Where"),
        max_length=24,
        widget=RegionPicker(),
        help_text=_("Type the name of the village (or township, county) and pick it"),
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only the officers who handle it read this; it is never published."),
    )
    anonymous = forms.BooleanField(
        label=_("File anonymously"),
        required=False,
        initial=True,
        help_text=_(
            "Anonymous: your name and phone are not kept. You follow the complaint by its "
            "tracking code."
        ),
    )
    name = forms.CharField(label=_("Your name"), max_length=MAX_NAME, required=False)
    phone = forms.CharField(
        label=_("Phone to call back"),
        max_length=MAX_PHONE,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_(
            "Optional. If you file anonymously it is not kept: only a code that lets us "
            "count one person's complaints."
        ),
    )


class OnBehalfForm(ComplaintForm):
    """A clerk or officer records a complaint made by phone or in person."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(Channel.PHONE, Channel.PHONE.label), (Channel.VISIT, Channel.VISIT.label)],
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("By category")), *Severity.choices], required=False
    )
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity"),
        choices=[("", _("By category")), *Sensitivity.choices],
        required=False,
    )
    field_order = ["channel", "category", "severity", "sensitivity", "region", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anonymous"].initial = False
        self.fields["name"].label = _("Complainant's name")
        self.fields["phone"].label = _("Complainant's phone")
        self.fields["description"].label = _("What the complainant said")


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class AppealForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=30)
    reason = forms.CharField(
        label=_("Why you do not accept the decision"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*ANY, ("open", _("Open")), *Status.choices],
        required=False,
    )
    category = forms.ChoiceField(label=_("Category"), choices=_categories, required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[*ANY, *Severity.choices], required=False
    )
    at_risk = forms.BooleanField(label=_("At risk"), required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    mine = forms.BooleanField(label=_("At my level"), required=False)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("", "—"), *Decision.choices])
    reply = forms.CharField(
        label=_("Reply to the complainant"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The complainant reads it with the tracking code: write no names or IDs."),
    )
    reference = forms.CharField(
        label=_("Referred to (case reference)"),
        max_length=MAX_REFERENCE,
        required=False,
        help_text=_(
            "For a referral to a case: its reference. A referral to a rectification order "
            "opens one to the office of the place the complaint concerns."
        ),
    )


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Assign to"), queryset=None, empty_label=None)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = officers


class EscalateForm(forms.Form):
    note = forms.CharField(label=_("Why"), max_length=200, required=False)
