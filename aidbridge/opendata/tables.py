"""Plain CSV (UTF-8 with a BOM, so Excel reads Chinese) and XLSX of the same tables.

Text that a spreadsheet would run as a formula stays text: in CSV it gets a leading
apostrophe, in XLSX it is stored as a string cell.
"""

import csv
from datetime import date
from decimal import Decimal
from typing import BinaryIO, TextIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from aidbridge.opendata.rows import Cell, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMAT = {Decimal: "#,##0.00", date: "yyyy-mm-dd"}


def write_csv(table: Table, out: TextIO, headers: str = "both") -> None:
    """Write ``table`` to ``out`` (a text stream opened with ``newline=""``)."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(c.header(headers) for c in table.columns)
    writer.writerows([_inert(cell) for cell in row] for row in table.rows)


def write_xlsx(table: Table, out: BinaryIO, headers: str = "both") -> None:
    """Write ``table`` as a one-sheet workbook to ``out`` (a binary stream)."""
    book = Workbook()
    sheet = book.active
    sheet.title = table.name
    sheet.append([c.header(headers) for c in table.columns])
    for r, row in enumerate(table.rows, start=2):
        for c, value in enumerate(row, start=1):
            _put(sheet.cell(r, c), value)
    sheet.freeze_panes = "A2"
    book.save(out)


def _inert(cell: Cell) -> Cell:
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell


def _put(cell, value: Cell) -> None:
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # never a formula
    else:
        cell.value = value
        if value is not None:
            cell.number_format = NUMBER_FORMAT[type(value)]
