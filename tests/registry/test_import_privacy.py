"""Import problems never repeat a resident ID, even when a row's columns are shifted and the
number lands in a column whose problems quote what they found."""

import csv
import io
from datetime import date

import pytest
from django.utils import translation

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput
from aidbridge.registry import idcard
from aidbridge.registry.importer import import_households, write_errors
from aidbridge.registry.template import ENGLISH_HEADER

pytestmark = pytest.mark.django_db
RID = idcard.generate(region_code="513422", birth_date=date(1980, 1, 5), sex="male", sequence=3)
ROW = {
    "household_number": "H-1",
    "village_code": "513422100001",
    "main_cause": "illness",
    "status": "poor",
    "identified_year": "2016",
    "income_year": "2025",
    "per_capita_income": "3500",
    "name": "甲",
    "resident_id": RID,
    "relation": "head",
    "labour": "normal",
    "health": "healthy",
    "disability_grade": "",
    "schooling": "primary",
    "medical_insurance": "yes",
}


def as_csv(*rows, header=ENGLISH_HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


def problems(data: bytes) -> list[dict]:
    try:
        with translation.override("en"):
            return import_households(
                by=User.objects.get(username="admin"), data=data, filename="h.csv"
            )["errors"]
    except InvalidInput as exc:
        return exc.errors


def leaks(found: list[dict], tmp_path) -> list[str]:
    """The problems, and the errors file written from them, that hold the ID or the part of
    it that would single a person out (region and birth date)."""
    path = tmp_path / "errors.csv"
    write_errors([{"row": p.get("row", ""), **p} for p in found], path)
    texts = [f"{p.get('field')} {p.get('message')}" for p in found]
    texts.append(path.read_text(encoding="utf-8-sig"))
    return [t for t in texts if RID in t or RID[:14] in t or RID[-8:] in t]


@pytest.mark.parametrize("column", [k for k in ENGLISH_HEADER if k != "resident_id"])
def test_an_id_in_another_column_is_not_repeated(column, tmp_path):
    row = {**ROW, column: RID, "resident_id": ROW.get(column, "")}
    found = problems(as_csv([row.get(k, "") for k in ENGLISH_HEADER]))
    assert found and leaks(found, tmp_path) == []


@pytest.mark.parametrize("shift", range(len(ENGLISH_HEADER)))
def test_a_row_shifted_by_a_missing_or_extra_cell_is_not_repeated(shift, tmp_path):
    values = [ROW.get(k, "") for k in ENGLISH_HEADER]
    left = values[:shift] + values[shift + 1 :] + [""]
    right = values[:shift] + ["x"] + values[shift:-1]
    found = problems(as_csv(left, right))
    assert found and leaks(found, tmp_path) == []


def test_an_id_in_the_header_row_is_not_repeated(tmp_path):
    """A file without its header: the first member's cells are taken for column names."""
    found = problems(as_csv(header=[ROW.get(k, "") for k in ENGLISH_HEADER]))
    assert any(p["message"] == "unknown column" for p in found)
    assert leaks(found, tmp_path) == []


def test_an_id_that_excel_stored_as_a_number_is_not_repeated(tmp_path):
    """Excel keeps a long number as a float: 5.13422198001051e+17 still gives away the region
    and the birth date."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(ENGLISH_HEADER)
    book.active.append(
        [
            float(RID[:14]) * 10_000 if k in ("relation", "labour") else ROW.get(k, "")
            for k in ENGLISH_HEADER
        ]
    )
    path = tmp_path / "h.xlsx"
    book.save(path)
    with translation.override("en"):
        found = import_households(
            by=User.objects.get(username="admin"), data=path.read_bytes(), filename="h.xlsx"
        )["errors"]
    assert {p["field"] for p in found} >= {"relation", "labour"}
    assert [p["message"] for p in found if RID[:6] in p["message"].replace(".", "")] == []


def test_the_echo_masks_long_numbers_however_written():
    from aidbridge.registry.services import echo

    for text in (
        "5.1342219800105e+17",
        "513,422,198,001,050,000",
        "5.134221980010501e+17",
        "51342219800105003X",
    ):
        assert "513422" not in echo(text).replace(".", "").replace(",", ""), text
    assert echo("flu") == "flu" and echo("2025.5") == "2025.5" and echo("13800") == "13800"
