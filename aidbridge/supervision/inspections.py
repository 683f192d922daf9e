"""The only writers of inspection visits and their findings: an assigned inspector records
the visit (the plan's checklist, notes, photos, when and, with consent, where), then adds
the findings, each of which opens a rectification order (supervision.orders)."""

from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.errors import InvalidInput, problem
from aidbridge.notifications.services import notify
from aidbridge.policy import Action, order_answerers, require
from aidbridge.regions.models import Region
from aidbridge.supervision import checklist, labels
from aidbridge.supervision.models import (
    Finding,
    FindingKind,
    InspectionPhoto,
    InspectionVisit,
    ObjectKind,
    RectificationOrder,
    VisitStatus,
)
from aidbridge.uploads import IMAGES, check_upload

MAX_PHOTOS = 10
MAX_NOTES = 5000
PHOTO = gettext_lazy("The photo")
ORDERED = gettext_lazy("A rectification order for your unit: %(kind)s, due %(due)s")
ORDERED_BODY = gettext_lazy(
    "An inspection visit found a problem (%(kind)s) in %(place)s. Rectify it and answer "
    "with evidence by %(due)s."
)
# Findings on these kinds go to the township of the visited place; the others to its region.
_TO_TOWNSHIP = {ObjectKind.HOUSEHOLD, ObjectKind.VILLAGE, ObjectKind.NEED}


def inspection_record(
    *,
    visit: InspectionVisit,
    by,
    answers: dict,
    notes: str = "",
    visited_on: date | None = None,
    visited_at: time | None = None,
    consent: bool = False,
    latitude=None,
    longitude=None,
    photos: list = (),
    client_key=None,
) -> InspectionVisit:
    """Record a visit: the plan's checklist (problems named ``answers.<question>``), notes,
    photos (images, re-encoded), the day and time, and the place only when the inspector
    consented (else no position is kept). A household's ``people`` is its registered size
    unless answered. Sent again with the same ``client_key`` (a form re-submitted after a
    dropped connection), the visit as recorded is returned and nothing is written twice.
    Checks everything first and writes nothing on an error."""
    require(by, Action.INSPECTION_RECORD, visit)
    if client_key is not None:
        done = InspectionVisit.objects.filter(client_key=client_key).first()
        if done is not None:
            if done.pk != visit.pk:
                raise InvalidInput([problem("client_key", _("belongs to another visit"))])
            return done
    answers = dict(answers)
    if visit.plan.kind == ObjectKind.HOUSEHOLD and visit.household is not None:
        answers.setdefault("people", visit.household.size)
    clean, found = checklist.check(visit.plan.kind, answers)
    errors = [problem(f"answers.{key}", labels.problem_text(text)) for key, text in found]
    visited_on = visited_on or timezone.localdate()
    if visited_on > timezone.localdate():
        errors.append(problem("visited_on", _("is in the future")))
    if len(notes) > MAX_NOTES:
        errors.append(problem("notes", _("at most %(n)s characters") % {"n": MAX_NOTES}))
    position = (None, None)
    if consent:
        position = _position(latitude, longitude, errors)
    if len(photos) > MAX_PHOTOS:
        errors.append(problem("photos", _("at most %(n)s photos") % {"n": MAX_PHOTOS}))
    checked = []
    for photo in photos[:MAX_PHOTOS]:
        try:
            checked.append(check_upload(photo, field="photos", label=PHOTO, accept=IMAGES))
        except InvalidInput as exc:
            errors += exc.errors
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        visit = InspectionVisit.objects.select_for_update().get(pk=visit.pk)
        if client_key is not None and visit.client_key == client_key:
            return visit
        if visit.status == VisitStatus.DONE:
            raise InvalidInput([problem("status", _("this visit is recorded already"))])
        visit.answers = clean
        visit.notes = notes.strip()
        visit.visited_on = visited_on
        visit.visited_at = visited_at
        visit.latitude, visit.longitude = position
        visit.client_key = client_key
        visit.recorded_by = by
        visit.recorded_at = timezone.now()
        visit.status = VisitStatus.DONE
        visit.save()
        for photo in checked:
            InspectionPhoto.objects.create(visit=visit, image=photo)
    return visit


