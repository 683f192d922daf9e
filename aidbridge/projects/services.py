"""Writers of projects: creating one, linking needs and households, survey notes, targets,
pledges, partners, milestones, and moving a project to its next stage. Each writer checks the
policy, validates everything before writing, and works in one transaction.

The facts the pure cores decide on are read in selectors.py, their words are in wording.py.
"""

import re
import uuid
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, catalogue_text, problem
from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.needs.models import Need
from aidbridge.policy import Action, can, require
from aidbridge.projects import stages
from aidbridge.projects.models import (
    Milestone,
    Partner,
    PartnerRole,
    Project,
    ProjectPledge,
    Stage,
    SurveyNote,
    Target,
    TargetKind,
)
from aidbridge.projects.selectors import stage_facts
from aidbridge.projects.wording import MISSING
from aidbridge.registry.models import Household
from aidbridge.uploads import EVIDENCE, check_upload
from aidbridge.validation import is_whole

MAX_AMOUNT = 10**13  # a hundred billion yuan in fen: far above any project
# Something that looks like a resident ID number (18 characters, the last may be X).
RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def _today() -> date:
    return timezone.localdate()


def _not_closed(project: Project) -> list[dict]:
    return [problem("stage", MISSING["closed"])] if project.stage == Stage.CLOSED else []


def _raise(errors: list[dict]) -> None:
    if errors:
        raise InvalidInput(errors)


def _whole(value, field: str, limit: int = MAX_AMOUNT) -> list[dict]:
    if not is_whole(value) or not 0 < value <= limit:
        return [problem(field, _("must be a whole number above zero"))]
    return []


def _past_date(value, field: str, *, required: bool = True) -> list[dict]:
    if value is None and not required:
        return []
    if not isinstance(value, date):
        return [problem(field, _("is not a date"))]
    if value > _today():
        return [problem(field, _("is in the future"))]
    return []


def _title(value, field: str = "title") -> list[dict]:
    value = (value or "").strip()
    if not value:
        return [problem(field, _("is empty"))]
    if len(value) > 120:
        return [problem(field, _("must be at most 120 characters"))]
    return []


# Projects -------------------------------------------------------------------------------------


def project_create(
    *, by, region, title: str, summary: str = "", initiator: Organization | None = None
) -> Project:
    """Start a project in its first stage. Helpers' staff start it for their own helper;
    officers for their region office, or record the helper that initiated it."""
    require(by, Action.PROJECT_CREATE, region)
    if not can(by, Action.PROJECT_RECORD_INITIATOR):
        initiator = by.organization
    errors = _title(title)
    if initiator is not None and initiator.kind == OrganizationKind.INDIVIDUAL:
        errors.append(problem("initiator", _("an individual donor cannot initiate a project")))
    _raise(errors)
    return Project.objects.create(
        title=title.strip(),
        summary=summary.strip(),
        region=region,
        region_path=region.path,
        initiator=initiator,
        created_by=by,
    )


def _resolve(by, project: Project, needs, households) -> tuple[list[Need], list[Household]]:
    """The needs (by public id) and households (by number) to link or unlink, each in the
    project's area and visible to ``by``, a manager of the open project; errors name the list
    and the index."""
    require(by, Action.PROJECT_MANAGE, project)
    _raise(_not_closed(project))
    errors, found_needs, found_households = [], [], []
    for row, public_id in enumerate(needs):
        need = Need.objects.filter(public_id=_uuid(public_id)).first()
        if need is None or not can(by, Action.NEED_VIEW, need):
            errors.append(problem("needs", _("no such need in your view"), row))
        elif not need.region_path.startswith(project.region_path):
            errors.append(problem("needs", _("the need lies outside the project's region"), row))
        else:
            found_needs.append(need)
    for row, number in enumerate(households):
        household = Household.objects.filter(number=str(number).strip()).first()
        if household is None or not can(by, Action.HOUSEHOLD_VIEW, household):
            errors.append(problem("households", _("no such household in your view"), row))
        elif not household.region_path.startswith(project.region_path):
            errors.append(
                problem("households", _("the household lives outside the project's region"), row)
            )
        else:
            found_households.append(household)
    _raise(errors)
    return found_needs, found_households


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def project_link(*, by, project: Project, needs=(), households=()) -> Project:
    """Link needs (public ids) and households (numbers) the project mines."""
    found_needs, found_households = _resolve(by, project, needs, households)
    with transaction.atomic():
        project.needs.add(*found_needs)
        project.households.add(*found_households)
    return project


def project_unlink(*, by, project: Project, needs=(), households=()) -> Project:
    """Take needs (public ids) and households (numbers) off the project."""
    found_needs, found_households = _resolve(by, project, needs, households)
    with transaction.atomic():
        project.needs.remove(*found_needs)
        project.households.remove(*found_households)
    return project


def note_add(*, by, project: Project, text: str, on: date | None = None) -> SurveyNote:
    """Record what a survey or visit found; the text names no one and holds no ID number."""
    require(by, Action.PROJECT_MANAGE, project)
    on = on or _today()
    text = (text or "").strip()
    errors = _not_closed(project) + _past_date(on, "on")
    if not text:
        errors.append(problem("text", _("is empty")))
    elif RESIDENT_ID.search(text):
        errors.append(problem("text", _("holds what looks like an ID number: leave it out")))
    _raise(errors)
    return SurveyNote.objects.create(project=project, text=text, on=on, by=by)


