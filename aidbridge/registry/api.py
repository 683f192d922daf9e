from datetime import date
from typing import Literal
from uuid import UUID

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.audit import history_json
from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import Organization
from aidbridge.jobs.services import job_start
from aidbridge.policy import Action, can, require, users_in_scope
from aidbridge.regions.models import Region
from aidbridge.regions.selectors import region_by_code
from aidbridge.registry.assessment import assessment_record, explain
from aidbridge.registry.id_search import resident_id_search
from aidbridge.registry.importer import import_upload_check
from aidbridge.registry.models import Health, Labour, Leaving, PovertyCause, Relation, Schooling
from aidbridge.registry.privacy import id_decrypt
from aidbridge.registry.responsible import responsible_helper_assign, responsible_helper_end
from aidbridge.registry.selectors import (
    SEARCH_LIMIT,
    access_household,
    household_history_parts,
    household_search,
    looks_like_resident_id,
    responsible_helpers,
    search_too_broad,
    show_phones,
)
from aidbridge.registry.services import household_edit, household_register
from aidbridge.schemas import HistoryOut, Pages, Patch

router = Router(tags=["households"])


class HouseholdOut(Schema):
    id: UUID
    number: str
    village_code: str
    head_name: str
    size: int
    main_cause: str
    secondary_causes: list[str]
    status: str
    identified_year: int | None
    income_year: int | None
    per_capita_income: int | None

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_village_code(obj) -> str:
        return obj.village.code


class MemberOut(Schema):
    id: int
    name: str
    resident_id: str
    sex: str
    birth_date: date | None = Field(
        description="Only for roles that see full resident IDs; others get birth_year"
    )
    birth_year: int
    relation: str
    labour: str
    health: str | None
    disability_grade: int | None
    schooling: str
    medical_insurance: bool
    left_on: date | None = Field(description="The date the member left the household, if so")
    left_reason: Leaving | None


class ResponsibleHelperOut(Schema):
    id: int
    name: str
    work_unit: str
    phone: str = Field(
        alias="shown_phone", description="In full only for roles that see personal data"
    )
    helper_code: str | None = Field(None, alias="helper.code")
    username: str | None = Field(None, alias="user.username")
    since: date
    until: date | None


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberOut]
    responsible_helpers: list[ResponsibleHelperOut] = Field(description="Current ones first")

    @staticmethod
    def resolve_members(obj) -> list[dict]:
        return obj.member_rows

    @staticmethod
    def resolve_responsible_helpers(obj) -> list:
        return obj.helper_rows


class ResponsibleHelperIn(Schema):
    name: str
    work_unit: str = ""
    phone: str = ""
    helper: str | None = Field(None, description="A registered helper's code")
    user: str | None = Field(None, description="The person's username on this platform")
    since: date


class EndIn(Schema):
    until: date | None = Field(None, description="Default: today")


class MemberIn(Schema):
    name: str
    resident_id: str
    relation: str
    labour: str
    schooling: str
    health: str = "healthy"
    disability_grade: int | None = None
    medical_insurance: bool = True


class MemberPatch(Patch):
    """A member to change (with its ``id``) or, without ``id``, to add."""

    id: int | None = Field(None, description="A present member's id; leave out to add one")
    name: str | None = None
    resident_id: str | None = None
    relation: Relation | None = None
    labour: Labour | None = None
    schooling: Schooling | None = None
    health: Health | None = None
    disability_grade: int | None = None
    medical_insurance: bool | None = None
    left_on: date | None = Field(None, description="The member left the household on this day")
    left_reason: Leaving | None = None


class HouseholdPatch(Patch):
    address: str | None = None
    main_cause: PovertyCause | None = None
    secondary_causes: list[PovertyCause] | None = None
    income_year: int | None = None
    per_capita_income: int | None = None
    members: list[MemberPatch] = Field(
        [],
        description="Members to change or add; members not listed stay as they are. A member "
        "who leaves (died, moved or married out) is given left_on and left_reason: the record "
        "stays.",
    )

    def changes(self) -> dict:
        return {k: v for k, v in super().changes().items() if k != "members"}


