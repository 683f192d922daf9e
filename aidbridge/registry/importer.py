"""Import households from the template (CSV or XLSX, English or Chinese headers).

Valid households are imported; every invalid one is reported with row, field and message and
imported not at all (a household is written whole or not at all). A household whose number is
already registered is left as it is, so importing the same file twice creates no duplicates.

The file is read twice: first only the household numbers, to count the households and find
the last row of each; then row by row, handing on each household, in order of first
appearance, as soon as its last row is read. So a household's rows need not be next to each
other, and only households not yet complete are held in memory. Households are checked and
written in batches, one transaction each, as plain rows (bulk.py: COPY on PostgreSQL, where
threads write batches while the next is checked).
"""

import codecs
import csv
import gc
import io
import json
import os
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from itertools import islice
from operator import itemgetter
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.errors import InvalidInput
from aidbridge.errors import problem as _problem
from aidbridge.policy import Action, can
from aidbridge.regions.models import Region
from aidbridge.registry import bulk
from aidbridge.registry.idcard import generate
from aidbridge.registry.models import Household, HouseholdIncome, Member
from aidbridge.registry.services import (
    echo,
    household_fields,
    member_fields,
    validate_household,
    validate_members,
)
from aidbridge.registry.signals import households_changed
from aidbridge.registry.template import COLUMNS, HEADER_TO_KEY, HOUSEHOLD_KEYS
from aidbridge.spreadsheet import csv_writer
from aidbridge.uploads import TABLES, check_upload

Progress = Callable[[int, int], None]
Rows = list[tuple[int, dict]]  # one household's (row number, {key: text}), in file order
REQUIRED = {
    "household_number",
    "village_code",
    "main_cause",
    "name",
    "resident_id",
    "relation",
    "labour",
    "schooling",
}
HOUSEHOLD_INTEGERS = ("identified_year", "income_year", "per_capita_income")
YES = {"yes", "y", "true", "1", "是"}
NO = {"no", "n", "false", "0", "否", ""}
YES_OR_NO = YES | NO
COLUMN_OF = {"number": "household_number"}  # the template's name of a service's field
_household_texts = itemgetter(*HOUSEHOLD_KEYS)

# The columns _insert writes, in the order of its rows: a household's own fields are those of
# services.household_fields() and a member's those of services.member_fields(), in order.
HOUSEHOLD_COLUMNS = (
    "public_id",
    "village_id",
    "number",
    "region_path",
    "address",
    "head_name",
    "size",
    "main_cause",
    "secondary_causes",
    "status",
    "identified_year",
    "income_year",
    "per_capita_income",
    "exit_year",
    "created",
    "updated",
)
HISTORY_COLUMNS = (
    "id",
    *HOUSEHOLD_COLUMNS,
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
)
MEMBER_COLUMNS = (
    "household_id",
    "name",
    "id_digest",
    "id_cipher",
    "id_masked",
    "sex",
    "birth_date",
    "relation",
    "labour",
    "health",
    "disability_grade",
    "schooling",
    "medical_insurance",
    "left_on",
    "left_reason",
)
INCOME_COLUMNS = ("household_id", "year", "per_capita_income", "items")


def import_households(
    *,
    by,
    data: bytes,
    filename: str,
    progress: Progress | None = None,
    batch: int = 5000,
    encoding: str = "",
) -> dict:
    """Import what is valid, report the rest; return the counts, the number of problems and
    the first IMPORT_MAX_PROBLEMS of them (``errors``). A file that cannot be read, or is
    larger than the limits, raises InvalidInput before anything is written."""
    total, households = _households(data, filename, encoding)
    villages = {r.code: r for r in Region.objects.filter(level=settings.REGION_LEVELS[-1][0])}
    may_register = _Permits(by)
    today = timezone.localdate()
    counts = {"households": 0, "members": 0, "unchanged": 0, "rejected": 0}
    errors = Problems(settings.IMPORT_MAX_PROBLEMS)
    seen_ids: dict[str, int] = {}
    touched: set[int] = set()
    done = 0
    with _without_cycle_collection(), bulk.Batches(threads=_writers()) as batches:
        while chunk := list(islice(households, batch)):
            existing = bulk.present(Household, "number", [number for number, _rows in chunk])
            ready = []
            for number, rows in chunk:
                if number in existing:
                    counts["unchanged"] += 1
                    continue
                problems, record = _check(number, rows, villages, may_register, today, seen_ids)
                if problems:
                    errors.add(problems)
                    counts["rejected"] += 1
                else:
                    ready.append(record)
            if ready:
                touched.update(village.id for _data, village, _members, _rows in ready)
                batches.run(partial(_write, ready, by))
            done += len(chunk)
            if progress:
                progress(done, total)
    for written in batches.results:
        for key in ("households", "members", "rejected"):
            counts[key] += written[key]
        errors.add(written["errors"])
    # once at the end: a recount per batch would cost more
    households_changed.send(sender=Household, villages=touched)
    return {
        **counts,
        "problems": errors.count,
        "errors": sorted(errors, key=lambda e: (e["row"], e["field"])),
    }


