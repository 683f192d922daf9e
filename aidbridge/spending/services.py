"""Recording, approving and rejecting a project's spending; the only writers of spending and
the only place it reaches the ledger.

``spending_record`` checks everything (each refusal names its field), stores the evidence
(uploads.check_upload: images re-encoded) and either posts at once or, at or above the
threshold of the recorder's helper (the project's initiator's for region users), waits for a
second person's ``spending_approve``. Posting takes the project's row lock and checks again
that the giver holds enough, so two spenders never overdraw it; a refusal names the balance.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.accounts.models import User
from aidbridge.donations.models import Donation, DonationStatus
from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.ledger.models import Account, AccountKind, Entry, EntryKind
from aidbridge.ledger.rules import MAX_MEMO, date_errors
from aidbridge.ledger.services import (
    account_of,
    account_open,
    entry_post,
    entry_reverse,
    helper_account,
    project_account,
)
from aidbridge.ledger.tasks import checkpoint_soon
from aidbridge.needs import lifecycle
from aidbridge.notifications.services import notify
from aidbridge.policy import Action, acts_for_helper, can, require
from aidbridge.projects.models import Project
from aidbridge.spending.models import (
    Evidence,
    RecipientKind,
    Spending,
    SpendingKind,
    SpendingStatus,
)
from aidbridge.spending.selectors import Holdings, holdings, project_holdings, refundable
from aidbridge.uploads import EVIDENCE, check_upload
from aidbridge.validation import is_whole

# Needs money may go to: verified and published, not closed.
PAYABLE = frozenset(lifecycle.PUBLIC - {lifecycle.Status.CLOSED})
DEFAULT_THRESHOLD = Organization._meta.get_field("spending_approval_threshold").default
OUTSIDE = "outside"  # the account of suppliers and everyone outside the platform
WAITING = gettext_lazy("Spending of %(project)s waits for your approval")
DECIDED = gettext_lazy("Your spending of %(project)s was %(decision)s")
APPROVED, REJECTED = gettext_lazy("approved"), gettext_lazy("rejected")


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals, for messages: 123456 -> "1,234.56"."""
    sign, (whole, cents) = ("-" if fen < 0 else ""), divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def spending_record(
    *,
    by,
    project: Project,
    kind: str,
    purpose: str,
    on: date | None = None,
    amount: int | None = None,
    quantity: int | None = None,
    unit: str = "",
    goods: str = "",
    recipient_kind: str = "",
    need=None,
    household=None,
    village=None,
    organization: Organization | None = None,
    supplier: str = "",
    invoice_number: str = "",
    donation: Donation | None = None,
    reverses: Entry | None = None,
    evidence=(),
    invoice=None,
) -> Spending:
    """Record a spending of `project` (see the module). Money is ``amount`` fen; goods given
    from the project's materials are ``quantity`` of ``unit`` (their value is the average
    value the project holds them at); a purchase is ``amount`` fen for ``quantity`` of
    ``unit`` of ``goods`` from ``supplier`` with ``invoice_number`` and the ``invoice``."""
    require(by, Action.SPENDING_RECORD, project)
    on = on or timezone.localdate()
    record = Spending(
        project=project,
        kind=kind,
        on=on,
        purpose=(purpose or "").strip(),
        quantity=quantity,
        unit=(unit or "").strip(),
        goods=(goods or "").strip(),
        recipient_kind=recipient_kind or "",
        need=need,
        household=household,
        village=village,
        organization=organization,
        supplier=(supplier or "").strip(),
        invoice_number=(invoice_number or "").strip(),
        donation=donation,
        reverses=reverses,
        recorded_by=by,
    )
    errors = _errors(record, amount, list(evidence or ()), invoice)
    if errors:
        raise InvalidInput(errors)
    files = [
        check_upload(f, field="evidence", label=_("Evidence"), accept=EVIDENCE)
        for f in evidence or ()
    ]
    if invoice:
        invoice = check_upload(invoice, field="invoice", label=_("Invoice"), accept=EVIDENCE)
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        record.amount = _value(record, amount)
        _check_held(record)
        waits = record.amount >= threshold_for(by, project)
        record.status = SpendingStatus.PENDING if waits else SpendingStatus.POSTED
        if not waits:
            record.entry = _post(record, by)
        record.save()
        Evidence.objects.bulk_create(
            [Evidence(spending=record, file=f, uploaded_by=by) for f in files]
            + (
                [Evidence(spending=record, file=invoice, invoice=True, uploaded_by=by)]
                if invoice
                else []
            )
        )
        if waits:
            transaction.on_commit(lambda: _tell_approvers(record))
    return record


