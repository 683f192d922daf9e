"""Lists and places as a reader of the active language writes them: ``{{ items|names }}``
enumerates with 、 in Chinese and commas in English; ``{{ region|place }}`` names a region
with its parent, 乔瓦镇达吉林社区 in Chinese and "Dajilin Community, Qiaowa Town" in English."""

from django import template

from aidbridge.regions.words import enumeration
from aidbridge.regions.words import place as _place

register = template.Library()


@register.filter
def names(items, attribute: str = "") -> str:
    """The items (or their ``attribute``, e.g. "label") enumerated."""
    return enumeration(getattr(i, attribute) for i in items) if attribute else enumeration(items)


@register.filter
def place(region) -> str:
    return _place(region)
