"""The projects API: projects in three stages, what is recorded in each, moving a project on,
and its derived typology and participation form with their reasons.

Who sees what (aidbridge.policy): region users the projects of their area; helpers' staff the
projects their helper initiated, partners in or pledged to. Linked households show as numbers
only to those who may see the household; others get the count. Money is integer fen;
materials a whole quantity of the target's unit."""

from datetime import date, datetime
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.audit import history_json
from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import Organization
from aidbridge.ledger.api import STATEMENT_HELP, StatementOut
from aidbridge.ledger.statements import period_parse, project_accounts, statement
from aidbridge.policy import Action, require
from aidbridge.projects import selectors, services
from aidbridge.regions.selectors import region_by_code
from aidbridge.schemas import HistoryOut, Pages

router = Router(tags=["projects"])
UNITS = "Fen for money, else the quantity in the target's unit"


class ReasonOut(Schema):
    code: str
    params: dict
    text: str


class DerivedOut(Schema):
    value: str
    label: str
    reasons: list[ReasonOut]

    @staticmethod
    def resolve_reasons(obj) -> list[dict]:
        return [{"code": c, "params": p, "text": t} for c, p, t in obj.reasons]


class NoteOut(Schema):
    text: str
    on: date
    by: str

    @staticmethod
    def resolve_by(obj) -> str:
        return str(obj.by)


class TargetOut(Schema):
    id: UUID = Field(alias="public_id")
    label: str
    kind: str = Field(description="money or material")
    amount: int = Field(description=UNITS)
    unit: str
    raised: int = Field(description="Pledged so far, in the same unit")
    received: int = Field(description="Donations that arrived, in the same unit (the ledger)")


class PledgeOut(Schema):
    id: UUID = Field(alias="public_id")
    target_id: UUID = Field(alias="target.public_id")
    helper_code: str = Field(alias="helper.code")
    helper_name: str
    amount: int = Field(description=UNITS)
    pledged_on: date
    note: str

    @staticmethod
    def resolve_helper_name(obj) -> str:
        return str(obj.helper)


class PartnerOut(Schema):
    id: UUID = Field(alias="public_id")
    helper_code: str | None = Field(None, alias="helper.code")
    name: str = Field(alias="display_name")
    role: str
    agreement_reference: str
    agreement_on: date | None
    since: date
    until: date | None


class MilestoneOut(Schema):
    id: UUID = Field(alias="public_id")
    title: str
    due: date
    done_on: date | None
    has_evidence: bool
    note: str

    @staticmethod
    def resolve_has_evidence(obj) -> bool:
        return bool(obj.evidence)


class ProjectOut(Schema):
    id: UUID = Field(alias="public_id")
    title: str
    region_code: str = Field(alias="region.code")
    region_name: str = Field(alias="region.name")
    stage: str = Field(description="mining, raising, executing or closed")
    initiator_code: str | None = Field(
        None, alias="initiator.code", description="Empty: the region office that created it"
    )
    initiator_kind: str = Field(description="government or organization, from the records")
    created_at: datetime
    raising_since: date | None
    executing_since: date | None
    closed_on: date | None

    @staticmethod
    def resolve_initiator_kind(obj) -> str:
        return selectors.initiator_kind(obj)


class ProjectAccountsOut(Schema):
    """Its public accounts (ledger/figures.py), in fen, as the portal shows them."""

    raised_fen: int = Field(alias="raised", description="Money that came in, less refunds")
    spent_fen: int = Field(alias="spent", description="Paid to households, needs, outside")
    passed_on_fen: int = Field(alias="passed_on", description="Transferred to other accounts")
    lent_fen: int = Field(alias="lent", description="Loans paid out, less repayments")
    held_fen: int = Field(alias="held", description="What is left: the money balance")


class ProjectDetailOut(ProjectOut):
    summary: str
    initiator_name: str
    override_reason: str = Field(description="Why it executes without full pledges, if so")
    needs: list[UUID] = Field(description="Ids of the linked needs you may see")
    needs_linked: int
    households: list[str] = Field(description="Numbers of the linked households you may see")
    households_linked: int
    notes: list[NoteOut]
    targets: list[TargetOut]
    pledges: list[PledgeOut]
    partners: list[PartnerOut]
    milestones: list[MilestoneOut]
    missing: list[str] = Field(description="What the project lacks to move to its next stage")
    accounts: ProjectAccountsOut = Field(alias="figures", description="Its public accounts")
    typology: DerivedOut = Field(
        description="Who initiated it (government or organization) x how far government and "
        "organization are institutionally integrated in it"
    )
    participation_form: DerivedOut = Field(
        description="How government, organizations, enterprises and beneficiaries take part, "
        "or undetermined"
    )

    @staticmethod
    def resolve_needs(obj) -> list[UUID]:
        return [n.public_id for n in obj.needs]

    @staticmethod
    def resolve_households(obj) -> list[str]:
        return [h.number for h in obj.households]


