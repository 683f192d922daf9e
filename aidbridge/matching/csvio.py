"""CSV front end of the matching engine: read and validate inputs, write allocation and report.

Inputs (UTF-8, a BOM is fine, values are trimmed, extra columns are ignored):

* regions.csv: code,parent_code (empty parent_code at a root)
* needs.csv: need_id,region_code,category,amount,urgency,aided_12m
* offers.csv: offer_id,capacity,categories,regions,paired_regions (lists separated by ';',
  paired_regions may be empty)

Everything is validated before solving; the first problem raises MatchInputError naming the
file, the row (as a spreadsheet numbers it: the header is row 1) and the field.
"""

import csv
import io
import json
import re
import resource
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

from aidbridge.errors import InvalidInput
from aidbridge.spreadsheet import csv_writer

from .engine_data import Allocation, Need, Offer, RegionTree, Result

REGION_COLUMNS = ("code", "parent_code")
NEED_COLUMNS = ("need_id", "region_code", "category", "amount", "urgency", "aided_12m")
OFFER_COLUMNS = ("offer_id", "capacity", "categories", "regions", "paired_regions")
_INTEGER = re.compile(r"[+-]?[0-9]+")


class MatchInputError(InvalidInput):
    """Bad matching input; ``file``, ``row`` and ``field`` say where (row/field may be None)."""

    def __init__(self, file: str, row: int | None, field: str | None, problem: str):
        self.file, self.row, self.field = file, row, field
        where = ", ".join(
            [file]
            + ([f"row {row}"] if row is not None else [])
            + ([f"field {field!r}"] if field else [])
        )
        super().__init__(
            [{"file": file, "row": row, "field": field, "message": problem}],
            f"{where}: {problem}",
        )


class _Row:
    """One data row, with parsers that raise MatchInputError pointing at it."""

    def __init__(self, file: str, number: int, values: dict[str, str]):
        self.file, self.number, self.values = file, number, values

    def error(self, field: str, problem: str) -> MatchInputError:
        return MatchInputError(self.file, self.number, field, problem)

    def text(self, field: str) -> str:
        if not self.values[field]:
            raise self.error(field, "is empty")
        return self.values[field]

    def integer(self, field: str, low: int = 0, high: int | None = None) -> int:
        value = self.text(field)
        if not _INTEGER.fullmatch(value):
            raise self.error(field, f"{value!r} is not an integer")
        number = int(value)
        if number < low or (high is not None and number > high):
            bound = f"between {low} and {high}" if high is not None else f"{low} or more"
            raise self.error(field, f"{number} is not {bound}")
        return number

    def items(self, field: str, regions: RegionTree | None = None, empty_ok=False) -> tuple:
        """A ';'-separated list, without duplicates; checked against ``regions`` if given."""
        items = tuple(dict.fromkeys(i.strip() for i in self.values[field].split(";") if i.strip()))
        if not items and not empty_ok:
            raise self.error(field, "is empty")
        for item in items:
            if regions is not None and item not in regions:
                raise self.error(field, f"unknown region {item!r}")
        return items


def _rows(path: str | Path, columns: tuple[str, ...]) -> Iterator[_Row]:
    """Data rows of a CSV file after checking its header and shape."""
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise MatchInputError(name, None, None, f"cannot read file: {e.strerror}") from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        row = data[: e.start].count(b"\n") + 1
        raise MatchInputError(name, row, None, "is not valid UTF-8") from e
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
        for column in columns:
            if column not in header:
                raise MatchInputError(name, 1, column, "missing column")
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                field = header[len(values)] if len(values) < len(header) else None
                raise MatchInputError(
                    name, number, field, f"has {len(values)} values, expected {len(header)}"
                )
            yield _Row(name, number, {h: v.strip() for h, v in zip(header, values, strict=True)})
    except csv.Error as e:
        raise MatchInputError(name, reader.line_num, None, f"malformed CSV: {e}") from e


