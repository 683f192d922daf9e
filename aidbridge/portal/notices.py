"""The public notices of the entry and exit procedure, per village: a printable page for
everyone, its QR code for the village notice board, and an index to find a village."""

import io

import segno
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from aidbridge.monitoring.selectors_procedure import village_monitoring_notices
from aidbridge.pages import CappedPaginator
from aidbridge.regions.models import Region
from aidbridge.registry.notices import village_notices, village_of, villages_with_notices


def notice_url(request, village: Region) -> str:
    """The absolute address of the village's notice page, which its QR code encodes."""
    return request.build_absolute_uri(reverse("portal:village_notices", args=[village.code]))


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def notice_index(request):
    q = request.GET.get("q", "").strip()[:50]
    page = CappedPaginator(villages_with_notices(q), 50).get_page(request.GET.get("page"))
    codes = {c for v in page for c in v.ancestor_codes()[:-1]}
    names = {r.code: r.name for r in Region.objects.filter(code__in=codes)}
    rows = [(v, " · ".join(names[c] for c in v.ancestor_codes()[1:-1] if c in names)) for v in page]
    return render(
        request,
        "portal/notices.html",
        {"page": page, "rows": rows, "q": q},
    )


def village_notice_page(request, code):
    village = village_of(code)
    if village is None:
        raise Http404("village")
    url = notice_url(request, village)
    township = village.parent
    today = timezone.localdate()
    return render(
        request,
        "portal/village_notices.html",
        {
            "village": village,
            "township": township,
            "county": township.parent if township else None,
            "notices": village_notices(village, today),
            "monitoring_notices": village_monitoring_notices(village, today),
            "today": today,
            "url": url,
            "qr": mark_safe(qr_code(url).svg_inline(scale=4, title=url)),
            "hotline": settings.NOTICE_HOTLINE,
        },
    )


def village_notice_qr(request, code):
    """The QR code of the village's notice page as an SVG file, to print for the board."""
    village = village_of(code)
    if village is None:
        raise Http404("village")
    out = io.BytesIO()
    qr_code(notice_url(request, village)).save(out, kind="svg", scale=10)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="notices-{village.code}.svg"'
    return response