class Problems(list):
    """The first ``limit`` problems found, and how many there were in all."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit, self.count = limit, 0

    def add(self, problems: list[dict]) -> None:
        self.count += len(problems)
        self.extend(problems[: self.limit - len(self)])


def more_problems(result: dict) -> str:
    """ "more than N problems; the first N are listed", when the import stopped listing."""
    listed = len(result["errors"])
    if result.get("problems", listed) <= listed:
        return ""
    return _("more than %(n)s problems; the first %(n)s are listed") % {"n": f"{listed:,}"}


class _Permits(dict):
    """Whether ``by`` may register households in a village, asked once per village (a dict
    by code: hashing a Region is a Python call)."""

    def __init__(self, by):
        super().__init__()
        self.by = by

    def __call__(self, village: Region) -> bool:
        allowed = self.get(village.code)
        if allowed is None:
            allowed = self[village.code] = can(self.by, Action.HOUSEHOLD_REGISTER, village)
        return allowed


def _writers() -> int:
    """Writer threads: on PostgreSQL two, so that while one waits for the server to take a
    batch (its indexes, its foreign keys at commit) the other sends another and this thread
    checks the next (1.5x faster than one); none on SQLite (it writes in this process, under
    the same lock) or in a transaction of the caller (a thread would commit apart from it)."""
    return 2 if connection.vendor == "postgresql" and connection.get_autocommit() else 0


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector (it is the whole process's) while importing: the import
    makes millions of short-lived containers and no cycles, and the collector would spend
    10-15% of the time scanning them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


ENCODINGS = {"utf-8": "utf-8-sig", "gb18030": "gb18030", "gbk": "gb18030"}  # GBK ⊂ GB18030
IMPORT_ENCODINGS = [
    ("", gettext_lazy("Detect (UTF-8, else GB18030/GBK)")),
    ("utf-8", "UTF-8"),
    ("gb18030", "GB18030 / GBK"),
]


def import_upload_check(file):
    """An uploaded import file, checked by uploads.check_upload (CSV or XLSX by content,
    at most IMPORT_MAX_BYTES)."""
    return check_upload(
        file,
        field="file",
        label=_("The household file"),
        accept=TABLES,
        max_bytes=settings.IMPORT_MAX_BYTES,
    )


def _table(
    data: bytes, filename: str, encoding: str = ""
) -> tuple[list, Iterator[tuple[int, list[str]]]]:
    """The key of each column (None where the header is empty) and every row after the
    header, blank ones too, as (row number, texts); raise InvalidInput for a bad header, a
    file that cannot be read or one beyond the limits (IMPORT_MAX_*), before or while it is
    read, never with more than IMPORT_MAX_COLUMNS values a row."""
    if filename.lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(data, encoding)
    header = [h.strip() for h in next(rows, [])]
    unknown = [h for h in header if h and h not in HEADER_TO_KEY]
    keys = [HEADER_TO_KEY.get(h) for h in header]
    missing = sorted(REQUIRED - set(keys))
    errors = [_problem(echo(h), _("unknown column"), 1) for h in unknown]
    errors += [_problem(k, _("column is missing"), 1) for k in missing]
    if errors:
        raise InvalidInput(errors)
    return keys, _counted(rows)


def _refuse(message: str) -> InvalidInput:
    return InvalidInput([_problem("file", message)])


def _counted(rows: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Number the rows after the header; refuse a file with more than IMPORT_MAX_ROWS."""
    limit = settings.IMPORT_MAX_ROWS
    for rownum, values in enumerate(rows, start=2):
        if rownum > limit + 1:
            raise _refuse(
                _(
                    "the file has more than %(limit)s rows; import at most that many "
                    "at once (split the file)"
                )
                % {"limit": f"{limit:,}"}
            )
        yield rownum, values


