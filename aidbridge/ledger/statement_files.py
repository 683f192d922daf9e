"""A statement as files: CSV for accounting software (UTF-8 with a BOM, one row per posting
line, amounts in yuan with two decimals) and an XLSX workbook with the statement and its
posting lines. Text a spreadsheet would run as a formula stays text (``aidbridge.spreadsheet``)."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from aidbridge.ledger.statements import PostingRow, Statement, fen_to_yuan
from aidbridge.spreadsheet import csv_writer, put_cell

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YUAN = "#,##0.00"


def posting_headers() -> list[str]:
    return [
        _("Date"),
        _("Entry number"),
        _("Kind"),
        _("Account code"),
        _("Counterpart"),
        _("Debit (yuan)"),
        _("Credit (yuan)"),
        _("Memo"),
        _("Quantity"),
        _("Unit"),
    ]


def statement_csv(rows: list[PostingRow]) -> bytes:
    out = io.StringIO(newline="")
    out.write("\ufeff")
    writer = csv_writer(out)
    writer.writerow(posting_headers())
    writer.writerows(row.cells() for row in rows)
    return out.getvalue().encode("utf-8")


def statement_xlsx(found: Statement, rows: list[PostingRow], title: str) -> bytes:
    """Two sheets: the statement (figures, categories, materials) and the posting lines."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Statement")
    period = found.period
    summary = [
        [title],
        [_("Period"), f"{period.start.isoformat()} ~ {period.end.isoformat()}"],
        [_("Accounts"), ", ".join(a.code for a in found.accounts)],
        [],
        [_("Opening balance (yuan)"), fen_to_yuan(found.opening)],
        [],
        [_("Category"), _("Income (yuan)"), _("Spending (yuan)"), _("Entries behind it")],
        *[
            [
                line.label,
                fen_to_yuan(line.income),
                fen_to_yuan(line.spending),
                " ".join(f"#{seq}" for seq in line.entries),
            ]
            for line in found.lines
        ],
        [_("Total"), fen_to_yuan(found.income), fen_to_yuan(found.spending)],
        [],
        [_("Closing balance (yuan)"), fen_to_yuan(found.closing)],
    ]
    if found.materials:
        summary += [
            [],
            [
                _("Unit"),
                _("Opening"),
                _("Received"),
                _("Given"),
                _("Closing"),
                _("Value held (yuan)"),
            ],
            *[
                [m.unit, m.opening, m.received, m.given, m.closing, fen_to_yuan(m.closing_value)]
                for m in found.materials
            ],
        ]
    _fill(sheet, summary)
    postings = book.create_sheet(_("Postings"))
    _fill(postings, [posting_headers(), *(row.cells() for row in rows)])
    postings.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def postings_xlsx(rows: list[PostingRow]) -> bytes:
    """The posting lines alone, as one sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Postings")
    _fill(sheet, [posting_headers(), *(row.cells() for row in rows)])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet, rows) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            put_cell(sheet.cell(r, c), value, YUAN if isinstance(value, Decimal) else None)
