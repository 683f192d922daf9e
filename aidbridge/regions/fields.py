"""A form field for a list of region codes."""

from django import forms

from aidbridge.errors import InvalidInput
from aidbridge.regions.selectors import regions_by_code
from aidbridge.regions.widgets import RegionPicker


class RegionCodesField(forms.CharField):
    """Region codes separated by spaces or commas, picked by name or typed; cleans to the
    list of regions and names the codes it does not know."""

    widget = RegionPicker(multiple=True)

    def clean(self, value):
        codes = (super().clean(value) or "").replace(",", " ").split()
        try:
            return regions_by_code(codes, field="")
        except InvalidInput as exc:
            raise forms.ValidationError(exc.errors[0]["message"]) from exc
