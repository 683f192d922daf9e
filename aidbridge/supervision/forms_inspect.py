"""The forms of inspection visits and rectification orders. They parse input; the services
in supervision.inspections and supervision.orders decide."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aidbridge.monitoring.forms_channels import MultipleImageInput, PhotosField
from aidbridge.supervision import checklist, labels
from aidbridge.supervision.models import FindingKind, OrderStatus, VisitStatus
from aidbridge.widgets import DateField

PREFIX = "q_"  # a checklist question's field: q_<key>


class VisitForm(forms.Form):
    """The plan's checklist as radio buttons (big rows on a phone: .checklist in app.css;
    counts as numbers), the day and time, notes, photos, and the place: a hidden position the
    browser fills only after the consent box is ticked. ``client_key`` makes a form sent
    twice count once."""

    visited_on = DateField(label=_("Visited on"), initial=timezone.localdate)
    visited_at = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by the staff who follow the inspection up."),
    )
    photos = PhotosField(label=_("Photos"), required=False)
    consent = forms.BooleanField(
        label=_("Record where I am (the browser asks for the position)"), required=False
    )
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
    client_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, kind: str, people: int | None = None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_key", uuid.uuid4())
        kwargs["initial"].setdefault("visited_at", timezone.localtime().strftime("%H:%M"))
        if people is not None:
            kwargs["initial"].setdefault(f"{PREFIX}people", people)
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["photos"].widget = MultipleImageInput(
            attrs={"accept": "image/*", "capture": "environment"}
        )
        questions = []
        for key in checklist.CHECKLISTS[kind]:
            label = labels.QUESTIONS.get(key, key)
            choices = labels.choices(kind, key)
            if choices is None:
                field = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=0,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
            else:
                field = forms.ChoiceField(
                    label=label, choices=choices, required=False, widget=forms.RadioSelect
                )
            self.fields[PREFIX + key] = field
            questions.append(PREFIX + key)
        self.order_fields(["visited_on", "visited_at", *questions])

    def answers(self) -> dict:
        """The checklist's answers as the service takes them (empty: not answered)."""
        answers = {}
        for key in checklist.CHECKLISTS[self.kind]:
            value = self.cleaned_data.get(PREFIX + key)
            answers[key] = None if value in (None, "") else value
        return answers

    def renames(self) -> dict[str, str]:
        """The service's field names mapped to this form's."""
        return {f"answers.{key}": PREFIX + key for key in checklist.CHECKLISTS[self.kind]}


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was found"), choices=FindingKind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is wrong and what should be rectified. Seen only by staff."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = PhotosField(label=_("Evidence"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget = MultipleImageInput(
            attrs={"accept": "image/*,application/pdf,.docx,.xlsx"}
        )
        self.fields["evidence"].help_text = _(
            "Photos, a PDF, or a Word or Excel document: at least one file."
        )


class VerifyForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return it: say what is still missing."),
    )
    due = DateField(
        label=_("New due date if returned"),
        required=False,
        help_text=_("Empty: the finding's usual time from today."),
    )


class AccountabilityForm(forms.Form):
    person = forms.CharField(label=_("Person held responsible"), max_length=100)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    measure = forms.CharField(label=_("Measure taken"), max_length=300)


class VisitFilters(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Every status")), *VisitStatus.choices]
    )


class OrderFilters(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Every status")), *OrderStatus.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
