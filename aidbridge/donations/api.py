"""The donations API: offering a donation to a project's target, the recipient confirming it
arrived (which posts the ledger entry and issues the receipt), cancelling an offer, and the
receipt's proof file. A donation is seen by its donor's and its recipient's staff only
(aidbridge.policy). Money is integer fen."""

from datetime import date
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.donations import selectors, services
from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import Organization
from aidbridge.ledger.services import receipt_issue
from aidbridge.policy import Action, can
from aidbridge.projects.models import Target
from aidbridge.projects.selectors import public_projects
from aidbridge.schemas import Pages

router = Router(tags=["donations"])
honour_router = Router(auth=None, tags=["portal"])


class DonationOut(Schema):
    id: UUID = Field(alias="public_id")
    status: str
    project_id: UUID = Field(alias="project.public_id")
    target_id: UUID = Field(alias="target.public_id")
    donor_code: str = Field(alias="donor.code")
    donor_name: str = Field(
        alias="donor.name_zh", description="The donor's registered name (the receipt's)"
    )
    recipient_code: str = Field(alias="recipient.code")
    recipient_registration_number: str = Field(alias="recipient.registration_number")
    value: int = Field(description="Fen: the money, or the stated value of the goods")
    quantity: int | None
    unit: str
    goods: str
    honour: bool
    honour_name: str
    offered_on: date
    received_on: date | None
    serial: str | None = Field(description="The receipt number, once received")
    entry: int | None = Field(alias="entry_id", description="The ledger entry, once received")
    receipt_facts: dict = Field(
        description="What the receipt states, fixed when it was issued: donor_name, "
        "donor_credit_code, donor_individual, recipient_name, recipient_registration_number, "
        "recipient_credit_code, deductible, deduction_from, deduction_until"
    )


class DonationIn(Schema):
    target: UUID = Field(description="The project target the donation is for")
    recipient: str = Field(description="Code of one of the project's recipient charities")
    value: int = Field(description="Fen: the money, or the stated value of the goods")
    donor: str = Field("", description="A recipient's staff may record another helper's gift")
    quantity: int | None = None
    goods: str = ""
    honour: bool = False
    honour_name: str = ""
    offered_on: date | None = None


class ReceiveIn(Schema):
    received_on: date | None = Field(None, description="Default: today")


@router.get("", response=list[DonationOut], summary="Donations you gave or received")
@paginate(Pages, page_size=50)
def list_donations(request, status: str = "", q: str = ""):
    return selectors.donation_search(request.auth, status=status, q=q)


@router.post("", response={201: DonationOut}, summary="Offer a donation")
def offer(request, data: DonationIn):
    target = Target.objects.select_related("project").filter(public_id=data.target).first()
    if target is None:
        raise InvalidInput([problem("target", _("no such target"))])
    fields = data.dict(exclude={"target", "recipient", "donor"})
    donation = services.donation_offer(
        by=request.auth,
        target=target,
        recipient=Organization.objects.filter(code=data.recipient).first(),
        donor=Organization.objects.filter(code=data.donor).first() if data.donor else None,
        **fields,
    )
    return Status(201, donation)


@router.get("/{uuid:donation_id}", response=DonationOut, summary="One donation")
def get_donation(request, donation_id: UUID):
    return selectors.access_donation(request.auth, donation_id)


@router.post(
    "/{uuid:donation_id}/receive",
    response=DonationOut,
    summary="Confirm a donation arrived and issue its receipt",
)
def receive(request, donation_id: UUID, data: ReceiveIn):
    donation = selectors.access_donation(request.auth, donation_id)
    return services.donation_receive(by=request.auth, donation=donation, **data.dict())


@router.post("/{uuid:donation_id}/cancel", response=DonationOut, summary="Cancel an offer")
def cancel(request, donation_id: UUID):
    donation = selectors.access_donation(request.auth, donation_id)
    return services.donation_cancel(by=request.auth, donation=donation)


@router.get(
    "/{uuid:donation_id}/receipt",
    response=dict,
    summary="The receipt's proof file",
    description="The ledger receipt (format aidbridge-ledger-receipt v1) with its inclusion "
    "proof; check it with `aidbridge receipt verify` or on the portal. 422 until a "
    "checkpoint covers the entry (moments after the donation is received), or, when the "
    "ledger failed its integrity check, saying so.",
)
def receipt(request, donation_id: UUID):
    donation = selectors.access_donation(request.auth, donation_id)
    if donation.entry_id is None:
        raise InvalidInput([problem("status", _("the donation is not received"))])
    return receipt_issue(seq=donation.entry_id)


class StatementRowOut(Schema):
    serial: str
    received_on: date
    recipient_code: str
    recipient_name: str
    recipient_credit_code: str
    deductible: bool
    entry: int
    value: int = Field(description="Fen")
    refunded: bool = Field(description="Refunded in full or its entry reversed: not counted")
    refunded_fen: int = Field(description="Fen refunded of it, not counted")


class DonorStatementOut(Schema):
    year: int
    donor_code: str
    count: int
    total: int = Field(description="Fen, what was refunded left out")
    deductible: int = Field(description="Fen given to recipients qualified for pre-tax deduction")
    rows: list[StatementRowOut]


@router.get(
    "/statements/{int:year}",
    response=DonorStatementOut,
    summary="Your helper's annual statement of donations",
    description="The donations your helper gave that were received in `year`, for its tax "
    "return (the same as the page and PDF under Donations → Annual statements).",
)
def statement(request, year: int):
    helper = request.auth.organization
    if not can(request.auth, Action.DONATION_STATEMENTS) or helper is None:
        raise Http404("statement")
    found = selectors.annual_statement(helper, year)
    rows = [
        {
            "serial": row.serial,
            "received_on": row.received_on,
            "recipient_code": row.recipient.code,
            "recipient_name": row.receipt_facts.get("recipient_name", ""),
            "recipient_credit_code": row.receipt_facts.get("recipient_credit_code", ""),
            "deductible": bool(row.receipt_facts.get("deductible")),
            "entry": row.entry_id,
            "value": row.value,
            "refunded": row.refunded,
            "refunded_fen": row.refunded_fen,
        }
        for row in found["rows"]
    ]
    keep = ("year", "count", "total", "deductible")
    return {key: found[key] for key in keep} | {"donor_code": helper.code, "rows": rows}


class HonourOut(Schema):
    name: str = Field(alias="honour_name", description="The name the donor chose")
    total: int = Field(description="Fen received from them: money and goods' stated value")


@honour_router.get("", response=list[HonourOut], summary="The honour roll")
def honour_roll(request, project: UUID | None = None):
    """Donors who chose to be shown, largest first (at most 100)."""
    chosen = None
    if project is not None:
        chosen = public_projects().filter(public_id=project).first()
        if chosen is None:
            raise InvalidInput([problem("project", _("no such project"))])
    return selectors.honour_roll(project=chosen)
