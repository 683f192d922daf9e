"""A form field for a list of region codes."""

from django import forms
from django.utils.translation import gettext as _

from aidbridge.regions.models import Region


class RegionCodesField(forms.CharField):
    """Region codes separated by spaces or commas; cleans to the list of regions and names
    the codes it does not know."""

    def clean(self, value):
        codes = (super().clean(value) or "").replace(",", " ").split()
        found = list(Region.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {r.code for r in found})
        if unknown:
            raise forms.ValidationError(_("Unknown region codes: %(codes)s")
                                        % {"codes": ", ".join(unknown)})
        return found
