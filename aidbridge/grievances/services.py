"""The writers of grievances: file (portal, a clerk on someone's behalf, API), assign, take
up, escalate, decide, appeal, and the daily job that marks grievances at risk and escalates
overdue ones up the region tree. Each writes its event in the same transaction.

The same person (for "a third complaint within six months escalates") is the keyed digest of
the phone given (digits only, without a leading 86), or of the account that filed: never the
number in clear for an anonymous complaint (docs/supervision.md, "Grievances")."""

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput, problem
from aidbridge.grievances import sla
from aidbridge.grievances.models import (
    FINDING_OF,
    OPEN,
    Channel,
    Decision,
    EventKind,
    Grievance,
    GrievanceEvent,
    Reason,
    Sensitivity,
    Severity,
    Status,
    YearCounter,
)
from aidbridge.grievances.selectors import appeal_refusal, grievance_by_code, level_officers
from aidbridge.keys.store import pii_key
from aidbridge.notifications.services import notify
from aidbridge.phones import PHONE
from aidbridge.policy import Action, can, require
from aidbridge.regions.models import Region
from aidbridge.supervision.inspections import finding_refer

MAX_DESCRIPTION = 2000
MAX_NAME = 50
MAX_PHONE = 30
MAX_REFERENCE = 100
# Tracking codes avoid letters and digits that read alike (0/O, 1/I/L), as monitoring's.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# What a complaint of a category is by default when the complainant does not say (portal).
DEFAULT_SEVERITY = {
    "child_abuse": Severity.CRITICAL,
    "violence": Severity.CRITICAL,
    "misuse_of_funds": Severity.HIGH,
    "officer_misconduct": Severity.HIGH,
    "aid_not_received": Severity.HIGH,
}
DEFAULT_SENSITIVITY = {
    "child_abuse": Sensitivity.HIGHLY_SENSITIVE,
    "violence": Sensitivity.HIGHLY_SENSITIVE,
    "officer_misconduct": Sensitivity.SENSITIVE,
}

NEW_SUBJECT = gettext_lazy("New grievance %(number)s at your level")
ESCALATED_SUBJECT = gettext_lazy("Grievance %(number)s escalated to you")
ESCALATED_BODY = gettext_lazy("%(reason)s It is due by %(due)s.")
AT_RISK_SUBJECT = gettext_lazy("Grievance %(number)s: less than a quarter of its time is left")
AT_RISK_BODY = gettext_lazy("It is due by %(due)s.")
ASSIGNED_SUBJECT = gettext_lazy("Grievance %(number)s is assigned to you")


def new_tracking_code() -> str:
    """``G`` and ten characters: about 49 bits, not guessable, easy to read over a phone."""
    return "G" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def person_key(*, phone: str = "", user=None) -> bytes | None:
    """The keyed digest that tells a complainant's complaints apart from others': of the
    phone's digits (without a leading 86 or 0086), else of the account; None without either."""
    if phone:
        digits = re.sub(r"\D", "", phone)
        digits = re.sub(r"^(?:00)?86(?=1\d{10}$)", "", digits)
        subject = f"phone:{digits}" if digits else ""
    else:
        subject = f"user:{user.pk}" if user is not None and user.is_authenticated else ""
    if not subject:
        return None
    master, _source = pii_key()
    key = hmac.new(master, b"aidbridge grievance complainant", hashlib.sha256).digest()
    return hmac.new(key, subject.encode(), hashlib.sha256).digest()


def _limits() -> dict:
    limits = dict(sla.DEFAULT_LIMITS)
    limits.update({sev: sla.parse_limit(text) for sev, text in settings.GRIEVANCE_LIMITS.items()})
    return limits


def time_limit(category: str, severity: str) -> sla.Limit:
    overrides = {
        category: {sev: sla.parse_limit(text) for sev, text in own.items()}
        for category, own in settings.GRIEVANCE_CATEGORY_LIMITS.items()
    }
    return sla.limit_for(category, severity, _limits(), overrides)


def _due(grievance: Grievance, start: datetime) -> datetime:
    limit = time_limit(grievance.category, grievance.severity)
    return sla.due_at(timezone.localtime(start), limit)


def level_of(region: Region) -> Region:
    """The region whose officers first handle a complaint about ``region``: its ancestor at
    settings.GRIEVANCE_LEVEL, or the region itself when it lies above that level."""
    levels = [key for key, _label in settings.REGION_LEVELS]
    wanted = settings.GRIEVANCE_LEVEL
    if levels.index(region.level) <= levels.index(wanted):
        return region
    found = Region.objects.filter(code__in=region.ancestor_codes(), level=wanted).first()
    return found or region


