"""The matching API: helpers' offers, matching rounds (started as jobs) with their proposals
and shortfalls, helpers' answers to proposals, and the gaps report.

Who sees what (aidbridge.policy): helpers their own offers and the proposals sent to them;
region users the offers reaching their area and the rounds of their area; hubs the rounds they
ran."""

from datetime import date, datetime
from uuid import UUID

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.matching import selectors, services
from aidbridge.matching.models import ProposalStatus
from aidbridge.policy import Action, can
from aidbridge.regions.selectors import region_by_code, regions_by_code, user_area
from aidbridge.schemas import Pages, Patch

offers_router = Router(tags=["matching"])
router = Router(tags=["matching"])


class OfferOut(Schema):
    id: UUID = Field(alias="public_id")
    helper_code: str = Field(alias="helper.code")
    title: str
    capacity: int = Field(description="Yuan")
    held: int = Field(description="Yuan held by sent and accepted proposals")
    free: int
    categories: list[str]
    regions: list[str] = Field(description="Region codes")
    is_open: bool

    @staticmethod
    def resolve_regions(obj) -> list[str]:
        return [r.code for r in obj.regions.all()]


class OfferIn(Schema):
    title: str
    capacity: int = Field(description="Yuan")
    categories: list[str]
    regions: list[str] = Field(description="Region codes; needs in or below them qualify")


class OfferPatch(Patch):
    """Fields to change; absent or null ones keep their value."""

    title: str | None = None
    capacity: int | None = None
    categories: list[str] | None = None
    regions: list[str] | None = None
    is_open: bool | None = None


def _with_capacity(offer):
    return selectors.with_free_capacity([offer])[0]


@offers_router.get(
    "",
    response=list[OfferOut],
    summary="Offers you may see",
    description="Helpers' staff: their helper's offers. Region users: the "
    "offers that reach into their area.",
)
@paginate(Pages, page_size=50)
def list_offers(request, q: str = "", open_only: bool = False):
    return selectors.with_free_capacity(
        selectors.offer_search(request.auth, q=q, open_only=open_only).order_by("pk")
    )


@offers_router.post(
    "",
    response={201: OfferOut},
    summary="Offer money for needs",
    description="Staff of a helper; rounds consider offers of verified helpers only.",
)
def create_offer(request, data: OfferIn):
    offer = services.offer_create(
        by=request.auth,
        data={**data.dict(), "regions": regions_by_code(data.regions, field="regions")},
    )
    return Status(201, _with_capacity(offer))


@offers_router.get("/{uuid:offer_id}", response=OfferOut, summary="One offer")
def get_offer(request, offer_id: UUID):
    return _with_capacity(selectors.access_offer(request.auth, offer_id))


@offers_router.patch(
    "/{uuid:offer_id}",
    response=OfferOut,
    summary="Change, close or reopen an offer",
    description="The helper's staff. The capacity may not fall below what proposals hold.",
)
def patch_offer(request, offer_id: UUID, data: OfferPatch):
    offer = selectors.access_offer(request.auth, offer_id)
    changes = data.changes()
    is_open = changes.pop("is_open", None)
    if "regions" in changes:
        changes["regions"] = regions_by_code(changes["regions"], field="regions")
    if changes:
        offer = services.offer_update(by=request.auth, offer=offer, data=changes)
    if is_open is not None:
        offer = services.offer_set_open(by=request.auth, offer=offer, is_open=is_open)
    return _with_capacity(offer)


class RoundIn(Schema):
    region: str = Field(description="Region code")


class RoundOut(Schema):
    id: UUID = Field(alias="public_id")
    region_code: str = Field(alias="region.code")
    status: str
    job_id: UUID | None = Field(None, description="The job that runs it: /api/v1/jobs/{id}")
    created_at: datetime
    sent_at: datetime | None
    summary: dict = Field(
        description="needs, needed, offers, offered, allocated, objective, "
        "covered_fully, covered_partly, uncovered (yuan and "
        "counts)"
    )


class ProposalOut(Schema):
    id: UUID = Field(alias="public_id")
    round_id: UUID = Field(alias="round.public_id")
    offer_id: UUID = Field(alias="offer.public_id")
    need_id: UUID = Field(alias="need.public_id")
    need_title: str = Field(alias="need.title")
    amount: int = Field(description="Yuan")
    weight: int = Field(
        description="Weight per yuan: urgency + 2 if not aided in 12 months + 1 if paired"
    )
    status: str
    reason: str = Field(
        alias="explanation",
        description="Why the helper declined it, or why it was withdrawn (its need closed)",
    )
    claim_id: UUID | None = Field(None, alias="claim.public_id")