class HouseholdIn(Schema):
    number: str
    village_code: str
    main_cause: str
    secondary_causes: list[str] = []
    status: str = "poor"
    address: str = ""
    identified_year: int | None = None
    income_year: int | None = None
    per_capita_income: int | None = None
    members: list[MemberIn]


class AssessmentIn(Schema):
    assessed_on: date
    per_capita_income: int
    indicators: dict[str, bool]


class AssessmentOut(Schema):
    assessed_on: date
    assessed_by: str
    per_capita_income: int
    indicators: dict[str, bool]
    suggested_status: str
    reasons: list[dict]
    explanation: str
    rule: str | None = Field(
        description="The rules used: region code, from year and version (CODE/YEAR/vN); "
        "null for the default rule"
    )

    @staticmethod
    def resolve_rule(obj) -> str | None:
        return f"{obj.rule.region.code}/{obj.rule.year}/v{obj.rule.version}" if obj.rule else None

    @staticmethod
    def resolve_assessed_by(obj) -> str:
        return str(obj.assessed_by)

    @staticmethod
    def resolve_explanation(obj) -> str:
        return explain(obj.reasons)


class IdSearchIn(Schema):
    resident_id: str


class JobRef(Schema):
    job_id: UUID


def _detail(user, household):
    """The household with its members; full IDs, birth dates and health only for roles that
    need them (others get masks and birth years: a mask beside a birth date and a village
    rebuilds the ID)."""
    personal = can(user, Action.HOUSEHOLD_SEE_PERSONAL, household)
    members = [
        {
            "id": m.pk,
            "left_on": m.left_on,
            "left_reason": m.left_reason or None,
            "name": m.name,
            "sex": m.sex,
            "birth_date": m.birth_date if personal else None,
            "birth_year": m.birth_date.year,
            "relation": m.relation,
            "labour": m.labour,
            "schooling": m.schooling,
            "medical_insurance": m.medical_insurance,
            "resident_id": id_decrypt(m.id_cipher) if personal else m.id_masked,
            "health": m.health if personal else None,
            "disability_grade": m.disability_grade if personal else None,
        }
        for m in household.members.all()
    ]
    household.member_rows = members
    household.helper_rows = responsible_helpers(user, household)
    return household


@router.get("", response=list[HouseholdOut], summary="Households in your scope")
@paginate(Pages, page_size=50)
def list_households(
    request,
    region: str | None = None,
    status: str = "",
    cause: str = "",
    band: str = "",
    q: str = "",
):
    area = None
    if region:
        area = Region.objects.filter(code=region).first()
        if area is None or not can(request.auth, Action.REGION_VIEW, area):
            raise InvalidInput([problem("region", _("no such region in your scope"))])
    if looks_like_resident_id(q):
        raise InvalidInput(
            [problem("q", "search resident IDs with POST /households/search, not in a URL")]
        )
    households = household_search(
        request.auth, region=area, status=status, cause=cause, band=band, q=q
    )
    if q.strip() and search_too_broad(households):
        raise InvalidInput(
            [
                problem(
                    "q",
                    _("more than %(n)s households match: search with more characters or filters")
                    % {"n": intcomma(SEARCH_LIMIT)},
                )
            ]
        )
    return households.order_by("region_path", "number")


@router.post(
    "/search",
    response=list[HouseholdOut],
    summary="Find households by resident ID",
    description="Each search is logged (who, when, a keyed digest of the number, how "
    "many households it found) and counts towards a per-user limit "
    "(settings ID_SEARCH_LIMIT per ID_SEARCH_WINDOW seconds): past it, "
    "429 with Retry-After.",
)
def search_by_resident_id(request, data: IdSearchIn):
    if not looks_like_resident_id(data.resident_id.strip()):
        raise InvalidInput(
            [problem("resident_id", _("must be 17 digits followed by a digit or X"))]
        )
    return resident_id_search(by=request.auth, number=data.resident_id.strip())


@router.post("", response={201: HouseholdDetailOut}, summary="Register one household")
def register_household(request, data: HouseholdIn):
    village = region_by_code(data.village_code, field="village_code", message=_("no such village"))
    fields = data.dict(exclude={"members", "village_code"})
    household = household_register(
        by=request.auth, village=village, data=fields, members=[m.dict() for m in data.members]
    )
    return Status(201, _detail(request.auth, household))


