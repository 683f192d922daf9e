"""Plain CSV and XLSX: same rows as the HXL export, read back unchanged, formulas inert."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from aidbridge.opendata.model import OpenFlow
from aidbridge.opendata.rows import PROJECT_COLUMNS, flows_table, projects_table
from aidbridge.opendata.tables import write_csv, write_xlsx


def csv_rows(table, headers="both") -> list[list[str]]:
    out = io.StringIO(newline="")
    write_csv(table, out, headers)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def xlsx_rows(table, headers="both") -> list[tuple]:
    out = io.BytesIO()
    write_xlsx(table, out, headers)
    out.seek(0)
    sheet = load_workbook(out).active
    assert sheet.title == table.name
    return list(sheet.iter_rows(values_only=True))


def as_text(cell) -> str:
    return "" if cell is None else str(cell)


@pytest.mark.parametrize(
    ("headers", "first"),
    [("zh", "项目编号"), ("en", "Project code"), ("both", "项目编号 / Project code")],
)
def test_csv_round_trip(projects, headers, first):
    table = projects_table(projects.values())
    header, *rows = csv_rows(table, headers)
    assert header[0] == first and len(header) == len(PROJECT_COLUMNS)
    assert rows == [[as_text(c) for c in row] for row in table.rows]
    executing = rows[2]
    assert executing[-3:] == ["1234.56", "1230.00", "800.01"]  # the transfer out is passed on


def test_xlsx_round_trip(projects):
    table = projects_table(projects.values())
    header, *rows = xlsx_rows(table, "zh")
    assert header == tuple(c.zh for c in PROJECT_COLUMNS)
    for got, want in zip(rows, table.rows, strict=True):
        for g, w in zip(got, want, strict=True):
            if isinstance(w, Decimal):
                assert Decimal(str(g)) == w
            elif isinstance(w, date):
                assert g.date() == w
            else:
                assert g == w


def test_flows_in_both_formats(flows):
    table = flows_table(flows)
    assert csv_rows(table, "en")[1] == ["凉山州慈善基金会", "木里县核桃种植技术培训", "1000.00"]
    assert xlsx_rows(table, "en")[3] == ("木里县核桃种植技术培训", "参训农户", 800.01)


def test_formulas_stay_text():
    table = flows_table([OpenFlow('=HYPERLINK("http://x")', "@SUM(A1)", 1)])
    assert csv_rows(table)[1][:2] == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    out = io.BytesIO()
    write_xlsx(table, out)
    out.seek(0)
    cell = load_workbook(out).active["A2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")
