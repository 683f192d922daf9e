"""Plain CSV (UTF-8 with a BOM, so Excel reads Chinese) and XLSX of the same tables.

Text that a spreadsheet would run as a formula stays text (``aidbridge.spreadsheet``).
"""

from datetime import date
from decimal import Decimal
from typing import BinaryIO, TextIO

from openpyxl import Workbook

from aidbridge.opendata.rows import Table
from aidbridge.spreadsheet import csv_writer, put_cell

NUMBER_FORMAT = {Decimal: "#,##0.00", date: "yyyy-mm-dd"}


def write_csv(table: Table, out: TextIO, headers: str = "both") -> None:
    """Write ``table`` to ``out`` (a text stream opened with ``newline=""``)."""
    out.write("\ufeff")
    writer = csv_writer(out)
    writer.writerow(c.header(headers) for c in table.columns)
    writer.writerows(table.rows)


def write_xlsx(table: Table, out: BinaryIO, headers: str = "both") -> None:
    """Write ``table`` as a one-sheet workbook to ``out`` (a binary stream)."""
    book = Workbook()
    sheet = book.active
    sheet.title = table.name
    for c, column in enumerate(table.columns, start=1):
        put_cell(sheet.cell(1, c), column.header(headers))
    for r, row in enumerate(table.rows, start=2):
        for c, value in enumerate(row, start=1):
            put_cell(sheet.cell(r, c), value, NUMBER_FORMAT.get(type(value)))
    sheet.freeze_panes = "A2"
    book.save(out)