def _unique(row: _Row, field: str, seen: dict[str, int]) -> str:
    value = row.text(field)
    if value in seen:
        raise row.error(field, f"duplicate {value!r} (first on row {seen[value]})")
    seen[value] = row.number
    return value


def read_regions(path: str | Path) -> dict[str, str | None]:
    """``code -> parent code`` (None at a root); parents must be listed, no cycles."""
    parents: dict[str, str | None] = {}
    rows: dict[str, _Row] = {}
    seen: dict[str, int] = {}
    for row in _rows(path, REGION_COLUMNS):
        code = _unique(row, "code", seen)
        rows[code], parents[code] = row, row.values["parent_code"] or None
    for code, parent in parents.items():
        if parent is not None and parent not in parents:
            raise rows[code].error("parent_code", f"unknown region {parent!r}")
    code = _on_cycle(parents)
    if code is not None:
        raise rows[code].error("parent_code", f"region {code!r} is its own ancestor")
    return parents


def _on_cycle(parents: Mapping[str, str | None]) -> str | None:
    """A region on a parent cycle, if there is one."""
    done: set[str] = set()
    for start in parents:
        path: list[str] = []
        code: str | None = start
        while code is not None and code not in done:
            if code in path:
                return code
            path.append(code)
            code = parents[code]
        done.update(path)
    return None


def read_needs(path: str | Path, regions: RegionTree) -> list[Need]:
    needs, seen = [], {}
    for row in _rows(path, NEED_COLUMNS):
        need_id = _unique(row, "need_id", seen)
        region = row.text("region_code")
        if region not in regions:
            raise row.error("region_code", f"unknown region {region!r}")
        aided = row.text("aided_12m")
        if aided not in ("0", "1"):
            raise row.error("aided_12m", f"{aided!r} is not 0 or 1")
        needs.append(
            Need(
                need_id,
                region,
                row.text("category"),
                row.integer("amount"),
                row.integer("urgency", 1, 5),
                aided == "1",
            )
        )
    return needs


def read_offers(path: str | Path, regions: RegionTree) -> list[Offer]:
    offers, seen = [], {}
    for row in _rows(path, OFFER_COLUMNS):
        offers.append(
            Offer(
                _unique(row, "offer_id", seen),
                row.integer("capacity"),
                row.items("categories"),
                row.items("regions", regions),
                row.items("paired_regions", regions, empty_ok=True),
            )
        )
    return offers


def write_allocation(path: str | Path, allocations: list[Allocation]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv_writer(f)
        writer.writerow(("offer_id", "need_id", "amount"))
        writer.writerows((a.offer_id, a.need_id, a.amount) for a in allocations if a.amount > 0)


def build_report(needs: list[Need], result: Result, options: Mapping | None = None) -> dict:
    """Summary of a run; a need's village is its own (leaf) region.

    ``options`` are the solver options used (name -> value, None when off).
    """
    got: dict[str, int] = defaultdict(int)
    for a in result.allocations:
        got[a.need_id] += a.amount
    villages: dict[str, dict[str, int]] = defaultdict(lambda: {"needed": 0, "allocated": 0})
    for n in needs:
        villages[n.region]["needed"] += n.amount
        villages[n.region]["allocated"] += got[n.id]
    open_needs = [n for n in needs if n.amount > 0]
    return {
        "objective": result.objective,
        "amount_needed": sum(n.amount for n in needs),
        "amount_allocated": result.allocated,
        "needs_open": len(open_needs),
        "needs_fully_covered": sum(got[n.id] == n.amount for n in open_needs),
        "needs_partly_covered": sum(0 < got[n.id] < n.amount for n in open_needs),
        "villages": dict(sorted(villages.items())),
        "solve_seconds": round(result.solve_seconds, 3),
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "network": result.stats,
        "options": dict(options or {}),
    }


def write_report(path: str | Path, report: dict) -> None:
    Path(path).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
