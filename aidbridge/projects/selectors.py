"""Read queries on projects, always filtered by the caller's scope: what each target has
raised, the facts the pure cores (stages.py, typology.py) decide on, one project's detail as
the page and the API show it, and what the public sees of projects (``public_projects``,
``anonymise_projects``)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from aidbridge.audit import Part
from aidbridge.errors import catalogue_text
from aidbridge.helpers.models import OrganizationKind
from aidbridge.ledger.figures import Figures, figures
from aidbridge.ledger.models import Account
from aidbridge.needs.models import Need
from aidbridge.policy import households_in_scope, needs_in_scope, projects_in_scope
from aidbridge.projects import stages, typology
from aidbridge.projects.models import (
    Milestone,
    Partner,
    Project,
    ProjectPledge,
    SurveyNote,
    Target,
    TargetKind,
)
from aidbridge.projects.wording import FORMS, MISSING, REASONS, TYPOLOGIES
from aidbridge.registry import publicity
from aidbridge.registry.models import Household
from aidbridge.registry.publicity import public_text

# A pledging helper's kind as a funder; foundations, associations, social-work centres,
# chambers, volunteer federations and others fund as organizations.
FUNDERS = {
    OrganizationKind.GOVERNMENT: typology.Funder.GOVERNMENT,
    OrganizationKind.ENTERPRISE: typology.Funder.ENTERPRISE,
    OrganizationKind.INDIVIDUAL: typology.Funder.INDIVIDUAL,
}


def project_search(user, *, region=None, stage: str = "", q: str = "") -> QuerySet:
    """Projects the user may see, narrowed by region (in or below), stage and words in the
    title."""
    projects = projects_in_scope(
        user, Project.objects.select_related("region", "region__parent", "initiator")
    )
    if region is not None:
        projects = projects.filter(region_path__startswith=region.path)
    if stage:
        projects = projects.filter(stage=stage)
    if q.strip():
        projects = projects.filter(title__icontains=q.strip())
    return projects


def access_project(user, public_id) -> Project:
    """Fetch a project the user may see, or raise Http404."""
    project = (
        project_search(user)
        .select_related("created_by__region")
        .filter(public_id=public_id)
        .first()
    )
    if project is None:
        raise Http404("project")
    return project


def access_milestone(user, public_id) -> Milestone:
    milestone = Milestone.objects.filter(
        public_id=public_id, project__in=project_search(user)
    ).first()
    if milestone is None:
        raise Http404("milestone")
    return milestone


def project_history_parts(project: Project) -> dict:
    """What ``audit.history_rows`` shows of a project: its own changes (with the needs and
    households it links) and those of its targets, pledges, partners, milestones and notes."""
    mine = {"project_id": project.pk}
    return {
        "parts": [
            Part(Target.history.filter(**mine), name=lambda h: h.label, created=("kind",)),
            Part(
                ProjectPledge.history.filter(
                    target_id__in=Target.objects.filter(**mine).values("pk")
                ).select_related("helper", "created_by"),
                name=lambda h: h.helper,
                created=("pledged_on",),
                who=lambda h: h.created_by,
            ),
            Part(
                Partner.history.filter(**mine).select_related("helper"),
                name=lambda h: h.name or h.helper,
                created=("role", "since", "until"),
            ),
            Part(
                Milestone.history.filter(**mine),
                name=lambda h: h.title,
                created=("due",),
                hidden=frozenset({"evidence"}),  # a file's path says nothing to a reader
            ),
            Part(
                SurveyNote.history.filter(**mine).select_related("by"),
                name=lambda h: h.on,
                created=("text",),
                who=lambda h: h.by,
            ),
        ]
    }


def raised(project: Project) -> dict[int, int]:
    """What helpers pledged to each target of the project, in the target's unit (fen for
    money), by target id. What arrived is ``received``."""
    rows = (
        Target.objects.filter(project=project)
        .values("pk")
        .annotate(total=Sum("pledges__amount"))
        .values_list("pk", "total")
    )
    return {pk: total or 0 for pk, total in rows}


# What arrived for a project's targets is counted by the apps that record arrivals, which sit
# above projects (donations today); each registers a counter with ``count_arrivals``.
_arrival_counters: list[Callable[[Project], dict[int, int]]] = []


def count_arrivals(counter: Callable[[Project], dict[int, int]]) -> None:
    """Register ``counter(project) -> {target id: amount}`` (called from an app's ``ready``)."""
    if counter not in _arrival_counters:
        _arrival_counters.append(counter)


def received(project: Project) -> dict[int, int]:
    """What arrived for each target, in the target's unit (fen for money), by target id: the
    sum of every registered counter."""
    totals: dict[int, int] = defaultdict(int)
    for counter in _arrival_counters:
        for pk, amount in counter(project).items():
            totals[pk] += amount
    return dict(totals)


def project_figures(project: Project) -> Figures:
    """The project's public accounts (ledger/figures.py): the figures every page, the API
    and the open data show for it."""
    return figures(Account.objects.filter(project=project))


def targets_with_progress(project: Project) -> list[Target]:
    """The project's targets, each with ``raised`` (pledged) and ``received`` (donations that
    arrived; for the only money target of a project, all the money the project raised, its
    public accounts' figure), and their ``percent`` of the target (capped at 100)."""
    pledged, arrived = raised(project), received(project)
    targets = list(project.targets.all())
    money = [t for t in targets if t.kind == TargetKind.MONEY]
    if len(money) == 1:  # all the project's money is for it, as its public accounts say
        arrived[money[0].pk] = project_figures(project).raised
    for target in targets:
        target.raised = pledged.get(target.pk, 0)
        target.percent = min(100, target.raised * 100 // target.amount)
        target.received = arrived.get(target.pk, 0)
        target.received_percent = min(100, target.received * 100 // target.amount)
    return targets


def visible_needs(user, project: Project) -> QuerySet:
    """The linked needs the user may see."""
    return needs_in_scope(user, project.needs.select_related("region", "region__parent"))


def visible_households(user, project: Project) -> QuerySet:
    """The linked households the user may see; others are only counted."""
    return households_in_scope(user, project.households.select_related("village"))


def need_candidates(user, project: Project) -> QuerySet:
    """Needs of the project's area the user may see and could link, newest first."""
    return (
        needs_in_scope(user, Need.objects.filter(region_path__startswith=project.region_path))
        .exclude(projects=project)
        .exclude(status__in=["rejected", "withdrawn", "expired"])
        .select_related("region")
        .order_by("-pk")
    )


def public_projects() -> QuerySet:
    """Every project is public, in every stage. What the public sees of one: title, summary,
    region, stage and its dates, targets and what they raised, the helpers among its partners
    (individuals anonymous, see ``portal.selectors.helper_name``; partners recorded by name
    only, who may be persons, by role alone), milestones' titles and dates, and its money
    flows. Never survey notes, linked households, milestone evidence, notes or who recorded
    anything."""
    return Project.objects.select_related(
        "region__parent__parent", "initiator", "created_by__region"
    )


def anonymise_projects(projects: list[Project]) -> list[Project]:
    """Set the public facts on each project: ``places``, ``masked_names`` and
    ``masked_numbers`` (the registered members and household numbers of the villages it
    concerns: of its households, of its needs, and its own region if a village)
    and ``public_title`` and ``public_summary`` redacted with them."""
    villages = defaultdict(set)
    lowest = publicity.LEVELS[-1]
    for project in projects:
        if project.region.level == lowest:
            villages[project.pk].add(project.region_id)
    pks = [p.pk for p in projects]
    households = Household.objects.filter(projects__in=pks).order_by()
    needs = Need.objects.filter(projects__in=pks).order_by()
    for project, village in households.values_list("projects", "village").union(
        needs.values_list("projects", "region")
    ):
        villages[project].add(village)
    people = publicity.people(set().union(*villages.values()))
    for project in projects:
        project.places = publicity.places(project.region)
        project.masked_names, project.masked_numbers = publicity.concerned(
            people, villages[project.pk]
        )
        project.public_title = public_text(project.title, project)
        project.public_summary = public_text(project.summary, project)
    return projects


def project_preview(project: Project) -> dict:
    """As ``need_preview``, for a project's title, summary, target labels and milestones."""
    anonymise_projects([project])
    texts = [(_("Title"), project.title), (_("Summary"), project.summary)]
    texts += [(_("Target"), t.label) for t in project.targets.all()]
    texts += [(_("Milestone"), m.title) for m in project.milestones.all()]
    return publicity.preview(project, texts)


# The initiator ---------------------------------------------------------------------------------


def initiator_kind(project: Project) -> typology.Initiator:
    """A government unit or a region office (no helper) is the government; any other helper
    an organization."""
    helper = project.initiator
    if helper is None or helper.kind == OrganizationKind.GOVERNMENT:
        return typology.Initiator.GOVERNMENT
    return typology.Initiator.ORGANIZATION


def initiator_name(project: Project) -> str:
    if project.initiator is not None:
        return str(project.initiator)
    office = project.created_by.region or project.region
    return _("%(region)s office") % {"region": office.name}


# Stages ---------------------------------------------------------------------------------------


def stage_facts(project: Project, *, override: bool = False) -> stages.Facts:
    got = raised(project)
    targets = list(project.targets.all())
    milestones = list(project.milestones.all())
    return stages.Facts(
        stage=project.stage,
        needs=project.needs.count(),
        households=project.households.count(),
        survey_notes=project.notes.count(),
        targets=len(targets),
        partners=project.partners.count(),
        uncovered=tuple(t.label for t in targets if got.get(t.pk, 0) < t.amount),
        override=override,
        milestones=len(milestones),
        unfinished=tuple(m.title for m in milestones if not (m.done_on and m.evidence)),
    )


def stage_missing(project: Project) -> list[str]:
    """What the project lacks to move on, in words."""
    return [
        catalogue_text(MISSING, code, params)
        for code, params in stages.missing(stage_facts(project))
    ]


# Typology and participation form ---------------------------------------------------------------


@dataclass(frozen=True)
class Explained:
    """A derived value with its label and its reasons as (code, params, text)."""

    value: str
    label: str
    reasons: list[tuple[str, dict, str]]


def typology_facts(project: Project) -> typology.Facts:
    """The recorded facts of the project, as the typology core takes them: all partners
    (ended ones included) and every pledge's helper kind."""
    partners = tuple(
        typology.Partner(role=p.role, name=p.display_name, agreement_on=p.agreement_on)
        for p in project.partners.select_related("helper")
    )
    pledges = tuple(
        typology.Pledge(
            funder=FUNDERS.get(p.helper.kind, typology.Funder.ORGANIZATION), name=str(p.helper)
        )
        for p in ProjectPledge.objects.filter(target__project=project).select_related("helper")
    )
    return typology.Facts(
        initiator=initiator_kind(project),
        initiator_name=initiator_name(project),
        partners=partners,
        pledges=pledges,
    )


def _explain(derived: typology.Derived, labels: dict) -> Explained:
    return Explained(
        value=derived.value,
        label=str(labels[derived.value]),
        reasons=[
            (code, params, catalogue_text(REASONS, code, params))
            for code, params in derived.reasons
        ],
    )


def derive(project: Project) -> tuple[Explained, Explained]:
    """The project's typology and participation form, explained."""
    facts = typology_facts(project)
    return (
        _explain(typology.typology(facts), TYPOLOGIES),
        _explain(typology.participation_form(facts), FORMS),
    )


# One project in full ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectDetail:
    """One project as the user may see it: the linked needs and households visible to them
    (the others only counted), its records, what it lacks to move on, and its derivations."""

    project: Project
    initiator_name: str
    initiator_kind: str
    needs: list
    needs_linked: int
    households: list
    households_linked: int
    notes: list
    targets: list[Target]
    pledges: list[ProjectPledge]
    partners: list
    milestones: list[Milestone]
    missing: list[str]
    typology: Explained
    participation_form: Explained
    figures: Figures  # its public accounts

    def __getattr__(self, name):
        """The project's own fields (title, stage, region...), as the API's schema reads them."""
        if name == "project":  # not set yet (copying): no delegation
            raise AttributeError(name)
        return getattr(self.project, name)


def project_detail(user, project: Project) -> ProjectDetail:
    """Everything the project's page and the API's detail show, read once."""
    derived_typology, derived_form = derive(project)
    return ProjectDetail(
        project=project,
        initiator_name=initiator_name(project),
        initiator_kind=initiator_kind(project),
        needs=list(visible_needs(user, project)),
        needs_linked=project.needs.count(),
        households=list(visible_households(user, project)),
        households_linked=project.households.count(),
        notes=list(project.notes.select_related("by")),
        targets=targets_with_progress(project),
        pledges=list(
            ProjectPledge.objects.filter(target__project=project).select_related("helper", "target")
        ),
        partners=list(project.partners.select_related("helper")),
        milestones=list(project.milestones.all()),
        missing=stage_missing(project),
        typology=derived_typology,
        participation_form=derived_form,
        figures=project_figures(project),
    )
