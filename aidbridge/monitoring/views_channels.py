"""Pages of the leads from people: the portal's self-report and tracking (public, rate-limited
by address), the clerk's record of a call, the self-reports waiting for a household, the
visit form on the phone, a helper's households to visit and the household page's section."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.monitoring import channels, selectors_channels
from aidbridge.monitoring.forms_channels import (
    HotlineForm,
    LinkForm,
    SelfReportForm,
    TrackForm,
    VisitForm,
)
from aidbridge.monitoring.models import VisitPhoto
from aidbridge.pages import place_errors
from aidbridge.policy import Action, can
from aidbridge.ratelimit import form_over_limit
from aidbridge.registry.identification import INDICATORS
from aidbridge.registry.selectors import access_household
from aidbridge.uploads import serve_upload

SESSION_CODE = "monitoring_reported_code"


def self_report(request):
    """Report on the portal that a household is in trouble: its village, what happened and,
    optionally, who to call back. Shows a tracking code."""
    form = SelfReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        too_many = _("Too many reports from your connection. Try again later.")
        if form_over_limit(request, form, "monitoring.report", too_many):
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                lead = channels.self_report_submit(
                    village_code=data["village"],
                    description=data["description"],
                    reporter_name=data["reporter_name"],
                    reporter_phone=data["reporter_phone"],
                )
            except InvalidInput as exc:
                place_errors(form, exc)
            else:
                request.session[SESSION_CODE] = lead.tracking_code
                return redirect("monitoring_public:reported")
    return render(request, "monitoring/self_report.html", {"form": form}, status=status)


def self_reported(request):
    """The tracking code of the report just made (kept in the session, never in a URL)."""
    code = request.session.pop(SESSION_CODE, None)
    if code is None:
        return redirect("monitoring_public:report")
    return render(request, "monitoring/self_reported.html", {"code": code})


def track(request):
    """Where a lead stands, by its tracking code (posted): the stage and dates only."""
    form = TrackForm(request.POST or None)
    tracked, status = None, 200
    if request.method == "POST":
        too_many = _("Too many look-ups from your connection. Try again later.")
        if form_over_limit(request, form, "monitoring.track", too_many):
            status = 429
        elif form.is_valid():
            tracked = selectors_channels.lead_track(form.cleaned_data["code"])
            if tracked is None:
                form.add_error("code", _("No report has this code. Check it and try again."))
    return render(
        request, "monitoring/track.html", {"form": form, "tracked": tracked}, status=status
    )


def household_panel(request, household) -> str:
    """The household page's monitoring section: its visits and leads, with the buttons to
    record a visit or a call ("" for those who may not see them)."""
    user = request.user
    if not can(user, Action.HOUSEHOLD_MONITORING, household):
        return ""
    shown = selectors_channels.household_monitoring(user, household)
    return render_to_string(
        "monitoring/_household.html",
        {
            "household": household,
            "visits": shown.visits,
            "leads": shown.leads,
            "can_visit": can(user, Action.VISIT_RECORD, household),
            "can_call": can(user, Action.SELF_REPORT_RECORD, household),
            "leads_detail": can(user, Action.MONITORING_BROWSE),
        },
        request=request,
    )


def _opened_message(request, opened) -> None:
    if not opened:
        messages.success(request, _("Visit recorded. It found nothing that calls for a lead."))
        return
    parts = [
        (_("opened lead %(code)s") if o.created else _("added to open lead %(code)s"))
        % {"code": o.lead.tracking_code}
        + " ("
        + channels.finding_text(o.finding.rule, o.finding.facts)
        + ")"
        for o in opened
    ]
    messages.warning(request, _("Visit recorded: %(leads)s.") % {"leads": "; ".join(parts)})


@login_required
def visit_new(request, public_id):
    """Record a visit on the phone; a guarantee unmet, income below the monitoring line or a
    shock opens a lead, and the page says so."""
    household = selectors_channels.access_household_monitoring(request.user, public_id)
    if not can(request.user, Action.VISIT_RECORD, household):
        raise Http404("visit")
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _visit, opened = channels.visit_submit(
                by=request.user,
                household=household,
                visited_on=data["visited_on"],
                indicators=form.indicators(),
                per_capita_income=data["per_capita_income"],
                shocks=data["shocks"],
                note=data["note"],
                photos=data["photos"],
            )
        except InvalidInput as exc:
            place_errors(form, exc, {f"indicators.{name}": f"g_{name}" for name in INDICATORS})
        else:
            _opened_message(request, opened)
            return redirect("monitoring:visit", household.public_id)
    shown = selectors_channels.household_monitoring(request.user, household, visits=5)
    return render(
        request,
        "monitoring/visit_new.html",
        {
            "form": form,
            "household": household,
            "visits": shown.visits,
            "household_page": can(request.user, Action.HOUSEHOLD_VIEW, household),
        },
    )


@login_required
def hotline_new(request, public_id):
    """The clerk records a call made on a household's behalf: a self-report of it."""
    household = access_household(request.user, public_id)
    if not can(request.user, Action.SELF_REPORT_RECORD, household):
        raise Http404("call")
    form = HotlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lead, created = channels.hotline_record(
                by=request.user, household=household, **form.cleaned_data
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            text = (
                _("Call recorded as self-report %(code)s: tell the caller this tracking code.")
                if created
                else _("Call added to the household's open self-report %(code)s.")
            )
            messages.success(request, text % {"code": lead.tracking_code})
            return redirect("registry:detail", household.public_id)
    return render(request, "monitoring/hotline_new.html", {"form": form, "household": household})


@login_required
def self_reports(request):
    """The portal's self-reports of the user's area that name no household yet, to link."""
    if not can(request.user, Action.MONITORING_BROWSE):
        raise Http404("self-reports")
    leads = list(selectors_channels.self_reports_unlinked(request.user)[:200])
    for lead in leads:
        lead.can_link = can(request.user, Action.SELF_REPORT_LINK, lead)
        lead.form = LinkForm(
            initial={"village": lead.village.code}, auto_id=f"id_%s_{lead.public_id.hex[:8]}"
        )
    return render(request, "monitoring/self_reports.html", {"leads": leads})


@login_required
@require_POST
def self_report_link(request, public_id):
    """Link a self-report to the household picked by its number."""
    lead = selectors_channels.access_self_report(request.user, public_id)
    form = LinkForm(request.POST)
    if form.is_valid():
        household = selectors_channels.household_numbered(
            request.user, form.cleaned_data["household_number"]
        )
        if household is None:
            messages.error(request, _("No household of your area has this number."))
        else:
            try:
                channels.self_report_link(by=request.user, lead=lead, household=household)
            except InvalidInput as exc:
                messages.error(request, "; ".join(str(e["message"]) for e in exc.errors))
            except NotAllowed:
                messages.error(request, _("You may not link reports to this household."))
            else:
                messages.success(
                    request,
                    _("Self-report %(code)s linked to household %(number)s.")
                    % {"code": lead.tracking_code, "number": household.number},
                )
    return redirect("monitoring:self_reports")


@login_required
def my_households(request):
    """A responsible helper's households, the longest unvisited first, to visit."""
    if not can(request.user, Action.VISITS_MINE):
        raise Http404("households")
    households = list(selectors_channels.households_to_visit(request.user)[:500])
    return render(request, "monitoring/my_households.html", {"households": households})


@login_required
def visit_photo(request, pk):
    photo = get_object_or_404(VisitPhoto.objects.select_related("visit__household"), pk=pk)
    if not can(request.user, Action.HOUSEHOLD_MONITORING, photo.visit.household):
        raise Http404("photo")
    return serve_upload(photo.image)