def _take_number(year: int) -> str:
    """The next number of the year, in the caller's transaction: the counter's row stays
    locked until it commits, so a rolled-back filing gives its number back."""
    YearCounter.objects.get_or_create(year=year)
    YearCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = YearCounter.objects.filter(year=year).values_list("last", flat=True).get()
    return f"{year}-{last:06d}"


def _event(
    grievance: Grievance, kind: str, *, by=None, reason: str = "", note: str = "", at=None
) -> None:
    GrievanceEvent.objects.create(
        grievance=grievance,
        kind=kind,
        by=by,
        reason=reason,
        note=note,
        level_region=grievance.level_region,
        at=at or timezone.now(),
    )


def detail_url(grievance: Grievance) -> str:
    return reverse("grievances:detail", args=[grievance.public_id])


def _said_problems(description: str, anonymous: bool, name: str, phone: str) -> list[dict]:
    errors = []
    if not description.strip():
        errors.append(problem("description", _("Say what the complaint is about.")))
    elif len(description) > MAX_DESCRIPTION:
        errors.append(
            problem("description", _("at most %(n)s characters") % {"n": MAX_DESCRIPTION})
        )
    if len(name) > MAX_NAME:
        errors.append(problem("name", _("at most %(n)s characters") % {"n": MAX_NAME}))
    if not anonymous and not name.strip():
        errors.append(problem("name", _("Give a name, or file anonymously.")))
    if phone.strip() and (len(phone) > MAX_PHONE or not PHONE.fullmatch(phone.strip())):
        errors.append(problem("phone", _("Enter a phone number (digits only).")))
    return errors


def grievance_file(
    *,
    channel: str,
    region_code: str,
    category: str,
    description: str,
    anonymous: bool = True,
    name: str = "",
    phone: str = "",
    severity: str = "",
    sensitivity: str = "",
    by=None,
    account=None,
    now: datetime | None = None,
) -> Grievance:
    """File a complaint about a region (a village or wider). ``by`` is None on the portal
    and the public API; a clerk or officer filing on someone's behalf (phone, visit, API)
    must be allowed to record complaints about that region. Severity and sensitivity
    default by category. An anonymous complaint keeps no name and no phone: only the phone's
    keyed digest (or, without a phone, that of ``account``: a logged-in user filing on the
    portal). Abuse of a child, violence and a person's third complaint within six months
    go to the next level at once."""
    now = now or timezone.now()
    name, phone = name.strip(), phone.strip()
    region = Region.objects.filter(code=(region_code or "").strip()).first()
    errors = []
    if region is None:
        errors.append(problem("region", _("Pick a region or village.")))
    elif by is not None and not can(by, Action.GRIEVANCE_RECORD, region):
        errors.append(problem("region", _("You may not record complaints about this region.")))
    if channel not in Channel.values:
        errors.append(problem("channel", _("Choose a channel.")))
    if category not in dict(settings.GRIEVANCE_CATEGORIES):
        errors.append(problem("category", _("Choose a category.")))
    severity = severity or DEFAULT_SEVERITY.get(category, Severity.MEDIUM)
    if severity not in Severity.values:
        errors.append(problem("severity", _("Choose a severity.")))
    sensitivity = sensitivity or DEFAULT_SENSITIVITY.get(category, Sensitivity.STANDARD)
    if sensitivity not in Sensitivity.values:
        errors.append(problem("sensitivity", _("Choose a sensitivity.")))
    errors += _said_problems(description, anonymous, name, phone)
    if errors:
        raise InvalidInput(errors)
    key = person_key(phone=phone, user=account)
    level = level_of(region)
    with transaction.atomic():
        grievance = Grievance(
            channel=channel,
            category=category,
            severity=severity,
            sensitivity=sensitivity,
            region=region,
            region_path=region.path,
            level_region=level,
            level_path=level.path,
            anonymous=anonymous,
            complainant_name="" if anonymous else name,
            complainant_phone="" if anonymous else phone,
            complainant_key=key,
            description=description.strip(),
            opened_at=now,
            clock_started=now,
            created_by=by,
        )
        grievance.due = _due(grievance, now)
        grievance.number = _take_number(timezone.localtime(now).year)
        _save_new(grievance)
        _event(grievance, EventKind.FILED, by=by, at=now)
        reason = _at_once(grievance, key, now)
        if reason is None or not _move_up(grievance, now=now, reason=reason):
            notify(
                users=level_officers(grievance),
                subject=NEW_SUBJECT,
                params={"number": grievance.number},
                url=detail_url(grievance),
            )
    return grievance


def _save_new(grievance: Grievance) -> None:
    for _attempt in range(5):  # a clash of random codes is rare; try another
        grievance.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():
                grievance.save()
            return
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free tracking code")