@router.get("/{uuid:household_id}", response=HouseholdDetailOut, summary="One household")
def get_household(request, household_id: UUID):
    return _detail(request.auth, access_household(request.auth, household_id))


@router.patch(
    "/{uuid:household_id}",
    response=HouseholdDetailOut,
    summary="Change a household and its members",
    description="Births, members leaving, a new income: the clerk of the village and the "
    "officers above it who register households. The household after the change is checked "
    "as a whole; problems name members[i] by their place in `members`. Every change goes "
    "into the audit history.",
)
def patch_household(request, household_id: UUID, data: HouseholdPatch):
    household = access_household(request.auth, household_id)
    household = household_edit(
        by=request.auth,
        household=household,
        data=data.changes(),
        members=[m.changes() for m in data.members],
    )
    return _detail(request.auth, household)


@router.get(
    "/{uuid:household_id}/history",
    response=list[HistoryOut],
    summary="Audit history of a household",
)
def household_history(request, household_id: UUID):
    household = access_household(request.auth, household_id)
    require(request.auth, Action.HOUSEHOLD_HISTORY, household)
    return history_json(household, **household_history_parts(request.auth, household))


@router.get(
    "/{uuid:household_id}/assessments",
    response=list[AssessmentOut],
    summary="A household's assessments, newest first",
)
def list_assessments(request, household_id: UUID):
    household = access_household(request.auth, household_id)
    return list(household.assessments.select_related("assessed_by", "rule__region"))


@router.post(
    "/{uuid:household_id}/assessments",
    response={201: AssessmentOut},
    summary="Record an assessment; the rules suggest a status and explain it",
)
def record_assessment(request, household_id: UUID, data: AssessmentIn):
    household = access_household(request.auth, household_id)
    return Status(201, assessment_record(by=request.auth, household=household, **data.dict()))


@router.post(
    "/{uuid:household_id}/helpers",
    response={201: ResponsibleHelperOut},
    summary="Make someone responsible for a household (帮扶责任人)",
)
def assign_responsible_helper(request, household_id: UUID, data: ResponsibleHelperIn):
    household = access_household(request.auth, household_id)
    require(request.auth, Action.HOUSEHOLD_REGISTER, household.village)
    helper = user = None
    if data.helper:
        helper = Organization.objects.filter(code=data.helper).first()
        if helper is None:
            raise InvalidInput([problem("helper", _("no such helper"))])
    if data.user:
        user = users_in_scope(request.auth).filter(username=data.user).first()
        if user is None:
            raise InvalidInput([problem("user", _("no such account in your area"))])
    assignment = responsible_helper_assign(
        by=request.auth,
        household=household,
        name=data.name,
        work_unit=data.work_unit,
        phone=data.phone,
        helper=helper,
        user=user,
        since=data.since,
    )
    return Status(201, show_phones(request.auth, household, [assignment])[0])


@router.post(
    "/{uuid:household_id}/helpers/{helper_id}/end",
    response=ResponsibleHelperOut,
    summary="End a responsible helper's term",
)
def end_responsible_helper(request, household_id: UUID, helper_id: int, data: EndIn):
    household = access_household(request.auth, household_id)
    assignment = household.responsible_helpers.filter(pk=helper_id).first()
    if assignment is None:
        raise Http404("responsible helper")
    assignment = responsible_helper_end(
        by=request.auth, assignment=assignment, until=data.until or timezone.localdate()
    )
    return show_phones(request.auth, household, [assignment])[0]


@router.post(
    "/import",
    response={202: JobRef},
    summary="Import a CSV or XLSX file as a job",
    description="Multipart: `file`, and `encoding` of a CSV file (`utf-8` or "
    "`gb18030`; by default UTF-8 if the file is, else GB18030).",
)
def import_file(
    request, file: File[UploadedFile], encoding: Form[Literal["", "utf-8", "gb18030"]] = ""
):
    require(request.auth, Action.HOUSEHOLDS_IMPORT)
    job = job_start(
        kind="households.import",
        by=request.auth,
        input_file=import_upload_check(file),
        payload={"encoding": encoding},
    )
    return Status(202, {"job_id": job.pk})
