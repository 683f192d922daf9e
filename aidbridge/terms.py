"""Records held over a term, from ``since`` until ``until`` (open while held): pairing posts,
East-West pairings, households' responsible helpers. Their dates are checked and their terms
ended here; the caller checks permission first."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem


def check_dates(since, until=None) -> list[dict]:
    """Problems of a term's dates: neither in the future, and the end not before the start."""
    errors = []
    today = timezone.localdate()
    if not isinstance(since, date):
        errors.append(problem("since", _("is not a date")))
    elif since > today:
        errors.append(problem("since", _("is in the future")))
    if until is not None and isinstance(since, date):
        if until > today:
            errors.append(problem("until", _("is in the future")))
        elif until < since:
            errors.append(
                problem("until", _("is before the start (%(date)s)") % {"date": since.isoformat()})
            )
    return errors


def term_end(record, *, by, until: date, ended: str):
    """End ``record``'s term on ``until``, after checking the dates; ``ended`` is the message
    for one that has ended already."""
    errors = check_dates(record.since, until)
    if record.until is not None:
        errors.append(problem("until", ended))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        record.until, record._history_user = until, by
        record.save()
    return record
