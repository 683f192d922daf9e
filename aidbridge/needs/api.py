"""The needs API: filing, review and closing of needs, and helpers' claims on them.

Who sees what: region users see the needs and claims of their area, helpers the published
needs and their own claims (aidbridge.policy). A need never shows its household's members;
its household number and the filters' findings only to those who may see the household."""

from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.audit import history_json
from aidbridge.needs import lifecycle
from aidbridge.needs.claims import claim_cancel, claim_confirm, claim_create, claim_deliver
from aidbridge.needs.models import Claim
from aidbridge.needs.selectors import (
    access_claim,
    access_need,
    need_search,
    sees_household,
    shown_texts,
)
from aidbridge.needs.services import (
    finding_text,
    need_close,
    need_create,
    need_review,
    need_submit,
    need_update,
    need_withdraw,
)
from aidbridge.policy import Action, claims_in_scope, require
from aidbridge.regions.selectors import region_by_code
from aidbridge.schemas import HistoryOut, Pages, Patch

needs_router = Router(tags=["needs"])
claims_router = Router(tags=["claims"])


class FlagOut(Schema):
    code: str
    text: str
    overridden_at: datetime | None
    override_reason: str

    @staticmethod
    def resolve_text(obj) -> str:
        return finding_text(obj)


class ReviewOut(Schema):
    level: str
    decision: str
    reason: str
    by: str
    at: datetime

    @staticmethod
    def resolve_by(obj) -> str:
        return str(obj.by)


class ClaimOut(Schema):
    id: UUID = Field(alias="public_id")
    need_id: UUID = Field(alias="need.public_id")
    need_title: str = Field(alias="need.title")
    helper_code: str = Field(alias="helper.code")
    helper_name: str
    kind: str
    amount: int
    unit: str = Field(alias="need.unit")
    deliver_by: date
    status: str
    note: str
    created_at: datetime
    delivered_at: datetime | None
    has_evidence: bool
    delivery_note: str
    confirmed_at: datetime | None
    confirmation_note: str | None = Field(
        description="How the beneficiary confirmed; only for those who may see the household"
    )

    @staticmethod
    def resolve_helper_name(obj) -> str:
        return str(obj.helper)

    @staticmethod
    def resolve_has_evidence(obj) -> bool:
        return bool(obj.evidence)

    @staticmethod
    def resolve_confirmation_note(obj, context) -> str | None:
        return obj.confirmation_note if sees_household(context["request"].auth, obj.need) else None


class NeedOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    status: str
    pending_level: str | None = Field(description="The review level the need waits for")
    region_code: str = Field(alias="region.code")
    region_name: str = Field(alias="region.name")
    household_number: str | None = Field(description="Only for those who may see the household")
    institution: str
    category: str
    title: str = Field(
        description="As the public sees it (redacted) for those who may not see the household"
    )
    amount: int
    unit: str
    claimed: int
    delivered: int
    confirmed: int
    urgency: int
    deadline: date
    published_at: datetime | None

    @staticmethod
    def resolve_pending_level(obj) -> str | None:
        return lifecycle.pending_level(obj.status, settings.NEED_REVIEW_LEVELS)

    @staticmethod
    def resolve_title(obj, context) -> str:
        return shown_texts(context["request"].auth, [obj])[0].shown_title

    @staticmethod
    def resolve_household_number(obj, context) -> str | None:
        if not obj.household_number or not sees_household(context["request"].auth, obj):
            return None
        return obj.household_number


