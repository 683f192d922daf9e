"""The registration and edit forms: household fields and a set of member rows (empty rows
ignored; the page adds and removes rows with htmx)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from aidbridge.errors import InvalidInput
from aidbridge.policy import regions_in_scope
from aidbridge.regions.models import Region
from aidbridge.registry.importer import IMPORT_ENCODINGS, import_upload_check
from aidbridge.registry.models import (
    Health,
    Household,
    HouseholdStatus,
    Labour,
    Leaving,
    Member,
    PovertyCause,
    Relation,
    Schooling,
)
from aidbridge.registry.services import FIRST_YEAR, max_lengths
from aidbridge.widgets import DateField


class HouseholdForm(forms.Form):
    village = forms.ModelChoiceField(label=_("Village"), queryset=Region.objects.none())
    address = forms.CharField(
        label=_("Address"), max_length=max_lengths(Household)["address"], required=False
    )
    main_cause = forms.ChoiceField(label=_("Main poverty cause"), choices=PovertyCause.choices)
    secondary_causes = forms.MultipleChoiceField(
        label=_("Other poverty causes"),
        choices=PovertyCause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=HouseholdStatus.choices,
        initial=HouseholdStatus.MARGINAL,
        help_text=_(
            "Registered poor only through the entry procedure, unless you record an existing file."
        ),
    )
    income_year = forms.IntegerField(label=_("Income year"), min_value=FIRST_YEAR, required=False)
    per_capita_income = forms.IntegerField(
        label=_("Per-capita net income (yuan)"), min_value=0, max_value=1_000_000, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        lowest = settings.REGION_LEVELS[-1][0]
        villages = regions_in_scope(user).filter(level=lowest).order_by("path")
        self.fields["village"].queryset = villages
        if villages.count() == 1:
            self.fields["village"].initial = villages.first()


def _blank(choices):
    return [("", "—"), *choices]


class MemberForm(forms.Form):
    """One member row. Every select starts blank, so an untouched row counts as empty."""

    name = forms.CharField(label=_("Name"), max_length=max_lengths(Member)["name"])
    resident_id = forms.CharField(
        label=_("Resident ID"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    relation = forms.ChoiceField(label=_("Relation"), choices=_blank(Relation.choices))
    labour = forms.ChoiceField(label=_("Labour"), choices=_blank(Labour.choices))
    health = forms.ChoiceField(label=_("Health"), choices=_blank(Health.choices), required=False)
    disability_grade = forms.TypedChoiceField(
        label=_("Disability grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_blank([(g, g) for g in range(1, 5)]),
    )
    schooling = forms.ChoiceField(label=_("Schooling"), choices=_blank(Schooling.choices))
    medical_insurance = forms.TypedChoiceField(
        label=_("Medical insurance"),
        required=False,
        coerce=lambda v: v != "no",
        empty_value=True,
        choices=_blank([("yes", _("Yes")), ("no", _("No"))]),
    )


MAX_MEMBERS = 50  # rows a form may post; beyond any household


class HouseholdEditForm(HouseholdForm):
    """The household's fields an edit changes (its village and status have their own ways)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["village"], self.fields["status"]


class MemberEditForm(MemberForm):
    """A row of the edit page: a present member (its initial has "id"; its resident ID is
    not retyped, and it may leave with a reason and date) or a new one (as at registration)."""

    left_reason = forms.ChoiceField(
        label=_("Leaves the household"), choices=_blank(Leaving.choices), required=False
    )
    left_on = DateField(label=_("Left on"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("id"):
            del self.fields["resident_id"]
        else:
            del self.fields["left_reason"], self.fields["left_on"]


MemberFormSet = forms.formset_factory(
    MemberForm, extra=3, max_num=MAX_MEMBERS, absolute_max=MAX_MEMBERS, validate_max=True
)
MemberEditFormSet = forms.formset_factory(
    MemberEditForm, extra=0, max_num=MAX_MEMBERS, absolute_max=MAX_MEMBERS, validate_max=True
)


class TableUploadForm(forms.Form):
    """A CSV or XLSX file to import as a job (the subclass labels ``file``) and the
    encoding of a CSV file (detected when empty); the file's checks are the import's."""

    file = forms.FileField()
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"), required=False, choices=IMPORT_ENCODINGS
    )

    def clean_file(self):
        try:
            return import_upload_check(self.cleaned_data["file"])
        except InvalidInput as exc:
            raise forms.ValidationError(exc.errors[0]["message"]) from exc