def spending_approve(*, by, spending: Spending) -> Spending:
    """A second person approves a waiting spending: it is checked again and posted."""
    require(by, Action.SPENDING_APPROVE, spending)
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=spending.project_id)
        spending = Spending.objects.select_for_update().get(pk=spending.pk)
        if spending.status != SpendingStatus.PENDING:
            raise InvalidInput([problem("status", _("only a waiting spending can be decided"))])
        if spending.in_kind and not _buys(spending):  # goods' value as held today
            spending.amount = _value(spending, None)
        _check_held(spending)
        spending.entry = _post(spending, by)
        spending.status = SpendingStatus.POSTED
        spending.decided_by, spending.decided_at = by, timezone.now()
        spending.save(update_fields=["amount", "entry", "status", "decided_by", "decided_at"])
    _tell_recorder(spending, APPROVED)
    return spending


def spending_reject(*, by, spending: Spending, reason: str) -> Spending:
    """A second person rejects a waiting spending, saying why; nothing is posted."""
    require(by, Action.SPENDING_APPROVE, spending)
    reason = (reason or "").strip()
    if not reason or len(reason) > 1000:
        raise InvalidInput([problem("reason", _("write why, in at most 1,000 characters"))])
    with transaction.atomic():
        spending = Spending.objects.select_for_update().get(pk=spending.pk)
        if spending.status != SpendingStatus.PENDING:
            raise InvalidInput([problem("status", _("only a waiting spending can be decided"))])
        spending.status, spending.reason = SpendingStatus.REJECTED, reason
        spending.decided_by, spending.decided_at = by, timezone.now()
        spending.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    _tell_recorder(spending, REJECTED)
    return spending


def threshold_set(*, by, helper: Organization, amount: int) -> Organization:
    """The helper's admin sets the amount (fen) from which its spending needs approval."""
    require(by, Action.SPENDING_THRESHOLD_SET, helper)
    if not is_whole(amount) or not 0 < amount <= settings.SPENDING_MAX_FEN:
        raise InvalidInput(
            [problem("threshold", _("must be an amount above zero, at most the ceiling"))]
        )
    helper.spending_approval_threshold = amount
    helper.save(update_fields=["spending_approval_threshold"])
    return helper


def threshold_for(user, project: Project) -> int:
    """Fen from which a spending recorded by `user` on `project` waits for approval: the
    threshold of the user's helper, for region users the project initiator's."""
    helper = user.organization if acts_for_helper(user, user.organization) else project.initiator
    return helper.spending_approval_threshold if helper else DEFAULT_THRESHOLD


# Checks -------------------------------------------------------------------------------------


def _buys(record: Spending) -> bool:
    return record.kind == SpendingKind.PURCHASE


def _errors(record: Spending, amount, evidence: list, invoice) -> list[dict]:
    """Everything wrong with the record before anything is stored, each naming its field."""
    errors = [problem("on", message) for _field, message in date_errors(record.on)]
    kind = record.kind
    if kind not in SpendingKind.values:
        return [*errors, problem("kind", _("choose one of the kinds of spending"))]
    if not record.purpose or len(record.purpose) > 200:
        errors.append(problem("purpose", _("say what it is for, in at most 200 characters")))
    goods_given = kind == SpendingKind.DISBURSEMENT and record.quantity is not None
    if kind != SpendingKind.REVERSAL and not goods_given:
        if not is_whole(amount) or not 0 < amount <= settings.SPENDING_MAX_FEN:
            errors.append(
                problem(
                    "amount",
                    _("must be an amount above zero and at most %(max)s yuan")
                    % {"max": yuan(settings.SPENDING_MAX_FEN)},
                )
            )
    if record.quantity is not None or record.unit or _buys(record):
        if kind not in (SpendingKind.DISBURSEMENT, SpendingKind.PURCHASE):
            errors.append(problem("quantity", _("only disbursements and purchases move goods")))
        elif not is_whole(record.quantity) or record.quantity <= 0:
            errors.append(problem("quantity", _("must be a whole number above zero")))
        if not record.unit or len(record.unit) > 20 or " " in record.unit:
            errors.append(problem("unit", _("name the unit in up to 20 characters without spaces")))
    if kind != SpendingKind.REVERSAL and not (evidence or invoice):
        errors.append(problem("evidence", _("attach a photo or document as evidence")))
    errors += _CHECKS[kind](record, invoice)
    return errors


