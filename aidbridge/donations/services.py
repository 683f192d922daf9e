"""Offering, receiving and cancelling donations. Receiving posts the ledger entry (donor to
project) and gives the donation its receipt number, ``<recipient code>-<year>-<n>``, counted
per recipient and year without gaps."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.donations.models import Donation, DonationStatus
from aidbridge.donations.selectors import recipients
from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.ledger.models import AccountKind
from aidbridge.ledger.rules import date_errors
from aidbridge.ledger.services import entry_post, helper_account, project_account
from aidbridge.ledger.tasks import checkpoint_soon
from aidbridge.notifications.services import notify
from aidbridge.policy import Action, acts_for_helper, require
from aidbridge.projects.models import Stage, Target, TargetKind
from aidbridge.validation import is_whole

MAX_VALUE = 10**13  # a hundred billion yuan in fen
OFFERED = gettext_lazy("Donation offered to %(project)s")
RECEIVED = gettext_lazy("Donation received: receipt %(serial)s")
CANCELLED = gettext_lazy("Donation to %(project)s cancelled")


def donation_offer(
    *,
    by,
    target: Target,
    recipient: Organization | None,
    value: int,
    donor: Organization | None = None,
    quantity: int | None = None,
    goods: str = "",
    honour: bool = False,
    honour_name: str = "",
    offered_on: date | None = None,
) -> Donation:
    """Offer a donation towards a project's target through one of its recipients. Staff offer
    for their own helper; a recipient's staff may name another donor (then confirm it with
    ``donation_receive``, as when money arrived without an offer). Money targets take money
    (``value`` in fen); materials targets take goods: ``quantity`` of the target's unit,
    described in ``goods``, worth the stated ``value``."""
    project = target.project
    require(by, Action.DONATE, project)
    donor = donor or by.organization
    offered_on = offered_on or timezone.localdate()
    errors = _offer_errors(by, target, recipient, donor, value, quantity, goods, offered_on)
    honour_name = (honour_name or "").strip()
    if honour and not honour_name:
        if donor is not None and donor.kind == OrganizationKind.INDIVIDUAL:
            errors.append(problem("honour_name", _("write the name to show on the honour roll")))
        else:
            honour_name = donor.name_zh if donor else ""
    if len(honour_name) > 60:
        errors.append(problem("honour_name", _("write at most 60 characters")))
    if errors:
        raise InvalidInput(errors)
    in_kind = target.kind == TargetKind.MATERIAL
    donation = Donation.objects.create(
        target=target,
        project=project,
        donor=donor,
        recipient=recipient,
        value=value,
        quantity=quantity if in_kind else None,
        unit=target.unit if in_kind else "",
        goods=goods.strip() if in_kind else "",
        honour=honour,
        honour_name=honour_name if honour else "",
        offered_on=offered_on,
        created_by=by,
    )
    if not acts_for_helper(by, recipient):
        notify(
            users=recipient.staff.all(),
            subject=OFFERED,
            params={"project": project.title},
            url=donation.get_absolute_url(),
        )
    return donation


def donation_receive(*, by, donation: Donation, received_on: date | None = None) -> Donation:
    """The recipient confirms the donation arrived: it is posted to the ledger from the donor's
    account to the project's and gets its receipt number. A checkpoint is signed soon after,
    so the receipt's proof follows within moments."""
    require(by, Action.DONATION_RECEIVE, donation)
    received_on = received_on or timezone.localdate()
    errors = _date_errors(received_on, "received_on")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        recipient = Organization.objects.select_for_update().get(pk=donation.recipient_id)
        donation = Donation.objects.select_for_update().get(pk=donation.pk)
        if donation.status != DonationStatus.OFFERED:
            raise InvalidInput([problem("status", _("only an offered donation can be received"))])
        if received_on < donation.offered_on:
            raise InvalidInput([problem("received_on", _("is before the donation was offered"))])
        if not donation.donor.verified:
            raise InvalidInput(
                [
                    problem(
                        "donor",
                        _(
                            "the donor is not verified yet: a receipt names only a donor whose "
                            "registration an officer has checked"
                        ),
                    )
                ]
            )
        serial = _next_serial(recipient, received_on.year)
        donation.entry = entry_post(
            by=by,
            kind="donation",
            date=received_on,
            memo=f"捐赠票据 receipt {serial}",  # hashed into the ledger: one text in any language
            postings=_postings(donation),
        )
        donation.status, donation.serial = DonationStatus.RECEIVED, serial
        donation.received_on, donation.received_by = received_on, by
        donation.receipt_facts = receipt_facts(donation.donor, recipient, received_on.year)
        donation.save(
            update_fields=[
                "entry",
                "status",
                "serial",
                "received_on",
                "received_by",
                "receipt_facts",
            ]
        )
        checkpoint_soon()
        notify(
            users=donation.donor.staff.all(),
            subject=RECEIVED,
            params={"serial": serial},
            url=donation.get_absolute_url(),
        )
    return donation


