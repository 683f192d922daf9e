"""Import households from the template (CSV or XLSX, English or Chinese headers).

Valid households are imported; every invalid one is reported with row, field and message and
imported not at all (a household is written whole or not at all). A household whose number is
already registered is left as it is, so importing the same file twice creates no duplicates.
"""

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from aidbridge.errors import InvalidInput
from aidbridge.insights.tally import tally_villages
from aidbridge.policy import Action, can
from aidbridge.regions.models import Region
from aidbridge.registry.idcard import generate
from aidbridge.registry.models import Household, HouseholdIncome, Member
from aidbridge.registry.privacy import id_digest
from aidbridge.registry.services import (
    _member,
    new_household,
    validate_household,
    validate_members,
)
from aidbridge.registry.template import COLUMNS, HEADER_TO_KEY, HOUSEHOLD_KEYS, MEMBER_KEYS

Progress = Callable[[int, int], None]
REQUIRED = {"household_number", "village_code", "main_cause", "name", "resident_id",
            "relation", "labour", "schooling"}
INTEGERS = {"identified_year", "income_year", "per_capita_income", "disability_grade"}
YES = {"yes", "y", "true", "1", "是"}
NO = {"no", "n", "false", "0", "否", ""}


def read_rows(data: bytes, filename: str) -> Iterator[tuple[int, dict]]:
    """Yield (row number, {key: text}) with the header as row 1; raise InvalidInput for a bad
    header."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows = ([("" if v is None else str(v)) for v in r]
                for r in sheet.iter_rows(values_only=True))
    else:
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = [h.strip() for h in next(rows, [])]
    unknown = [h for h in header if h and h not in HEADER_TO_KEY]
    keys = [HEADER_TO_KEY.get(h) for h in header]
    missing = sorted(REQUIRED - set(keys))
    errors = [{"row": 1, "field": h, "message": _("unknown column")} for h in unknown]
    errors += [{"row": 1, "field": k, "message": _("column is missing")} for k in missing]
    if errors:
        raise InvalidInput(errors)
    for number, values in enumerate(rows, start=2):
        if any(v.strip() for v in values):
            yield number, {k: v.strip() for k, v in zip(keys, values, strict=False) if k}


def _convert(rownum: int, raw: dict, errors: list) -> dict:
    """Typed values from text: integers, booleans, lists; problems go to ``errors``."""
    out = dict(raw)
    for key in INTEGERS:
        text = raw.get(key, "").replace(",", "")
        if not text:
            out[key] = None
            continue
        try:
            out[key] = int(float(text)) if text.endswith(".0") else int(text)
        except ValueError:
            errors.append({"row": rownum, "field": key,
                           "message": _("'%(value)s' is not a whole number") % {"value": text}})
            out[key] = None
    insurance = raw.get("medical_insurance", "").lower()
    if insurance not in YES | NO:
        errors.append({"row": rownum, "field": "medical_insurance",
                       "message": _("write yes or no")})
    out["medical_insurance"] = insurance in YES or insurance == ""
    out["secondary_causes"] = [c.strip() for c in raw.get("secondary_causes", "").split(";")
                               if c.strip()]
    out["status"] = raw.get("status") or "poor"
    out["health"] = raw.get("health") or "healthy"
    return out


def _households(rows: Iterator[tuple[int, dict]]) -> dict[str, list[tuple[int, dict]]]:
    grouped: dict[str, list[tuple[int, dict]]] = {}
    for rownum, raw in rows:
        grouped.setdefault(raw.get("household_number", ""), []).append((rownum, raw))
    return grouped


def import_households(*, by, data: bytes, filename: str, progress: Progress | None = None,
                      batch: int = 1000) -> dict:
    """Import what is valid, report the rest; return counts and the list of errors."""
    grouped = _households(read_rows(data, filename))
    villages = {r.code: r for r in Region.objects.filter(level=settings.REGION_LEVELS[-1][0])}
    today = timezone.localdate()
    counts = {"households": 0, "members": 0, "unchanged": 0, "rejected": 0}
    errors: list[dict] = []
    seen_ids: dict[str, int] = {}
    touched: set[int] = set()
    numbers = list(grouped)
    for start in range(0, len(numbers), batch):
        chunk = numbers[start:start + batch]
        existing = set(Household.objects.filter(number__in=chunk).values_list("number",
                                                                               flat=True))
        ready = []
        for number in chunk:
            if number in existing:
                counts["unchanged"] += 1
                continue
            problems, record = _check(number, grouped[number], villages, by, today, seen_ids)
            if problems:
                errors += problems
                counts["rejected"] += 1
            else:
                ready.append(record)
        _drop_registered(ready, errors, counts)
        with transaction.atomic():
            _write(ready, by)
        touched.update(village.pk for _data, village, _members, _rows in ready)
        counts["households"] += len(ready)
        counts["members"] += sum(len(r[2]) for r in ready)
        if progress:
            progress(min(start + batch, len(numbers)), len(numbers))
    tally_villages(touched)  # once at the end: a recount per batch would cost more
    return {**counts, "errors": sorted(errors, key=lambda e: (e["row"], e["field"]))}


def _check(number, rows, villages, by, today, seen_ids):
    """Validate one household's rows; return (problems, (household fields, village, members))."""
    problems: list[dict] = []
    first_row, first = rows[0]
    data = _convert(first_row, first, problems)
    for rownum, raw in rows[1:]:
        for key in HOUSEHOLD_KEYS:
            if raw.get(key, "") not in ("", first.get(key, "")):
                problems.append({"row": rownum, "field": key, "message": _(
                    "differs from row %(row)s of the same household") % {"row": first_row}})
    data["number"] = number
    problems += validate_household(data, row=first_row)
    village = villages.get(data.get("village_code", ""))
    if village is None:
        problems.append({"row": first_row, "field": "village_code",
                         "message": _("no village has the code %(code)s")
                         % {"code": data.get("village_code", "")}})
    elif not can(by, Action.HOUSEHOLD_REGISTER, village):
        problems.append({"row": first_row, "field": "village_code",
                         "message": _("village %(code)s is outside your area")
                         % {"code": village.code}})
    members = []
    for rownum, raw in rows:
        member = _convert(rownum, raw, problems)
        members.append({k: member.get(k) for k in MEMBER_KEYS})
    member_problems = validate_members(members, today=today)
    for problem in member_problems:
        field = problem["field"]
        if field.startswith("members["):
            index, _dot, field = field[len("members["):].partition("].")
            problems.append({"row": rows[int(index) - 1][0], "field": field,
                             "message": problem["message"]})
        else:
            problems.append({**problem, "row": first_row})
    for (rownum, _raw), member in zip(rows, members, strict=True):
        rid = member.get("_rid")
        if rid is None:
            continue
        if rid.number in seen_ids and seen_ids[rid.number] != rownum:
            problems.append({"row": rownum, "field": "resident_id", "message": _(
                "the same person is on row %(row)s") % {"row": seen_ids[rid.number]}})
        seen_ids.setdefault(rid.number, rownum)
    return problems, (data, village, members, [r for r, _raw in rows])


