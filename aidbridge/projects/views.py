"""Pages of projects: the list, starting a project, and its page with the three stages, what
was recorded in each, the derived typology and participation form, and the forms to add to
it and move it on."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aidbridge.audit import history_rows
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.ledger.statement_pages import statement_page
from aidbridge.ledger.statements import project_accounts
from aidbridge.pages import attempt, place_errors
from aidbridge.policy import Action, can
from aidbridge.projects import selectors, services
from aidbridge.projects.forms import (
    DoneForm,
    LinkForm,
    MilestoneForm,
    NoteForm,
    PartnerForm,
    PledgeForm,
    ProjectForm,
    TargetForm,
    UnlinkForm,
)
from aidbridge.projects.models import Stage
from aidbridge.regions.selectors import access_region, region_by_code
from aidbridge.uploads import serve_upload

FILTERS = ("q", "region", "stage")
REFUSED = gettext_lazy("Your role may not change this project.")


@login_required
def project_list(request):
    user = request.user
    if not can(user, Action.PROJECTS_BROWSE):
        raise Http404("projects")
    params = {k: request.GET.get(k, "").strip() for k in FILTERS}
    region = access_region(user, params["region"]) if params["region"] else None
    projects = selectors.project_search(user, region=region, stage=params["stage"], q=params["q"])
    page = Paginator(projects, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/list.html",
        {
            "page": page,
            "params": params,
            "stages": Stage.choices,
            "query": urlencode({k: v for k, v in params.items() if v}),
            "can_start": can(user, Action.PROJECT_CREATE, user.region),
        },
    )


@login_required
def project_new(request):
    user = request.user
    if not can(user, Action.PROJECT_CREATE, user.region):
        raise Http404("projects")
    form = ProjectForm(
        request.POST or None, initial={"region": user.region.code if user.region else ""}
    )
    if not can(user, Action.PROJECT_RECORD_INITIATOR):
        del form.fields["initiator"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = region_by_code(data["region"].strip(), message=_("No region has this code."))
            project = services.project_create(
                by=user,
                region=region,
                title=data["title"],
                summary=data["summary"],
                initiator=data.get("initiator"),
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        except NotAllowed:
            form.add_error("region", _("This region is outside your area."))
        else:
            messages.success(
                request,
                _("Project started. Link the needs it serves and write what the survey found."),
            )
            return redirect(project)
    return render(request, "projects/new.html", {"form": form})


def _stage_line(project) -> list[dict]:
    """The stages in order, each with the date it began and whether it is done, current or
    ahead."""
    dates = [
        timezone.localdate(project.created_at),
        project.raising_since,
        project.executing_since,
        project.closed_on,
    ]
    current = Stage.values.index(project.stage)
    return [
        {
            "value": value,
            "label": label,
            "since": since,
            "state": "done" if n < current else "current" if n == current else "ahead",
        }
        for n, ((value, label), since) in enumerate(zip(Stage.choices, dates, strict=True))
    ]


@login_required
def project_detail(request, public_id):
    user = request.user
    project = selectors.access_project(user, public_id)
    manager = can(user, Action.PROJECT_MANAGE, project)
    is_open = project.stage != Stage.CLOSED
    detail = selectors.project_detail(user, project)
    targets, milestones = detail.targets, detail.milestones
    context = {
        "project": project,
        "manage": manager and is_open,
        "stage_line": _stage_line(project),
        "initiator": detail.initiator_name,
        "initiator_kind": detail.initiator_kind,
        "typology": detail.typology,
        "participation": detail.participation_form,
        "needs": detail.needs,
        "hidden_needs": detail.needs_linked - len(detail.needs),
        "households": detail.households,
        "hidden_households": detail.households_linked - len(detail.households),
        "notes": detail.notes,
        "targets": targets,
        "pledges": detail.pledges,
        "partners": detail.partners,
        "milestones": milestones,
        "figures": detail.figures,
        "figures_query": urlencode({"project": project.public_id}),
        "history": history_rows(project, **selectors.project_history_parts(project))
        if can(user, Action.PROJECT_HISTORY, project)
        else None,
        "preview": selectors.project_preview(project) if manager else None,
        "spending": can(user, Action.SPENDING_VIEW, project),
        "statement": can(user, Action.PROJECT_STATEMENT, project),
    }
    if is_open and targets and can(user, Action.PROJECT_PLEDGE, project):
        context["pledge_form"] = PledgeForm(
            targets=targets,
            own_helper=not manager,
            auto_id="id_pledge_%s",
            initial={"pledged_on": timezone.localdate()},
        )
    if manager and is_open:
        context |= _manager_forms(user, project, detail)
    return render(request, "projects/detail.html", context)


def _manager_forms(user, project, detail) -> dict:
    """What a manager sees to add to the project and move it on; each form with ids of its
    own, as several share field names."""
    today = timezone.localdate()
    link_form = LinkForm(needs=selectors.need_candidates(user, project)[:200], auto_id="id_link_%s")
    if not can(user, Action.REGISTRY_BROWSE):  # helpers' staff see no households
        del link_form.fields["households"]
    for milestone in detail.milestones:
        milestone.done_form = DoneForm(auto_id=f"id_m{milestone.pk}_%s", initial={"done_on": today})
    return {
        "missing": detail.missing,
        "uncovered": project.stage == Stage.RAISING
        and any(t.raised < t.amount for t in detail.targets),
        "link_form": link_form,
        "note_form": NoteForm(auto_id="id_note_%s", initial={"on": today}),
        "target_form": TargetForm(auto_id="id_target_%s"),
        "partner_form": PartnerForm(auto_id="id_partner_%s", initial={"since": today}),
        "milestone_form": MilestoneForm(auto_id="id_milestone_%s"),
    }


def _link(request, project):
    form = LinkForm(request.POST, needs=selectors.need_candidates(request.user, project))
    return form, lambda d: services.project_link(
        by=request.user, project=project, needs=d["needs"], households=d["households"]
    )


def _unlink(request, project):
    return UnlinkForm(request.POST), lambda d: services.project_unlink(
        by=request.user,
        project=project,
        needs=[d["need"]] if d["need"] else [],
        households=[d["household"]] if d["household"] else [],
    )


def _note(request, project):
    return NoteForm(request.POST), lambda d: services.note_add(
        by=request.user, project=project, **d
    )


def _target(request, project):
    return TargetForm(request.POST), lambda d: services.target_add(
        by=request.user, project=project, **d
    )


def _pledge(request, project):
    own = not can(request.user, Action.PROJECT_MANAGE, project)
    form = PledgeForm(request.POST, targets=project.targets.all(), own_helper=own)
    return form, lambda d: services.pledge_add(
        by=request.user, **{"helper": request.user.organization} | d
    )


def _partner(request, project):
    return PartnerForm(request.POST), lambda d: services.partner_add(
        by=request.user, project=project, **d
    )


def _milestone(request, project):
    return MilestoneForm(request.POST), lambda d: services.milestone_add(
        by=request.user, project=project, **d
    )


PARTS = {
    "link": (_link, gettext_lazy("Linked.")),
    "unlink": (_unlink, gettext_lazy("Taken off the project.")),
    "notes": (_note, gettext_lazy("Survey note saved.")),
    "targets": (_target, gettext_lazy("Target saved.")),
    "pledges": (_pledge, gettext_lazy("Pledge recorded.")),
    "partners": (_partner, gettext_lazy("Partner added.")),
    "milestones": (_milestone, gettext_lazy("Milestone added.")),
}


def _form_errors(form) -> str:
    return "; ".join(
        f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
        for f, e in form.errors.items()
    )


@login_required
@require_POST
def project_add(request, public_id, part):
    """Add to a project: links, survey notes, targets, pledges, partners, milestones."""
    project = selectors.access_project(request.user, public_id)
    if part not in PARTS:
        raise Http404("part")
    make, done = PARTS[part]
    form, step = make(request, project)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    elif attempt(request, lambda: step(form.cleaned_data), refused=str(REFUSED)) is not None:
        messages.success(request, done)
    return redirect(project)


@login_required
@require_POST
def project_advance(request, public_id):
    project = selectors.access_project(request.user, public_id)
    done = attempt(
        request,
        lambda: services.project_advance(
            by=request.user, project=project, override_reason=request.POST.get("reason", "")
        ),
        refused=str(REFUSED),
    )
    if done is not None:
        messages.success(
            request,
            _("The project is now in the stage “%(stage)s”.") % {"stage": done.get_stage_display()},
        )
    return redirect(project)


@login_required
@require_POST
def milestone_done(request, public_id):
    milestone = selectors.access_milestone(request.user, public_id)
    form = DoneForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    elif (
        attempt(
            request,
            lambda: services.milestone_done(
                by=request.user, milestone=milestone, **form.cleaned_data
            ),
            refused=str(REFUSED),
        )
        is not None
    ):
        messages.success(request, _("Milestone done."))
    return redirect(milestone.project)


@login_required
def milestone_evidence(request, public_id):
    milestone = selectors.access_milestone(request.user, public_id)
    if not milestone.evidence:
        raise Http404("evidence")
    return serve_upload(milestone.evidence)


@login_required
def project_statement(request, public_id):
    """The project's statement for a period, as a page or XLSX/CSV (ledger.statement_pages)."""
    project = selectors.access_project(request.user, public_id)
    if not can(request.user, Action.PROJECT_STATEMENT, project):
        raise Http404("statement")
    return statement_page(
        request,
        accounts=project_accounts(project),
        title=project.title,
        back=project.get_absolute_url(),
        file_stem=f"project-{project.public_id}",
    )
