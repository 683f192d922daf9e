"""Amounts of targets and pledges as people read them: yuan from fen, or a quantity with its
unit."""

from django import template
from django.utils.translation import gettext as _

from aidbridge.ledger.templatetags.money import yuan
from aidbridge.projects.models import TargetKind

register = template.Library()


@register.simple_tag
def measure(amount: int, target) -> str:
    """``amount`` in the target's unit, with the unit."""
    if target.kind == TargetKind.MONEY:
        return _("%(amount)s yuan") % {"amount": yuan(amount)}
    return f"{amount:,} {target.unit}"
