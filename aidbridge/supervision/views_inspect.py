"""Pages of inspection visits (the inspector's list for the day, the visit form on a phone,
the visit with its findings) and rectification orders (the list, the order with its answer,
verification and accountability). Who sees what is aidbridge.policy's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.errors import InvalidInput
from aidbridge.pages import CappedPaginator, attempt, place_errors
from aidbridge.policy import Action, can
from aidbridge.supervision import inspections, labels, selectors, selectors_inspect
from aidbridge.supervision import orders as order_services
from aidbridge.supervision.forms_inspect import (
    AccountabilityForm,
    AnswerForm,
    FindingForm,
    OrderFilters,
    VerifyForm,
    VisitFilters,
    VisitForm,
)
from aidbridge.supervision.models import (
    InspectionPhoto,
    ObjectKind,
    OrderEvidence,
    OrderStatus,
    VisitStatus,
)
from aidbridge.uploads import serve_upload

PAGE = 50


def _browse(request) -> None:
    if not can(request.user, Action.SUPERVISION_BROWSE):
        raise Http404("supervision")


@login_required
def visits(request):
    """The inspector's visits to make (today's and upcoming) on top, then every visit in the
    user's scope (an inspector: theirs), filtered by status and plan, 50 a page."""
    _browse(request)
    today = timezone.localdate()
    mine = list(selectors_inspect.visits_mine(request.user)[:200])
    filters = VisitFilters(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    plans = list(selectors.plans(request.user).exclude(status="draft")[:100])
    plan = next((p for p in plans if str(p.public_id) == request.GET.get("plan")), None)
    rows = selectors_inspect.visits_listed(request.user, plan=plan, status=status)
    page = CappedPaginator(rows, PAGE).get_page(request.GET.get("page"))
    query = "&".join(
        f"{k}={v}" for k, v in (("status", status), ("plan", plan.public_id if plan else "")) if v
    )
    return render(
        request,
        "supervision/visits.html",
        {
            "mine": mine,
            "today": today,
            "filters": filters,
            "plans": plans,
            "plan": plan,
            "page": page,
            "query": query,
        },
    )


def _visit_form(request, visit):
    people = visit.household.size if visit.household_id else None
    return VisitForm(
        request.POST or None, request.FILES or None, kind=visit.plan.kind, people=people
    )


@login_required
def visit_record(request, public_id):
    """The visit form on a phone. It works with poor connectivity (supervision-visit.js):
    filled fields are kept on the phone, a form that cannot be sent is queued and sent when
    online, and its client key makes a second arrival count once."""
    visit = selectors_inspect.visit_access(request.user, public_id)
    if not can(request.user, Action.INSPECTION_RECORD, visit):
        raise Http404("visit")
    if visit.status == VisitStatus.DONE and request.method != "POST":
        return redirect("supervision:visit", visit.public_id)
    form = _visit_form(request, visit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspections.inspection_record(
                visit=visit,
                by=request.user,
                answers=form.answers(),
                notes=data["notes"],
                visited_on=data["visited_on"],
                visited_at=data["visited_at"],
                consent=data["consent"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                photos=data["photos"],
                client_key=data["client_key"],
            )
        except InvalidInput as exc:
            place_errors(form, exc, form.renames())
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("supervision:visit", visit.public_id)
    return render(
        request,
        "supervision/visit_form.html",
        {"visit": visit, "form": form, "questions": _question_fields(form)},
    )


def _question_fields(form) -> list:
    return [form[name] for name in form.fields if name.startswith("q_")]


@login_required
def visit(request, public_id):
    """A visit: its place, inspectors, answers, notes, photos and findings with their orders."""
    visit = selectors_inspect.visit_access(request.user, public_id)
    records = can(request.user, Action.INSPECTION_RECORD, visit)
    return render(
        request,
        "supervision/visit.html",
        {
            "visit": visit,
            "answers": labels.answered(visit.plan.kind, visit.answers)
            if visit.status == VisitStatus.DONE
            else [],
            "inspectors": visit.plan.inspectors.filter(
                user__in=visit.inspectors.all()
            ).select_related("user"),
            "photos": list(visit.photos.all()),
            "findings": list(selectors_inspect.visit_findings(visit)),
            "can_record": records and visit.status == VisitStatus.ASSIGNED,
            "can_find": records and visit.status == VisitStatus.DONE,
            "household_kind": visit.plan.kind == ObjectKind.HOUSEHOLD,
        },
    )


@login_required
def finding_new(request, public_id):
    """Add a finding to a recorded visit: it opens a rectification order."""
    visit = selectors_inspect.visit_access(request.user, public_id)
    if not can(request.user, Action.INSPECTION_RECORD, visit):
        raise Http404("visit")
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            finding = inspections.finding_add(visit=visit, by=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("Finding added: a rectification order to %(unit)s, due %(due)s.")
                % {"unit": finding.order.region.name, "due": finding.order.due.isoformat()},
            )
            return redirect("supervision:visit", visit.public_id)
    return render(request, "supervision/finding_new.html", {"visit": visit, "form": form})


@login_required
def photo(request, pk):
    photo = get_object_or_404(InspectionPhoto.objects.select_related("visit"), pk=pk)
    if not can(request.user, Action.INSPECTION_VIEW, photo.visit):
        raise Http404("photo")
    return serve_upload(photo.image)


@login_required
def orders(request):
    """The rectification orders in the user's scope: the unit's to answer, an inspector's to
    verify, a supervisor's all; overdue and escalated ones marked."""
    _browse_orders(request)
    filters = OrderFilters(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors_inspect.orders_listed(
        request.user, status=data.get("status", ""), overdue=data.get("overdue", False)
    )
    page = CappedPaginator(rows, PAGE).get_page(request.GET.get("page"))
    query = "&".join(
        f"{k}={v}"
        for k, v in (
            ("status", data.get("status")),
            ("overdue", "on" if data.get("overdue") else ""),
        )
        if v
    )
    return render(
        request,
        "supervision/orders.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "today": timezone.localdate(),
            "open": OrderStatus.OPEN,
        },
    )


def _browse_orders(request) -> None:
    """The orders list is for supervision readers, inspectors and officers with orders."""
    if not (
        can(request.user, Action.SUPERVISION_BROWSE)
        or selectors_inspect.orders_listed(request.user).exists()
    ):
        raise Http404("orders")


def _order_page(request, order, **forms):
    user = request.user
    sees_accountability = can(user, Action.ACCOUNTABILITY_VIEW, order)
    visit = order.finding.visit
    context = {
        "order": order,
        "finding": order.finding,
        "visit": visit,
        "sees_visit": visit is not None and can(user, Action.INSPECTION_VIEW, visit),
        "evidence": list(order.evidence.all()),
        "today": timezone.localdate(),
        "can_answer": order.status == OrderStatus.OPEN and can(user, Action.ORDER_ANSWER, order),
        "can_verify": order.status == OrderStatus.ANSWERED and can(user, Action.ORDER_CLOSE, order),
        "sees_accountability": sees_accountability,
        "accountability": list(order.accountability.all()) if sees_accountability else [],
        "can_hold": can(user, Action.ACCOUNTABILITY_RECORD, order),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "verify_form": forms.get("verify_form") or VerifyForm(),
        "accountability_form": forms.get("accountability_form") or AccountabilityForm(),
    }
    return render(request, "supervision/order.html", context)


@login_required
def order(request, public_id):
    return _order_page(request, selectors_inspect.order_access(request.user, public_id))


@login_required
@require_POST
def order_answer(request, public_id):
    """The unit answers with what was done and evidence files."""
    order = selectors_inspect.order_access(request.user, public_id)
    if not can(request.user, Action.ORDER_ANSWER, order):
        raise Http404("order")
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            order_services.order_answer(
                order=order,
                by=request.user,
                answer=form.cleaned_data["answer"],
                evidence=form.cleaned_data["evidence"],
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(request, _("Answer sent to the inspectors to verify."))
            return redirect("supervision:order", order.public_id)
    return _order_page(request, order, answer_form=form)


@login_required
@require_POST
def order_verify(request, public_id):
    """An inspector closes the order (``accept``) or returns it with a note."""
    order = selectors_inspect.order_access(request.user, public_id)
    if not can(request.user, Action.ORDER_CLOSE, order):
        raise Http404("order")
    form = VerifyForm(request.POST)
    accept = request.POST.get("decision") == "accept"
    if form.is_valid():
        try:
            order_services.order_verify(
                order=order,
                by=request.user,
                accept=accept,
                note=form.cleaned_data["note"],
                due=form.cleaned_data["due"],
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("Rectified and closed.") if accept else _("Returned to the unit to rectify."),
            )
            return redirect("supervision:order", order.public_id)
    return _order_page(request, order, verify_form=form)


@login_required
@require_POST
def accountability_new(request, public_id):
    order = selectors_inspect.order_access(request.user, public_id)
    if not can(request.user, Action.ACCOUNTABILITY_RECORD, order):
        raise Http404("order")
    form = AccountabilityForm(request.POST)
    if form.is_valid():
        done = attempt(
            request,
            lambda: order_services.accountability_record(
                order=order, by=request.user, **form.cleaned_data
            ),
            refused=_("You may not record accountability for this order."),
        )
        if done is not None:
            messages.success(request, _("Accountability recorded."))
            return redirect("supervision:order", order.public_id)
    return _order_page(request, order, accountability_form=form)


@login_required
def evidence(request, pk):
    file = get_object_or_404(OrderEvidence.objects.select_related("order"), pk=pk)
    if not can(request.user, Action.ORDER_VIEW, file.order):
        raise Http404("evidence")
    return serve_upload(file.file)
