"""The helpers API: the directory of helpers, their profiles and their verification.
Registration stays on the public portal."""

from datetime import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.helpers.services import (
    helper_reject,
    helper_staff_create,
    helper_update,
    helper_verify,
)
from aidbridge.ledger.api import STATEMENT_HELP, StatementOut
from aidbridge.ledger.statements import fund_accounts, period_parse, statement
from aidbridge.policy import Action, can, require
from aidbridge.regions.selectors import regions_by_code
from aidbridge.schemas import Pages, Patch

router = Router(tags=["helpers"])


class HelperProfileOut(Schema):
    name_zh: str
    name_en: str
    registration_number: str
    credit_code: str = Field(description="Unified social credit code, printed on receipts")
    deduction_from: int | None = Field(description="Qualified for pre-tax deduction from (year)")
    deduction_until: int | None = Field(description="... until (year)")
    government_background: bool
    social_enterprise: bool
    region_code: str | None = Field(None, alias="region.code")
    region_name: str | None = Field(None, alias="region.name")
    description: str


class HelperOut(Schema):
    code: str
    name: str = Field(description="In your language")
    kind: str
    verified: bool
    verified_at: datetime | None
    fields: list[str]
    service_regions: list[str] = Field(description="Region codes")
    profile: HelperProfileOut | None = Field(
        description="Null for an individual donor, except to their own account and to the "
        "officers who verify them"
    )
    rejection: str | None = Field(
        description="Why an officer did not verify it (while it waits for a new look); "
        "shown to its staff and to the officers who verify it, null to others"
    )

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)

    @staticmethod
    def resolve_service_regions(obj) -> list[str]:
        return [r.code for r in obj.service_regions.all()]

    @staticmethod
    def resolve_profile(obj, context):
        user = context["request"].auth
        shown = (
            obj.kind != OrganizationKind.INDIVIDUAL
            or can(user, Action.HELPER_EDIT, obj)
            or can(user, Action.HELPER_VERIFY, obj)
        )
        return obj if shown else None

    @staticmethod
    def resolve_rejection(obj, context):
        user = context["request"].auth
        shown = can(user, Action.HELPER_EDIT, obj) or can(user, Action.HELPER_VERIFY, obj)
        return obj.rejection_reason if shown and obj.rejected_at else None


class RejectIn(Schema):
    reason: str = Field(description="Why not, for the helper's staff to read")


class StaffIn(Schema):
    username: str
    password: str = Field(description="At least 8 characters")
    email: str = ""
    admin: bool = Field(False, description="May create staff accounts too")


class StaffOut(Schema):
    username: str
    role: str
    admin: bool = Field(alias="helper_admin")


class HelperPatch(Patch):
    """Fields to change; absent or null ones keep their value. A new registration number,
    credit code or pre-tax deduction qualification needs a new verification."""

    name_zh: str | None = None
    name_en: str | None = None
    registration_number: str | None = None
    credit_code: str | None = None
    deduction_from: int | None = None
    deduction_until: int | None = None
    description: str | None = None
    fields: list[str] | None = None
    service_regions: list[str] | None = Field(None, description="Region codes")


def _helpers():
    return Organization.objects.select_related("region").prefetch_related("service_regions")


@router.get(
    "",
    response=list[HelperOut],
    summary="The directory of helpers",
    description="Every signed-in user. `verified` keeps verified (true) or unverified "
    "(false) helpers; `q` searches code and names.",
)
@paginate(Pages, page_size=50)
def list_helpers(request, verified: bool | None = None, kind: str = "", q: str = ""):
    helpers = _helpers()
    if verified is not None:
        helpers = helpers.filter(verified_at__isnull=not verified)
    if kind:
        helpers = helpers.filter(kind=kind)
    if q.strip():
        q = q.strip()
        helpers = helpers.filter(
            Q(code__icontains=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q)
        )
    return helpers.order_by("code")


@router.get("/{code}", response=HelperOut, summary="One helper")
def get_helper(request, code: str):
    return get_object_or_404(_helpers(), code=code)


@router.patch(
    "/{code}",
    response=HelperOut,
    summary="Change a helper's profile",
    description="The helper's own staff.",
)
def patch_helper(request, code: str, data: HelperPatch):
    helper = get_object_or_404(_helpers(), code=code)
    changes = data.changes()
    if "service_regions" in changes:
        changes["service_regions"] = regions_by_code(
            changes["service_regions"], field="service_regions"
        )
    return helper_update(by=request.auth, helper=helper, data=changes)


@router.post(
    "/{code}/verify",
    response=HelperOut,
    summary="Verify a helper",
    description="Province, city and county officers whose region holds the helper's; "
    "a verified helper may claim needs.",
)
def verify_helper(request, code: str):
    return helper_verify(by=request.auth, helper=get_object_or_404(_helpers(), code=code))


@router.post(
    "/{code}/reject",
    response=HelperOut,
    summary="Do not verify a helper, with the reason",
    description="The officers who verify it; its staff are told and read the reason. A "
    "corrected profile or a new document sends it back to them.",
)
def reject_helper(request, code: str, data: RejectIn):
    return helper_reject(
        by=request.auth, helper=get_object_or_404(_helpers(), code=code), reason=data.reason
    )


@router.post(
    "/{code}/staff",
    response={201: StaffOut},
    summary="Create a staff account of a helper",
    description="The helper's admin (the account that signed it up, or one it made admin).",
)
def create_staff(request, code: str, data: StaffIn):
    return Status(
        201,
        helper_staff_create(
            by=request.auth,
            helper=get_object_or_404(_helpers(), code=code),
            username=data.username,
            password=data.password,
            email=data.email,
            admin=data.admin,
        ),
    )


@router.get(
    "/{code}/statement",
    response=StatementOut,
    summary="The statement of a helper's funds for a period",
    description="Its organization and government-fund accounts; for its staff and the "
    "officers and auditors of its region. " + STATEMENT_HELP,
)
def helper_statement(request, code: str, period: str = "", start: str = "", end: str = ""):
    helper = get_object_or_404(_helpers(), code=code)
    require(request.auth, Action.HELPER_STATEMENT, helper)
    found = statement(
        accounts=fund_accounts(helper), period=period_parse(period=period, start=start, end=end)
    )
    return found.as_dict()
