from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aidbridge.audit import history_rows
from aidbridge.errors import InvalidInput, TooManyRequests
from aidbridge.jobs.services import job_start
from aidbridge.pages import CappedPaginator, attempt, place_errors
from aidbridge.policy import Action, can
from aidbridge.regions.selectors import access_region
from aidbridge.registry.assessment import INDICATOR_LABELS, assessment_record, explain
from aidbridge.registry.cases import (
    ACTION_LABELS,
    STAGE_LABELS,
    allowed,
    case_act,
    case_start,
    open_case,
    startable_kind,
)
from aidbridge.registry.export import export_rows
from aidbridge.registry.forms import (
    MAX_MEMBERS,
    HouseholdEditForm,
    HouseholdForm,
    MemberEditFormSet,
    MemberForm,
    MemberFormSet,
    TableUploadForm,
)
from aidbridge.registry.id_search import resident_id_search
from aidbridge.registry.importer import template_csv
from aidbridge.registry.models import HouseholdStatus, PovertyCause, ProcedureStep
from aidbridge.registry.privacy import id_decrypt
from aidbridge.registry.selectors import (
    INCOME_BANDS,
    SEARCH_LIMIT,
    access_household,
    household_history_parts,
    household_panels,
    household_pick,
    household_search,
    looks_like_resident_id,
    mask_name,
    procedure_stages,
    responsible_helpers,
)
from aidbridge.registry.services import (
    HOUSEHOLD_EDITABLE,
    MEMBER_EDITABLE,
    household_edit,
    household_register,
)
from aidbridge.uploads import serve_upload
from aidbridge.widgets import DateField

FILTERS = ("q", "region", "status", "cause", "band", "stage")


@login_required
def household_list(request):
    """Search posts its form so that a resident ID never appears in a URL or a log: an ID
    leads straight to its household, any other search redirects to a plain GET URL."""
    if not can(request.user, Action.REGISTRY_BROWSE):
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    params = {k: source.get(k, "").strip() for k in FILTERS}
    status = 200
    if request.method == "POST" and looks_like_resident_id(params["q"]):
        try:
            found = resident_id_search(by=request.user, number=params["q"], limit=2)
        except TooManyRequests as exc:
            messages.error(request, str(exc))
            status = 429
        else:
            if len(found) == 1:
                return redirect("registry:detail", found[0].public_id)
            messages.error(
                request, _("No household in your area has a member with that resident ID.")
            )
        params["q"] = ""
    elif request.method == "POST":
        return redirect(f"{reverse('registry:list')}?{_query(params)}")
    region = access_region(request.user, params["region"]) if params["region"] else None
    households = household_search(
        request.user,
        region=region,
        status=params["status"],
        cause=params["cause"],
        band=params["band"],
        stage=params["stage"],
        q=params["q"],
    )
    # A broad name search lists some of its matches: the page says there are more.
    cap = SEARCH_LIMIT if params["q"] else CappedPaginator.cap
    page = CappedPaginator(households.order_by("region_path", "number"), 25, cap=cap).get_page(
        request.GET.get("page")
    )
    query = _query(params)
    return render(
        request,
        "registry/list.html",
        {
            "page": page,
            "params": params,
            "region": region,
            "query": query,
            "can_import": can(request.user, Action.HOUSEHOLDS_IMPORT),
            "export_query": _query({k: v for k, v in params.items() if k != "q"}),
            "statuses": HouseholdStatus.choices,
            "causes": PovertyCause.choices,
            "bands": [(key, label) for key, label, _low, _high in INCOME_BANDS],
            "stages": procedure_stages(),
        },
        status=status,
    )


