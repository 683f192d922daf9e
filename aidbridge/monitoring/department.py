"""Screen other departments' files: read them, match their records to members, keep the new
records and open a lead for every household whose records meet a rule (monitoring.screening).

A file has one row per record: ``source,resident_id,event,amount_yuan,date,note`` (or the
Chinese headers of HEADERS), CSV (UTF-8 or GB18030) or XLSX. Resident IDs are forgiven
case, spaces and dashes, then matched by their digest to the registry's members, those who
left their household too when the record is dated before they left. Unmatched, malformed and
out-of-scope rows are reported by row and field and never stop the rest. Records are written
in batches with their fingerprint ignoring conflicts, so a file imported twice creates
nothing twice; only households with new records are screened again.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput
from aidbridge.errors import problem as _problem
from aidbridge.monitoring import screening
from aidbridge.monitoring.models import Channel, DepartmentRecord
from aidbridge.monitoring.selectors import criteria_in_force
from aidbridge.monitoring.services import lead_open
from aidbridge.policy import Action, can, households_in_scope
from aidbridge.registry import idcard
from aidbridge.registry.importer import _csv_rows, _xlsx_rows
from aidbridge.registry.models import Household, HouseholdIncome, Member
from aidbridge.registry.privacy import _keys, id_digest
from aidbridge.registry.services import echo, id_problem

Progress = Callable[[int, int], None]
COLUMNS = ("source", "resident_id", "event", "amount_yuan", "date", "note")
HEADERS = {
    **{c: c for c in COLUMNS},
    "来源": "source",
    "身份证号": "resident_id",
    "公民身份号码": "resident_id",
    "事件": "event",
    "金额（元）": "amount_yuan",
    "金额(元)": "amount_yuan",
    "金额": "amount_yuan",
    "日期": "date",
    "备注": "note",
}
REQUIRED = {"source", "resident_id", "event", "date"}
SOURCES = {**{s: s for s in screening.EVENTS}, **{v: k for k, v in screening.SOURCE_LABELS.items()}}
EVENTS = {
    source: {**{e: e for e in events}, **{label: e for e, label in events.items()}}
    for source, events in screening.EVENTS.items()
}
_FORGIVEN = str.maketrans("", "", " -\u3000\t")  # spaces (also ideographic) and dashes


def screen_file(
    *,
    data: bytes,
    filename: str,
    by=None,
    encoding: str = "",
    progress: Progress | None = None,
    today: date | None = None,
    batch: int = 20000,
) -> dict:
    """Screen a department file as ``by`` (None: the operator, every household in scope):
    return the counts (rows, matched, unmatched, malformed, out_of_scope, new_records,
    leads_opened, leads_joined), the number of problems and the first IMPORT_MAX_PROBLEMS of
    them (``errors``). A file that cannot be read raises InvalidInput before anything is
    written."""
    if by is not None and not can(by, Action.MONITORING_SCREEN):
        raise InvalidInput([_problem("file", _("you may not screen department files"))])
    today = today or timezone.localdate()
    keys, rows = _table(data, filename, encoding)
    total = _estimate_rows(data, filename)
    counts = dict.fromkeys(
        (
            "rows",
            "matched",
            "unmatched",
            "malformed",
            "out_of_scope",
            "new_records",
            "leads_opened",
            "leads_joined",
        ),
        0,
    )
    errors: list[dict] = []
    problems = 0
    touched: set[int] = set()
    while chunk := list(islice(rows, batch)):
        counts["rows"] += len(chunk)
        found = []
        for rownum, values in chunk:
            record = _parse(rownum, dict(zip(keys, values, strict=False)), today)
            if isinstance(record, dict):
                found.append(record)
            else:
                counts["malformed"] += 1
                problems += len(record)
                errors.extend(record[: settings.IMPORT_MAX_PROBLEMS - len(errors)])
        for kind, rownum, message in _match(found, by, touched, counts):
            counts[kind] += 1
            problems += 1
            if len(errors) < settings.IMPORT_MAX_PROBLEMS:
                errors.append(_problem("resident_id", message, rownum))
        if progress:
            progress(counts["rows"], max(total, counts["rows"]))
    opened, joined = households_screen(households=touched, today=today, by=by)
    counts["leads_opened"], counts["leads_joined"] = opened, joined
    return {
        **counts,
        "problems": problems,
        "errors": sorted(errors, key=lambda e: (e["row"], e["field"])),
    }


def _table(data: bytes, filename: str, encoding: str) -> tuple[list, Iterator]:
    """The key of each column and the numbered rows after the header; InvalidInput for a
    file that cannot be read or a header that is not the format's."""
    if filename.lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(data, encoding)
    header = [h.strip().lstrip("\ufeff") for h in next(rows, [])]
    keys = [HEADERS.get(h) for h in header]
    errors = [
        _problem(h, _("unknown column"), 1)
        for h, k in zip(header, keys, strict=True)
        if h and not k
    ]
    errors += [_problem(k, _("column is missing"), 1) for k in sorted(REQUIRED - set(keys))]
    if errors:
        raise InvalidInput(errors)
    numbered = ((n, values) for n, values in enumerate(rows, start=2) if any(values))
    return keys, numbered