def _disbursement_errors(record: Spending, invoice) -> list[dict]:
    project, to = record.project, record.recipient_kind
    if to not in RecipientKind.values:
        return [problem("recipient_kind", _("choose whom it goes to"))]
    wanted = {
        RecipientKind.NEED: ("need", record.need),
        RecipientKind.HOUSEHOLD: ("household", record.household),
        RecipientKind.VILLAGE: ("village", record.village),
        RecipientKind.PARTNER: ("organization", record.organization),
        RecipientKind.SUPPLIER: ("supplier", record.supplier),
    }
    field, chosen = wanted[to]
    if not chosen:
        return [problem(field, _("choose whom it goes to"))]
    if to == RecipientKind.NEED:
        if not project.needs.filter(pk=record.need.pk).exists():
            return [problem("need", _("choose a need linked to the project"))]
        if record.need.status not in PAYABLE:
            return [
                problem(
                    "need",
                    _("the need is “%(status)s”: money goes only to verified, published needs")
                    % {"status": record.need.get_status_display()},
                )
            ]
    if (
        to == RecipientKind.HOUSEHOLD
        and not project.households.filter(pk=record.household.pk).exists()
    ):
        return [problem("household", _("choose a household linked to the project"))]
    if to == RecipientKind.VILLAGE and not (
        record.village.level == "village" and record.village.path.startswith(project.region.path)
    ):
        return [problem("village", _("choose a village of the project's region"))]
    if (
        to == RecipientKind.PARTNER
        and not project.partners.filter(helper=record.organization).exists()
    ):
        return [problem("organization", _("choose one of the project's partner organizations"))]
    if to == RecipientKind.SUPPLIER and len(record.supplier) > 200:
        return [problem("supplier", _("write at most 200 characters"))]
    return []


def _purchase_errors(record: Spending, invoice) -> list[dict]:
    errors = []
    if not record.supplier or len(record.supplier) > 200:
        errors.append(problem("supplier", _("name the supplier in at most 200 characters")))
    if not record.invoice_number or len(record.invoice_number) > 60:
        errors.append(
            problem("invoice_number", _("write the invoice number (at most 60 characters)"))
        )
    if not record.goods or len(record.goods) > 200:
        errors.append(problem("goods", _("describe the goods in at most 200 characters")))
    if not invoice:
        errors.append(problem("invoice", _("attach the invoice (a photo or PDF)")))
    return errors


def _transfer_errors(record: Spending, invoice) -> list[dict]:
    fund = record.organization
    if fund is None:
        return [problem("organization", _("choose the fund"))]
    project, by = record.project, record.recorded_by
    if not (
        acts_for_helper(by, fund)
        or fund.pk == project.initiator_id
        or project.partners.filter(helper=fund).exists()
    ):
        return [
            problem(
                "organization",
                _("choose your own helper's fund, or the initiator's or a partner's"),
            )
        ]
    return []


def _refund_errors(record: Spending, invoice) -> list[dict]:
    donation = record.donation
    if donation is None:
        return [problem("donation", _("choose the donation to refund"))]
    if donation.project_id != record.project_id or donation.status != DonationStatus.RECEIVED:
        return [problem("donation", _("choose a donation this project received"))]
    if donation.in_kind:
        return [problem("donation", _("goods given in kind are not refunded as money"))]
    return []


def _reversal_errors(record: Spending, invoice) -> list[dict]:
    entry = record.reverses
    if entry is None:
        return [problem("reverses", _("name the entry to reverse"))]
    if not entry.postings.filter(account__project=record.project).exists():
        return [
            problem("reverses", _("entry %(seq)s does not touch this project") % {"seq": entry.seq})
        ]
    if entry.kind == EntryKind.DONATION:
        return [problem("reverses", _("a donation is not reversed: refund it instead"))]
    if entry.kind == EntryKind.REVERSAL:
        return [problem("reverses", _("a reversal is not reversed: post the right entry again"))]
    later = Entry.objects.filter(reverses=entry).values_list("seq", flat=True).first()
    if later is not None:
        return [
            problem(
                "reverses",
                _("entry %(seq)s is already reversed by entry %(by)s")
                % {"seq": entry.seq, "by": later},
            )
        ]
    if Spending.objects.filter(reverses=entry, status=SpendingStatus.PENDING).exists():
        return [problem("reverses", _("a reversal of this entry already waits for approval"))]
    return []


