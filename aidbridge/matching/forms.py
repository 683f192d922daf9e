"""Forms of the matching pages. They parse input; the services decide what is valid."""

from django import forms
from django.utils.translation import gettext_lazy

from aidbridge.categories import Category
from aidbridge.regions.fields import RegionCodesField
from aidbridge.regions.widgets import RegionPicker
from aidbridge.widgets import DateField


class OfferForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        help_text=gettext_lazy("e.g. “2026 winter relief fund”"),
    )
    capacity = forms.IntegerField(label=gettext_lazy("Capacity (yuan)"), min_value=1)
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Categories"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = RegionCodesField(
        label=gettext_lazy("Regions"),
        help_text=gettext_lazy(
            "Region codes separated by spaces; needs in or below them qualify, e.g. 513422"
        ),
    )


class RoundForm(forms.Form):
    region = forms.CharField(label=gettext_lazy("Region"), max_length=24, widget=RegionPicker())


class AcceptForm(forms.Form):
    deliver_by = DateField(label=gettext_lazy("Deliver by"))
