"""``{% region_filter value %}``: the region picker as a list's filter input (name "region")."""

from django import template
from django.utils.translation import gettext as _

from aidbridge.regions.widgets import RegionPicker

register = template.Library()


@register.simple_tag
def region_filter(value="", name="region"):
    label = _("Region code")
    attrs = {"id": f"filter_{name}", "class": "short", "placeholder": label, "aria-label": label}
    return RegionPicker().render(name, value or "", attrs)
