"""Money as people read it: ``{{ fen|yuan }}`` gives yuan with thousands separators, and
``{{ fen|capitals }}`` the amount in Chinese capital numerals for receipts."""

from django import template

from aidbridge.ledger.capitals import capitals as _capitals

register = template.Library()


@register.filter
def yuan(fen: int) -> str:
    """12345600 -> "123,456"; 12345650 -> "123,456.50"; -150 -> "-1.50"."""
    sign, (whole, cents) = ("-" if fen < 0 else ""), divmod(abs(fen), 100)
    return f"{sign}{whole:,}" + (f".{cents:02d}" if cents else "")


@register.filter
def capitals(fen: int) -> str:
    return _capitals(fen)