class NeedDetailOut(NeedOut):
    description: str = Field(description="As the title")
    closing_reason: str
    created_at: datetime
    submitted_at: datetime | None
    fulfilled_at: datetime | None
    flags: list[FlagOut] = Field(
        description="Findings of the false-information filters; "
        "only for those who may see the household"
    )
    reviews: list[ReviewOut]
    claims: list[ClaimOut] = Field(description="The claims you may see")

    @staticmethod
    def resolve_description(obj, context) -> str:
        return shown_texts(context["request"].auth, [obj])[0].shown_description

    @staticmethod
    def resolve_flags(obj, context) -> list:
        return list(obj.flags.all()) if sees_household(context["request"].auth, obj) else []

    @staticmethod
    def resolve_reviews(obj) -> list:
        return list(obj.reviews.select_related("by"))

    @staticmethod
    def resolve_claims(obj, context) -> list:
        return list(claims_in_scope(context["request"].auth, obj.claims.select_related("helper")))


class NeedIn(Schema):
    kind: str = Field(description="household, village or institution")
    region: str = Field(description="Code of the village (for an institution, of any region)")
    household_number: str = ""
    institution: str = ""
    category: str
    title: str
    description: str = ""
    amount: int = Field(description="Yuan, or a quantity in `unit`")
    unit: str = "yuan"
    urgency: int = Field(3, description="1 (low) to 5 (most urgent)")
    deadline: date


class NeedPatch(Patch):
    """Fields to change; absent or null ones keep their value."""

    household_number: str | None = None
    institution: str | None = None
    category: str | None = None
    title: str | None = None
    description: str | None = None
    amount: int | None = None
    unit: str | None = None
    urgency: int | None = None
    deadline: date | None = None


class ReviewIn(Schema):
    approve: bool
    reason: str = Field("", description="Required to reject")
    overrides: dict[str, str] = Field(
        {}, description="Finding code -> why the need is approved despite it"
    )


class ReasonIn(Schema):
    reason: str


class ClaimIn(Schema):
    kind: str = Field(description="money, materials or service")
    amount: int = Field(description="In the need's unit")
    deliver_by: date
    note: str = ""


class ConfirmIn(Schema):
    note: str = Field(description="How the beneficiary confirmed (who, when, what they said)")


@needs_router.get(
    "",
    response=list[NeedOut],
    summary="Needs you may see",
    description="Region users: the needs of their area in any status. Helpers: "
    "published needs and those they claimed. `urgency` keeps needs "
    "at least this urgent; `q` searches titles.",
)
@paginate(Pages, page_size=50)
def list_needs(
    request,
    region: str | None = None,
    status: str = "",
    category: str = "",
    urgency: int | None = None,
    q: str = "",
):
    area = None
    if region:
        area = region_by_code(region)
    return need_search(
        request.auth, region=area, status=status, category=category, urgency=urgency, q=q
    ).select_related("household")


@needs_router.post(
    "",
    response={201: NeedDetailOut},
    summary="File a draft need",
    description="Registrars (clerk, township, county) in the region's scope.",
)
def create_need(request, data: NeedIn):
    region = region_by_code(data.region)
    need = need_create(
        by=request.auth, region=region, kind=data.kind, data=data.dict(exclude={"kind", "region"})
    )
    return Status(201, need)


@needs_router.get(
    "/{uuid:need_id}",
    response=NeedDetailOut,
    summary="One need",
    description="With the filters' findings, reviews, the claims you may see "
    "and the review level it waits for.",
)
def get_need(request, need_id: UUID):
    return access_need(request.auth, need_id)


@needs_router.patch(
    "/{uuid:need_id}",
    response=NeedDetailOut,
    summary="Change a draft",
    description="Registrars in the need's area.",
)
def patch_need(request, need_id: UUID, data: NeedPatch):
    return need_update(
        by=request.auth, need=access_need(request.auth, need_id), data=data.changes()
    )


@needs_router.post(
    "/{uuid:need_id}/submit",
    response=NeedDetailOut,
    summary="Send a draft to review",
    description="Runs the false-information filters; their findings wait for the reviewers.",
)
def submit_need(request, need_id: UUID):
    return need_submit(by=request.auth, need=access_need(request.auth, need_id))


