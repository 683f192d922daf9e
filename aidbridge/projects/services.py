"""Writers of projects: creating one, linking needs and households, survey notes, targets,
pledges, partners, milestones, and moving a project to its next stage. Each writer checks the
policy, validates everything before writing, and works in one transaction.

Also here: the facts the pure cores decide on (stages.py, typology.py), gathered from the
records, and the translation of their codes for pages and the API.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.needs.models import Need
from aidbridge.policy import Action, can, require
from aidbridge.projects import stages, typology
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
from aidbridge.projects.selectors import raised
from aidbridge.registry.models import Household
from aidbridge.uploads import EVIDENCE, check_upload

MAX_AMOUNT = 10**13  # a hundred billion yuan in fen: far above any project
# Something that looks like a resident ID number (18 characters, the last may be X).
RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")

MISSING = {
    "closed": gettext_lazy("the project is closed"),
    "no_beneficiary": gettext_lazy("link at least one need or household"),
    "no_survey_note": gettext_lazy("write at least one survey note"),
    "no_target": gettext_lazy("set at least one target"),
    "no_partner": gettext_lazy("add at least one partner"),
    "not_covered": gettext_lazy(
        "pledges do not cover: %(targets)s (or write why the project goes ahead without)"
    ),
    "no_milestone": gettext_lazy("add at least one milestone"),
    "unfinished": gettext_lazy("milestones not done with evidence: %(milestones)s"),
}
REASONS = {
    "initiated_by_government": gettext_lazy("initiated by the government: %(name)s"),
    "initiated_by_organization": gettext_lazy("initiated by an organization: %(name)s"),
    "government_agreement": gettext_lazy(
        "government partner “%(name)s” signed an agreement on %(date)s"
    ),
    "organization_agreement": gettext_lazy(
        "organization partner “%(name)s” signed an agreement on %(date)s"
    ),
    "government_pledge": gettext_lazy("the government pledged funds or services: %(names)s"),
    "no_government_tie": gettext_lazy(
        "no signed agreement across government and organization and no government pledge: "
        "integration is low"
    ),
    "organization_executes": gettext_lazy("organizations share the execution: %(names)s"),
    "no_organization_executes": gettext_lazy(
        "no organization shares the execution: integration is low"
    ),
    "funds_government": gettext_lazy("the government funds: %(names)s"),
    "funds_enterprise": gettext_lazy("enterprises fund: %(names)s"),
    "funds_organization": gettext_lazy("organizations fund: %(names)s"),
    "funds_individual": gettext_lazy("individuals fund: %(names)s"),
    "experts_assist": gettext_lazy("experts assist: %(names)s"),
    "government_coordinates": gettext_lazy("the government coordinates: %(names)s"),
    "beneficiaries_take_part": gettext_lazy("the beneficiaries take part: %(names)s"),
    "missing_pledges": gettext_lazy("missing: no pledge is recorded yet"),
    "missing_organization": gettext_lazy("missing: no organization initiates, partners or funds"),
    "missing_organization_funds": gettext_lazy(
        "missing: an organization's pledge beside the government's"
    ),
    "missing_coordination_or_experts": gettext_lazy(
        "missing: a government partner to coordinate, or an organization's pledge with experts "
        "assisting"
    ),
    "missing_beneficiaries": gettext_lazy("missing: the beneficiaries as partners"),
}
TYPOLOGIES = {
    typology.Typology.ADMINISTRATIVE_PROVIDING: gettext_lazy("Administrative-providing"),
    typology.Typology.ORGANIZATION_PROVIDING: gettext_lazy("Organization-providing"),
    typology.Typology.ADMINISTRATIVE_LED: gettext_lazy("Administrative-led"),
    typology.Typology.ORGANIZATION_DRIVEN: gettext_lazy("Organization-driven"),
}
FORMS = {
    typology.Form.GOV_AND_ORG_INVEST: gettext_lazy(
        "Organization and government invest together, with government support"
    ),
    typology.Form.ENTERPRISE_FUNDED_COORDINATED: gettext_lazy(
        "Funded by enterprises; government and organization coordinate"
    ),
    typology.Form.ORG_ENTERPRISE_WITH_EXPERTS: gettext_lazy(
        "Organization and enterprises fund jointly; experts assist"
    ),
    typology.Form.SELF_FUNDED_WITH_BENEFICIARIES: gettext_lazy(
        "Organization raises its own funds and works with others and the beneficiaries"
    ),
    typology.Form.UNDETERMINED: gettext_lazy("Not yet determined"),
}
# A pledging helper's kind as a funder; foundations, associations, social-work centres,
# chambers, volunteer federations and others fund as organizations.
FUNDERS = {
    OrganizationKind.GOVERNMENT: typology.Funder.GOVERNMENT,
    OrganizationKind.ENTERPRISE: typology.Funder.ENTERPRISE,
    OrganizationKind.INDIVIDUAL: typology.Funder.INDIVIDUAL,
}


def _text(texts: dict, code: str, params: dict) -> str:
    text = str(texts.get(code, code))
    return text % params if "%(" in text else text


def _today() -> date:
    return timezone.localdate()


def _not_closed(project: Project) -> list[dict]:
    return [problem("stage", MISSING["closed"])] if project.stage == Stage.CLOSED else []


def _raise(errors: list[dict]) -> None:
    if errors:
        raise InvalidInput(errors)


def _whole(value, field: str, limit: int = MAX_AMOUNT) -> list[dict]:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= limit:
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
    """The needs (by public id) and households (by number) to link, each in the project's
    area and visible to ``by``; errors name the list and the index."""
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
    require(by, Action.PROJECT_MANAGE, project)
    _raise(_not_closed(project))
    found_needs, found_households = _resolve(by, project, needs, households)
    with transaction.atomic():
        project.needs.add(*found_needs)
        project.households.add(*found_households)
    return project


def project_unlink(*, by, project: Project, needs=(), households=()) -> Project:
    """Take needs (public ids) and households (numbers) off the project."""
    require(by, Action.PROJECT_MANAGE, project)
    _raise(_not_closed(project))
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
    return [_text(MISSING, code, params) for code, params in stages.missing(stage_facts(project))]


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
                [problem("stage", _text(MISSING, code, params)) for code, params in exc.missing]
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
        reasons=[(code, params, _text(REASONS, code, params)) for code, params in derived.reasons],
    )


def derive(project: Project) -> tuple[Explained, Explained]:
    """The project's typology (seed 002) and participation form (seed 000), explained."""
    facts = typology_facts(project)
    return (
        _explain(typology.typology(facts), TYPOLOGIES),
        _explain(typology.participation_form(facts), FORMS),
    )
