"""The pages of the monitoring procedure: a lead (its steps, the allowed steps as buttons,
the visits and records behind it), the procedure's home visit on the phone, and a monitored
household (kind, stage, plan of measures, visits, risk elimination)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aidbridge.errors import InvalidInput
from aidbridge.monitoring import cases
from aidbridge.monitoring.models import (
    Lead,
    Measure,
    MeasureKind,
    MeasureStatus,
    ObjectKind,
    Shock,
    Step,
)
from aidbridge.monitoring.selectors_procedure import access_lead, access_monitored
from aidbridge.pages import attempt, place_errors
from aidbridge.policy import Action, can
from aidbridge.registry.assessment import INDICATOR_LABELS
from aidbridge.uploads import serve_upload
from aidbridge.widgets import DateField

REFUSED = gettext_lazy("Your role takes no part in this step.")
SHOWN_VISITS = 20


class VisitForm(forms.Form):
    """The procedure's home visit: what was found, and the household's signed consent."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of monitoring object"),
        choices=[("", "—"), *ObjectKind.choices],
    )
    visited_on = DateField(label=gettext_lazy("Visited on"))
    per_capita_income = forms.IntegerField(
        label=gettext_lazy("Per-capita income now (yuan per year)"),
        min_value=0,
        max_value=1_000_000,
        required=False,
    )
    shocks = forms.MultipleChoiceField(
        label=gettext_lazy("Shocks since the last visit"),
        choices=Shock.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(label=gettext_lazy("Photo"), required=False)
    consent = forms.FileField(
        label=gettext_lazy("The household's signed consent (photo or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )

    def __init__(self, *args, with_kind: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_kind:
            del self.fields["kind"]
        for key, label in INDICATOR_LABELS.items():
            self.fields[key] = forms.BooleanField(
                label=_("Met: %(guarantee)s") % {"guarantee": label},
                required=False,
                initial=True,
            )


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Measure"), choices=MeasureKind.choices)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200)
    responsible = forms.CharField(label=gettext_lazy("Responsible"), max_length=100)
    due = DateField(label=gettext_lazy("Due"), required=False)
    need = forms.ChoiceField(label=gettext_lazy("Need of this household"), required=False)

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.needs = {str(n.pk): n for n in needs}
        self.fields["need"].choices = [("", "—"), *((k, n.title) for k, n in self.needs.items())]


def _case_context(user, case, today) -> dict:
    actions = cases.allowed(user, case, today)
    return {
        "case": case,
        "steps": [
            (s, cases.ACTION_LABELS.get(s.action, s.action), cases.ROLE_LABELS.get(s.role, ""))
            for s in case.steps.select_related("by")
        ],
        "can_visit": "visit" in actions,
        "actions": [(a, cases.ACTION_LABELS[a]) for a in actions if a != "visit"],
        "overdue": case.status == "open" and case.step_due and case.step_due < today,
        "escalated_label": cases.ROLE_LABELS.get(case.escalated_to, ""),
    }


@login_required
def lead_detail(request, public_id):
    lead = access_lead(request.user, public_id)
    today = timezone.localdate()
    monitored = getattr(lead, "monitored", None) if lead.status == "approved" else None
    return render(
        request,
        "monitoring/lead.html",
        {
            **_case_context(request.user, lead, today),
            "lead": lead,
            "kinds": ObjectKind.choices,
            "visits": _visits(lead.visits.all()),
            "records": _records(lead),
            "monitored": monitored,
        },
    )


def _visits(visits) -> list:
    """The latest visits, each with its shocks and its unmet guarantees in words."""
    shown = list(visits.select_related("visited_by")[:SHOWN_VISITS])
    labels = dict(Shock.choices)
    for visit in shown:
        visit.shock_labels = [labels.get(s, s) for s in visit.shocks]
        visit.unmet_labels = [
            INDICATOR_LABELS.get(key, key) for key, met in visit.indicators.items() if not met
        ]
    return shown


def _records(lead: Lead) -> list:
    """The department records behind the lead, when the screening part links them."""
    related = getattr(lead, "records", None)
    return list(related.all()[:50]) if related is not None else []


def _case_of(request, kind: str, public_id):
    """The lead, or the monitored household's open elimination, the page acts on."""
    if kind == "lead":
        lead = access_lead(request.user, public_id)
        return lead, ("monitoring:lead", lead.public_id)
    monitored = access_monitored(request.user, public_id)
    proposal = cases.open_elimination(monitored)
    if proposal is None:
        raise Http404("elimination")
    return proposal, ("monitoring:monitored", monitored.public_id)


@login_required
@require_POST
def case_step(request, kind, public_id):
    """Take one step of a lead or an elimination; refusals come back as messages."""
    case, back = _case_of(request, kind, public_id)

    def step():
        return cases.case_act(
            by=request.user,
            case=case,
            action=request.POST.get("action", ""),
            on=timezone.localdate(),
            comment=request.POST.get("comment", "").strip(),
            attachment=request.FILES.get("attachment"),
            kind=request.POST.get("kind", "") if isinstance(case, Lead) else "",
        )

    if attempt(request, step, refused=str(REFUSED)):
        messages.success(request, _("Step recorded."))
    return redirect(*back)


@login_required
def case_visit(request, kind, public_id):
    """The procedure's home visit, on the phone."""
    case, back = _case_of(request, kind, public_id)
    today = timezone.localdate()
    if "visit" not in cases.allowed(request.user, case, today):
        raise Http404("visit step")
    with_kind = isinstance(case, Lead)
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        with_kind=with_kind,
        initial={"visited_on": today, "kind": getattr(case, "kind", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit = {
            "visited_on": data["visited_on"],
            "indicators": {key: data[key] for key in INDICATOR_LABELS},
            "per_capita_income": data["per_capita_income"],
            "shocks": data["shocks"],
            "note": data["note"],
            "photos": [data["photo"]] if data["photo"] else [],
            "consent": data["consent"],
        }
        try:
            cases.case_visit(
                by=request.user, case=case, visit=visit, kind=data.get("kind", ""), on=today
            )
        except InvalidInput as exc:
            place_errors(form, exc, {"photos": "photo"})
        else:
            messages.success(request, _("Visit recorded; the case goes to the village review."))
            return redirect(*back)
    return render(
        request,
        "monitoring/visit_form.html",
        {"form": form, "case": case, "back": back, "household": cases.household_of(case)},
    )


@login_required
def monitored_detail(request, public_id):
    monitored = access_monitored(request.user, public_id)
    today = timezone.localdate()
    proposal = cases.open_elimination(monitored)
    can_plan = can(request.user, Action.MEASURE_MANAGE, monitored)
    can_propose = (
        proposal is None
        and monitored.stage == "monitored"
        and can(request.user, Action.ELIMINATION_PROPOSE, monitored)
    )
    return render(
        request,
        "monitoring/monitored.html",
        {
            "monitored": monitored,
            "household": monitored.household,
            "measures": monitored.measures.select_related("need"),
            "measure_form": MeasureForm(needs=_needs(monitored)) if can_plan else None,
            "statuses": MeasureStatus.choices,
            "can_plan": can_plan,
            "visits": _visits(monitored.household.monitoring_visits.all()),
            "proposal": proposal,
            "elimination": _case_context(request.user, proposal, today) if proposal else None,
            "past": monitored.eliminations.exclude(status="open"),
            "can_propose": can_propose,
            "refusals": cases.elimination_refusals(monitored, today) if can_propose else [],
            "line": cases.monitoring_line(monitored, today.year),
        },
    )


def _needs(monitored):
    return monitored.household.needs.order_by("-pk")[:50]


@login_required
@require_POST
def measure_add(request, public_id):
    monitored = access_monitored(request.user, public_id)
    form = MeasureForm(request.POST, needs=_needs(monitored))
    if not form.is_valid():
        messages.error(
            request, "; ".join(f"{form.fields[k].label}: {v[0]}" for k, v in form.errors.items())
        )
        return redirect("monitoring:monitored", monitored.public_id)
    data = form.cleaned_data

    def step():
        return cases.measure_add(
            by=request.user,
            monitored=monitored,
            kind=data["kind"],
            description=data["description"],
            responsible=data["responsible"],
            due=data["due"],
            need=form.needs.get(data["need"]),
        )

    if attempt(request, step, refused=str(REFUSED)):
        messages.success(request, _("Measure added to the plan."))
    return redirect("monitoring:monitored", monitored.public_id)


@login_required
@require_POST
def measure_status(request, public_id, measure_id):
    monitored = access_monitored(request.user, public_id)
    measure = Measure.objects.filter(pk=measure_id, monitored=monitored).first()
    if measure is None:
        raise Http404("measure")

    def step():
        return cases.measure_update(
            by=request.user, measure=measure, status=request.POST.get("status", "")
        )

    if attempt(request, step, refused=str(REFUSED)):
        messages.success(request, _("Measure updated."))
    return redirect("monitoring:monitored", monitored.public_id)


@login_required
@require_POST
def elimination_propose(request, public_id):
    monitored = access_monitored(request.user, public_id)

    def step():
        return cases.elimination_propose(
            by=request.user, monitored=monitored, on=timezone.localdate()
        )

    if attempt(request, step, refused=str(REFUSED)):
        messages.success(request, _("Risk elimination proposed; it goes through the procedure."))
    return redirect("monitoring:monitored", monitored.public_id)


@login_required
def step_attachment(request, step_id):
    """A step's attachment (the village review's minutes...), for who sees its case."""
    step = Step.objects.select_related("lead", "elimination__monitored").filter(pk=step_id).first()
    if step is None or not step.attachment:
        raise Http404("attachment")
    if step.lead is not None:
        access_lead(request.user, step.lead.public_id)
    else:
        access_monitored(request.user, step.elimination.monitored.public_id)
    return serve_upload(step.attachment)
