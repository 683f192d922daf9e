"""The spending pages of a project: what it holds, its spending records, the forms to record
one of each kind, and the records waiting for the user's approval; the helper admin's
threshold."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.pages import place_errors
from aidbridge.policy import Action, can
from aidbridge.spending import selectors, services
from aidbridge.spending.forms import DecideForm, SpendingForm, ThresholdForm
from aidbridge.spending.models import Evidence, SpendingKind, SpendingStatus
from aidbridge.uploads import serve_upload


def _funds(user, project) -> list:
    """The helpers whose funds a transfer may use: the user's own, the initiator, partners."""
    found = [user.organization] if user.organization_id else []
    found += [project.initiator] if project.initiator_id else []
    found += [p.helper for p in project.partners.select_related("helper") if p.helper_id]
    return list({h.pk: h for h in found}.values())


def _form(request, project, kind, data=None, files=None) -> SpendingForm:
    user = request.user
    households = project.households.order_by("pk") if can(user, Action.REGISTRY_BROWSE) else ()
    return SpendingForm(
        data,
        files,
        kind=kind,
        project=project,
        households=households,
        funds=_funds(user, project),
        auto_id=f"id_{kind}_%s",
        initial={"on": timezone.localdate()},
    )


def _page(request, project, failed=None):
    user = request.user
    records = list(selectors.spending_of(project))
    waiting = set(
        selectors.approvals_waiting(user).filter(project=project).values_list("pk", flat=True)
    )
    for record in records:
        if record.pk in waiting:  # each with ids of its own
            record.decide_form = DecideForm(auto_id=f"id_decide{record.pk}_%s")
    recording = can(user, Action.SPENDING_RECORD, project)
    forms = []
    if recording:
        for kind, label in SpendingKind.choices:
            form = (
                failed
                if failed is not None and failed.kind == kind
                else _form(request, project, kind)
            )
            forms.append((kind, label, form))
    helper = user.organization
    return render(
        request,
        "spending/project.html",
        {
            "project": project,
            "held": selectors.project_holdings(project),
            "records": records,
            "pending": [r for r in records if r.status == SpendingStatus.PENDING],
            "forms": forms,
            "failed": failed.kind if failed is not None else "",
            "threshold": services.threshold_for(user, project) if recording else None,
            "threshold_form": ThresholdForm(
                initial={"threshold": helper.spending_approval_threshold / 100}
            )
            if helper and can(user, Action.SPENDING_THRESHOLD_SET, helper)
            else None,
        },
        status=400 if failed is not None else 200,
    )


@login_required
def spending_project(request, public_id):
    project = selectors.access_spending_project(request.user, public_id)
    return _page(request, project)


@login_required
@require_POST
def spending_new(request, public_id, kind):
    project = selectors.access_spending_project(request.user, public_id)
    if kind not in SpendingKind.values or not can(request.user, Action.SPENDING_RECORD, project):
        raise Http404("spending")
    form = _form(request, project, kind, request.POST, request.FILES)
    if form.is_valid():
        try:
            record = services.spending_record(
                by=request.user, project=project, **form.service_args()
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            if record.status == SpendingStatus.PENDING:
                messages.success(request, _("Recorded; it waits for a second person's approval."))
            else:
                messages.success(request, _("Recorded and posted to the ledger."))
            return redirect("spending:project", project.public_id)
    return _page(request, project, failed=form)


@login_required
@require_POST
def spending_decide(request, public_id):
    record = selectors.access_spending(request.user, public_id)
    if not can(request.user, Action.SPENDING_APPROVE, record):
        raise Http404("spending")
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("spending:project", record.project.public_id)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.spending_approve(by=request.user, spending=record)
            messages.success(request, _("Approved and posted to the ledger."))
        else:
            services.spending_reject(
                by=request.user, spending=record, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Rejected."))
    except InvalidInput as exc:
        messages.error(request, "; ".join(str(e["message"]) for e in exc.errors))
    except NotAllowed:
        raise Http404("spending") from None
    return redirect("spending:project", record.project.public_id)


@login_required
def evidence_file(request, public_id):
    evidence = Evidence.objects.select_related("spending").filter(public_id=public_id).first()
    if evidence is None:
        raise Http404("evidence")
    selectors.access_spending(request.user, evidence.spending.public_id)
    return serve_upload(evidence.file)


@login_required
@require_POST
def threshold_set(request, public_id):
    project = selectors.access_spending_project(request.user, public_id)
    helper = request.user.organization
    if helper is None or not can(request.user, Action.SPENDING_THRESHOLD_SET, helper):
        raise Http404("threshold")
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            services.threshold_set(
                by=request.user, helper=helper, amount=int(form.cleaned_data["threshold"] * 100)
            )
        except InvalidInput as exc:
            messages.error(request, "; ".join(str(e["message"]) for e in exc.errors))
        else:
            messages.success(request, _("Threshold saved."))
    else:
        messages.error(request, _("Write an amount above zero."))
    return redirect("spending:project", project.public_id)
