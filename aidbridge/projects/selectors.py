"""Read queries on projects, always filtered by the caller's scope; what each target has
raised; and what the public sees of projects (``public_projects``, ``anonymise_projects``)."""

from collections import defaultdict

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from aidbridge.donations.models import Donation, DonationStatus
from aidbridge.needs.models import Need
from aidbridge.policy import households_in_scope, needs_in_scope, projects_in_scope
from aidbridge.projects.models import Milestone, Project, Target, TargetKind
from aidbridge.registry import publicity
from aidbridge.registry.models import Household
from aidbridge.registry.publicity import public_text


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


def received(project: Project) -> dict[int, int]:
    """What each target received in donations, in the target's unit (fen for money), by
    target id. A donation whose ledger entry was reversed does not count."""
    rows = (
        Donation.objects.filter(project=project, status=DonationStatus.RECEIVED)
        .exclude(entry__reversed_by__isnull=False)
        .values_list("target_id", "target__kind")
        .annotate(money=Sum("value"), goods=Sum("quantity"))
        .order_by()
    )
    return {pk: money if kind == TargetKind.MONEY else goods for pk, kind, money, goods in rows}


def targets_with_progress(project: Project) -> list[Target]:
    """The project's targets, each with ``raised`` (pledged) and ``received`` (donations that
    arrived), and their ``percent`` of the target (capped at 100)."""
    pledged, arrived = raised(project), received(project)
    targets = list(project.targets.all())
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
        "region__parent__parent", "initiator", "created_by__region")


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
            needs.values_list("projects", "region")):
        villages[project].add(village)
    people = publicity.people(set().union(*villages.values()))
    for project in projects:
        project.places = publicity.places(project.region)
        project.masked_names, project.masked_numbers = publicity.concerned(
            people, villages[project.pk])
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