def _detail(request, project) -> selectors.ProjectDetail:
    """What ProjectDetailOut shows of the project, as the caller may see it."""
    return selectors.project_detail(request.auth, project)


class ProjectIn(Schema):
    title: str
    summary: str = ""
    region: str = Field(description="Code of the region the project serves")
    initiator: str | None = Field(
        None, description="Code of the initiating helper; officers only (staff: their own helper)"
    )


class LinksIn(Schema):
    needs: list[str] = Field([], description="Need ids")
    households: list[str] = Field([], description="Household numbers")


class NoteIn(Schema):
    text: str = Field(description="What the survey found; no names or ID numbers")
    on: date | None = Field(None, description="Default: today")


class TargetIn(Schema):
    label: str
    kind: str = Field(description="money or material")
    amount: int = Field(description=UNITS)
    unit: str = Field("", description="For a material")


class PledgeIn(Schema):
    target: UUID
    helper: str | None = Field(None, description="Code of the pledging helper; default: yours")
    amount: int = Field(description=UNITS)
    pledged_on: date | None = Field(None, description="Default: today")
    note: str = ""


class PartnerIn(Schema):
    role: str = Field(
        description="government, enterprise, expert, social_worker, beneficiary or organization"
    )
    helper: str | None = Field(None, description="Code of the helper, or give a name")
    name: str = ""
    agreement_reference: str = ""
    agreement_on: date | None = None
    since: date | None = Field(None, description="Default: today")
    until: date | None = None


class MilestoneIn(Schema):
    title: str
    due: date
    note: str = ""


class AdvanceIn(Schema):
    override_reason: str = Field(
        "",
        description="From raising to execution: why the project "
        "goes ahead although pledges do not cover "
        "every target",
    )


def _helper(code: str | None, field: str) -> Organization | None:
    if not code:
        return None
    helper = Organization.objects.filter(code=code).first()
    if helper is None:
        raise InvalidInput([problem(field, _("no such helper"))])
    return helper


@router.get(
    "",
    response=list[ProjectOut],
    summary="Projects you may see",
    description="`region` keeps projects in or below it; `q` searches titles.",
)
@paginate(Pages, page_size=50)
def list_projects(request, region: str = "", stage: str = "", q: str = ""):
    area = None
    if region:
        area = region_by_code(region)
    return selectors.project_search(request.auth, region=area, stage=stage, q=q)


@router.post(
    "",
    response={201: ProjectDetailOut},
    summary="Start a project",
    description="Registrars (clerk, township, county) for their area, and staff of a "
    "verified helper for their helper.",
)
def create_project(request, data: ProjectIn):
    region = region_by_code(data.region)
    project = services.project_create(
        by=request.auth,
        region=region,
        title=data.title,
        summary=data.summary,
        initiator=_helper(data.initiator, "initiator"),
    )
    return Status(201, _detail(request, project))


@router.get(
    "/{uuid:project_id}",
    response=ProjectDetailOut,
    summary="One project",
    description="With what each stage recorded, what is missing to move on, and the "
    "derived typology and participation form with their reasons.",
)
def get_project(request, project_id: UUID):
    return _detail(request, selectors.access_project(request.auth, project_id))


@router.post(
    "/{uuid:project_id}/links",
    response=ProjectDetailOut,
    summary="Link needs and households",
    description="The project's managers; needs and households of its area that you "
    "may see. Errors name the list and the index.",
)
def link(request, project_id: UUID, data: LinksIn):
    project = services.project_link(
        by=request.auth,
        project=selectors.access_project(request.auth, project_id),
        needs=data.needs,
        households=data.households,
    )
    return _detail(request, project)


@router.post(
    "/{uuid:project_id}/unlink",
    response=ProjectDetailOut,
    summary="Take needs and households off the project",
)
def unlink(request, project_id: UUID, data: LinksIn):
    project = services.project_unlink(
        by=request.auth,
        project=selectors.access_project(request.auth, project_id),
        needs=data.needs,
        households=data.households,
    )
    return _detail(request, project)


