"""Screen other departments' files: read them, match their records to members, keep the new
records and open a lead for every household whose records meet a rule (monitoring.screening).

A file has one row per record: ``source,resident_id,event,amount_yuan,date,note`` (or the
Chinese headers of HEADERS), CSV (UTF-8 or GB18030) or XLSX. Resident IDs are forgiven
case, spaces and dashes, then matched by their digest to the registry's members, those who
left their household too when the record is dated before they left. Unmatched, malformed and
out-of-scope rows are reported by row and field and never stop the rest. Records are written
in batches, only those whose fingerprint is new, so a file imported twice creates nothing
twice; only households with new records are screened again (monitoring.screening_frames).
"""

import hashlib
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from itertools import islice, zip_longest

import polars as pl
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput
from aidbridge.errors import problem as _problem
from aidbridge.monitoring import screening, screening_frames
from aidbridge.monitoring.models import Channel, DepartmentRecord
from aidbridge.monitoring.selectors import criteria_for_villages
from aidbridge.monitoring.services import leads_open_many
from aidbridge.policy import Action, can, region_filter
from aidbridge.regions.models import Region
from aidbridge.registry import bulk, idcard
from aidbridge.registry.importer import ENCODINGS, Problems, _csv_rows, _detect, _xlsx_rows
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
    batch: int = 1_000_000,
) -> dict:
    """Screen a department file as ``by`` (None: the operator, every household in scope):
    return the counts (rows, matched, unmatched, malformed, out_of_scope, new_records,
    leads_opened, leads_joined), the number of problems and the first IMPORT_MAX_PROBLEMS of
    them (``errors``). A file that cannot be read raises InvalidInput before anything is
    written."""
    if by is not None and not can(by, Action.MONITORING_SCREEN):
        raise InvalidInput([_problem("file", _("you may not screen department files"))])
    today = today or timezone.localdate()
    frames = _frames(data, filename, encoding, batch)
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
    problems = Problems(settings.IMPORT_MAX_PROBLEMS)
    scope = _scope(by)
    writers = _writers()
    with bulk.Batches(threads=writers) as batches:
        for frame in frames:
            counts["rows"] += len(frame)
            good = _checked(frame, today, problems, counts)
            matched = _matched(good, scope, problems, counts).sort("fingerprint")
            # ranges of fingerprints, one per writer: they store the frame side by side
            step = -(-len(matched) // max(writers, 1))
            for start in range(0, len(matched), step or 1):
                batches.run(partial(_insert, matched.slice(start, step)))
            if progress:
                progress(counts["rows"], max(total, counts["rows"]))
    touched: set[int] = set()
    for households, new in batches.results:
        touched |= households
        counts["new_records"] += new
    opened, joined = households_screen(households=touched, today=today, by=by)
    counts["leads_opened"], counts["leads_joined"] = opened, joined
    return {
        **counts,
        "problems": problems.count,
        "errors": sorted(problems, key=lambda e: (e["row"], e["field"])),
    }


def _writers() -> int:
    """Writer threads: on PostgreSQL two, so that the server stores a batch (in two halves)
    while this thread checks and matches the next; none on SQLite or in a transaction of the
    caller (a thread would commit apart from it)."""
    return 2 if connection.vendor == "postgresql" and connection.get_autocommit() else 0


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


_TEXT = {"row": pl.Int64, **dict.fromkeys(COLUMNS, pl.String)}


def _frames(data: bytes, filename: str, encoding: str, batch: int) -> Iterator:
    """The rows after the header as frames of ``batch`` rows (row number and the COLUMNS as
    text); InvalidInput, before the first frame, for a file that cannot be read or a header
    that is not the format's. A CSV without blank lines is read by polars (the same rows as
    the csv module's: tests/monitoring/test_screen_perf.py), the others row by row."""
    keys, rows = _table(data, filename, encoding)
    fast = None
    if not (filename.lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04")):
        fast = _polars_csv(data, encoding, keys)
    if fast is None:
        return (_frame(keys, chunk) for chunk in iter(lambda: list(islice(rows, batch)), []))
    return iter(fast.iter_slices(batch))


def _polars_csv(data: bytes, encoding: str, keys: list):
    """The CSV's rows read by polars as _frame's, or None if the file has blank lines, a
    row longer than the header or anything else polars does not read as the csv module."""
    if b"\n\n" in data or b"\n\r\n" in data or b"\r" in data.replace(b"\r\n", b""):
        return None
    codec = ENCODINGS[encoding.lower()] if encoding else _detect(data)
    try:
        if codec != "utf-8-sig":
            data = data.decode(codec).encode()
        elif encoding:
            data.decode("utf-8")  # a file that is not what it is said to be: row by row
        table = pl.read_csv(
            data.removeprefix(b"\xef\xbb\xbf"),
            has_header=True,
            infer_schema=False,
        )
    except (pl.exceptions.PolarsError, UnicodeDecodeError):
        return None
    if table.width != len(keys):
        return None
    table = table.with_columns(pl.all().fill_null(""))
    named = {}
    for column, key in zip(table.columns, keys, strict=True):
        if key and key not in named:
            named[key] = pl.col(column)
    return (
        table.select(
            row=pl.int_range(2, len(table) + 2, dtype=pl.Int64),
            blank=pl.all_horizontal(pl.col(c) == "" for c in table.columns),
            **{k: named.get(k, pl.lit("")) for k in COLUMNS},
        )
        .filter(~pl.col("blank"))
        .drop("blank")
    )


def _frame(keys: list, chunk: list):
    """Numbered rows (row, values) as a frame of _TEXT."""
    n = len(chunk)
    columns = list(zip_longest(*(values for _row, values in chunk), fillvalue=""))
    data = {"row": [row for row, _values in chunk]}
    for i, key in enumerate(keys):
        if key and key not in data and i < len(columns):
            data[key] = columns[i]
    for key in COLUMNS:
        data.setdefault(key, [""] * n)
    return pl.DataFrame(data, schema=_TEXT)


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
            if (
                not value.is_finite()
                or not 0 <= value < 10**9
                or value != value.quantize(Decimal("0.01"))
            ):
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


def _scope(by) -> set[int] | None:
    """The ids of the households ``by`` may open leads for; None: all of them (the operator,
    or a user whose scope holds every household)."""
    if by is None:
        return None
    scope = region_filter(by, "region_")  # the condition households_in_scope applies
    if not scope:  # no condition: the policy's scope holds every household
        return None
    return set(Household.objects.filter(scope).values_list("pk", flat=True))


_SOURCE_KEYS = {k.lower(): v for k, v in SOURCES.items()}
_EVENT_KEYS = {f"{s}|{k.lower()}": e for s, events in EVENTS.items() for k, e in events.items()}
_AMOUNT_EVENTS = [f"{s}|{e}" for s, e in screening.AMOUNT_EVENTS]
_WEIGHTS = [2 ** (17 - k) % 11 for k in range(17)]  # GB 11643's, as idcard.check_character
_GOOD = {
    "row": pl.Int64,
    "source": pl.String,
    "event": pl.String,
    "number": pl.String,
    "amount": pl.Int64,
    "on": pl.Date,
    "note": pl.String,
}


def _checked(frame, today: date, problems: Problems, counts: dict):
    """The rows of ``frame`` (of _TEXT) that are well formed, as a frame of _GOOD. Checked
    column by column (polars); a row that fails is checked again by _parse, which words its
    problems (and has the last word: what it accepts is kept)."""
    text = {k: pl.col(k).str.strip_chars() for k in COLUMNS}
    source = text["source"].str.to_lowercase().replace_strict(_SOURCE_KEYS, default=None)
    number = text["resident_id"].str.replace_all("[ \\-\u3000\t]", "").str.to_uppercase()
    # computed once, then used by the expressions below (which polars would compute again)
    frame = frame.with_columns(
        _source=source,
        _number=number,
        _head=number.str.slice(0, 9).cast(pl.Int64, strict=False),
        _tail=number.str.slice(9, 8).cast(pl.Int64, strict=False),
    )
    source, number = pl.col("_source"), pl.col("_number")
    pair = pl.concat_str([source, pl.lit("|"), text["event"].str.to_lowercase()])
    event = pair.replace_strict(_EVENT_KEYS, default=None)
    birth = number.str.slice(6, 8)
    oldest = f"{today.year - idcard.MAX_AGE - 1:04d}{today.month:02d}{today.day:02d}"
    digits = [pl.col("_head") // 10 ** (8 - k) % 10 for k in range(9)]
    digits += [pl.col("_tail") // 10 ** (7 - k) % 10 for k in range(8)]
    weighted = pl.sum_horizontal(d * w for d, w in zip(digits, _WEIGHTS, strict=True))
    check = (weighted % 11).replace_strict(dict(enumerate(idcard.CHECK_CHARACTERS)), default="")
    id_ok = (
        number.str.contains("^[0-9]{17}[0-9X]$")
        & number.str.slice(0, 2).is_in(sorted(idcard.PROVINCES))
        & birth.str.to_date("%Y%m%d", strict=False).is_not_null()
        & (birth <= today.strftime("%Y%m%d"))
        & (birth > oldest)
        & (number.str.slice(17, 1) == check)
    )
    amount = text["amount_yuan"].str.replace_all(",", "")
    needs_amount = pl.concat_str([source, pl.lit("|"), event]).is_in(_AMOUNT_EVENTS)
    amount_ok = pl.when(amount == "").then(~needs_amount.fill_null(False))
    amount_ok = amount_ok.otherwise(amount.str.contains("^[0-9]{1,9}(\\.[0-9]{1,2})?$"))
    fen = amount.str.extract("^([0-9]+)", 1).cast(pl.Int64, strict=False) * 100
    cents = amount.str.extract("\\.([0-9]{1,2})$", 1).str.pad_end(2, "0").cast(pl.Int64)
    fen = pl.when(amount == "").then(0).otherwise(fen + cents.fill_null(0))
    day = text["date"].str.replace_all("/", "-")
    on = pl.when(day.str.contains("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")).then(
        day.str.to_date("%Y-%m-%d", strict=False)
    )
    ok = (
        source.is_not_null()
        & event.is_not_null()
        & id_ok
        & amount_ok
        & on.is_not_null()
        & (on <= today)
        & (text["note"].str.len_chars() <= 200)
    ).fill_null(False)
    frame = frame.with_columns(
        ok=ok,
        source=source,
        event=event,
        number=number,
        amount=fen,
        on=on,
        note=text["note"],
        raw_source=pl.col("source"),
        raw_event=pl.col("event"),
        raw_id=pl.col("resident_id"),
        raw_amount=pl.col("amount_yuan"),
        raw_date=pl.col("date"),
        raw_note=pl.col("note"),
    )
    good = frame.filter(pl.col("ok")).select(list(_GOOD))
    rescued = []
    for row in frame.filter(~pl.col("ok")).iter_rows(named=True):
        raw = {k: row["raw_" + s] for k, s in zip(COLUMNS, _RAW, strict=True)}
        parsed = _parse(row["row"], raw, today)
        if isinstance(parsed, list):
            counts["malformed"] += 1
            problems.add(parsed)
        else:
            rescued.append(parsed)
    if rescued:
        good = pl.concat([good, pl.DataFrame(rescued, schema=_GOOD)])
    return good


_RAW = ("source", "id", "event", "amount", "date", "note")


def _matched(good, scope: set[int] | None, problems: Problems, counts: dict):
    """The well-formed rows matched to a member of a household in scope, with the member,
    household and fingerprint; the others reported. The resident ID goes no further."""
    numbers = good["number"].unique().to_list()
    keys = _keys()
    digests = pl.DataFrame(
        {"number": numbers, "digest": [id_digest(n, keys) for n in numbers]},
        schema={"number": pl.String, "digest": pl.Binary},
    ).with_row_index("n")
    members = _members(digests["digest"].to_list())
    frame = (
        good.join(digests.with_columns(pl.col("n").cast(pl.Int64)), on="number")
        .drop("number")
        .join(members, on="n", how="left")
        .drop("n")
    )
    unmatched = frame.filter(pl.col("member_id").is_null())
    left = frame.filter(pl.col("left_on").is_not_null() & (pl.col("left_on") <= pl.col("on")))
    kept = frame.filter(pl.col("member_id").is_not_null()).filter(
        pl.col("left_on").is_null() | (pl.col("left_on") > pl.col("on"))
    )
    message = _("no member of the registry has this resident ID")
    problems.add([_problem("resident_id", message, r) for r in unmatched["row"].to_list()])
    message = _("the member left the household on %(date)s, before this record")
    problems.add(
        [
            _problem("resident_id", message % {"date": d.isoformat()}, r)
            for r, d in left.select("row", "left_on").iter_rows()
        ]
    )
    counts["unmatched"] += len(unmatched) + len(left)
    if scope is not None:
        outside = kept.filter(~pl.col("household_id").is_in(list(scope)))
        kept = kept.filter(pl.col("household_id").is_in(list(scope)))
        message = _("the household is outside your area")
        problems.add([_problem("resident_id", message, r) for r in outside["row"].to_list()])
        counts["out_of_scope"] += len(outside)
    counts["matched"] += len(kept)
    text = pl.concat_str(
        [
            pl.col("source"),
            pl.col("digest").bin.encode("hex"),
            pl.col("event"),
            pl.col("amount").cast(pl.String),
            pl.col("on").dt.to_string("%Y-%m-%d"),
            pl.col("note"),
        ],
        separator="\x1f",
    )
    prints = [hashlib.sha256(t.encode()).digest() for t in kept.select(text).to_series()]
    kept = kept.with_columns(fingerprint=pl.Series(prints, dtype=pl.Binary))
    return kept.unique("fingerprint", keep="first", maintain_order=True)


_MEMBERS = {"n": pl.Int64, "member_id": pl.Int64, "household_id": pl.Int64, "left_on": pl.Date}


def _members(digests: list[bytes]):
    """The members with these ID digests: n (the digest's index), member_id, household_id,
    left_on."""
    table = Member._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY in: an array parameter is slow
            cursor.execute("CREATE TEMPORARY TABLE screen_ids (n integer, digest bytea)")
            out = pl.DataFrame({"digest": digests}, schema={"digest": pl.Binary})
            out = out.select(
                n=pl.int_range(pl.len(), dtype=pl.Int64),
                digest=pl.lit("\\x") + pl.col("digest").bin.encode("hex"),
            )
            with cursor.copy("COPY screen_ids FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(out.write_csv(include_header=False))
            found = _read(
                cursor,
                f"SELECT s.n, m.id, m.household_id, m.left_on FROM {table} m "
                "JOIN screen_ids s ON s.digest = m.id_digest",
                [],
                _MEMBERS,
            )
            cursor.execute("DROP TABLE screen_ids")
            return found
        index = {d: n for n, d in enumerate(digests)}
        rows = []
        for start in range(0, len(digests), 5000):
            part = digests[start : start + 5000]
            cursor.execute(
                f"SELECT id_digest, id, household_id, left_on FROM {table} "
                f"WHERE id_digest IN ({', '.join(['%s'] * len(part))})",
                part,
            )
            rows += [(index[bytes(d)], m, h, left) for d, m, h, left in cursor.fetchall()]
    return pl.DataFrame(rows, schema=_MEMBERS, orient="row")


def _read(cursor, sql: str, params: list, schema: dict):
    """The rows of ``sql`` (PostgreSQL) as a frame of ``schema`` (its columns, in order): the
    server joins them into one CSV text, fetched at once (COPY TO hands them row by row)."""
    names = [connection.ops.quote_name(n) for n in schema]
    cells = ", ".join(
        f"coalesce(to_char(q.{n}, 'YYYY-MM-DD'), '')"
        if t == pl.Date
        else f"coalesce(q.{n}::text, '')"
        for n, t in zip(names, schema.values(), strict=True)
    )
    cursor.execute(
        f"SELECT string_agg(concat_ws(',', {cells}), E'\\n') FROM ({sql}) AS q({', '.join(names)})",
        params,
    )
    (text,) = cursor.fetchone()
    if not text:
        return pl.DataFrame(schema=schema)
    return pl.read_csv(text.encode(), has_header=False, schema=schema)


_INSERTED = ("source", "event", "member_id", "household_id", "amount", "on", "note", "fingerprint")


def _insert(frame) -> tuple[set[int], int]:
    """Store the records whose fingerprint is new (in the caller's transaction); return their
    households and their number."""
    table = DepartmentRecord._meta.db_table
    names = ", ".join(connection.ops.quote_name(c) for c in (*_INSERTED, "created"))
    now = timezone.now()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for attempt in range(3):
                try:
                    with transaction.atomic(), connection.wrap_database_errors:
                        new = _new_records(cursor, frame)
                        # in fingerprint order: the unique index is filled page by page
                        out = new.select(_INSERTED).with_columns(
                            fingerprint=pl.lit("\\x") + pl.col("fingerprint").bin.encode("hex"),
                            created=pl.lit(now.isoformat()),
                        )
                        with cursor.copy(
                            f"COPY {table} ({names}) FROM STDIN "
                            "WITH (FORMAT csv, FORCE_NOT_NULL (note))"
                        ) as copy:
                            copy.write(out.write_csv(include_header=False))
                    return set(new["household_id"].to_list()), len(new)
                except IntegrityError:  # another screening stored some of them meanwhile
                    if attempt == 2:
                        raise
        prints = frame["fingerprint"].to_list()
        existing = set()
        for start in range(0, len(prints), 5000):
            existing.update(
                bytes(f)
                for f in DepartmentRecord.objects.filter(
                    fingerprint__in=prints[start : start + 5000]
                ).values_list("fingerprint", flat=True)
            )
        new = frame.filter(~pl.col("fingerprint").is_in(list(existing)))
        cursor.executemany(
            f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join(['%s'] * 9)})",
            [(*row, now) for row in new.select(_INSERTED).iter_rows()],
        )
        return set(new["household_id"].to_list()), len(new)


def _new_records(cursor, frame):
    """The rows of ``frame`` whose fingerprint no stored record has, in fingerprint order
    (PostgreSQL: one COPY of the fingerprints and one join)."""
    frame = frame.sort("fingerprint")
    cursor.execute("CREATE TEMPORARY TABLE screen_prints (n integer, fingerprint bytea)")
    out = frame.select(
        n=pl.int_range(pl.len(), dtype=pl.Int64),
        fingerprint=pl.lit("\\x") + pl.col("fingerprint").bin.encode("hex"),
    )
    with cursor.copy("COPY screen_prints FROM STDIN WITH (FORMAT csv)") as copy:
        copy.write(out.write_csv(include_header=False))
    stored = _read(
        cursor,
        f"SELECT p.n FROM screen_prints p JOIN {DepartmentRecord._meta.db_table} r "
        "ON r.fingerprint = p.fingerprint",
        [],
        {"n": pl.Int64},
    )
    cursor.execute("DROP TABLE screen_prints")
    if stored.is_empty():
        return frame
    return frame.filter(~pl.int_range(pl.len(), dtype=pl.Int64).is_in(stored["n"].implode()))


def households_screen(*, households, today: date, by=None) -> tuple[int, int]:
    """Screen ``households`` (ids) on ``today`` against the criteria of their village: open a
    lead for each rule met (or join the open one) and link the records behind it. Returns
    (leads opened, leads joined). The rules are screening.screen's, applied to all the
    households at once (screening_frames)."""
    ids = sorted(households)
    if not ids:
        return 0, 0
    income = HouseholdIncome._meta.db_table
    places = _select(
        f"SELECT h.id, h.village_id, h.size, COALESCE((SELECT i.per_capita_income FROM {income} "
        "i WHERE i.household_id = h.id ORDER BY i.year DESC LIMIT 1), h.per_capita_income) "
        f"FROM {Household._meta.db_table} h WHERE h.id",
        [],
        ids,
        {"household": pl.Int64, "village_id": pl.Int64, "size": pl.Int64, "per_capita": pl.Int64},
    )
    villages = Region.objects.in_bulk(places["village_id"].unique().to_list())
    criteria = criteria_for_villages(villages.values(), today.year)
    rules = pl.DataFrame(
        [
            (v, c.window_days, c.medical_share, c.education_share, c.disaster_share)
            for v, c in criteria.items()
        ],
        schema={
            "village_id": pl.Int64,
            "window_days": pl.Int64,
            "medical_share": pl.Float64,
            "education_share": pl.Float64,
            "disaster_share": pl.Float64,
        },
        orient="row",
    )
    since = today - timedelta(days=max(c.window_days for c in criteria.values()))
    pairs = " OR ".join(["(source = %s AND event = %s)"] * len(screening_frames.PAIRS))
    records = _select(
        'SELECT id, household_id, source, event, amount, "on" FROM '
        f'{DepartmentRecord._meta.db_table} WHERE "on" > %s AND "on" <= %s AND ({pairs}) '
        "AND household_id",
        [since, today, *(v for pair in screening_frames.PAIRS for v in pair)],
        ids,
        {
            "key": pl.Int64,
            "household": pl.Int64,
            "source": pl.String,
            "event": pl.String,
            "amount": pl.Int64,
            "on": pl.Date,
        },
    )
    # the annual income in fen: the per-capita income times the members (null: unknown)
    homes = places.join(rules, on="village_id").with_columns(
        income=pl.col("per_capita") * pl.max_horizontal(pl.col("size"), 1) * 100
    )
    hits = screening_frames.screen_frames(records, homes, today).join(
        places.select("household", "village_id"), on="household", how="left", maintain_order="left"
    )
    leads = leads_open_many(
        channel=Channel.DEPARTMENT,
        wanted=list(hits.select("household", "village_id", "rule", "source").iter_rows()),
        by=by,
        on=today,
    )
    lead_ids = pl.DataFrame(
        [(household, rule, lead) for (household, rule), (lead, _created) in leads.items()],
        schema={"household": pl.Int64, "rule": pl.String, "lead": pl.Int64},
        orient="row",
    )
    links = hits.join(lead_ids, on=["household", "rule"]).explode("records")
    _link(list(links.select("records", "lead").iter_rows()))
    opened = sum(created for _lead, created in leads.values())
    return opened, len(leads) - opened


def _link(links: list[tuple[int, int]]) -> None:
    """Link records to leads ((record id, lead id)), skipping the links that exist."""
    table = DepartmentRecord.leads.through._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE TEMPORARY TABLE screen_links (record bigint, lead bigint)")
            with cursor.copy("COPY screen_links FROM STDIN") as copy:
                copy.write("".join(f"{r}\t{lead}\n" for r, lead in links))
            cursor.execute(
                f"INSERT INTO {table} (departmentrecord_id, lead_id) SELECT record, lead "
                "FROM screen_links ORDER BY record ON CONFLICT DO NOTHING"
            )
            cursor.execute("DROP TABLE screen_links")
        else:
            cursor.executemany(
                f"INSERT INTO {table} (departmentrecord_id, lead_id) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                links,
            )


_IDS = 1_000_000  # ids per query: a million households' records of a year are ~150 MB of text


def _select(sql: str, params: list, ids: list[int], schema: dict):
    """The rows of ``sql``, which ends with a column to be one of ``ids``, as a frame of
    ``schema`` (PostgreSQL: = ANY of an array, through _read, _IDS ids at a time so that
    the server's text stays far below its limit of 1 GB; elsewhere IN by parts)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"{sql} = ANY(string_to_array(%s, ',')::bigint[])"
            # one text parameter: a list of numbers is slow to send
            parts = [
                _read(cursor, sql, [*params, ",".join(map(str, ids[start : start + _IDS]))], schema)
                for start in range(0, len(ids), _IDS)
            ]
            return pl.concat(parts) if parts else pl.DataFrame(schema=schema)
        rows = []
        for start in range(0, len(ids), 5000):
            part = ids[start : start + 5000]
            cursor.execute(f"{sql} IN ({', '.join(['%s'] * len(part))})", [*params, *part])
            rows += cursor.fetchall()
        return pl.DataFrame(rows, schema=schema, orient="row")
