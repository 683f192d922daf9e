"""Read queries on projects, always filtered by the caller's scope, and what each target has
raised."""

from django.db.models import QuerySet, Sum
from django.http import Http404

from aidbridge.donations.selectors import received
from aidbridge.needs.models import Need
from aidbridge.policy import households_in_scope, needs_in_scope, projects_in_scope
from aidbridge.projects.models import Milestone, Project, Target


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
    money), by target id. What arrived is ``donations.selectors.received``."""
    rows = (
        Target.objects.filter(project=project)
        .values("pk")
        .annotate(total=Sum("pledges__amount"))
        .values_list("pk", "total")
    )
    return {pk: total or 0 for pk, total in rows}


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
