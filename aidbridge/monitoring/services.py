"""The writers of relapse monitoring. Every lead, whatever its channel, is opened here."""

import secrets
import uuid
from datetime import date

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from aidbridge.monitoring import procedure
from aidbridge.monitoring.models import Lead, LeadStatus
from aidbridge.registry.models import Household

# Tracking codes avoid letters and digits that read alike (0/O, 1/I/L).
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


# Random bytes become characters of the alphabet; those that would favour some are dropped.
_CODE_BYTES = bytes(_CODE_ALPHABET[b % len(_CODE_ALPHABET)].encode()[0] for b in range(256))
_CODE_UNEVEN = bytes(range(256 - 256 % len(_CODE_ALPHABET), 256))


def new_tracking_code() -> str:
    """``M`` and ten characters: about 49 bits, not guessable, easy to read over a phone."""
    return tracking_codes(1)[0]


def tracking_codes(n: int) -> list[str]:
    """``n`` tracking codes, drawn at once."""
    chars = b""
    while len(chars) < 10 * n:
        raw = secrets.token_bytes(11 * n + 16 - len(chars))
        chars += raw.translate(_CODE_BYTES, _CODE_UNEVEN)
    text = chars.decode()
    return ["M" + text[k : k + 10] for k in range(0, 10 * n, 10)]


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


def leads_open_many(
    *, channel: str, wanted: list[tuple[int, int, str, str]], by=None, on: date | None = None
) -> dict[tuple[int, str], tuple[int, bool]]:
    """lead_open for many (household id, village id, rule, source) at once, for screening:
    (household id,
    rule) -> (lead id, created). The open leads are found in one query and the others
    created in bulk; should that clash with a lead opened meanwhile (or a tracking code), each
    is opened through lead_open instead."""
    found: dict[tuple[int, str], tuple[int, bool]] = {}
    ids = list({household for household, _village, _rule, _source in wanted})
    for start in range(0, len(ids), 5000):
        found.update(
            ((household, rule), (pk, False))
            for pk, household, rule in Lead.objects.filter(
                household_id__in=ids[start : start + 5000], status=LeadStatus.OPEN
            ).values_list("pk", "household_id", "rule")
        )
    missing = [w for w in wanted if (w[0], w[2]) not in found]
    if connection.vendor == "postgresql" and missing:
        try:
            with transaction.atomic():
                found.update(_leads_copy(channel, missing, by, on))
            return found
        except IntegrityError:
            pass  # one by one below
    fresh = [
        Lead(
            tracking_code=new_tracking_code(),
            channel=channel,
            village_id=village,
            household_id=household,
            rule=rule,
            source=source,
            created_by=by,
            **deadlines(on or timezone.localdate()),
        )
        for household, village, rule, source in missing
    ]
    try:
        with transaction.atomic():
            Lead.objects.bulk_create(fresh, batch_size=2000)
    except IntegrityError:
        households = Household.objects.in_bulk([w[0] for w in missing])
        for household, _village, rule, source in missing:
            lead, created = lead_open(
                channel=channel,
                household=households[household],
                rule=rule,
                source=source,
                by=by,
                on=on,
            )
            found[household, rule] = (lead.pk, created)
        return found
    for lead in fresh:
        found[lead.household_id, lead.rule] = (lead.pk, True)
    return found


def _leads_copy(channel: str, missing: list, by, on: date | None) -> dict:
    """Create the leads of ``missing`` on PostgreSQL with one COPY and one INSERT, the other
    fields at their model defaults; IntegrityError as bulk_create would."""
    given = ("tracking_code", "household_id", "village_id", "rule", "source")
    fixed = {
        "channel": channel,
        "created_by_id": getattr(by, "pk", None),
        **deadlines(on or timezone.localdate()),
        "created": timezone.now(),
    }
    columns, values, params = [], [], []
    for field in Lead._meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.default is uuid.uuid4:
            values.append("gen_random_uuid()")
            continue
        value = fixed[field.attname] if field.attname in fixed else field.get_default()
        values.append("%s")
        params.append(field.get_db_prep_save(value, connection))
    table = Lead._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE screen_leads (tracking_code text, household_id bigint, "
            "village_id bigint, rule text, source text)"
        )
        with cursor.copy("COPY screen_leads FROM STDIN") as copy:
            copy.write(
                "".join(
                    f"{code}\t{household}\t{village}\t{rule}\t{source}\n"
                    for code, (household, village, rule, source) in zip(
                        tracking_codes(len(missing)), missing, strict=True
                    )
                )
            )
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(given)}, {', '.join(columns)}) "
            f"SELECT {', '.join(given)}, {', '.join(values)} FROM screen_leads "
            "RETURNING id, household_id, rule",
            params,
        )
        created = {(household, rule): (pk, True) for pk, household, rule in cursor.fetchall()}
        cursor.execute("DROP TABLE screen_leads")
        return created