def _position(latitude, longitude, errors: list) -> tuple:
    """The position rounded to six decimals, or (None, None) with the problems added."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat = round(Decimal(str(latitude)), 6)
        lon = round(Decimal(str(longitude)), 6)
    except (InvalidOperation, ValueError, TypeError):
        errors.append(problem("latitude", _("not a position")))
        return None, None
    if not -90 <= lat <= 90:
        errors.append(problem("latitude", _("between -90 and 90")))
    if not -180 <= lon <= 180:
        errors.append(problem("longitude", _("between -180 and 180")))
    return lat, lon


def responsible_unit(visit: InspectionVisit) -> Region:
    """Who rectifies a finding of ``visit`` unless told: the township of the visited place
    for households, villages and needs; the place itself (a project's or disbursement's
    region, a helper's) for the others."""
    if visit.plan.kind in _TO_TOWNSHIP and visit.region.level != "township":
        township = Region.objects.filter(
            code__in=visit.region.ancestor_codes(), level="township"
        ).first()
        if township is not None:
            return township
    return visit.region


def order_days(kind: str) -> int:
    """The days to rectify a finding of ``kind`` (settings.SUPERVISION_ORDER_DAYS)."""
    days = settings.SUPERVISION_ORDER_DAYS
    return int(days.get(kind, days.get("default", 30)))


def finding_add(
    *, visit: InspectionVisit, by, kind: str, description: str, unit: Region | None = None
) -> Finding:
    """A finding of a recorded visit, by one of its inspectors; it opens a rectification order
    to ``unit`` (default: responsible_unit) due in order_days(kind), and the unit's officers
    are told."""
    require(by, Action.INSPECTION_RECORD, visit)
    errors = []
    if visit.status != VisitStatus.DONE:
        errors.append(problem("visit", _("record the visit first")))
    if kind not in FindingKind.values:
        errors.append(problem("kind", _("choose what was found")))
    if not description.strip():
        errors.append(problem("description", _("describe what was found")))
    elif len(description) > MAX_NOTES:
        errors.append(problem("description", _("at most %(n)s characters") % {"n": MAX_NOTES}))
    if errors:
        raise InvalidInput(errors)
    return _finding_open(
        unit=unit or responsible_unit(visit),
        place=visit.region,
        visit=visit,
        kind=kind,
        description=description.strip(),
        created_by=by,
    )


def finding_refer(*, by, unit: Region, kind: str, description: str, source: str) -> Finding:
    """A matter referred to ``unit`` for rectification from elsewhere (``source``: a
    grievance's number), without a visit: its order's answer is verified by ``by``."""
    require(by, Action.ORDER_REFER, unit)
    errors = []
    if kind not in FindingKind.values:
        errors.append(problem("kind", _("choose what was found")))
    if not description.strip():
        errors.append(problem("description", _("describe what was found")))
    if errors:
        raise InvalidInput(errors)
    return _finding_open(
        unit=unit,
        place=unit,
        region=unit,
        source=source,
        kind=kind,
        description=description.strip()[:MAX_NOTES],
        created_by=by,
    )


def _finding_open(*, unit: Region, place: Region, kind: str, **fields) -> Finding:
    """Store a finding and its order to ``unit``, due in order_days(kind); tell the unit."""
    due = timezone.localdate() + timedelta(days=order_days(kind))
    with transaction.atomic():
        finding = Finding.objects.create(kind=kind, **fields)
        order = RectificationOrder.objects.create(finding=finding, region=unit, due=due)
        notify(
            users=order_answerers(order),
            subject=ORDERED,
            body=ORDERED_BODY,
            params={"kind": FindingKind(kind).label, "place": place.name, "due": due},
            url=reverse("supervision:order", args=[order.public_id]),
        )
    return finding