def target_add(
    *, by, project: Project, label: str, kind: str, amount: int, unit: str = ""
) -> Target:
    """Set what the project raises: money (``amount`` in fen) or a material (a quantity of
    ``unit``)."""
    require(by, Action.PROJECT_MANAGE, project)
    unit = (unit or "").strip()
    errors = _not_closed(project) + _title(label, "label") + _whole(amount, "amount")
    if kind not in TargetKind.values:
        errors.append(problem("kind", _("choose money or material")))
    elif kind == TargetKind.MATERIAL and not 0 < len(unit) <= 20:
        errors.append(problem("unit", _("name the unit of the material (at most 20 characters)")))
    _raise(errors)
    return Target.objects.create(
        project=project,
        label=label.strip(),
        kind=kind,
        amount=amount,
        unit=unit if kind == TargetKind.MATERIAL else "",
    )


def pledge_add(
    *,
    by,
    target: Target,
    helper: Organization,
    amount: int,
    pledged_on: date | None = None,
    note: str = "",
) -> ProjectPledge:
    """Record a helper's promise towards a target. The project's managers record any helper's
    pledge; other staff pledge for their own helper."""
    project = target.project
    require(by, Action.PROJECT_PLEDGE, project)
    pledged_on = pledged_on or _today()
    errors = _not_closed(project) + _whole(amount, "amount") + _past_date(pledged_on, "pledged_on")
    if helper is None:
        errors.append(problem("helper", _("choose the helper who pledges")))
    elif not can(by, Action.PROJECT_MANAGE, project) and helper.pk != by.organization_id:
        errors.append(problem("helper", _("you pledge for your own helper only")))
    _raise(errors)
    return ProjectPledge.objects.create(
        target=target,
        helper=helper,
        amount=amount,
        pledged_on=pledged_on,
        note=(note or "").strip(),
        created_by=by,
    )


def partner_add(
    *,
    by,
    project: Project,
    role: str,
    since: date | None = None,
    helper: Organization | None = None,
    name: str = "",
    agreement_reference: str = "",
    agreement_on: date | None = None,
    until: date | None = None,
) -> Partner:
    """Add who takes part in the execution: a helper or someone named, in a role, with the
    signed agreement (reference and date) if there is one."""
    require(by, Action.PROJECT_MANAGE, project)
    name, reference = (name or "").strip(), (agreement_reference or "").strip()
    since = since or _today()
    errors = _not_closed(project)
    if (helper is None) == (not name):
        errors.append(problem("name", _("choose a helper or write a name, not both")))
    elif len(name) > 200:
        errors.append(problem("name", _("must be at most 200 characters")))
    if role not in PartnerRole.values:
        errors.append(problem("role", _("choose one of the roles")))
    elif helper is not None and (helper.kind == OrganizationKind.GOVERNMENT) != (
        role == PartnerRole.GOVERNMENT
    ):
        errors.append(
            problem(
                "role",
                _("a government unit takes part as government, and only a government unit does"),
            )
        )
    if bool(reference) != (agreement_on is not None):
        errors.append(
            problem(
                "agreement_reference",
                _("give both the agreement's reference and the date it was signed"),
            )
        )
    elif len(reference) > 100:
        errors.append(problem("agreement_reference", _("must be at most 100 characters")))
    errors += _past_date(agreement_on, "agreement_on", required=False)
    if not isinstance(since, date):
        errors.append(problem("since", _("is not a date")))
    elif until is not None and until < since:
        errors.append(problem("until", _("is before the start")))
    _raise(errors)
    return Partner.objects.create(
        project=project,
        helper=helper,
        name=name,
        role=role,
        agreement_reference=reference,
        agreement_on=agreement_on,
        since=since,
        until=until,
    )


def milestone_add(*, by, project: Project, title: str, due: date, note: str = "") -> Milestone:
    require(by, Action.PROJECT_MANAGE, project)
    errors = _not_closed(project) + _title(title)
    if not isinstance(due, date):
        errors.append(problem("due", _("is not a date")))
    _raise(errors)
    return Milestone.objects.create(
        project=project, title=title.strip(), due=due, note=(note or "").strip()
    )


def milestone_done(
    *, by, milestone: Milestone, evidence, done_on: date | None = None, note: str = ""
) -> Milestone:
    """Record that a milestone is reached, with evidence (a photo or document)."""
    project = milestone.project
    require(by, Action.PROJECT_MANAGE, project)
    done_on = done_on or _today()
    errors = _not_closed(project) + _past_date(done_on, "done_on")
    if milestone.done_on is not None:
        errors.append(problem("done_on", _("this milestone is done already")))
    if not evidence:
        errors.append(problem("evidence", _("attach a photo or document as evidence")))
    _raise(errors)
    evidence = check_upload(evidence, field="evidence", label=_("Evidence"), accept=EVIDENCE)
    milestone.done_on, milestone.evidence = done_on, evidence
    if (note or "").strip():
        milestone.note = note.strip()
    milestone.save()
    return milestone


# Stages ---------------------------------------------------------------------------------------


def project_advance(*, by, project: Project, override_reason: str = "") -> Project:
    """Move the project to its next stage. From raising to execution, targets the pledges do
    not cover need ``override_reason``, which is kept."""
    require(by, Action.PROJECT_MANAGE, project)
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        facts = stage_facts(project, override=bool(override_reason))
        try:
            stage = stages.advance(facts)
        except stages.Refused as exc:
            raise InvalidInput(
                [
                    problem("stage", catalogue_text(MISSING, code, params))
                    for code, params in exc.missing
                ]
            ) from None
        if stage == Stage.EXECUTING and facts.uncovered:
            project.override_reason = override_reason
        date_field = {
            Stage.RAISING: "raising_since",
            Stage.EXECUTING: "executing_since",
            Stage.CLOSED: "closed_on",
        }[stage]
        setattr(project, date_field, _today())
        project.stage = stage
        project.save()
    return project