def _csv_rows(data: bytes, encoding: str) -> Iterator[list[str]]:
    """The rows of a CSV file in the chosen encoding, or the one detected: UTF-8 (with or
    without BOM) if the whole file is UTF-8, else GB18030 (what Chinese Excel writes)."""
    if encoding and encoding.lower() not in ENCODINGS:
        raise _refuse(
            _("unknown encoding %(encoding)s; choose UTF-8 or GB18030") % {"encoding": encoding}
        )
    codec = ENCODINGS[encoding.lower()] if encoding else _detect(data)
    text = io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline="")
    rownum = 1
    try:
        for rownum, values in enumerate(csv.reader(text), start=1):  # noqa: B007
            if len(values) > settings.IMPORT_MAX_COLUMNS:
                raise _refuse(
                    _("row %(row)s has %(n)s columns, more than %(limit)s")
                    % {"row": rownum, "n": len(values), "limit": settings.IMPORT_MAX_COLUMNS}
                )
            yield values
    except UnicodeDecodeError as exc:
        raise _refuse(
            _(
                "the file is not %(encoding)s text (after row %(row)s); save it as "
                "CSV UTF-8 or choose its encoding"
            )
            % {"encoding": "UTF-8" if codec == "utf-8-sig" else "GB18030", "row": rownum}
        ) from exc
    except csv.Error as exc:
        raise _refuse(
            _("row %(row)s cannot be read as CSV: %(reason)s") % {"row": rownum + 1, "reason": exc}
        ) from exc


def _detect(data: bytes) -> str:
    """utf-8-sig when the file decodes as UTF-8 (read in pieces: no copy), else gb18030."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(data[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    """The rows of the active sheet of an XLSX file, streamed; its parts' unpacked sizes and
    the sheet's dimension are checked against the limits before any of it is read."""
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse(
            _(
                "this is not an XLSX file (it is not a zip archive); save it from "
                "the spreadsheet as .xlsx or as CSV"
            )
        )
    unreadable = _(
        "the XLSX file cannot be read (%(reason)s); save it again from the spreadsheet, or as CSV"
    )
    try:
        _check_parts(zipfile.ZipFile(io.BytesIO(data)))
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        _check_dimension(sheet.max_row, sheet.max_column)
        sheet.reset_dimensions()  # read every row, also past a dimension that understates
        for values in sheet.iter_rows(values_only=True, max_col=settings.IMPORT_MAX_COLUMNS):
            yield [("" if v is None else str(v)) for v in values]
    except InvalidInput:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        OSError,
        ValueError,
        SyntaxError,
        TypeError,
        AttributeError,
        IndexError,
    ) as exc:
        # SyntaxError: ElementTree's ParseError; the rest: what openpyxl raises on parts
        # that are missing or malformed (it wraps what the XML parser raised in ValueError).
        if isinstance(exc, DefusedXmlException) or isinstance(exc.__cause__, DefusedXmlException):
            raise _refuse(
                _(
                    "the XLSX file declares XML entities, which are refused (they "
                    "can expand without end); save it again from the spreadsheet"
                )
            ) from exc
        raise _refuse(unreadable % {"reason": type(exc).__name__}) from exc


