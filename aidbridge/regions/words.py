"""Names joined as the active language writes them (see templatetags/words.py)."""

from django.utils.translation import get_language


def _english() -> bool:
    return (get_language() or "").startswith("en")


def enumeration(items) -> str:
    """The items' texts joined by 、 in Chinese, by ", " in English."""
    return (", " if _english() else "、").join(str(item) for item in items)


def place(region) -> str:
    """A region with its parent: parent then region, run together, in Chinese; region, then
    parent after a comma, in English. The region alone if it has no parent."""
    if region is None:
        return ""
    parent = region.parent
    if parent is None:
        return region.name
    return f"{region.name}, {parent.name}" if _english() else f"{parent.name}{region.name}"