@router.post("/{uuid:project_id}/notes", response={201: NoteOut}, summary="Write a survey note")
def add_note(request, project_id: UUID, data: NoteIn):
    return Status(
        201,
        services.note_add(
            by=request.auth,
            project=selectors.access_project(request.auth, project_id),
            **data.dict(),
        ),
    )


@router.post("/{uuid:project_id}/targets", response={201: TargetOut}, summary="Set a target")
def add_target(request, project_id: UUID, data: TargetIn):
    target = services.target_add(
        by=request.auth, project=selectors.access_project(request.auth, project_id), **data.dict()
    )
    target.raised = target.received = 0
    return Status(201, target)


@router.post(
    "/{uuid:project_id}/pledges",
    response={201: PledgeOut},
    summary="Record a pledge",
    description="The project's managers for any helper; staff of a verified helper "
    "that sees the project for their own.",
)
def add_pledge(request, project_id: UUID, data: PledgeIn):
    project = selectors.access_project(request.auth, project_id)
    target = project.targets.filter(public_id=data.target).first()
    if target is None:
        raise InvalidInput([problem("target", _("no such target in this project"))])
    helper = _helper(data.helper, "helper") or request.auth.organization
    return Status(
        201,
        services.pledge_add(
            by=request.auth,
            target=target,
            helper=helper,
            amount=data.amount,
            pledged_on=data.pledged_on,
            note=data.note,
        ),
    )


@router.post("/{uuid:project_id}/partners", response={201: PartnerOut}, summary="Add a partner")
def add_partner(request, project_id: UUID, data: PartnerIn):
    project = selectors.access_project(request.auth, project_id)
    return Status(
        201,
        services.partner_add(
            by=request.auth,
            project=project,
            **data.dict(exclude={"helper"}),
            helper=_helper(data.helper, "helper"),
        ),
    )


@router.post(
    "/{uuid:project_id}/milestones",
    response={201: MilestoneOut},
    summary="Add a milestone",
)
def add_milestone(request, project_id: UUID, data: MilestoneIn):
    return Status(
        201,
        services.milestone_add(
            by=request.auth,
            project=selectors.access_project(request.auth, project_id),
            **data.dict(),
        ),
    )


@router.post(
    "/milestones/{uuid:milestone_id}/done",
    response=MilestoneOut,
    summary="Record a milestone done, with evidence",
    description="Multipart: `evidence` (a photo or document), `done_on`, `note`.",
)
def milestone_done(
    request,
    milestone_id: UUID,
    evidence: File[UploadedFile],
    done_on: Form[date | None] = None,
    note: Form[str] = "",
):
    return services.milestone_done(
        by=request.auth,
        milestone=selectors.access_milestone(request.auth, milestone_id),
        evidence=evidence,
        done_on=done_on,
        note=note,
    )


@router.post(
    "/{uuid:project_id}/advance",
    response=ProjectDetailOut,
    summary="Move the project to its next stage",
    description="The project's managers. Refusals list everything still missing.",
)
def advance(request, project_id: UUID, data: AdvanceIn):
    project = services.project_advance(
        by=request.auth,
        project=selectors.access_project(request.auth, project_id),
        override_reason=data.override_reason,
    )
    return _detail(request, project)


@router.get(
    "/{uuid:project_id}/history",
    response=list[HistoryOut],
    summary="Audit history of a project",
    description="For its managers and the roles that read the history of its region.",
)
def project_history(request, project_id: UUID):
    project = selectors.access_project(request.auth, project_id)
    require(request.auth, Action.PROJECT_HISTORY, project)
    return history_json(project, **selectors.project_history_parts(project))


@router.get(
    "/{uuid:project_id}/statement",
    response=StatementOut,
    summary="The project's statement for a period",
    description="For the staff of its initiating and partner helpers and the officers and "
    "auditors of its region. " + STATEMENT_HELP,
)
def project_statement(request, project_id: UUID, period: str = "", start: str = "", end: str = ""):
    project = selectors.access_project(request.auth, project_id)
    require(request.auth, Action.PROJECT_STATEMENT, project)
    found = statement(
        accounts=project_accounts(project),
        period=period_parse(period=period, start=start, end=end),
    )
    return found.as_dict()
