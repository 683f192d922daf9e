"""Forms of the plans' pages. They parse input; the services decide what is valid."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aidbridge.regions.widgets import RegionPicker
from aidbridge.registry.models import HouseholdStatus
from aidbridge.supervision.models import ObjectKind, Strata
from aidbridge.supervision.services import default_home
from aidbridge.widgets import DateField


class PlanForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("e.g. “2026 visits to lifted-out households, Muli”"),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    region = forms.CharField(label=_("Where"), max_length=24, widget=RegionPicker())
    kind = forms.ChoiceField(label=_("What is inspected"), choices=ObjectKind.choices)
    statuses = forms.MultipleChoiceField(
        label=_("Household statuses"),
        choices=HouseholdStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("When households are inspected; none ticked: every status."),
    )
    strata = forms.ChoiceField(label=_("Strata"), choices=Strata.choices)
    size = forms.IntegerField(
        label=_("Sample size per stratum"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("Give a size or a rate, not both."),
    )
    rate_percent = forms.DecimalField(
        label=_("Sample rate per stratum (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("Rounded up in each stratum."),
    )
    inspectors_per_visit = forms.IntegerField(
        label=_("Inspectors per visit"), min_value=2, max_value=20, initial=2
    )
    visit_by = DateField(label=_("Visits due by"))
    public_source = forms.CharField(
        label=_("Where the public value comes from"),
        max_length=300,
        required=False,
        help_text=_(
            "Named now, known only after publication: for example “China Welfare Lottery, "
            "issue 2026141”."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "year": timezone.localdate().year,
                "region": user.region.code if user.region else "",
                "inspectors_per_visit": 2,
            },
        )
        super().__init__(*args, **kwargs)


class PoolForm(forms.Form):
    """The pool of inspectors: a tick and a home region (recused) per candidate; the home
    region proposed is services.default_home."""

    prefix = "pool"

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for user in candidates:
            home = default_home(user)
            self.fields[f"pick_{user.pk}"] = forms.BooleanField(required=False, label=str(user))
            self.fields[f"home_{user.pk}"] = forms.CharField(
                label=_("Home region (recused)"),
                max_length=24,
                required=False,
                initial=home.code if home else "",
                widget=RegionPicker(),
            )

    def rows(self):
        """(user, tick field, home field) per candidate."""
        return [(u, self[f"pick_{u.pk}"], self[f"home_{u.pk}"]) for u in self.candidates]

    def chosen(self) -> list[tuple]:
        """(user, home region code or "") of the ticked candidates, in the list's order."""
        data = self.cleaned_data
        return [(u, data[f"home_{u.pk}"].strip()) for u in self.candidates if data[f"pick_{u.pk}"]]


class PublishForm(forms.Form):
    public_source = forms.CharField(label=_("Where the public value comes from"), max_length=300)


class DrawForm(forms.Form):
    public_value = forms.CharField(
        label=_("The public value"),
        max_length=200,
        help_text=_("Exactly as published by its source, e.g. the numbers drawn."),
    )
