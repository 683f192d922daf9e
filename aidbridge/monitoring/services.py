"""The writers of relapse monitoring. Every lead, whatever its channel, is opened here."""

import secrets
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from aidbridge.monitoring import procedure
from aidbridge.monitoring.models import Lead, LeadStatus
from aidbridge.registry.models import Household

# Tracking codes avoid letters and digits that read alike (0/O, 1/I/L).
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    """``M`` and ten characters: about 49 bits, not guessable, easy to read over a phone."""
    return "M" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def deadlines(opened_on: date) -> dict:
    """A new case's opening day, the day it must be decided by and its first step's due day
    (monitoring.procedure)."""
    case = procedure.Case(opened_on=opened_on)
    return {
        "opened_on": opened_on,
        "decide_by": case.decide_by,
        "step_due": procedure.step_due(case, opened_on),
    }


def lead_open(
    *,
    channel: str,
    village=None,
    household: Household | None = None,
    rule: str = "",
    source: str = "",
    kind: str = "",
    description: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    by=None,
    on: date | None = None,
) -> tuple[Lead, bool]:
    """Open a lead, or return the open lead of the same household and rule (created False),
    so screening the same records twice opens nothing twice. ``village`` defaults to the
    household's. Callers check permissions and validate their input first."""
    if household is not None:
        village = village or household.village
        if rule:
            existing = Lead.objects.filter(
                household=household, rule=rule, status=LeadStatus.OPEN
            ).first()
            if existing is not None:
                return existing, False
    fields = dict(
        channel=channel,
        village=village,
        household=household,
        rule=rule,
        source=source,
        kind=kind,
        description=description,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        created_by=by,
    )
    fields.update(deadlines(on or timezone.localdate()))
    for _attempt in range(5):  # a clash of random codes is rare; try another
        try:
            with transaction.atomic():
                return Lead.objects.create(tracking_code=new_tracking_code(), **fields), True
        except IntegrityError:
            if household is not None and rule:
                existing = Lead.objects.filter(
                    household=household, rule=rule, status=LeadStatus.OPEN
                ).first()
                if existing is not None:  # opened meanwhile by another process
                    return existing, False
    raise RuntimeError("could not draw a free tracking code")