def donation_record(*, by, received_on: date | None = None, **offer) -> Donation:
    """A recipient's staff record a gift that arrived without an offer (a bank transfer, goods
    delivered): offered and received on the same day, all or nothing."""
    received_on = received_on or timezone.localdate()
    with transaction.atomic():
        donation = donation_offer(by=by, offered_on=received_on, **offer)
        return donation_receive(by=by, donation=donation, received_on=received_on)


def donation_cancel(*, by, donation: Donation) -> Donation:
    """Withdraw an offer (the donor) or decline it because nothing arrived (the recipient)."""
    require(by, Action.DONATION_CANCEL, donation)
    with transaction.atomic():
        donation = Donation.objects.select_for_update().get(pk=donation.pk)
        if donation.status != DonationStatus.OFFERED:
            raise InvalidInput(
                [
                    problem(
                        "status",
                        _("only an offered donation can be cancelled; refund a received one"),
                    )
                ]
            )
        donation.status = DonationStatus.CANCELLED
        donation.save(update_fields=["status"])
    other = donation.recipient if acts_for_helper(by, donation.donor) else donation.donor
    notify(
        users=other.staff.all(),
        subject=CANCELLED,
        params={"project": donation.project.title},
        url=reverse("donations:list"),
    )
    return donation


def _offer_errors(by, target, recipient, donor, value, quantity, goods, offered_on) -> list[dict]:
    project = target.project
    errors = _date_errors(offered_on, "offered_on")
    if project.stage == Stage.CLOSED:
        errors.append(problem("target", _("the project is closed")))
    if recipient is None or recipient not in recipients(project):
        errors.append(
            problem("recipient", _("choose one of the project's recipient organizations"))
        )
    if donor is None:
        errors.append(problem("donor", _("choose the donor")))
    elif donor.pk != by.organization_id and not acts_for_helper(by, recipient):
        errors.append(problem("donor", _("you donate for your own helper only")))
    elif recipient is not None and donor.pk == recipient.pk:
        errors.append(
            problem("donor", _("a charity issues no receipt to itself: choose another donor"))
        )
    if not is_whole(value) or not 0 < value <= MAX_VALUE:
        errors.append(problem("value", _("must be an amount above zero")))
    if target.kind == TargetKind.MATERIAL:
        if not is_whole(quantity) or quantity <= 0:
            errors.append(problem("quantity", _("must be a whole number above zero")))
        if not (goods or "").strip() or len(goods.strip()) > 200:
            errors.append(problem("goods", _("describe the goods in at most 200 characters")))
    elif quantity is not None or (goods or "").strip():
        errors.append(problem("quantity", _("this target takes money, not goods")))
    return errors


def receipt_facts(donor: Organization, recipient: Organization, year: int) -> dict:
    """What a receipt states about its donor and recipient, as they are registered (and were
    verified) when it is issued: it does not change when they later do."""
    return {
        "donor_name": donor.name_zh,
        "donor_name_en": donor.name_en,
        "donor_individual": donor.kind == OrganizationKind.INDIVIDUAL,
        "donor_credit_code": donor.credit_code,
        "recipient_name": recipient.name_zh,
        "recipient_name_en": recipient.name_en,
        "recipient_registration_number": recipient.registration_number,
        "recipient_credit_code": recipient.credit_code,
        "deductible": recipient.deductible_in(year),
        "deduction_from": recipient.deduction_from,
        "deduction_until": recipient.deduction_until or recipient.deduction_from,
    }


def _date_errors(value, field: str) -> list[dict]:
    return [problem(field, message) for _date, message in date_errors(value)]


def _next_serial(recipient: Organization, year: int) -> str:
    """The recipient's next receipt number of `year`; the caller holds its row lock."""
    prefix = f"{recipient.code}-{year}-"
    count = Donation.objects.filter(recipient=recipient, serial__startswith=prefix).count()
    return f"{prefix}{count + 1:06d}"


def _postings(donation: Donation) -> list[dict]:
    donor = helper_account(AccountKind.DONOR, donation.donor)
    project = project_account(donation.project)
    given = {"account": donor, "amount": -donation.value}
    got = {"account": project, "amount": donation.value}
    if donation.in_kind:
        given |= {"quantity": -donation.quantity, "unit": donation.unit}
        got |= {"quantity": donation.quantity, "unit": donation.unit}
    return [given, got]
