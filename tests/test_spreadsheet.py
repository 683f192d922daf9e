"""Every CSV and XLSX the platform writes keeps formula-like text inert, through
aidbridge.spreadsheet; numbers stay numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from aidbridge.accounts.models import User
from aidbridge.jobs.models import Job
from aidbridge.matching.csvio import write_allocation
from aidbridge.matching.engine_data import Allocation
from aidbridge.opendata.hxl import write_hxl
from aidbridge.opendata.model import OpenFlow
from aidbridge.opendata.rows import flows_table
from aidbridge.opendata.tables import write_csv, write_xlsx
from aidbridge.registry.importer import write_errors
from aidbridge.spreadsheet import csv_writer, inert, put_cell

RISKY = [
    "=1+1",
    "+SUM(A1)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://x","y")',
]


@pytest.mark.parametrize("text", RISKY)
def test_formula_like_text_gets_an_apostrophe(text):
    assert inert(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["王秀英", "", "a=b", "3000", "-12.5", "+3", -12, Decimal("-3.5"), None, date(2026, 1, 1)],
)
def test_plain_text_and_numbers_stay(value):
    assert inert(value) == value


def test_the_csv_writer_neutralises_every_cell():
    out = io.StringIO()
    csv_writer(out).writerows([RISKY, ["ok", -5, "-5"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'" + t for t in RISKY], ["ok", "-5", "-5"]]


def test_xlsx_cells_are_quote_prefixed_text_and_numbers_stay_numbers():
    book = Workbook()
    sheet = book.active
    for c, value in enumerate([*RISKY, Decimal("-3.50"), -7, "普通"], start=1):
        put_cell(sheet.cell(1, c), value, "0.00" if isinstance(value, Decimal) else None)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    cells = list(load_workbook(out).active.iter_rows())[0]
    for cell, text in zip(cells, RISKY, strict=False):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert [(c.value, c.data_type) for c in cells[len(RISKY) :]] == [
        (-3.5, "n"),
        (-7, "n"),
        ("普通", "s"),
    ]
    assert not cells[-1].quotePrefix


def test_open_data_in_every_format():
    table = flows_table([OpenFlow("=cmd", "@x", 1)])
    text = io.StringIO()
    write_csv(table, text)
    assert list(csv.reader(io.StringIO(text.getvalue())))[1][:2] == ["'=cmd", "'@x"]
    hxl = io.StringIO()
    write_hxl(table, hxl)
    assert list(csv.reader(io.StringIO(hxl.getvalue())))[2][:2] == ["'=cmd", "'@x"]
    book = io.BytesIO()
    write_xlsx(table, book)
    book.seek(0)
    cell = load_workbook(book).active["A2"]
    assert (cell.value, cell.quotePrefix) == ("=cmd", True)


def test_the_errors_file_and_the_allocation_file(tmp_path):
    write_errors([{"row": 2, "field": "=x", "message": "-1 is wrong"}], tmp_path / "e.csv")
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines()[
        1
    ] == "2,'=x,'-1 is wrong"
    write_allocation(tmp_path / "a.csv", [Allocation("@offer", "=need", 5)])
    assert (tmp_path / "a.csv").read_text().splitlines()[1] == "'@offer,'=need,5"


@pytest.mark.django_db
def test_the_household_export_and_the_problems_download(client, make_household):
    make_household("H-1", name='=HYPERLINK("http://x")', address="@SUM(1)", per_capita_income=3000)
    client.force_login(User.objects.get(username="admin"))
    response = client.get("/households/export.csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    row = next(csv.reader(lines[1:]))
    assert "'@SUM(1)" in row and '\'=HYPERLINK("http://x")' in row and "3000" in row
    job = Job.objects.create(
        kind="households.import",
        created_by=User.objects.get(username="admin"),
        status="succeeded",
        result={"errors": [{"row": 2, "field": "name", "message": "+cmd"}]},
    )
    problems = client.get(f"/jobs/{job.pk}/problems.csv").content.decode("utf-8-sig")
    assert problems.splitlines()[1] == "2,name,'+cmd"
