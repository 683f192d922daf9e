"""Cells that are safe to open in a spreadsheet: the one helper every CSV and XLSX the
platform writes goes through. No Django here.

A spreadsheet runs text that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and a
leading tab or carriage return can hide such a start), so a name or title typed as
``=HYPERLINK(...)`` could act when a clerk opens an export ("CSV injection").

- CSV: such text gets a leading apostrophe (``'=1+1``), which spreadsheets show and never run.
- XLSX: such text is stored as a string cell with Excel's own "quote prefix" style, so the
  cell shows its exact text, is never a formula, and stays text when someone edits it.
- Numbers stay numbers: an int, Decimal or float is written as such (a negative amount is
  a number, not a formula), and so is text that is a plain number (``-12.5``).
"""

import csv
import re
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def risky(value: Any) -> bool:
    """True for text a spreadsheet could take for a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def inert(value: Any) -> Any:
    """``value`` as a CSV cell: risky text with a leading apostrophe, anything else as is."""
    return "'" + value if risky(value) else value


class SafeWriter:
    """``csv.writer`` whose rows pass through ``inert``."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row):
        return self._writer.writerow([inert(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **options) -> SafeWriter:
    """A CSV writer over ``out`` (as ``csv.writer``) that neutralises risky text."""
    return SafeWriter(out, **options)


def put_cell(cell, value: Any, number_format: str | None = None) -> None:
    """Set an openpyxl ``cell``: text always as a string cell (never a formula), risky text
    also quote-prefixed; other values as themselves, with ``number_format`` if given."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        if risky(value):
            cell.quotePrefix = True
    else:
        cell.value = value
        if value is not None and number_format:
            cell.number_format = number_format