def _at_once(grievance: Grievance, key: bytes | None, now: datetime):
    """Why the new complaint goes to the next level at once (None: it does not)."""
    earlier = []
    if key is not None:
        earlier = list(
            Grievance.objects.filter(complainant_key=key, appeal_of__isnull=True)
            .exclude(pk=grievance.pk)
            .filter(opened_at__gte=now - timedelta(days=sla.REPEAT_DAYS))
            .values_list("opened_at", flat=True)
        )
    if not sla.escalates_at_once(grievance.category, earlier, now):
        return None
    return Reason.IMMEDIATE if grievance.category in sla.IMMEDIATE else Reason.REPEAT


def _move_up(grievance: Grievance, *, now: datetime, reason: Reason, by=None, note="") -> bool:
    """Send an open grievance one level up the region tree, its clock restarted there, and
    tell that level's officers. False at the top of the tree (nothing changes)."""
    parent = grievance.level_region.parent
    if parent is None:
        return False
    grievance.level_region, grievance.level_path = parent, parent.path
    grievance.status, grievance.assigned_to = Status.NEW, None
    grievance.clock_started, grievance.due = now, _due(grievance, now)
    grievance.at_risk = False
    grievance.escalations += 1
    grievance.save()
    _event(grievance, EventKind.ESCALATED, by=by, reason=reason, note=note, at=now)
    notify(
        users=level_officers(grievance),
        subject=ESCALATED_SUBJECT,
        body=ESCALATED_BODY,
        params={
            "number": grievance.number,
            "reason": reason.label,
            "due": timezone.localtime(grievance.due).strftime("%Y-%m-%d %H:%M"),
        },
        url=detail_url(grievance),
    )
    return True


def _locked_open(grievance: Grievance) -> Grievance:
    grievance = (
        Grievance.objects.select_for_update().select_related("level_region").get(pk=grievance.pk)
    )
    if grievance.status not in OPEN:
        raise InvalidInput([problem("status", _("This grievance is decided already."))])
    return grievance


def grievance_assign(*, by, grievance: Grievance, to: User) -> Grievance:
    """Give the grievance to an officer of its level (who is told)."""
    require(by, Action.GRIEVANCE_ACT, grievance)
    if not can(to, Action.GRIEVANCE_ACT, grievance):
        raise InvalidInput([problem("to", _("Assign it to an officer of its level."))])
    with transaction.atomic():
        grievance = _locked_open(grievance)
        grievance.assigned_to = to
        if grievance.status == Status.NEW:
            grievance.status = Status.ASSIGNED
        grievance.save(update_fields=["assigned_to", "status"])
        _event(grievance, EventKind.ASSIGNED, by=by, note=str(to))
        if to.pk != by.pk:
            notify(
                users=[to],
                subject=ASSIGNED_SUBJECT,
                params={"number": grievance.number},
                url=detail_url(grievance),
            )
    return grievance


def grievance_take_up(*, by, grievance: Grievance) -> Grievance:
    """The officer starts working on it (it becomes theirs)."""
    require(by, Action.GRIEVANCE_ACT, grievance)
    with transaction.atomic():
        grievance = _locked_open(grievance)
        grievance.status, grievance.assigned_to = Status.IN_PROGRESS, by
        grievance.save(update_fields=["status", "assigned_to"])
        _event(grievance, EventKind.TAKEN_UP, by=by)
    return grievance


def grievance_escalate(*, by, grievance: Grievance, note: str = "", now=None) -> Grievance:
    """The officer of its level sends it up (beyond their power, or a conflict of interest)."""
    require(by, Action.GRIEVANCE_ACT, grievance)
    now = now or timezone.now()
    with transaction.atomic():
        grievance = _locked_open(grievance)
        if not _move_up(grievance, now=now, reason=Reason.BY_OFFICER, by=by, note=note.strip()):
            raise InvalidInput([problem("level", _("There is no level above this one."))])
    return grievance