def _estimate_rows(data: bytes, filename: str) -> int:
    if filename.lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        return 0
    return max(data.count(b"\n") - 1, 0)


def normalise_id(text: str) -> str:
    """A resident ID as typed: spaces and dashes dropped, a final x upper-cased."""
    return text.translate(_FORGIVEN).upper()


def _parse(rownum: int, raw: dict, today: date) -> dict | list[dict]:
    """A row as {row, source, event, number, amount (fen), on, note}, or its problems."""
    problems = []

    def bad(field, message):
        problems.append(_problem(field, message, rownum))

    text = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    source = SOURCES.get(text["source"].lower()) or SOURCES.get(text["source"])
    if source is None:
        bad("source", _("unknown source %(value)s") % {"value": echo(text["source"])})
        event = None
    else:
        event = EVENTS[source].get(text["event"].lower()) or EVENTS[source].get(text["event"])
        if event is None:
            bad(
                "event",
                _("unknown event %(value)s of %(source)s; expected one of: %(events)s")
                % {
                    "value": echo(text["event"]),
                    "source": source,
                    "events": ", ".join(screening.EVENTS[source]),
                },
            )
    number = normalise_id(text["resident_id"])
    try:
        idcard.parse(number, today=today)
    except idcard.InvalidResidentId as exc:
        bad("resident_id", id_problem(exc.code, exc.params))
    amount = 0
    if text["amount_yuan"]:
        try:
            value = Decimal(text["amount_yuan"].replace(",", ""))
            if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
                raise InvalidOperation
            amount = int(value * 100)
        except InvalidOperation:
            bad("amount_yuan", _("must be an amount in yuan, at least 0, with at most 2 decimals"))
    elif (source, event) in screening.AMOUNT_EVENTS:
        bad("amount_yuan", _("an amount is needed for this event"))
    on = None
    try:
        on = date.fromisoformat(text["date"].replace("/", "-"))
    except ValueError:
        bad("date", _("must be a date as YYYY-MM-DD"))
    if on is not None and on > today:
        bad("date", _("is after today (%(today)s)") % {"today": today.isoformat()})
    if len(text["note"]) > 200:
        bad("note", _("at most 200 characters"))
    if problems:
        return problems
    return {
        "row": rownum,
        "source": source,
        "event": event,
        "number": number,
        "amount": amount,
        "on": on,
        "note": text["note"],
    }


