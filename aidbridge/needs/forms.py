"""Forms of the needs pages. They parse input; the services decide what is valid."""

from django import forms
from django.utils.translation import gettext_lazy

from aidbridge.categories import Category
from aidbridge.needs.models import BeneficiaryKind, ClaimKind
from aidbridge.regions.widgets import RegionPicker
from aidbridge.registry.widgets import HouseholdPicker
from aidbridge.widgets import DateField

URGENCY = [
    (5, gettext_lazy("5 – most urgent")),
    (4, "4"),
    (3, "3"),
    (2, "2"),
    (1, gettext_lazy("1 – can wait")),
]


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("For"), choices=BeneficiaryKind.choices)
    village = forms.CharField(
        label=gettext_lazy("Village"),
        max_length=24,
        widget=RegionPicker(levels=("village",)),
        help_text=gettext_lazy("Type its name or code and pick it"),
    )
    household_number = forms.CharField(
        label=gettext_lazy("Household number"),
        required=False,
        widget=HouseholdPicker(),
        help_text=gettext_lazy("For a household's need"),
    )
    institution = forms.CharField(
        label=gettext_lazy("Institution"),
        required=False,
        help_text=gettext_lazy("School, clinic… for an institution's need"),
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Published anonymised: write no names or ID numbers."),
    )
    amount = forms.IntegerField(label=gettext_lazy("Amount"), min_value=1)
    unit = forms.CharField(
        label=gettext_lazy("Unit"),
        initial=gettext_lazy("yuan"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("“yuan” or 元 for money, else e.g. sets, kg"),
    )
    urgency = forms.TypedChoiceField(
        label=gettext_lazy("Urgency"), choices=URGENCY, coerce=int, initial=3
    )
    deadline = DateField(label=gettext_lazy("Deadline"))
    photo = forms.FileField(
        label=gettext_lazy("Photo"),
        required=False,
        help_text=gettext_lazy(
            "JPEG, PNG, WebP or GIF; it is re-encoded without its metadata (place, camera)."
        ),
    )
    photo_consent = forms.BooleanField(
        label=gettext_lazy("The beneficiary agrees that the photo is shown publicly"),
        required=False,
    )

    def clean_unit(self):
        return self.cleaned_data["unit"].strip() or "yuan"


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of help"), choices=ClaimKind.choices)
    amount = forms.IntegerField(label=gettext_lazy("Amount"), min_value=1)
    deliver_by = DateField(label=gettext_lazy("Deliver by"))
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