class AssessmentForm(forms.Form):
    assessed_on = DateField(label=gettext_lazy("Assessed on"))
    per_capita_income = forms.IntegerField(
        label=gettext_lazy("Per-capita net income (yuan)"), min_value=0, max_value=1_000_000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in INDICATOR_LABELS.items():
            self.fields[key] = forms.BooleanField(label=label, required=False, initial=True)


@login_required
def household_detail(request, public_id):
    household = access_household(request.user, public_id)
    can_assess = can(request.user, Action.HOUSEHOLD_REGISTER, household.village)
    form = AssessmentForm(request.POST or None) if can_assess else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = assessment_record(
                by=request.user,
                household=household,
                assessed_on=data["assessed_on"],
                per_capita_income=data["per_capita_income"],
                indicators={key: data[key] for key in INDICATOR_LABELS},
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("Assessment recorded: the rules suggest “%(status)s”.")
                % {"status": assessment.get_suggested_status_display()},
            )
            return redirect("registry:detail", household.public_id)
    personal = can(request.user, Action.HOUSEHOLD_SEE_PERSONAL, household)
    members = list(household.members.all())
    for member in members:
        member.resident_id = id_decrypt(member.id_cipher) if personal else member.id_masked
    current = open_case(household)
    case = current or household.cases.first()
    today = timezone.localdate()
    start_kind = startable_kind(household)
    return render(
        request,
        "registry/detail.html",
        {
            "case": case,
            "case_stage": STAGE_LABELS.get(case.stage) if case else None,
            "case_steps": [
                (s, ACTION_LABELS.get(s.action, s.action)) for s in case.steps.select_related("by")
            ]
            if case
            else [],
            "case_actions": [(a, ACTION_LABELS[a]) for a in allowed(request.user, case, today)]
            if case
            else [],
            "can_start": current is None
            and start_kind is not None
            and can(request.user, Action.CASE_START, household),
            "start_kind": start_kind,
            "household": household,
            "members": members,
            "personal": personal,
            "can_assess": can_assess,
            "can_edit": can(request.user, Action.HOUSEHOLD_EDIT, household),
            "responsible_helpers": responsible_helpers(request.user, household),
            "incomes": household.incomes.all()[:10],
            "panels": household_panels(request, household),
            "assessments": [
                (a, explain(a.reasons))
                for a in household.assessments.select_related("assessed_by", "rule__region")[:10]
            ],
            "form": form,
            "history": history_rows(household, **household_history_parts(request.user, household))
            if can(request.user, Action.HOUSEHOLD_HISTORY, household)
            else None,
        },
    )


def _query(params: dict) -> str:
    return urlencode({k: v for k, v in params.items() if v})


class ImportForm(TableUploadForm):
    file = forms.FileField(
        label=gettext_lazy("Household file (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One row per member, in the template's columns; English or Chinese headers."
        ),
    )


@login_required
def household_import(request):
    if not can(request.user, Action.HOUSEHOLDS_IMPORT):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_start(
            kind="households.import",
            by=request.user,
            input_file=form.cleaned_data["file"],
            payload={"encoding": form.cleaned_data["encoding"]},
        )
        return redirect("jobs:detail", job.pk)
    return render(request, "registry/import.html", {"form": form})


@login_required
def import_template(request):
    response = HttpResponse(
        template_csv(chinese=request.LANGUAGE_CODE != "en"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="households-template.csv"'
    return response


@login_required
@require_POST
def household_procedure(request, public_id):
    """Start a procedure or take its next step; refusals come back as messages."""
    household = access_household(request.user, public_id)
    comment = request.POST.get("comment", "").strip()
    attachment = request.FILES.get("attachment")
    if request.POST.get("start") in ("entry", "exit"):

        def step():
            return case_start(
                by=request.user,
                household=household,
                kind=request.POST["start"],
                on=timezone.localdate(),
                comment=comment,
                attachment=attachment,
            )
    else:
        case = open_case(household)
        if case is None:
            raise Http404("case")

        def step():
            return case_act(
                by=request.user,
                case=case,
                action=request.POST.get("action", ""),
                on=timezone.localdate(),
                comment=comment,
                attachment=attachment,
            )

    if attempt(request, step, refused=_("Your role takes no part in this procedure.")):
        messages.success(request, _("Step recorded."))
    return redirect("registry:detail", household.public_id)


@login_required
def step_attachment(request, public_id, step_id):
    """A procedure step's attachment, for those who may see the household."""
    household = access_household(request.user, public_id)
    step = ProcedureStep.objects.filter(pk=step_id, case__household=household).first()
    if step is None or not step.attachment:
        raise Http404("attachment")
    return serve_upload(step.attachment)


@login_required
def household_export(request):
    """The list's households as CSV, with the same filters (never a resident ID)."""
    if not can(request.user, Action.HOUSEHOLDS_EXPORT):
        raise Http404
    params = {k: request.GET.get(k, "").strip() for k in FILTERS if k != "q"}
    region = access_region(request.user, params["region"]) if params["region"] else None
    households = household_search(
        request.user,
        region=region,
        status=params["status"],
        cause=params["cause"],
        band=params["band"],
        stage=params["stage"],
    )
    response = StreamingHttpResponse(
        export_rows(request.user, households, chinese=request.LANGUAGE_CODE != "en"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="households.csv"'
    return response


@login_required
def household_new(request):
    """Register a household with its members; problems show beside their field."""
    if not can(request.user, Action.HOUSEHOLDS_IMPORT):
        raise Http404
    form = HouseholdForm(request.POST or None, user=request.user)
    members = MemberFormSet(request.POST or None, prefix="m", initial=[{"relation": "head"}])
    if request.method == "POST" and form.is_valid() and members.is_valid():
        filled = [m for m in members if m.has_changed() and m.cleaned_data]
        rows = [m.cleaned_data for m in filled]
        data = {k: v for k, v in form.cleaned_data.items() if k != "village"}
        try:
            household = household_register(
                by=request.user, village=form.cleaned_data["village"], data=data, members=rows
            )
        except InvalidInput as exc:
            for error in exc.errors:
                _place_error(form, filled, error)
        else:
            messages.success(
                request, _("Household %(number)s registered.") % {"number": household.number}
            )
            return redirect("registry:detail", household.public_id)
    return render(
        request, "registry/new.html", {"form": form, "members": members, "max": MAX_MEMBERS}
    )


def _member_initial(member) -> dict:
    return {
        "id": member.pk,
        **{field: getattr(member, field) for field in MEMBER_EDITABLE if field != "resident_id"},
        "resident_id": member.id_masked,
        "medical_insurance": "yes" if member.medical_insurance else "no",
    }


@login_required
def household_edit_page(request, public_id):
    """Change a household and its members: present members' rows (each may leave with a
    reason and date), rows added for births or people moving in; problems are summarised at
    the top and shown beside their field."""
    household = access_household(request.user, public_id)
    if not can(request.user, Action.HOUSEHOLD_EDIT, household):
        raise Http404
    present = household.members.filter(left_on__isnull=True)
    initial = {field: getattr(household, field) for field in HOUSEHOLD_EDITABLE}
    form = HouseholdEditForm(request.POST or None, user=request.user, initial=initial)
    members = MemberEditFormSet(
        request.POST or None, prefix="m", initial=[_member_initial(m) for m in present]
    )
    if request.method == "POST" and form.is_valid() and members.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        rows, entries = [], []
        for row in members:
            if row.initial.get("id"):
                entry = {"id": row.initial["id"], **row.cleaned_data}
                if not (entry.get("left_on") or entry.get("left_reason")):
                    entry.pop("left_on", None), entry.pop("left_reason", None)
            elif row.has_changed() and row.cleaned_data:
                entry = dict(row.cleaned_data)
            else:
                continue
            rows.append(row)
            entries.append(entry)
        try:
            household_edit(by=request.user, household=household, data=data, members=entries)
        except InvalidInput as exc:
            for error in exc.errors:
                _place_error(form, rows, error)
        else:
            messages.success(
                request, _("Household %(number)s saved.") % {"number": household.number}
            )
            return redirect("registry:detail", household.public_id)
    return render(
        request,
        "registry/edit.html",
        {"form": form, "members": members, "household": household, "max": MAX_MEMBERS},
    )


@login_required
def member_row(request):
    """One more empty member row for a registration or edit form (htmx), with the form's new
    row count and the button for the next row; ``remove`` answers empty (the row goes)."""
    if not can(request.user, Action.HOUSEHOLDS_IMPORT):
        raise Http404
    if "remove" in request.GET:
        return HttpResponse("")
    try:
        index = int(request.GET.get("index", ""))
    except ValueError:
        raise Http404 from None
    if not 0 <= index < MAX_MEMBERS:
        raise Http404
    return render(
        request,
        "registry/_member_added.html",
        {
            "member": MemberForm(prefix=f"m-{index}"),
            "index": index,
            "next": index + 1,
            "added": True,
            "max": MAX_MEMBERS,
        },
    )


def _place_error(form, rows, error) -> None:
    """Put a service error beside its field: members[i].field goes to the i-th row sent."""
    field = error.get("field") or ""
    if field.startswith("members["):
        index, _dot, name = field[len("members[") :].partition("].")
        target = rows[int(index.rstrip("]")) - 1]
        target.add_error(name if name in target.fields else None, error["message"])
    elif field in form.fields:
        form.add_error(field, error["message"])
    else:
        form.add_error(None, error["message"])


@login_required
@require_POST
def household_pick_view(request):
    """Suggestions for the household picker (registry.widgets.HouseholdPicker): <option>s
    of the user's households matching what was typed, by number, masked head and village.
    Posted, so that names typed never reach a URL or a log."""
    if not can(request.user, Action.REGISTRY_BROWSE):
        raise Http404
    typed = request.POST.get(request.GET.get("field", "q"), "").strip()
    village = request.POST.get(request.GET.get("village_field", "village"), "")
    households = household_pick(request.user, typed, village)
    for household in households:
        household.masked_head = mask_name(household.head_name, typed)
    return render(request, "registry/_pick.html", {"households": households})