def _check_parts(archive: zipfile.ZipFile) -> None:
    """Refuse an archive that unpacks to more than IMPORT_MAX_UNPACKED, with a part read
    whole (all but the worksheets, which are streamed) larger than IMPORT_MAX_XML_PART, or
    with a worksheet that does not declare its dimension: openpyxl would read such a sheet
    whole to learn its size, keeping an element for each of its rows.
    zipfile stops reading a part at its declared size, so the sizes cannot lie."""
    parts = archive.infolist()
    unpacked = sum(p.file_size for p in parts)
    if unpacked > settings.IMPORT_MAX_UNPACKED:
        raise _refuse(
            _("the XLSX file unpacks to %(size)s MB, more than %(limit)s MB")
            % {
                "size": f"{unpacked // 2**20:,}",
                "limit": f"{settings.IMPORT_MAX_UNPACKED // 2**20:,}",
            }
        )
    for part in parts:
        if part.file_size > settings.IMPORT_MAX_XML_PART and not part.filename.startswith(
            "xl/worksheets/"
        ):
            raise _refuse(
                _("the XLSX file's part %(part)s unpacks to %(size)s MB, more than %(limit)s MB")
                % {
                    "part": part.filename,
                    "size": f"{part.file_size // 2**20:,}",
                    "limit": f"{settings.IMPORT_MAX_XML_PART // 2**20:,}",
                }
            )
    for part in parts:
        if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            with archive.open(part) as source:
                for _event, element in iterparse(source, events=("start",)):
                    tag = element.tag.rpartition("}")[2]
                    if tag == "dimension":
                        break
                    if tag == "sheetData":
                        raise _refuse(
                            _(
                                "the sheet %(part)s does not declare its size; save "
                                "it again from the spreadsheet"
                            )
                            % {"part": part.filename.rsplit("/", 1)[-1]}
                        )


def _check_dimension(rows: int | None, columns: int | None) -> None:
    """Refuse a sheet whose declared dimension passes the limits (a sheet whose dimension
    understates is stopped while it is read)."""
    rows, columns = (rows or 1) - 1, columns or 0  # less the header
    if rows > settings.IMPORT_MAX_ROWS:
        raise _refuse(
            _(
                "the sheet has %(n)s rows, more than %(limit)s; import at most that "
                "many at once (split the file)"
            )
            % {"n": f"{rows:,}", "limit": f"{settings.IMPORT_MAX_ROWS:,}"}
        )
    if columns > settings.IMPORT_MAX_COLUMNS:
        raise _refuse(
            _("the sheet has %(n)s columns, more than %(limit)s")
            % {"n": f"{columns:,}", "limit": settings.IMPORT_MAX_COLUMNS}
        )
    if rows * columns > settings.IMPORT_MAX_CELLS:
        raise _refuse(
            _("the sheet has %(n)s cells, more than %(limit)s")
            % {"n": f"{rows * columns:,}", "limit": f"{settings.IMPORT_MAX_CELLS:,}"}
        )


def _row(keys: list, values: list[str]) -> dict:
    row = dict(zip(keys, map(str.strip, values), strict=False))
    row.pop(None, None)
    return row


BLANK, ROW, LAST = 0, 1, 2  # what the first reading learns of each row


def _households(
    data: bytes, filename: str, encoding: str = ""
) -> tuple[int, Iterator[tuple[str, Rows]]]:
    """The number of households in the file, and an iterator of (number, rows) of each, in
    order of first appearance, each handed on as soon as its last row is read."""
    keys, rows = _table(data, filename, encoding)
    column = max(i for i, key in enumerate(keys) if key == "household_number")

    def number(values: list[str]) -> str:  # _row(keys, values).get("household_number", "")
        if column < len(values):
            return values[column].strip()
        return _row(keys, values).get("household_number", "")

    last: dict[str, int] = {}
    kinds = bytearray(2)  # of each row from 2 on: BLANK, ROW or LAST (of its household)
    for rownum, values in rows:
        found = number(values)
        if found or "".join(values).strip():  # a row with a number is not blank
            last[found] = rownum
            kinds.append(ROW)
        else:
            kinds.append(BLANK)
    for rownum in last.values():
        kinds[rownum] = LAST

    def complete() -> Iterator[tuple[str, Rows]]:
        waiting: OrderedDict[str, Rows] = OrderedDict()  # begun, in order of first appearance
        for rownum, values in _table(data, filename, encoding)[1]:
            if (kind := kinds[rownum]) == BLANK:
                continue
            row = _row(keys, values)
            waiting.setdefault(row.get("household_number", ""), []).append((rownum, row))
            if kind == LAST:  # the first households waiting may now be complete
                while waiting and kinds[next(iter(waiting.values()))[-1][0]] == LAST:
                    yield waiting.popitem(last=False)

    return len(last), complete()


