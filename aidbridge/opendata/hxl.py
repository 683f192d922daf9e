"""HXL-tagged CSV (hxlstandard.org): a header row, the hashtag row, then the data.

Values are written verbatim for machines (no spreadsheet-formula escaping, no BOM); people
opening the file in a spreadsheet should use the plain CSV or XLSX from ``tables``.
"""

import csv
from typing import TextIO

from aidbridge.opendata.rows import Table


def write_hxl(table: Table, out: TextIO, headers: str = "both") -> None:
    """Write ``table`` as HXL CSV to ``out`` (a text stream opened with ``newline=""``)."""
    writer = csv.writer(out)
    writer.writerow(c.header(headers) for c in table.columns)
    writer.writerow(c.tag for c in table.columns)
    writer.writerows(table.rows)