def _match(found: list[dict], by, touched: set, counts: dict) -> Iterator[tuple]:
    """Match a batch of parsed rows to members, keep the new records and add their
    households to ``touched``; yield (kind, row, message) for each row not kept. A record
    already stored, or twice in the batch, is matched but not new."""
    keys = _keys()
    seen = set()
    for record in found:
        record["digest"] = id_digest(record["number"], keys)
        del record["number"]  # the ID itself goes no further
    members = {}
    digests = list({r["digest"] for r in found})
    for start in range(0, len(digests), 5000):
        members.update(
            (bytes(d), (pk, household, left))
            for d, pk, household, left in Member.objects.filter(
                id_digest__in=digests[start : start + 5000]
            ).values_list("id_digest", "pk", "household_id", "left_on")
        )
    in_scope = _households_in_scope(by, {m[1] for m in members.values()})
    new = []
    for record in found:
        member = members.get(record["digest"])
        if member is None:
            yield "unmatched", record["row"], _("no member of the registry has this resident ID")
            continue
        pk, household, left = member
        if left is not None and left <= record["on"]:
            yield (
                "unmatched",
                record["row"],
                _("the member left the household on %(date)s, before this record")
                % {"date": left.isoformat()},
            )
            continue
        if household not in in_scope:
            yield "out_of_scope", record["row"], _("the household is outside your area")
            continue
        counts["matched"] += 1
        fingerprint = _fingerprint(record)
        if fingerprint in seen:
            continue
        seen.add(fingerprint)
        new.append((record, pk, household, fingerprint))
    existing = set()
    prints = [n[3] for n in new]
    for start in range(0, len(prints), 5000):
        existing.update(
            bytes(f)
            for f in DepartmentRecord.objects.filter(
                fingerprint__in=prints[start : start + 5000]
            ).values_list("fingerprint", flat=True)
        )
    rows = [
        DepartmentRecord(
            source=r["source"],
            event=r["event"],
            member_id=pk,
            household_id=household,
            amount=r["amount"],
            on=r["on"],
            note=r["note"],
            fingerprint=fingerprint,
        )
        for r, pk, household, fingerprint in new
        if fingerprint not in existing
    ]
    with transaction.atomic():
        DepartmentRecord.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    counts["new_records"] += len(rows)
    touched.update(r.household_id for r in rows)


def _fingerprint(record: dict) -> bytes:
    parts = (
        record["source"],
        record["digest"].hex(),
        record["event"],
        str(record["amount"]),
        record["on"].isoformat(),
        record["note"],
    )
    return hashlib.sha256("\x1f".join(parts).encode()).digest()


def _households_in_scope(by, ids: set[int]) -> set[int]:
    if by is None:
        return ids
    found = set()
    ids = list(ids)
    for start in range(0, len(ids), 5000):
        found.update(
            households_in_scope(
                by, Household.objects.filter(pk__in=ids[start : start + 5000])
            ).values_list("pk", flat=True)
        )
    return found


def households_screen(*, households, today: date, by=None, batch: int = 1000) -> tuple[int, int]:
    """Screen ``households`` (ids) on ``today`` against the criteria of their village: open a
    lead for each rule met (or join the open one) and link the records behind it. Returns
    (leads opened, leads joined)."""
    opened = joined = 0
    ids = sorted(households)
    criteria = {}
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        latest = HouseholdIncome.objects.filter(household=OuterRef("pk")).order_by("-year")
        found = Household.objects.filter(pk__in=chunk).select_related("village")
        found = found.annotate(latest_income=Subquery(latest.values("per_capita_income")[:1]))
        records = defaultdict(list)
        for pk, household, source, event, amount, on in DepartmentRecord.objects.filter(
            household_id__in=chunk
        ).values_list("pk", "household_id", "source", "event", "amount", "on"):
            records[household].append(screening.Record(pk, source, event, amount, on))
        links = []
        for household in found:
            village = household.village
            if village.pk not in criteria:
                criteria[village.pk] = criteria_in_force(village, today.year).criteria
            hits = screening.screen(
                records[household.pk], annual_income(household), criteria[village.pk], today
            )
            for hit in hits:
                with transaction.atomic():
                    lead, created = lead_open(
                        channel=Channel.DEPARTMENT,
                        household=household,
                        rule=hit.rule,
                        source=hit.source,
                        by=by,
                        on=today,
                    )
                opened += created
                joined += not created
                links += [
                    DepartmentRecord.leads.through(departmentrecord_id=r, lead_id=lead.pk)
                    for r in hit.records
                ]
        DepartmentRecord.leads.through.objects.bulk_create(links, ignore_conflicts=True)
    return opened, joined


def annual_income(household: Household) -> int | None:
    """The household's annual net income in fen: per-capita income (the latest yearly income
    recorded, else the household's own figure) times its members; None when unknown."""
    per_capita = getattr(household, "latest_income", None)
    if per_capita is None:
        per_capita = household.per_capita_income
    if per_capita is None:
        return None
    return per_capita * max(household.size, 1) * 100