def grievance_decide(
    *, by, grievance: Grievance, decision: str, reply: str, reference: str = "", now=None
) -> Grievance:
    """Close it with a decision and a reply to the complainant. "Referred to a rectification
    order" opens one to the office of the region it concerns, whose answer ``by`` then
    verifies; "referred to a case" names the case (free text until case work exists)."""
    require(by, Action.GRIEVANCE_ACT, grievance)
    now = now or timezone.now()
    errors = []
    if decision not in Decision.values:
        errors.append(problem("decision", _("Choose a decision.")))
    if not reply.strip():
        errors.append(problem("reply", _("Write the reply to the complainant.")))
    elif len(reply) > MAX_DESCRIPTION:
        errors.append(problem("reply", _("at most %(n)s characters") % {"n": MAX_DESCRIPTION}))
    if decision == Decision.CASE and not reference.strip():
        errors.append(problem("reference", _("Name the case it is referred to.")))
    elif len(reference) > MAX_REFERENCE:
        errors.append(problem("reference", _("at most %(n)s characters") % {"n": MAX_REFERENCE}))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        grievance = _locked_open(grievance)
        grievance.status, grievance.decision = Status.DECIDED, decision
        grievance.reply, grievance.reference = reply.strip(), reference.strip()
        grievance.decided_at, grievance.decided_by, grievance.at_risk = now, by, False
        if decision == Decision.RECTIFICATION:
            grievance.order = finding_refer(
                by=by,
                unit=grievance.region,
                kind=FINDING_OF.get(grievance.category, "other"),
                description=grievance.description,
                source=_("Grievance %(number)s") % {"number": grievance.number},
            ).order
        grievance.save()
        _event(grievance, EventKind.DECIDED, by=by, at=now)
    return grievance


def grievance_appeal(*, code: str, reason: str, now=None) -> Grievance:
    """The complainant appeals by the tracking code: a new grievance one level above the one
    that decided, linked to the original (which becomes appealed), with its own code."""
    now = now or timezone.now()
    original = grievance_by_code(code)
    if original is None:
        raise InvalidInput([problem("code", _("No complaint has this code."))])
    errors = _said_problems(reason, True, "", "")
    errors = [problem("reason", e["message"]) for e in errors]
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        original = (
            Grievance.objects.select_for_update().select_related("level_region").get(pk=original.pk)
        )
        refusal = appeal_refusal(original, now)
        if refusal:
            raise InvalidInput([problem("code", refusal)])
        level = original.level_region.parent
        appeal = Grievance(
            channel=Channel.PORTAL,
            category=original.category,
            severity=original.severity,
            sensitivity=original.sensitivity,
            region=original.region,
            region_path=original.region_path,
            level_region=level,
            level_path=level.path,
            anonymous=original.anonymous,
            complainant_name=original.complainant_name,
            complainant_phone=original.complainant_phone,
            complainant_key=original.complainant_key,
            description=reason.strip(),
            opened_at=now,
            clock_started=now,
            appeal_of=original,
        )
        appeal.due = _due(appeal, now)
        appeal.number = _take_number(timezone.localtime(now).year)
        _save_new(appeal)
        _event(appeal, EventKind.FILED, reason=Reason.APPEAL, at=now)
        original.status = Status.APPEALED
        original.save(update_fields=["status"])
        _event(original, EventKind.APPEALED, note=appeal.number, at=now)
        notify(
            users=level_officers(appeal),
            subject=NEW_SUBJECT,
            params={"number": appeal.number},
            url=detail_url(appeal),
        )
    return appeal


def grievances_daily(*, now: datetime | None = None) -> dict:
    """The daily job: escalate every open grievance whose time ran out one level up, and
    mark (and tell the level of) those with less than a quarter of their time left."""
    now = now or timezone.now()
    escalated = at_risk = at_top = 0
    for pk in Grievance.objects.filter(status__in=OPEN, due__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            grievance = Grievance.objects.select_for_update().select_related("level_region")
            grievance = grievance.get(pk=pk)
            if grievance.status not in OPEN or grievance.due > now:
                continue
            grievance.breached = True
            if _move_up(grievance, now=now, reason=Reason.OVERDUE):
                escalated += 1
            elif not grievance.at_risk:
                at_top += 1
                grievance.at_risk = True
                grievance.save(update_fields=["at_risk", "breached"])
    waiting = Grievance.objects.filter(status__in=OPEN, at_risk=False, due__gt=now)
    for grievance in waiting.select_related("level_region", "assigned_to"):
        if sla.clock(grievance.clock_started, grievance.due, now) != sla.Clock.AT_RISK:
            continue
        with transaction.atomic():
            if not Grievance.objects.filter(pk=grievance.pk, at_risk=False).update(at_risk=True):
                continue
            _event(grievance, EventKind.AT_RISK, at=now)
            notify(
                users=[grievance.assigned_to]
                if grievance.assigned_to
                else level_officers(grievance),
                subject=AT_RISK_SUBJECT,
                body=AT_RISK_BODY,
                params={
                    "number": grievance.number,
                    "due": timezone.localtime(grievance.due).strftime("%Y-%m-%d %H:%M"),
                },
                url=detail_url(grievance),
            )
            at_risk += 1
    return {"escalated": escalated, "at_risk": at_risk, "overdue_at_top": at_top}