_CHECKS = {
    SpendingKind.DISBURSEMENT: _disbursement_errors,
    SpendingKind.PURCHASE: _purchase_errors,
    SpendingKind.TRANSFER_IN: _transfer_errors,
    SpendingKind.TRANSFER_OUT: _transfer_errors,
    SpendingKind.REFUND: _refund_errors,
    SpendingKind.REVERSAL: _reversal_errors,
}


def _value(record: Spending, amount: int | None) -> int:
    """The record's amount in fen: as given, or the value of goods given from the project's
    holdings, or what the reversed entry moved for the project."""
    if record.kind == SpendingKind.REVERSAL:
        money, goods = _moved(record)
        return abs(money) or sum(abs(value) for _q, value in goods.values()) or 1
    if record.in_kind and not _buys(record):
        return project_holdings(record.project).goods_of(record.unit).value_of(record.quantity) or 1
    return amount


def _check_held(record: Spending) -> None:
    """Refuse, naming the balance, what the giver does not hold; the caller holds the
    project's row lock."""
    if record.kind == SpendingKind.REVERSAL:  # undoing what the project received
        money, goods = _moved(record)
        held = project_holdings(record.project)
        if money > 0 and held.money < money:
            _refuse_money("reverses", held)
        for unit, (quantity, _value) in goods.items():
            if quantity > 0 and held.goods_of(unit).quantity < quantity:
                _refuse_goods("reverses", held, unit)
        return
    if record.kind == SpendingKind.TRANSFER_IN:
        held = holdings(_fund(record.organization))
        if held.money < record.amount:
            _refuse_money("amount", held, _("the fund holds %(money)s yuan"))
        return
    held = project_holdings(record.project)
    if record.kind == SpendingKind.REFUND:
        left = refundable(record.donation)
        if record.amount > left:
            raise InvalidInput(
                [
                    problem(
                        "amount",
                        _("at most %(left)s yuan is left of this donation to refund")
                        % {"left": yuan(left)},
                    )
                ]
            )
    if record.in_kind and not _buys(record):
        if held.goods_of(record.unit).quantity < record.quantity:
            _refuse_goods("quantity", held, record.unit)
        return
    if held.money < record.amount:
        _refuse_money("amount", held)


def _moved(record: Spending) -> tuple[int, dict[str, tuple[int, int]]]:
    """What the reversed entry moved for the project: money (fen) and goods by unit
    (quantity, value), positive for what it received."""
    money, goods = 0, {}
    for p in record.reverses.postings.filter(account__project=record.project):
        if p.quantity is None:
            money += p.amount
        else:
            quantity, value = goods.get(p.unit, (0, 0))
            goods[p.unit] = (quantity + p.quantity, value + p.amount)
    return money, goods


def _refuse_goods(field: str, held: Holdings, unit: str) -> None:
    quantity = held.goods_of(unit).quantity
    raise InvalidInput(
        [
            problem(
                field,
                _("the project holds %(quantity)s %(unit)s") % {"quantity": quantity, "unit": unit},
            )
        ]
    )


def _refuse_money(field: str, held: Holdings, message=None) -> None:
    text = message or _("the project holds %(money)s yuan")
    raise InvalidInput([problem(field, text % {"money": yuan(held.money)})])


# Posting ------------------------------------------------------------------------------------


def _fund(helper: Organization) -> Account:
    kind = (
        AccountKind.GOVERNMENT_FUND
        if helper.kind == OrganizationKind.GOVERNMENT
        else AccountKind.ORGANIZATION
    )
    return helper_account(kind, helper)


def outside_account() -> Account:
    """The account of suppliers and everyone outside the platform, opened on first use."""
    return Account.objects.filter(code=OUTSIDE).first() or account_open(
        kind=AccountKind.EXTERNAL,
        code=OUTSIDE,
        name_zh="平台以外（供应商、服务方、财政）",
        name_en="Outside the platform (suppliers, providers, budget)",
    )