def _check(number, rows, villages, may_register, today, seen_ids):
    """Validate one household's rows; return (problems, None) or ([], (household fields,
    village, the members' fields for the database, row numbers))."""
    problems: list[dict] = []
    first_row, first = rows[0]
    data = _convert(first_row, first, problems)
    for rownum, raw in rows[1:]:
        if not _same_household(raw, first):
            for key in HOUSEHOLD_KEYS:
                if raw.get(key, "") not in ("", first.get(key, "")):
                    message = _("differs from row %(row)s of the same household")
                    problems.append(_problem(key, message % {"row": first_row}, rownum))
    data["number"] = number
    problems += [
        {**p, "field": COLUMN_OF.get(p["field"], p["field"])}
        for p in validate_household(data, today=today, row=first_row)
    ]
    village = villages.get(data.get("village_code", ""))
    if village is None:
        problems.append(
            _problem(
                "village_code",
                _("no village has the code %(code)s")
                % {"code": echo(data.get("village_code", ""))},
                first_row,
            )
        )
    elif not may_register(village):
        problems.append(
            _problem(
                "village_code",
                _("village %(code)s is outside your area") % {"code": village.code},
                first_row,
            )
        )
    members = [_member(rownum, raw, problems) for rownum, raw in rows]
    member_problems = validate_members(members, today=today)
    for problem in member_problems:
        field = problem["field"]
        if field.startswith("members["):
            index, _dot, field = field[len("members[") :].partition("].")
            problems.append(_problem(field, problem["message"], rows[int(index) - 1][0]))
        else:
            problems.append({**problem, "row": first_row})
    for (rownum, _raw), member in zip(rows, members, strict=True):
        rid = member.get("_rid")
        if rid is None:
            continue
        earlier = seen_ids.setdefault(rid.number, rownum)
        if earlier != rownum:
            problems.append(
                _problem(
                    "resident_id", _("the same person is on row %(row)s") % {"row": earlier}, rownum
                )
            )
    if problems:
        return problems, None
    return problems, (data, village, [member_fields(m) for m in members], [r for r, _raw in rows])


def _same_household(raw: dict, first: dict) -> bool:
    """Whether a row's household columns are all those of the household's first row."""
    try:
        return _household_texts(raw) == _household_texts(first)
    except KeyError:  # a short row
        return False


def _convert(rownum: int, raw: dict, errors: list) -> dict:
    """The household's values of its first row, typed (integers, lists); problems go to
    ``errors``. The members' columns are _member's."""
    out = dict(raw)
    for key in HOUSEHOLD_INTEGERS:
        out[key] = _whole(rownum, raw, key, errors)
    out["secondary_causes"] = [
        c.strip() for c in raw.get("secondary_causes", "").split(";") if c.strip()
    ]
    out["status"] = raw.get("status") or "poor"
    return out


def _member(rownum: int, raw: dict, errors: list) -> dict:
    """The member's values of a row (MEMBER_KEYS), typed; problems go to ``errors``."""
    get = raw.get
    insurance = get("medical_insurance", "")
    return {
        "name": get("name"),
        "resident_id": get("resident_id"),
        "relation": get("relation"),
        "labour": get("labour"),
        "health": get("health") or "healthy",
        "disability_grade": _whole(rownum, raw, "disability_grade", errors)
        if get("disability_grade")
        else None,
        "schooling": get("schooling"),
        "medical_insurance": True if insurance in _PLAIN_YES else _yes(rownum, raw, errors),
    }


_PLAIN_YES = frozenset({"yes", ""})  # _yes() is True for them and reports nothing


def _whole(rownum: int, raw: dict, key: str, errors: list) -> int | None:
    text = raw.get(key, "").replace(",", "")
    if not text:
        return None
    try:
        return int(float(text)) if text.endswith(".0") else int(text)
    except ValueError:
        message = _("'%(value)s' is not a whole number") % {"value": echo(text)}
        errors.append(_problem(key, message, rownum))
        return None


def _yes(rownum: int, raw: dict, errors: list) -> bool:
    insurance = raw.get("medical_insurance", "").lower()
    if insurance not in YES_OR_NO:
        errors.append(_problem("medical_insurance", _("write yes or no"), rownum))
    return insurance in YES or insurance == ""


def _write(ready: list, by) -> dict:
    """Write a batch of valid households; return what was written and the problems found.
    A member already registered in another household stops the write on the unique index
    of id_digest: then those households are rejected and the others written. (Checking
    first would cost a query of every member's digest in every batch.)"""
    problems: list[dict] = []
    rejected = 0
    try:
        with transaction.atomic():
            _insert(ready, by)
    except IntegrityError:
        rejected = _drop_registered(ready, problems)
        if not rejected:
            raise
        _insert(ready, by)
    return {
        "households": len(ready),
        "members": sum(len(r[2]) for r in ready),
        "rejected": rejected,
        "errors": problems,
    }


