"""Demo households, exported: ``export_csv`` writes generated households (demo_data.py) in
the import template with errors planted on purpose, listed in a second file."""

import csv
import random
from datetime import date
from pathlib import Path

from django.conf import settings

from aidbridge.regions.selectors import villages as all_villages
from aidbridge.registry import ages, idcard
from aidbridge.registry.demo_data import YEAR, generate, village_pairs
from aidbridge.registry.models import Relation
from aidbridge.registry.template import ENGLISH_HEADER

# Errors export_csv plants, in the order it takes turns with them.
ERROR_KINDS = (
    "check_character",
    "unknown_cause",
    "negative_income",
    "second_head",
    "unknown_village",
    "empty_name",
    "duplicate_person",
)
ERROR_RATE = 0.005  # per row
UNKNOWN_VILLAGE = "999999999999"  # province 99 does not exist


# Exported households take serials from 5001 and ID sequences from 250, so the file imports
# beside households loaded with `demo --households` (up to 5,000 a village and 250 people of
# one county, birth date and sex).
EXPORT_RANGES = {"first_serial": 5001, "first_sequence": 250}


def export_csv(*, n: int, seed: int, directory: Path) -> Path:
    """Write n generated households to ``directory``/households.csv (the template, English
    header, one row per member) with about 0.5% of rows wrong on purpose, and list those
    as (row, field, kind) in planted_errors.csv; the header is row 1. An error in a
    household column is on all the household's rows and listed at its first row. Each
    household has at most one planted error. Returns the path of households.csv."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"planted errors {seed}")
    villages = village_pairs(all_villages())
    path = directory / "households.csv"
    planted: list[tuple[int, str, str]] = []
    turn, row, clean = 0, 2, None  # clean: a previous household with no planted error
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(ENGLISH_HEADER)
        for household, members in generate(villages=villages, n=n, seed=seed, **EXPORT_RANGES):
            error = None
            if rng.random() < ERROR_RATE * len(members):
                kinds = ERROR_KINDS[turn:] + ERROR_KINDS[:turn]
                error = next(k for k in kinds if _applies(k, members, clean))
                turn = (ERROR_KINDS.index(error) + 1) % len(ERROR_KINDS)
                planted.append(_plant(rng, error, household, members, clean, row))
            else:
                clean = members
            for m in members:
                writer.writerow(_csv_row(household, m))
            row += len(members)
    with (directory / "planted_errors.csv").open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "field", "kind"])
        writer.writerows(planted)
    return path


def _applies(kind: str, members: list[dict], clean: list[dict] | None) -> bool:
    if kind == "duplicate_person":
        return bool(_duplicates(members, clean))
    return kind != "second_head" or len(members) > 1


def _duplicates(members: list[dict], clean: list[dict] | None) -> list[tuple[int, dict]]:
    """(index of a member, person of ``clean``) pairs where the person could stand in for
    the member without breaking the age rules, so that the duplicate is the only error."""
    rules = ages.Rules(**settings.REGISTRY_AGES)
    people = [ages.Person(m["relation"], m["sex"], m["birth_date"]) for m in members]
    return [
        (i, person)
        for i in range(len(members))
        for person in clean or []
        if not ages.check(
            [
                *people[:i],
                ages.Person(members[i]["relation"], person["sex"], person["birth_date"]),
                *people[i + 1 :],
            ],
            rules,
            date(YEAR, 1, 1),
        )
    ]


def _plant(rng, kind, household, members, clean, first_row) -> tuple[int, str, str]:
    """Spoil one household in place; return (row, field, kind)."""
    index = rng.randrange(len(members))
    match kind:
        case "check_character":
            number = members[index]["resident_id"]
            wrong = idcard.CHECK_CHARACTERS[(idcard.CHECK_CHARACTERS.index(number[17]) + 1) % 11]
            members[index]["resident_id"] = number[:17] + wrong
            return first_row + index, "resident_id", kind
        case "unknown_cause":
            household["main_cause"] = "bad_luck"
            return first_row, "main_cause", kind
        case "negative_income":
            household["per_capita_income"] = -household["per_capita_income"]
            return first_row, "per_capita_income", kind
        case "second_head":
            index = rng.randrange(1, len(members))  # the head is first
            members[index]["relation"] = Relation.HEAD
            return first_row + index, "relation", kind
        case "unknown_village":
            household["village_code"] = UNKNOWN_VILLAGE
            return first_row, "village_code", kind
        case "empty_name":
            members[index]["name"] = ""
            return first_row + index, "name", kind
        case "duplicate_person":
            index, person = rng.choice(_duplicates(members, clean))
            members[index] |= {"name": person["name"], "resident_id": person["resident_id"]}
            return first_row + index, "resident_id", kind
    raise ValueError(kind)


def _csv_row(h: dict, m: dict) -> list:
    return [
        h["number"],
        h["village_code"],
        h["address"],
        h["main_cause"],
        ";".join(h["secondary_causes"]),
        h["status"],
        h["identified_year"] or "",
        h["income_year"],
        h["per_capita_income"],
        m["name"],
        m["resident_id"],
        m["relation"],
        m["labour"],
        m["health"],
        m["disability_grade"] or "",
        m["schooling"],
        "yes" if m["medical_insurance"] else "no",
    ]
