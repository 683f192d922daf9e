"""HXL-tagged CSV (hxlstandard.org): a header row, the hashtag row, then the data.

No BOM, for machines; text a spreadsheet would run as a formula is neutralised as in every
CSV the platform writes (``aidbridge.spreadsheet``), since people open these files too.
"""

from typing import TextIO

from aidbridge.opendata.rows import Table
from aidbridge.spreadsheet import csv_writer


def write_hxl(table: Table, out: TextIO, headers: str = "both") -> None:
    """Write ``table`` as HXL CSV to ``out`` (a text stream opened with ``newline=""``)."""
    writer = csv_writer(out)
    writer.writerow(c.header(headers) for c in table.columns)
    writer.writerow(c.tag for c in table.columns)
    writer.writerows(table.rows)