def _village_account(village) -> Account:
    code = f"village-{village.code}"
    return Account.objects.filter(code=code).first() or account_open(
        kind=AccountKind.EXTERNAL, code=code, name_zh=village.name_zh, name_en=village.name_en
    )


def _receiver(record: Spending) -> Account:
    match record.recipient_kind:
        case RecipientKind.NEED:
            need = record.need
            return account_of(kind=AccountKind.NEED, need=need, name_zh=f"需求 {need.public_id}")
        case RecipientKind.HOUSEHOLD:
            home = record.household
            return account_of(
                kind=AccountKind.HOUSEHOLD, household=home, name_zh=f"受助家庭 {home.public_id}"
            )
        case RecipientKind.VILLAGE:
            return _village_account(record.village)
        case RecipientKind.PARTNER:
            return helper_account(AccountKind.ORGANIZATION, record.organization)
    return outside_account()


def _memo(record: Spending) -> str:
    """The entry's memo (hashed into the ledger): the purpose, and who was paid when that is
    not an account of its own; never a person's name or number."""
    parts = [record.purpose]
    if record.supplier:
        parts.append(record.supplier)
    if record.invoice_number:
        parts.append(f"发票 invoice {record.invoice_number}")
    return " · ".join(parts)[:MAX_MEMO]


def _post(record: Spending, by) -> Entry:
    """Post the record's entry; the caller checked it and holds the project's row lock."""
    if record.kind == SpendingKind.REVERSAL:
        entry = entry_reverse(by=by, entry=record.reverses, memo=record.purpose, date=record.on)
        checkpoint_soon()
        return entry
    project = project_account(record.project)
    value = record.amount
    match record.kind:
        case SpendingKind.DISBURSEMENT:
            kind, giver, receiver = EntryKind.DISBURSEMENT, project, _receiver(record)
        case SpendingKind.PURCHASE:
            kind, giver, receiver = EntryKind.PURCHASE, project, outside_account()
        case SpendingKind.TRANSFER_IN:
            kind, giver, receiver = EntryKind.TRANSFER, _fund(record.organization), project
        case SpendingKind.TRANSFER_OUT:
            kind, giver, receiver = EntryKind.TRANSFER, project, _fund(record.organization)
        case _:  # refund
            donor = helper_account(AccountKind.DONOR, record.donation.donor)
            kind, giver, receiver = EntryKind.REFUND, project, donor
    goods = {"quantity": record.quantity, "unit": record.unit} if record.in_kind else {}
    minus = {"quantity": -record.quantity, "unit": record.unit} if record.in_kind else {}
    if record.kind == SpendingKind.PURCHASE:  # money out to the supplier, goods in
        postings = [
            {"account": project, "amount": -value},
            {"account": receiver, "amount": value},
            {"account": receiver, "amount": -value, **minus},
            {"account": project, "amount": value, **goods},
        ]
    else:
        postings = [
            {"account": giver, "amount": -value, **minus},
            {"account": receiver, "amount": value, **goods},
        ]
    entry = entry_post(by=by, kind=kind, date=record.on, memo=_memo(record), postings=postings)
    checkpoint_soon()
    return entry


# Notices ------------------------------------------------------------------------------------


def _page(record: Spending) -> str:
    return reverse("spending:project", args=[record.project.public_id])


def _tell_approvers(record: Spending) -> None:
    notify(
        users=_approvers(record),
        subject=WAITING,
        params={"project": record.project.title},
        url=_page(record),
    )


def _approvers(record: Spending) -> list:
    """Who may approve the record: the recorder's colleagues of the same helper (or region)."""
    recorder = record.recorded_by
    if acts_for_helper(recorder, recorder.organization):
        candidates = User.objects.filter(organization_id=recorder.organization_id)
    else:
        candidates = User.objects.filter(region_id=recorder.region_id, organization=None)
    return [
        u
        for u in candidates.filter(is_active=True).exclude(pk=recorder.pk).select_related("region")
        if can(u, Action.SPENDING_APPROVE, record)
    ]


def _tell_recorder(record: Spending, decision) -> None:
    notify(
        users=[record.recorded_by],
        subject=DECIDED,
        params={"project": record.project.title, "decision": decision},
        url=_page(record),
    )
