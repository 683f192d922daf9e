"""The portal's assessment pages (no login): the published county assessments and each one's
report, anonymised (no household, no visit id, no names)."""

from django.shortcuts import render

from aidbridge.assessment import report, selectors
from aidbridge.assessment.views import download


def published_list(request):
    return render(
        request, "assessment/public_list.html", {"rows": list(selectors.published()[:500])}
    )


def published_detail(request, public_id):
    assessment = selectors.public_assessment(public_id)
    return render(
        request, "assessment/public_detail.html", report.report_context(assessment, public=True)
    )


def published_report(request, public_id, fmt: str):
    return download(selectors.public_assessment(public_id), fmt, public=True)