def _drop_registered(ready: list, errors: list) -> int:
    """Reject households with a member already registered elsewhere; return how many."""
    digests = {
        fields["id_digest"]: (i, rownum)
        for i, (_d, _v, members, rownums) in enumerate(ready)
        for fields, rownum in zip(members, rownums, strict=True)
    }
    taken = bulk.present(Member, "id_digest", digests)
    bad = set()
    for digest in taken:
        index, rownum = digests[bytes(digest)]
        bad.add(index)
        errors.append(
            _problem(
                "resident_id", _("this person is already registered in another household"), rownum
            )
        )
    ready[:] = [r for i, r in enumerate(ready) if i not in bad]
    return len(bad)


def _insert(ready: list, by) -> None:
    """Insert households with their members, incomes and history (naming the importer, as
    simple_history's bulk_create_with_history would). The server copies the history and
    income rows from the household rows (bulk.insert_select): cheaper than sending them."""
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    # As text: psycopg's COPY formats a datetime three times slower than the server parses it.
    now = str(when)
    households = []
    for (data, village, members, _rows), public_id in zip(
        ready, _uuid4_hexes(len(ready)), strict=True
    ):
        fields = household_fields(data, village, members)
        causes = fields["secondary_causes"]
        fields["secondary_causes"] = json.dumps(causes) if causes else "[]"
        households.append((public_id, village.id, *fields.values(), None, now, now))
    ids = bulk.insert_with_ids(Household, HOUSEHOLD_COLUMNS, households)
    if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        bulk.insert_select(
            Household.history.model,
            HISTORY_COLUMNS,
            Household,
            [
                *map(connection.ops.quote_name, ("id", *HOUSEHOLD_COLUMNS)),
                "%s",
                "NULL",
                "'+'",
                "%s",
            ],
            [when, by.pk],
            ids,
        )
    bulk.insert(
        Member,
        MEMBER_COLUMNS,
        (
            (pk, *fields.values())
            for pk, (_d, _v, members, _r) in zip(ids, ready, strict=True)
            for fields in members
        ),
    )
    # As household_register: an income row when the year (from 2000 on) and figure are known.
    bulk.insert_select(
        HouseholdIncome,
        INCOME_COLUMNS,
        Household,
        ["id", "income_year", "per_capita_income", "%s"],
        ["{}"],
        ids,
        where="income_year IS NOT NULL AND income_year <> 0 AND per_capita_income IS NOT NULL",
    )


def _uuid4_hexes(n: int) -> list[str]:
    """``uuid.uuid4().hex`` n times, from one read of the system's randomness (uuid4 reads it
    for each and builds a UUID object: 2 us a household)."""
    randomness = os.urandom(16 * n)
    clear = ~((0xF000 << 64) | (0xC000 << 48))  # version and variant bits, as uuid.UUID sets
    version_4 = (0x4000 << 64) | (0x8000 << 48)
    return [
        f"{int.from_bytes(randomness[i : i + 16]) & clear | version_4:032x}"
        for i in range(0, 16 * n, 16)
    ]


def write_errors(errors: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv_writer(f)
        writer.writerow(["row", "field", "message"])
        writer.writerows([e["row"], e["field"], e["message"]] for e in errors)


def template_csv(chinese: bool = False) -> str:
    """The template with one example household of two members."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([c[2] if chinese else c[1] for c in COLUMNS])
    household = [
        "5134221000010001",
        "513422100001",
        "乔瓦镇达吉林社区1组",
        "illness",
        "skills;funds",
        "poor",
        "2016",
        "2025",
        "3120",
    ]
    head = generate(region_code="513422", birth_date=date(1975, 3, 2), sex="male", sequence=0)
    wife = generate(region_code="513422", birth_date=date(1978, 8, 9), sex="female", sequence=0)
    writer.writerow(household + ["扎西", head, "head", "weak", "chronic", "", "primary", "yes"])
    writer.writerow(
        household + ["卓玛", wife, "spouse", "normal", "healthy", "", "illiterate", "yes"]
    )
    return out.getvalue()