@needs_router.post(
    "/{uuid:need_id}/review",
    response=NeedDetailOut,
    summary="Approve or reject at the pending level",
    description="The officer of the level the need waits for. Rejecting needs "
    "a reason; approving needs an override reason per open finding.",
)
def review_need(request, need_id: UUID, data: ReviewIn):
    return need_review(
        by=request.auth,
        need=access_need(request.auth, need_id),
        approve=data.approve,
        reason=data.reason,
        overrides=data.overrides,
    )


@needs_router.post(
    "/{uuid:need_id}/withdraw",
    response=NeedDetailOut,
    summary="Withdraw a need nobody has claimed",
    description="Registrars in the need's area, with a reason.",
)
def withdraw_need(request, need_id: UUID, data: ReasonIn):
    return need_withdraw(
        by=request.auth, need=access_need(request.auth, need_id), reason=data.reason
    )


@needs_router.post(
    "/{uuid:need_id}/close",
    response=NeedDetailOut,
    summary="Close a fulfilled need",
    description="Registrars in the need's area.",
)
def close_need(request, need_id: UUID):
    return need_close(by=request.auth, need=access_need(request.auth, need_id))


@needs_router.get(
    "/{uuid:need_id}/history",
    response=list[HistoryOut],
    summary="Audit history of a need",
    description="For the registrars who manage the need and for the roles that "
    "read the history of its region (officers, supervisors, "
    "auditors).",
)
def need_history(request, need_id: UUID):
    need = access_need(request.auth, need_id)
    require(request.auth, Action.NEED_HISTORY, need)
    return history_json(need)


@needs_router.post(
    "/{uuid:need_id}/claims",
    response={201: ClaimOut},
    summary="Claim part or all of a need",
    description="Staff of a verified helper, on a need open to claims.",
)
def create_claim(request, need_id: UUID, data: ClaimIn):
    claim = claim_create(by=request.auth, need=access_need(request.auth, need_id), **data.dict())
    return Status(201, claim)


@claims_router.get(
    "",
    response=list[ClaimOut],
    summary="Claims you may see",
    description="Helpers: their own claims. Region users: the claims on needs "
    "of their area. Newest first.",
)
@paginate(Pages, page_size=50)
def list_claims(request, status: str = ""):
    claims = claims_in_scope(
        request.auth, Claim.objects.select_related("need__region", "need__household", "helper")
    )
    if status:
        claims = claims.filter(status=status)
    return claims.order_by("-created_at", "-pk")


@claims_router.get("/{uuid:claim_id}", response=ClaimOut, summary="One claim")
def get_claim(request, claim_id: UUID):
    return access_claim(request.auth, claim_id)


@claims_router.post(
    "/{uuid:claim_id}/deliver",
    response=ClaimOut,
    summary="Record a delivery with evidence",
    description="Multipart: `evidence` (a photo or document) and `note`. The "
    "helper's staff or the need's registrars.",
)
def deliver_claim(request, claim_id: UUID, evidence: File[UploadedFile], note: Form[str] = ""):
    return claim_deliver(
        by=request.auth, claim=access_claim(request.auth, claim_id), evidence=evidence, note=note
    )


@claims_router.post(
    "/{uuid:claim_id}/confirm",
    response=ClaimOut,
    summary="Record the beneficiary's confirmation",
    description="Registrars in the need's area, after delivery.",
)
def confirm_claim(request, claim_id: UUID, data: ConfirmIn):
    return claim_confirm(
        by=request.auth, claim=access_claim(request.auth, claim_id), note=data.note
    )


@claims_router.post(
    "/{uuid:claim_id}/cancel",
    response=ClaimOut,
    summary="Take back an undelivered pledge",
    description="The helper's staff or the need's registrars, with a reason; the amount reopens.",
)
def cancel_claim(request, claim_id: UUID, data: ReasonIn):
    return claim_cancel(
        by=request.auth, claim=access_claim(request.auth, claim_id), reason=data.reason
    )