def _drop_registered(ready: list, errors: list, counts: dict) -> None:
    """Reject households with a member already registered elsewhere (one query a batch)."""
    digests = {id_digest(m["_rid"].number): (i, rownum)
               for i, (_d, _v, members, rownums) in enumerate(ready)
               for m, rownum in zip(members, rownums, strict=True)}
    taken = set(Member.objects.filter(id_digest__in=digests).values_list("id_digest", flat=True))
    bad = set()
    for digest in taken:
        index, rownum = digests[digest]
        bad.add(index)
        errors.append({"row": rownum, "field": "resident_id", "message": _(
            "this person is already registered in another household")})
    counts["rejected"] += len(bad)
    ready[:] = [r for i, r in enumerate(ready) if i not in bad]


def _write(ready: list, by) -> None:
    """Insert a batch of valid households; the households' history names the importer."""
    households = [new_household(data, village, members)
                  for data, village, members, _rows in ready]
    bulk_create_with_history(households, Household, default_user=by)
    Member.objects.bulk_create([_member(h, m) for h, (_d, _v, members, _r)
                                in zip(households, ready, strict=True) for m in members])
    HouseholdIncome.objects.bulk_create([
        HouseholdIncome(household=h, year=h.income_year, per_capita_income=h.per_capita_income)
        for h in households if h.income_year and h.per_capita_income is not None])


def write_errors(errors: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(["row", "field", "message"])
        writer.writerows([e["row"], e["field"], e["message"]] for e in errors)


def template_csv(chinese: bool = False) -> str:
    """The template with one example household of two members."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c[2] if chinese else c[1] for c in COLUMNS])
    household = ["5134221000010001", "513422100001", "乔瓦镇达吉林社区1组", "illness",
                 "skills;funds", "poor", "2016", "2025", "3120"]
    head = generate(region_code="513422", birth_date=date(1975, 3, 2), sex="male", sequence=0)
    wife = generate(region_code="513422", birth_date=date(1978, 8, 9), sex="female", sequence=0)
    writer.writerow(household + ["扎西", head, "head", "weak", "chronic", "", "primary", "yes"])
    writer.writerow(household + ["卓玛", wife, "spouse", "normal", "healthy", "", "illiterate",
                                 "yes"])
    return out.getvalue()
