"""Writers of claims. Every change locks the need's row first, so that concurrent claims
queue up, then keeps the need's figures and status in step (``lifecycle.claim_status``).
The database refuses a need whose claims exceed its amount, as a last line of defence."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.errors import InvalidInput, problem
from aidbridge.needs import lifecycle
from aidbridge.needs.models import Claim, ClaimKind, ClaimStatus, Need
from aidbridge.needs.signals import need_status_changed
from aidbridge.notifications.services import notify
from aidbridge.policy import Action, require
from aidbridge.uploads import EVIDENCE, check_upload
from aidbridge.validation import is_whole

CLAIM_CHANGED = gettext_lazy("Claim on “%(title)s”: %(status)s")


def _locked(need_pk: int) -> Need:
    return Need.objects.select_for_update().get(pk=need_pk)


def _apply(need: Need, **deltas: int) -> None:
    """Add ``deltas`` to the need's figures and derive its status."""
    before = need.status
    for field, delta in deltas.items():
        setattr(need, field, getattr(need, field) + delta)
    need.status = lifecycle.claim_status(need.amount, need.claimed, need.delivered, need.confirmed)
    if need.status == lifecycle.Status.FULFILLED and need.fulfilled_at is None:
        need.fulfilled_at = timezone.now()
    need.save()
    if need.status != before:
        need_status_changed.send(sender=Need, need=need)


def _tell_helper(claim: Claim, status_label) -> None:
    notify(
        users=claim.helper.staff.all(),
        url=claim.need.get_absolute_url(),
        subject=CLAIM_CHANGED,
        params={"title": claim.need.title, "status": status_label},
    )


def claim_create(
    *,
    by,
    need: Need,
    kind: str,
    amount: int,
    deliver_by: date,
    note: str = "",
    today: date | None = None,
) -> Claim:
    """Pledge ``amount`` (in the need's unit) of the need for the user's helper."""
    today = today or timezone.localdate()
    errors = []
    if kind not in ClaimKind.values:
        errors.append(problem("kind", _("choose money, materials or service")))
    if not is_whole(amount) or amount <= 0:
        errors.append(problem("amount", _("must be a whole number above zero")))
    if not isinstance(deliver_by, date) or deliver_by < today:
        errors.append(problem("deliver_by", _("must be today or later")))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        need = _locked(need.pk)
        require(by, Action.NEED_CLAIM, need)
        still_open = need.open_amount if need.status in lifecycle.CLAIMABLE else 0
        if amount > still_open:  # also the loser of a race for the last part of a need
            raise InvalidInput(
                [
                    problem(
                        "amount",
                        _("only %(open)s %(unit)s of this need are still open")
                        % {"open": still_open, "unit": need.unit},
                    )
                ]
            )
        claim = Claim.objects.create(
            need=need,
            helper=by.organization,
            kind=kind,
            amount=amount,
            deliver_by=deliver_by,
            note=note.strip(),
            created_by=by,
        )
        _apply(need, claimed=amount)
        notify(
            users=[need.created_by],
            url=need.get_absolute_url(),
            subject=gettext_lazy("%(helper)s claimed %(amount)s %(unit)s of “%(title)s”"),
            params={
                "helper": claim.helper.name_zh,
                "amount": amount,
                "unit": need.unit_label,
                "title": need.title,
            },
        )
    return claim


def _claim_step(claim: Claim, action: Action, by, expected: str) -> tuple[Claim, Need]:
    require(by, action, claim)
    need = _locked(claim.need_id)
    claim = Claim.objects.select_related("helper").get(pk=claim.pk)
    if claim.status != expected:
        raise InvalidInput(
            [
                problem(
                    "status", _("this claim is %(status)s") % {"status": claim.get_status_display()}
                )
            ]
        )
    claim.need = need
    return claim, need


def claim_deliver(*, by, claim: Claim, evidence, note: str = "") -> Claim:
    """Record that a pledge was delivered, with evidence (a photo or document)."""
    if not evidence:
        raise InvalidInput([problem("evidence", _("attach a photo or document as evidence"))])
    evidence = check_upload(evidence, field="evidence", label=_("Evidence"), accept=EVIDENCE)
    with transaction.atomic():
        claim, need = _claim_step(claim, Action.CLAIM_DELIVER, by, ClaimStatus.PLEDGED)
        claim.status, claim.delivered_at = ClaimStatus.DELIVERED, timezone.now()
        claim.evidence, claim.delivery_note = evidence, note.strip()
        claim.save()
        _apply(need, delivered=claim.amount)
        _tell_helper(claim, ClaimStatus.DELIVERED.label)
    return claim


def claim_confirm(*, by, claim: Claim, note: str) -> Claim:
    """Record the beneficiary's confirmation that the help arrived."""
    if not note.strip():
        raise InvalidInput(
            [problem("note", _("write how the beneficiary confirmed (who, when, what they said)"))]
        )
    with transaction.atomic():
        claim, need = _claim_step(claim, Action.CLAIM_CONFIRM, by, ClaimStatus.DELIVERED)
        claim.status, claim.confirmed_at = ClaimStatus.CONFIRMED, timezone.now()
        claim.confirmation_note = note.strip()
        claim.save()
        _apply(need, confirmed=claim.amount)
        _tell_helper(claim, ClaimStatus.CONFIRMED.label)
    return claim


def claim_cancel(*, by, claim: Claim, reason: str) -> Claim:
    """The helper takes back a pledge it has not delivered; the amount reopens."""
    if not reason.strip():
        raise InvalidInput([problem("reason", _("write the reason"))])
    with transaction.atomic():
        claim, need = _claim_step(claim, Action.CLAIM_DELIVER, by, ClaimStatus.PLEDGED)
        claim.status, claim.note = ClaimStatus.CANCELLED, f"{claim.note}\n{reason}".strip()
        claim.save()
        _apply(need, claimed=-claim.amount)
    return claim


def claims_release_overdue(*, today: date) -> int:
    """Release pledges not delivered by their date back to their needs (a daily job)."""
    released = 0
    overdue = Claim.objects.filter(status=ClaimStatus.PLEDGED, deliver_by__lt=today)
    for pk, need_pk in overdue.values_list("pk", "need_id"):
        with transaction.atomic():
            need = _locked(need_pk)
            claim = Claim.objects.select_related("helper").get(pk=pk)
            if claim.status != ClaimStatus.PLEDGED:
                continue
            claim.status = ClaimStatus.RELEASED
            claim.save()
            claim.need = need
            _apply(need, claimed=-claim.amount)
            _tell_helper(claim, ClaimStatus.RELEASED.label)
            released += 1
    return released