class ShortfallOut(Schema):
    need_id: UUID = Field(alias="need.public_id")
    need_title: str = Field(alias="need.title")
    missing: int = Field(description="Yuan left uncovered")
    reason: str = Field(description="no_offer or used_up")


class AcceptIn(Schema):
    deliver_by: date


class DeclineIn(Schema):
    reason: str


class GapOut(Schema):
    region_code: str = Field(alias="region.code")
    category: str
    needs: int
    missing: int = Field(description="Open yuan")


class RepeatAidOut(Schema):
    household_number: str = Field(alias="household.number")
    village_code: str = Field(alias="household.village.code")
    times: int
    unaided_in_village: int


class GapsOut(Schema):
    unreachable: list[GapOut]
    repeat_aid: list[RepeatAidOut]


@router.get("/rounds", response=list[RoundOut], summary="Matching rounds you may see")
@paginate(Pages, page_size=50)
def list_rounds(request):
    return selectors.round_search(request.auth)


@router.post(
    "/rounds",
    response={201: RoundOut},
    summary="Run a matching round",
    description="Officers for regions in their scope, and staff of a verified hub for "
    "its service regions. The round runs as a job; its proposals wait for "
    "review.",
)
def start_round(request, data: RoundIn):
    region = region_by_code(data.region)
    return Status(201, services.round_start(by=request.auth, region=region))


@router.get("/rounds/{uuid:round_id}", response=RoundOut, summary="One round")
def get_round(request, round_id: UUID):
    return selectors.access_round(request.auth, round_id)


@router.get(
    "/rounds/{uuid:round_id}/proposals",
    response=list[ProposalOut],
    summary="A round's proposals",
)
@paginate(Pages, page_size=100)
def round_proposals(request, round_id: UUID):
    found = selectors.access_round(request.auth, round_id)
    return found.proposals.select_related("offer", "need", "claim", "round")


@router.get(
    "/rounds/{uuid:round_id}/shortfalls",
    response=list[ShortfallOut],
    summary="What a round left uncovered, and why",
)
@paginate(Pages, page_size=100)
def round_shortfalls(request, round_id: UUID):
    return selectors.access_round(request.auth, round_id).shortfalls.select_related("need")


@router.post(
    "/rounds/{uuid:round_id}/send",
    response=RoundOut,
    summary="Send a proposed round to the helpers",
    description="Other proposed rounds over the same area are discarded.",
)
def send_round(request, round_id: UUID):
    return services.round_send(
        by=request.auth, found=selectors.access_round(request.auth, round_id)
    )


@router.post(
    "/rounds/{uuid:round_id}/discard",
    response=RoundOut,
    summary="Discard a proposed round",
)
def discard_round(request, round_id: UUID):
    return services.round_discard(
        by=request.auth, found=selectors.access_round(request.auth, round_id)
    )


@router.get(
    "/proposals",
    response=list[ProposalOut],
    summary="Proposals sent to your helper",
    description="`status=sent` keeps those waiting for an answer.",
)
@paginate(Pages, page_size=100)
def list_proposals(request, status: str = ""):
    if not can(request.auth, Action.PROPOSALS_VIEW):
        raise Http404("proposals")
    proposals = selectors.incoming(request.auth).select_related("round", "claim")
    return proposals.filter(status=status) if status in ProposalStatus.values else proposals


@router.post(
    "/proposals/{uuid:proposal_id}/accept",
    response=ProposalOut,
    summary="Accept a proposal",
    description="The helper pledges the amount as a claim on the need.",
)
def accept_proposal(request, proposal_id: UUID, data: AcceptIn):
    return services.proposal_accept(
        by=request.auth,
        proposal=selectors.access_proposal(request.auth, proposal_id),
        deliver_by=data.deliver_by,
    )


@router.post(
    "/proposals/{uuid:proposal_id}/decline",
    response=ProposalOut,
    summary="Decline a proposal, with a reason",
)
def decline_proposal(request, proposal_id: UUID, data: DeclineIn):
    return services.proposal_decline(
        by=request.auth,
        proposal=selectors.access_proposal(request.auth, proposal_id),
        reason=data.reason,
    )


@router.get(
    "/gaps",
    response=GapsOut,
    summary="The gaps report",
    description="Region users: published needs no open offer can take, by child region "
    "and category, and households aided twice or more in 12 months in "
    "villages where a poor household got nothing.",
)
def gaps(request, region: str = ""):
    user = request.auth
    if not can(user, Action.GAPS_VIEW):
        raise Http404("gaps")
    area = user_area(user, region)
    return {
        "unreachable": selectors.unreachable(area),
        "repeat_aid": selectors.repeat_aid(area, timezone.localdate()),
    }
