"""The portal's open-data page and its downloads (aidbridge.portal.downloads)."""

from tempfile import SpooledTemporaryFile

from django.http import FileResponse, Http404
from django.shortcuts import render

from aidbridge.portal import downloads

SPOOL = 8 * 1024 * 1024  # bytes kept in memory before the file being served spills to disk


def open_data(request):
    """Each dataset explained, with its row counts and links, optionally for one region."""
    region = request.GET.get("region", "").strip()
    try:
        found = downloads.catalogue(region)
    except Http404:
        found = None
    return render(request, "portal/open_data.html", {"region": region, "found": found})


def open_data_file(request, key: str):
    if key not in downloads.FORMATS:
        raise Http404("format")
    region = request.GET.get("region", "").strip()
    out = SpooledTemporaryFile(max_size=SPOOL)
    downloads.write(key, out, region)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=downloads.filename(key, region),
        content_type=downloads.FORMATS[key].content_type,
    )
