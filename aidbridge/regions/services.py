"""Writers of the region tree. ``regions_load`` validates every row first, then writes all in
one transaction: a bad file changes nothing."""

import csv
import io
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from aidbridge.errors import InvalidInput, problem
from aidbridge.regions.models import PATH_SEP, Region

COLUMNS = ("code", "parent_code", "level", "name_zh", "name_en")
OPTIONAL = ("population",)
Progress = Callable[[int, int], None]


def read_region_csv(data: bytes | str) -> list[dict]:
    """Parse a regions CSV (UTF-8, optional BOM) into rows numbered from 2 (header is 1)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput([problem(c, _("column is missing"), 1) for c in missing])
    present = [c for c in OPTIONAL if c in (reader.fieldnames or [])]
    return [
        {"row": n, **{c: (raw.get(c) or "").strip() for c in (*COLUMNS, *present)}}
        for n, raw in enumerate(reader, start=2)
    ]


def _validate(rows: list[dict]) -> dict[str, dict]:
    """Check every row against the file and the database; return rows by code or raise."""
    levels = [key for key, _label in settings.REGION_LEVELS]
    existing = {r.code: r for r in Region.objects.only("code", "level")}
    errors: list[dict] = []
    by_code: dict[str, dict] = {}

    def err(row: dict, field: str, message: str) -> None:
        errors.append(problem(field, message, row["row"]))

    for row in rows:
        code = row["code"]
        if not code:
            err(row, "code", _("is empty"))
        elif PATH_SEP in code or len(code) > 24:
            err(row, "code", _("must be at most 24 characters without '/'"))
        elif code in by_code:
            err(
                row,
                "code",
                _("%(code)s appears twice (first on row %(row)s)")
                % {"code": code, "row": by_code[code]["row"]},
            )
        else:
            by_code[code] = row
        if row["level"] not in levels:
            err(
                row,
                "level",
                _("'%(level)s' is not one of %(levels)s")
                % {"level": row["level"], "levels": ", ".join(levels)},
            )
        if not row["name_zh"]:
            err(row, "name_zh", _("is empty"))
        for field, limit in (("name_zh", 100), ("name_en", 150)):
            if len(row[field]) > limit:
                err(row, field, _("is longer than %(limit)s characters") % {"limit": limit})
        population = row.get("population", "")
        if population and not (population.isascii() and population.isdigit()):
            err(row, "population", _("'%(value)s' is not a whole number") % {"value": population})
    # Levels strictly deepen from parent to child, which also rules out cycles.
    for row in rows:
        parent_code = row["parent_code"]
        if not parent_code:
            continue
        parent = by_code.get(parent_code) or existing.get(parent_code)
        if parent is None:
            err(
                row,
                "parent_code",
                _("region %(code)s is neither in the file nor loaded") % {"code": parent_code},
            )
            continue
        parent_level = parent["level"] if isinstance(parent, dict) else parent.level
        if (
            row["level"] in levels
            and parent_level in levels
            and levels.index(row["level"]) <= levels.index(parent_level)
        ):
            err(
                row,
                "level",
                _("must be below its parent's level (%(level)s)") % {"level": parent_level},
            )
    if errors:
        raise InvalidInput(errors)
    return by_code


def regions_load(*, rows: Iterable[dict], progress: Progress | None = None) -> dict[str, int]:
    """Create or update regions from rows; return how many were created, updated, unchanged."""
    rows = list(rows)
    by_code = _validate(rows)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    done = 0
    with transaction.atomic():
        existing = {r.code: r for r in Region.objects.select_for_update()}
        paths = _paths(by_code, existing)
        for depth in sorted({p.count(PATH_SEP) - 2 for p in paths.values()}):
            new, changed = [], []
            for code in (c for c, p in paths.items() if p.count(PATH_SEP) - 2 == depth):
                row, path = by_code[code], paths[code]
                population = _population(row, existing.get(code))
                region = existing.get(code)
                if region is None:
                    region = existing[code] = Region(code=code)
                    new.append(region)
                elif (
                    region.path,
                    region.level,
                    region.name_zh,
                    region.name_en,
                    region.population,
                ) != (path, row["level"], row["name_zh"], row["name_en"], population):
                    if region.path != path:
                        _move_descendants(region.path, path)
                    changed.append(region)
                else:
                    counts["unchanged"] += 1
                    continue
                region.parent = existing[row["parent_code"]] if row["parent_code"] else None
                region.level, region.path, region.depth = row["level"], path, depth
                region.name_zh, region.name_en = row["name_zh"], row["name_en"]
                region.population = population
            bulk_create_with_history(new, Region, batch_size=1000)
            bulk_update_with_history(changed, Region, _FIELDS, batch_size=1000)
            counts["created"] += len(new)
            counts["updated"] += len(changed)
            done += len(new) + len(changed)
            if progress:
                progress(done, len(rows))
    return counts


_FIELDS = ["parent", "level", "path", "depth", "name_zh", "name_en", "population"]


def _population(row: dict, region: Region | None) -> int | None:
    """The row's population; a file without the column keeps what is known."""
    if "population" not in row:
        return region.population if region else None
    return int(row["population"]) if row["population"] else None


def _paths(by_code: dict[str, dict], existing: dict[str, Region]) -> dict[str, str]:
    """The materialised path of every code in the file, parents taken from file or database."""
    paths: dict[str, str] = {}

    def path_of(code: str) -> str:
        if code in paths:
            return paths[code]
        if code not in by_code:
            return existing[code].path
        parent_code = by_code[code]["parent_code"]
        paths[code] = (path_of(parent_code) if parent_code else PATH_SEP) + code + PATH_SEP
        return paths[code]

    for code in by_code:
        path_of(code)
    return paths


def _move_descendants(old_path: str, new_path: str) -> None:
    Region.objects.filter(path__startswith=old_path).exclude(path=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
