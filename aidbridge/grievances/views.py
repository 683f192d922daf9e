"""Pages of grievances. On the portal (no login, rate-limited by address): file a complaint,
its tracking code, follow it by the code and appeal a decision. For staff: the list of their
area with filters, one grievance with the steps the policy allows, a complaint recorded on
someone's behalf, and the dashboard of a region."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.errors import InvalidInput
from aidbridge.grievances import selectors, services
from aidbridge.grievances.forms import (
    AppealForm,
    AssignForm,
    ComplaintForm,
    DecideForm,
    EscalateForm,
    FilterForm,
    OnBehalfForm,
    TrackForm,
)
from aidbridge.grievances.models import Channel
from aidbridge.pages import CappedPaginator, attempt, place_errors
from aidbridge.policy import Action, can
from aidbridge.ratelimit import form_over_limit, over_limit
from aidbridge.regions.selectors import ancestors, user_area

SESSION_CODE = "grievance_filed_code"
RENAME = {"region_code": "region"}


def _filed_fields(data: dict) -> dict:
    return {
        "region_code": data["region"],
        "category": data["category"],
        "description": data["description"],
        "anonymous": data["anonymous"],
        "name": data["name"],
        "phone": data["phone"],
    }


def file_public(request):
    """File a complaint on the portal, anonymously if one wishes; shows a tracking code."""
    form = ComplaintForm(request.POST or None)
    status = 200
    if request.method == "POST":
        too_many = _("Too many complaints from your connection. Try again later.")
        if form_over_limit(request, form, "grievances.file", too_many):
            status = 429
        elif form.is_valid():
            try:
                user = request.user
                grievance = services.grievance_file(
                    channel=Channel.PORTAL,
                    account=user if user.is_authenticated else None,
                    **_filed_fields(form.cleaned_data),
                )
            except InvalidInput as exc:
                place_errors(form, exc, RENAME)
            else:
                request.session[SESSION_CODE] = grievance.tracking_code
                return redirect("grievances_public:filed")
    return render(request, "grievances/file_public.html", {"form": form}, status=status)


def filed(request):
    """The tracking code of the complaint (or appeal) just filed: kept in the session, never
    in a URL, shown once."""
    code = request.session.pop(SESSION_CODE, None)
    if code is None:
        return redirect("grievances_public:file")
    return render(request, "grievances/filed.html", {"code": code})


def track(request):
    """Where a complaint stands, by its tracking code (posted): status, level, due date,
    decision and reply, the public timeline and its appeals; the appeal form when allowed."""
    form = TrackForm(request.POST or None)
    tracked, status = None, 200
    if request.method == "POST":
        too_many = _("Too many look-ups from your connection. Try again later.")
        if form_over_limit(request, form, "grievances.track", too_many):
            status = 429
        elif form.is_valid():
            tracked = selectors.grievance_track(form.cleaned_data["code"])
            if tracked is None:
                form.add_error("code", _("No complaint has this code. Check it and try again."))
    last = (tracked.appeals or [tracked])[-1] if tracked else None
    appeal = AppealForm(initial={"code": last.code}) if last and last.may_appeal else None
    return render(
        request,
        "grievances/track.html",
        {"form": form, "tracked": tracked, "appeal_form": appeal},
        status=status,
    )


@require_POST
def appeal(request):
    """Appeal a decision by the tracking code: a new complaint one level up, its own code."""
    form = AppealForm(request.POST)
    if over_limit(request, "grievances.file"):
        messages.error(request, _("Too many complaints from your connection. Try again later."))
        return redirect("grievances_public:track")
    if form.is_valid():
        try:
            grievance = services.grievance_appeal(
                code=form.cleaned_data["code"], reason=form.cleaned_data["reason"]
            )
        except InvalidInput as exc:
            messages.error(request, "; ".join(str(e["message"]) for e in exc.errors))
        else:
            request.session[SESSION_CODE] = grievance.tracking_code
            return redirect("grievances_public:filed")
    else:
        messages.error(request, _("Write why you do not accept the decision."))
    return redirect("grievances_public:track")


# Staff pages

PAGE = 25


@login_required
def grievance_list(request):
    if not can(request.user, Action.GRIEVANCES_BROWSE):
        raise Http404("grievances")
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.grievances_list(request.user, **{k: v for k, v in chosen.items() if v})
    page = CappedPaginator(rows, PAGE).get_page(request.GET.get("page"))
    query = "&".join(
        f"{k}={'on' if v is True else v}" for k, v in chosen.items() if v and k != "page"
    )
    return render(
        request,
        "grievances/list.html",
        {
            "filters": filters,
            "page": page,
            "query": query,
            "now": timezone.now(),
            "may_file": can(request.user, Action.GRIEVANCES_FILE),
        },
    )


@login_required
def file_on_behalf(request):
    """A clerk or officer records a complaint made by phone or in person."""
    if not can(request.user, Action.GRIEVANCES_FILE):
        raise Http404("grievances")
    form = OnBehalfForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grievance = services.grievance_file(
                channel=data["channel"],
                severity=data["severity"],
                sensitivity=data["sensitivity"],
                by=request.user,
                **_filed_fields(data),
            )
        except InvalidInput as exc:
            place_errors(form, exc, RENAME)
        else:
            messages.success(
                request,
                _("Complaint %(number)s recorded. Tell the complainant the tracking code %(code)s.")
                % {"number": grievance.number, "code": grievance.tracking_code},
            )
            if can(request.user, Action.GRIEVANCE_VIEW, grievance):
                return redirect("grievances:detail", grievance.public_id)
            return redirect("grievances:new")
    return render(request, "grievances/file_on_behalf.html", {"form": form})


@login_required
def detail(request, public_id):
    grievance = selectors.access_grievance(request.user, public_id)
    user = request.user
    acts = can(user, Action.GRIEVANCE_ACT, grievance) and grievance.is_open
    return render(
        request,
        "grievances/detail.html",
        {
            "g": grievance,
            "events": selectors.events_of(grievance),
            "appeals": list(grievance.appeals.all()),
            "sees_complainant": can(user, Action.GRIEVANCE_COMPLAINANT, grievance),
            "sees_order": grievance.order is not None
            and can(user, Action.ORDER_VIEW, grievance.order),
            "acts": acts,
            "assign_form": AssignForm(officers=selectors.assignable(grievance)) if acts else None,
            "decide_form": DecideForm() if acts else None,
            "escalate_form": EscalateForm() if acts and grievance.level_region.parent_id else None,
            "now": timezone.now(),
        },
    )


def _step(request, public_id, run):
    grievance = selectors.access_grievance(request.user, public_id)
    attempt(request, lambda: run(grievance), refused=_("You may not act on this grievance."))
    if can(request.user, Action.GRIEVANCE_VIEW, grievance):
        return redirect("grievances:detail", grievance.public_id)
    return redirect("grievances:list")  # escalated out of sight


@login_required
@require_POST
def assign(request, public_id):
    def run(grievance):
        form = AssignForm(request.POST, officers=selectors.assignable(grievance))
        if not form.is_valid():
            raise InvalidInput([{"field": "to", "message": _("Choose an officer of its level.")}])
        return services.grievance_assign(
            by=request.user, grievance=grievance, to=form.cleaned_data["to"]
        )

    return _step(request, public_id, run)


@login_required
@require_POST
def take_up(request, public_id):
    return _step(
        request,
        public_id,
        lambda g: services.grievance_take_up(by=request.user, grievance=g),
    )


@login_required
@require_POST
def escalate(request, public_id):
    form = EscalateForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _step(
        request,
        public_id,
        lambda g: services.grievance_escalate(by=request.user, grievance=g, note=note),
    )


@login_required
@require_POST
def decide(request, public_id):
    data = request.POST
    return _step(
        request,
        public_id,
        lambda g: services.grievance_decide(
            by=request.user,
            grievance=g,
            decision=data.get("decision", ""),
            reply=data.get("reply", ""),
            reference=data.get("reference", ""),
        ),
    )


@login_required
def dashboard(request):
    """Volume, categories, time to a decision and SLA compliance of ``?region`` and its child
    regions."""
    region = user_area(request.user, request.GET.get("region", "").strip())
    if not can(request.user, Action.GRIEVANCE_DASHBOARD, region):
        raise Http404("region")
    board = selectors.dashboard(request.user, region)
    return render(
        request,
        "grievances/dashboard.html",
        {
            "board": board,
            "trail": [
                r for r in ancestors(region) if can(request.user, Action.GRIEVANCE_DASHBOARD, r)
            ],
        },
    )
