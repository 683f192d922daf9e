"""The only writers of rectification orders after they are opened (supervision.inspections):
the unit answers with evidence, the inspector accepts (closed) or returns it (open again,
with a new due date), the daily job escalates overdue orders up the region tree, and
supervisors and auditors record who was held accountable."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.errors import InvalidInput, problem
from aidbridge.notifications.services import notify
from aidbridge.policy import Action, order_answerers, order_verifiers, require
from aidbridge.supervision.inspections import order_days
from aidbridge.supervision.models import (
    Accountability,
    OrderEvidence,
    OrderStatus,
    RectificationOrder,
)
from aidbridge.uploads import EVIDENCE, check_upload

MAX_TEXT = 5000
MAX_EVIDENCE = 10
EVIDENCE_FILE = gettext_lazy("The evidence")
ANSWERED = gettext_lazy("A rectification order was answered: verify it (%(kind)s)")
RETURNED = gettext_lazy("A rectification order was returned to your unit: %(kind)s, due %(due)s")
ESCALATED = gettext_lazy("An overdue rectification order is escalated to you: %(kind)s")
ESCALATED_BODY = gettext_lazy(
    "The order to %(unit)s was due %(due)s and is not answered. Answer it with evidence by "
    "%(new_due)s."
)


def _url(order: RectificationOrder) -> str:
    return reverse("supervision:order", args=[order.public_id])


def _text(value: str, field: str, missing, errors: list) -> str:
    value = value.strip()
    if not value:
        errors.append(problem(field, missing))
    elif len(value) > MAX_TEXT:
        errors.append(problem(field, _("at most %(n)s characters") % {"n": MAX_TEXT}))
    return value


def order_answer(
    *, order: RectificationOrder, by, answer: str, evidence: list = ()
) -> RectificationOrder:
    """The unit's answer: what was done, with evidence files (photos, PDF, Word or Excel; at
    least one with the order). The inspectors are told to verify it."""
    require(by, Action.ORDER_ANSWER, order)
    errors = []
    if order.status != OrderStatus.OPEN:
        errors.append(problem("status", _("only an open order can be answered")))
    answer = _text(answer, "answer", _("say what was done"), errors)
    if len(evidence) > MAX_EVIDENCE:
        errors.append(problem("evidence", _("at most %(n)s files") % {"n": MAX_EVIDENCE}))
    checked = []
    for file in evidence[:MAX_EVIDENCE]:
        try:
            checked.append(
                check_upload(file, field="evidence", label=EVIDENCE_FILE, accept=EVIDENCE)
            )
        except InvalidInput as exc:
            errors += exc.errors
    if not checked and not order.evidence.exists():
        errors.append(problem("evidence", _("add at least one file as evidence")))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
        if order.status != OrderStatus.OPEN:
            raise InvalidInput([problem("status", _("only an open order can be answered"))])
        for file in checked:
            OrderEvidence.objects.create(order=order, file=file)
        order.answer, order.answered_by, order.answered_at = answer, by, timezone.now()
        order.status = OrderStatus.ANSWERED
        order.save(update_fields=["answer", "answered_by", "answered_at", "status"])
        notify(
            users=order_verifiers(order),
            subject=ANSWERED,
            params={"kind": order.finding.get_kind_display()},
            url=_url(order),
        )
    return order


def order_verify(
    *, order: RectificationOrder, by, accept: bool, note: str = "", due: date | None = None
) -> RectificationOrder:
    """An inspector of the visit checks the answer: ``accept`` closes the order; otherwise it
    is returned (open again, a note saying why, due on ``due`` or in the finding kind's days)
    and the unit is told."""
    require(by, Action.ORDER_CLOSE, order)
    errors = []
    if order.status != OrderStatus.ANSWERED:
        errors.append(problem("status", _("only an answered order can be verified")))
    note = note.strip()
    if not accept and not note:
        errors.append(problem("note", _("say why the answer is not enough")))
    if len(note) > MAX_TEXT:
        errors.append(problem("note", _("at most %(n)s characters") % {"n": MAX_TEXT}))
    today = timezone.localdate()
    if not accept and due is not None and due <= today:
        errors.append(problem("due", _("a day after today")))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
        if order.status != OrderStatus.ANSWERED:
            raise InvalidInput([problem("status", _("only an answered order can be verified"))])
        order.note = note
        if accept:
            order.status, order.closed_by, order.closed_at = OrderStatus.CLOSED, by, timezone.now()
        else:
            order.status = OrderStatus.OPEN
            order.due = due or today + timedelta(days=order_days(order.finding.kind))
            order.returned += 1
            notify(
                users=order_answerers(order),
                subject=RETURNED,
                params={"kind": order.finding.get_kind_display(), "due": order.due},
                url=_url(order),
            )
        order.save()
    return order


def orders_escalate(*, today: date | None = None) -> int:
    """The daily job: every open order past its due date goes to the parent of the region it
    is with (its unit, or where it was escalated before), with a new due date
    (settings.SUPERVISION_ESCALATION_DAYS), and that region's officers are told. An order
    escalated today is not due again before its new date, so a second run marks nothing;
    one at the top of the tree stays where it is. Returns how many were escalated."""
    today = today or timezone.localdate()
    days = settings.SUPERVISION_ESCALATION_DAYS
    escalated = 0
    overdue = RectificationOrder.objects.filter(status=OrderStatus.OPEN, due__lt=today)
    for order in overdue.select_related("region__parent", "escalated_to__parent", "finding"):
        parent = (order.escalated_to or order.region).parent
        if parent is None:
            continue
        with transaction.atomic():
            was_due = order.due
            changed = RectificationOrder.objects.filter(
                pk=order.pk, status=OrderStatus.OPEN, due=was_due
            ).update(escalated_to=parent, escalated_on=today, due=today + timedelta(days=days))
            if not changed:
                continue
            order.escalated_to = parent
            notify(
                users=order_answerers(order),
                subject=ESCALATED,
                body=ESCALATED_BODY,
                params={
                    "kind": order.finding.get_kind_display(),
                    "unit": order.region.name,
                    "due": was_due,
                    "new_due": today + timedelta(days=days),
                },
                url=_url(order),
            )
        escalated += 1
    return escalated


def accountability_record(
    *, order: RectificationOrder, by, person: str, position: str = "", measure: str
) -> Accountability:
    """Who was held responsible for an order's finding and how (supervisors, auditors)."""
    require(by, Action.ACCOUNTABILITY_RECORD, order)
    errors = []
    person, position, measure = person.strip(), position.strip(), measure.strip()
    if not person:
        errors.append(problem("person", _("name the person held responsible")))
    elif len(person) > 100:
        errors.append(problem("person", _("at most %(n)s characters") % {"n": 100}))
    if len(position) > 100:
        errors.append(problem("position", _("at most %(n)s characters") % {"n": 100}))
    if not measure:
        errors.append(problem("measure", _("say what measure was taken")))
    elif len(measure) > 300:
        errors.append(problem("measure", _("at most %(n)s characters") % {"n": 300}))
    if errors:
        raise InvalidInput(errors)
    return Accountability.objects.create(
        order=order, person=person, position=position, measure=measure, recorded_by=by
    )
