"""The county assessment pages: the assessments of one's area, the province's scorecard, a
county's assessment with its evidence (review, publish, manual values, computing again) and
its report as PDF and XLSX. Every decision is aidbridge.policy's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.assessment import forms, indicators, report, selectors, services
from aidbridge.errors import InvalidInput
from aidbridge.pages import attempt
from aidbridge.policy import Action, can
from aidbridge.regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request, default: int | None = None) -> int | None:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        return default
    return year if year in services.YEARS else default


def _province(user, code: str = "") -> Region | None:
    """The province whose scorecard the user sets: the one named, else their own."""
    region = Region.objects.filter(code=code).first() if code else user.region
    if region is None or region.level != "province":
        return None
    return region if can(user, Action.SCORECARD_SET, region) else None


@login_required
def assessment_list(request):
    if not can(request.user, Action.ASSESSMENTS_BROWSE):
        raise Http404
    this_year = timezone.localdate().year
    year = _year(request)
    provinces = [
        p
        for p in Region.objects.filter(level="province").order_by("path")
        if can(request.user, Action.SCORECARD_SET, p)
    ]
    counties = []
    for place in provinces:
        counties += selectors.counties_to_assess(request.user, place)
    return render(
        request,
        "assessment/list.html",
        {
            "rows": list(selectors.assessment_list(request.user, year=year)[:500]),
            "year": year or "",
            "this_year": this_year,
            "provinces": provinces,
            "counties": counties,
        },
    )


@login_required
def scorecard_page(request):
    province = _province(request.user, request.GET.get("province", ""))
    if province is None:
        raise Http404
    year = _year(request, timezone.localdate().year)
    card = selectors.scorecard_of(province, year)
    if request.method == "POST":
        form = forms.ScorecardForm(request.POST)
        if form.is_valid():
            lines = form.lines()
            try:
                services.scorecard_set(
                    user=request.user,
                    province=province,
                    year=year,
                    pass_score=form.cleaned_data["pass_score"],
                    lines=lines,
                )
            except InvalidInput as exc:
                for error in exc.errors:
                    row = error.get("row")
                    name = f"{error['field']}_{lines[row - 1]['key']}" if row else error["field"]
                    form.add_error(name if name in form.fields else None, error["message"])
            else:
                messages.success(request, _("The scorecard is saved."))
                return redirect(f"{reverse('assessment:list')}?year={year}")
    else:
        form = forms.ScorecardForm(initial=forms.initial(card, services.default_lines()))
    return render(
        request,
        "assessment/scorecard.html",
        {"form": form, "province": province, "year": year, "card": card},
    )


@login_required
@require_POST
def compute(request):
    county = Region.objects.filter(code=request.POST.get("county", "")).first()
    if county is None or not can(request.user, Action.ASSESSMENT_COMPUTE, county):
        raise Http404
    year = _year(request, 0)
    done = attempt(
        request,
        lambda: services.assessment_compute(user=request.user, county=county, year=year),
        refused=_("You may not compute this assessment."),
    )
    if done is None:
        return redirect(reverse("assessment:list"))
    messages.success(request, _("The assessment is computed."))
    return redirect("assessment:detail", done.public_id)


def _visit_url(visit_id) -> str:
    """The supervision page of a sampled visit, if the supervision app has one."""
    try:
        return reverse("supervision:visit", args=[visit_id])
    except NoReverseMatch:
        return ""


@login_required
def detail(request, public_id):
    assessment = selectors.access_assessment(request.user, public_id)
    context = report.report_context(assessment, public=False)
    for row in context["visits"]:
        row["url"] = _visit_url(row.get("visit"))
    user = request.user
    manual_lines = [
        line for line in assessment.scorecard.indicators.all() if line.source == "manual"
    ]
    entered = {m.key: m for m in assessment.manual_values.all()}
    return render(
        request,
        "assessment/detail.html",
        {
            **context,
            "may_compute": assessment.status != "published"
            and can(user, Action.ASSESSMENT_COMPUTE, assessment.county),
            "may_review": can(user, Action.ASSESSMENT_REVIEW, assessment),
            "may_publish": can(user, Action.ASSESSMENT_PUBLISH, assessment),
            "manual": [
                (line, indicators.label_of(line.key, line.label), entered.get(line.key))
                for line in manual_lines
            ],
        },
    )


@login_required
@require_POST
def manual_value(request, public_id):
    assessment = selectors.access_assessment(request.user, public_id)
    done = attempt(
        request,
        lambda: services.manual_value_set(
            user=request.user,
            county=assessment.county,
            year=assessment.year,
            key=request.POST.get("key", ""),
            value=request.POST.get("value", ""),
            note=request.POST.get("note", ""),
        ),
        refused=_("You may not enter values of this assessment."),
    )
    if done is not None:
        messages.success(request, _("The value is saved: compute the assessment again."))
    return redirect("assessment:detail", assessment.public_id)


@login_required
@require_POST
def review(request, public_id):
    assessment = selectors.access_assessment(request.user, public_id)
    done = attempt(
        request,
        lambda: services.assessment_review(
            user=request.user, assessment=assessment, note=request.POST.get("note", "")
        ),
        refused=_("The review is a second person's: you may not review this assessment."),
    )
    if done is not None:
        messages.success(request, _("The assessment is reviewed."))
    return redirect("assessment:detail", assessment.public_id)


@login_required
@require_POST
def publish(request, public_id):
    assessment = selectors.access_assessment(request.user, public_id)
    done = attempt(
        request,
        lambda: services.assessment_publish(user=request.user, assessment=assessment),
        refused=_("You may not publish this assessment."),
    )
    if done is not None:
        messages.success(request, _("The assessment is published on the portal."))
    return redirect("assessment:detail", assessment.public_id)


def download(assessment, fmt: str, *, public: bool) -> HttpResponse:
    """The report as a PDF or XLSX download (``public``: anonymised)."""
    if fmt == "pdf":
        response = HttpResponse(
            report.report_pdf(assessment, public=public), content_type="application/pdf"
        )
    else:
        response = HttpResponse(report.report_xlsx(assessment, public=public), content_type=XLSX)
    name = f"assessment-{assessment.county.code}-{assessment.year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def report_file(request, public_id, fmt: str):
    return download(selectors.access_assessment(request.user, public_id), fmt, public=False)
