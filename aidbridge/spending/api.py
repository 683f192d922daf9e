"""The spending API of a project: what it holds and its records, recording one (multipart,
with evidence files), and a second person's approval or rejection. Amounts are integer fen;
every refusal names its field."""

from datetime import date
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from aidbridge.donations.models import Donation
from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import Organization
from aidbridge.ledger.models import Entry
from aidbridge.regions.models import Region
from aidbridge.spending import selectors, services

router = Router(tags=["spending"])


class HeldGoodsOut(Schema):
    unit: str
    quantity: int
    value: int = Field(description="Fen")


class SpendingOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    status: str
    on: date
    amount: int = Field(description="Fen (for goods: their value)")
    quantity: int | None
    unit: str
    goods: str
    recipient_kind: str
    supplier: str
    invoice_number: str
    purpose: str
    entry: int | None = Field(alias="entry_id", description="The ledger entry, once posted")
    reverses: int | None = Field(alias="reverses_id")
    reason: str = Field(description="Why it was rejected")


class SpendingPageOut(Schema):
    money: int = Field(description="Fen the project holds")
    goods: list[HeldGoodsOut]
    records: list[SpendingOut]


class SpendingRecordIn(Schema):
    kind: str = Field(
        description="disbursement, purchase, transfer_in, transfer_out, refund, reversal"
    )
    purpose: str
    on: date | None = None
    amount: int | None = Field(None, description="Fen")
    quantity: int | None = None
    unit: str = ""
    goods: str = ""
    recipient_kind: str = Field("", description="need, household, village, partner, supplier")
    need: UUID | None = None
    household: UUID | None = None
    village: str = Field("", description="Region code of the village")
    organization: str = Field("", description="Helper code: the partner, or the fund")
    supplier: str = ""
    invoice_number: str = ""
    donation: UUID | None = Field(None, description="The donation to refund")
    reverses: int | None = Field(None, description="The ledger entry to reverse")


class SpendingRejectIn(Schema):
    reason: str


def _page(project) -> dict:
    held = selectors.project_holdings(project)
    return {
        "money": held.money,
        "goods": list(held.goods.values()),
        "records": list(selectors.spending_of(project)),
    }


@router.get(
    "/{uuid:project_id}/spending",
    response=SpendingPageOut,
    summary="What a project holds and its spending",
)
def spending_list(request, project_id: UUID):
    return _page(selectors.access_spending_project(request.auth, project_id))


def _one(found, field: str):
    if found is None:
        raise InvalidInput([problem(field, _("no such record"))])
    return found


@router.post(
    "/{uuid:project_id}/spending",
    response={201: SpendingOut},
    summary="Record a spending",
    description="Multipart: the fields of SpendingRecordIn, `evidence` (files) and for a purchase "
    "`invoice`. Posted at once, or waiting for a second person's approval at or above the "
    "threshold of the recorder's helper.",
)
def spending_new(
    request,
    project_id: UUID,
    data: Form[SpendingRecordIn],
    evidence: File[list[UploadedFile]] = None,
    invoice: File[UploadedFile] = None,
):
    project = selectors.access_spending_project(request.auth, project_id)
    args = data.dict(
        exclude={"need", "household", "village", "organization", "donation", "reverses"}
    )
    if data.need:
        args["need"] = _one(project.needs.filter(public_id=data.need).first(), "need")
    if data.household:
        args["household"] = _one(
            project.households.filter(public_id=data.household).first(), "household"
        )
    if data.village:
        args["village"] = _one(Region.objects.filter(code=data.village).first(), "village")
    if data.organization:
        args["organization"] = _one(
            Organization.objects.filter(code=data.organization).first(), "organization"
        )
    if data.donation:
        args["donation"] = _one(
            Donation.objects.filter(public_id=data.donation, project=project).first(), "donation"
        )
    if data.reverses:
        args["reverses"] = _one(Entry.objects.filter(seq=data.reverses).first(), "reverses")
    record = services.spending_record(
        by=request.auth, project=project, evidence=evidence or [], invoice=invoice, **args
    )
    return Status(201, record)


@router.post(
    "/spending/{uuid:spending_id}/approve",
    response=SpendingOut,
    summary="Approve a waiting spending (a second person): it is posted",
)
def spending_approve(request, spending_id: UUID):
    record = selectors.access_spending(request.auth, spending_id)
    return services.spending_approve(by=request.auth, spending=record)


@router.post(
    "/spending/{uuid:spending_id}/reject",
    response=SpendingOut,
    summary="Reject a waiting spending, saying why",
)
def spending_reject(request, spending_id: UUID, data: SpendingRejectIn):
    record = selectors.access_spending(request.auth, spending_id)
    return services.spending_reject(by=request.auth, spending=record, reason=data.reason)
