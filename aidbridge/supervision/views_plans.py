"""The plans' staff pages: the supervision home (the plans in scope), a new plan with its
pool of inspectors, a plan's page (its frame per stratum and hash, publish, enter the public
value and draw, the samples with their inspectors and visits, close)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.pages import attempt, place_errors
from aidbridge.policy import Action, can, plan_names_shown
from aidbridge.regions.selectors import region_by_code
from aidbridge.supervision import selectors_plans as read
from aidbridge.supervision import services
from aidbridge.supervision.forms_plans import DrawForm, PlanForm, PoolForm, PublishForm
from aidbridge.supervision.models import PlanStatus
from aidbridge.supervision.selectors import plans

PER_PAGE = 25


def _may_plan(user) -> bool:
    return can(user, Action.PLAN_MANAGE, user.region)


@login_required
def plan_list(request):
    """The supervision home: the plans in the user's scope (and those they inspect in)."""
    if not can(request.user, Action.SUPERVISION_BROWSE):
        raise Http404
    status = request.GET.get("status", "")
    rows = plans(request.user)
    if status in PlanStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/plans.html",
        {
            "page": page,
            "status": status,
            "statuses": PlanStatus.choices,
            "query": f"status={status}" if status else "",
            "may_plan": _may_plan(request.user),
        },
    )


@login_required
def plan_new(request):
    user = request.user
    if not _may_plan(user):
        raise Http404
    form = PlanForm(request.POST or None, user=user)
    pool = PoolForm(request.POST or None, candidates=read.candidates(user))
    if request.method == "POST" and form.is_valid() & pool.is_valid():
        plan = _create(user, form, pool)
        if plan is not None:
            messages.success(request, _("The plan is drafted. Check its frame, then publish it."))
            return redirect("supervision:plan", plan.public_id)
    return render(request, "supervision/plan_new.html", {"form": form, "pool": pool})


def _create(user, form, pool):
    """Draft the plan from valid forms; refusals go on the forms' fields (None then)."""
    data = form.cleaned_data
    try:
        region = region_by_code(data["region"].strip())
        inspectors = [
            (member, region_by_code(code, field=f"home_{member.pk}") if code else None)
            for member, code in pool.chosen()
        ]
        return services.plan_create(
            by=user,
            title=data["title"],
            year=data["year"],
            region=region,
            kind=data["kind"],
            statuses=data["statuses"],
            strata=data["strata"],
            size=data["size"],
            rate_percent=data["rate_percent"],
            inspectors_per_visit=data["inspectors_per_visit"],
            visit_by=data["visit_by"],
            public_source=data["public_source"],
            inspectors=inspectors,
        )
    except InvalidInput as exc:
        place_errors(form, InvalidInput([e for e in exc.errors if e["field"] in form.fields]))
        place_errors(pool, InvalidInput([e for e in exc.errors if e["field"] not in form.fields]))
    except NotAllowed:
        form.add_error("region", _("You may not make inspection plans for this region."))
    return None


@login_required
def plan_detail(request, public_id):
    plan = read.access_plan(request.user, public_id)
    may_manage = can(request.user, Action.PLAN_MANAGE, plan.region)
    names = plan_names_shown(request.user, plan)
    pseudonyms = read.pseudonyms(plan)
    page = Paginator(read.sampled(plan), 50).get_page(request.GET.get("page"))
    for entry in page:
        visit = getattr(entry, "visit", None)
        entry.team = sorted((pseudonyms[u.pk], u) for u in visit.inspectors.all()) if visit else []
    return render(
        request,
        "supervision/plan.html",
        {
            "plan": plan,
            "strata": read.strata_rows(plan),
            "status_labels": read.status_labels(plan),
            "pool": read.pool(plan),
            "names": names,
            "may_manage": may_manage,
            "page": page,
            "results": read.results(plan) if plan.seed else None,
            "publish_form": PublishForm(initial={"public_source": plan.public_source}),
            "draw_form": DrawForm(),
        },
    )


def _managed(request, public_id):
    plan = read.access_plan(request.user, public_id)
    if not can(request.user, Action.PLAN_MANAGE, plan.region):
        raise Http404
    return plan


@require_POST
@login_required
def plan_publish(request, public_id):
    plan = _managed(request, public_id)
    form = PublishForm(request.POST)
    source = form.cleaned_data["public_source"] if form.is_valid() else ""
    done = attempt(
        request,
        lambda: services.plan_publish(plan=plan, by=request.user, public_source=source),
        refused=_("You may not publish this plan."),
    )
    if done is not None:
        messages.success(request, _("Published: the frame and its SHA-256 are public now."))
    return redirect("supervision:plan", plan.public_id)


@require_POST
@login_required
def plan_draw(request, public_id):
    plan = _managed(request, public_id)
    form = DrawForm(request.POST)
    value = form.cleaned_data["public_value"] if form.is_valid() else ""
    done = attempt(
        request,
        lambda: services.plan_draw(plan=plan, by=request.user, public_value=value),
        refused=_("You may not draw this plan."),
    )
    if done is not None:
        messages.success(request, _("Drawn: the samples and their inspectors are public now."))
    return redirect("supervision:plan", plan.public_id)


@require_POST
@login_required
def plan_close(request, public_id):
    plan = _managed(request, public_id)
    done = attempt(
        request,
        lambda: services.plan_close(plan=plan, by=request.user),
        refused=_("You may not close this plan."),
    )
    if done is not None:
        messages.success(request, _("The plan is closed."))
    return redirect("supervision:plan", plan.public_id)
