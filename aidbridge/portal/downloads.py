"""The open-data downloads, one code path for the portal's page, the public API and
``aidbridge opendata``: which projects (every public one, or those in or below a region),
and each format's content type, file name and writer."""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.ledger.models import Posting
from aidbridge.ledger.selectors import standing
from aidbridge.opendata.hxl import write_hxl
from aidbridge.opendata.iati import iati_activities
from aidbridge.opendata.model import OpenProject
from aidbridge.opendata.rows import projects_table
from aidbridge.opendata.tables import write_csv, write_xlsx
from aidbridge.portal.opendata import open_projects
from aidbridge.projects.selectors import public_projects
from aidbridge.regions.models import Region


def _text(writer) -> Callable[[Iterable[OpenProject], BinaryIO], None]:
    def write(projects: Iterable[OpenProject], out: BinaryIO) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        writer(projects_table(projects), text)
        text.detach()  # flushes, and leaves ``out`` open

    return write


def _xlsx(projects: Iterable[OpenProject], out: BinaryIO) -> None:
    write_xlsx(projects_table(projects), out)


def _iati(projects: Iterable[OpenProject], out: BinaryIO) -> None:
    out.write(iati_activities(projects))


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    content_type: str
    suffix: str
    write: Callable[[Iterable[OpenProject], BinaryIO], None]


CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {
    f.key: f
    for f in (
        Format("csv", gettext_lazy("CSV"), CSV, "projects.csv", _text(write_csv)),
        Format("xlsx", gettext_lazy("Excel workbook"), XLSX, "projects.xlsx", _xlsx),
        Format("hxl", gettext_lazy("HXL-tagged CSV"), CSV, "projects.hxl.csv", _text(write_hxl)),
        Format(
            "iati", gettext_lazy("IATI 2.03 XML"), "application/xml", "iati-activities.xml", _iati
        ),
    )
}


def projects_in(region: str = "") -> QuerySet:
    """The public projects, or those in or below the region with code ``region``."""
    if not region:
        return public_projects()
    found = Region.objects.filter(code=region).first()
    if found is None:
        raise Http404(_("No region has the code %(code)s.") % {"code": region})
    return public_projects().filter(region_path__startswith=found.path)


def filename(key: str, region: str = "") -> str:
    return "-".join(["aidbridge", *([region] if region else []), FORMATS[key].suffix])


def write(key: str, out: BinaryIO, region: str = "") -> int:
    """Write the projects in format ``key`` to ``out``; returns how many. An IATI file holds
    at least one activity: without any project there is none to write (Http404)."""
    projects = projects_in(region)
    count = projects.count()
    if key == "iati" and not count:
        raise Http404(_("There is no project to publish."))
    FORMATS[key].write(open_projects(projects), out)
    return count


def catalogue(region: str = "") -> dict:
    """How many projects and ledger transactions the downloads hold, and each file's link."""
    projects = projects_in(region)
    count = projects.count()
    query = f"?{urlencode({'region': region})}" if region else ""
    return {
        "region": region,
        "projects": count,
        "transactions": standing(Posting.objects.filter(account__project__in=projects)).count(),
        "files": [
            {
                "format": f.key,
                "label": str(f.label),
                "content_type": f.content_type,
                "filename": filename(f.key, region),
                "url": reverse("portal:open_data_file", args=[f.key]) + query,
            }
            for f in FORMATS.values()
            if count or f.key != "iati"
        ],
    }
