"""Grievances: complaints from anyone (on the portal without an account, through a clerk by
phone or visit, or by API), with a yearly gap-free number, a tracking code for the
complainant, a deadline by category and severity (grievances.sla) that escalates up the
region tree, a decision with a reply, appeals that reopen the matter one level up, and a
history of events. Written by grievances.services only."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aidbridge.regions.models import PathField


def category_choices() -> list[tuple[str, str]]:
    return list(settings.GRIEVANCE_CATEGORIES)


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")
    API = "api", _("API")


class Severity(models.TextChoices):
    CRITICAL = "critical", pgettext_lazy("grievance", "Critical")
    HIGH = "high", pgettext_lazy("grievance", "High")
    MEDIUM = "medium", pgettext_lazy("grievance", "Medium")
    LOW = "low", pgettext_lazy("grievance", "Low")


class Sensitivity(models.TextChoices):
    STANDARD = "standard", pgettext_lazy("grievance", "Standard")
    SENSITIVE = "sensitive", pgettext_lazy("grievance", "Sensitive")
    HIGHLY_SENSITIVE = "highly_sensitive", pgettext_lazy("grievance", "Highly sensitive")


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("grievance", "New")
    ASSIGNED = "assigned", pgettext_lazy("grievance", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("grievance", "In progress")
    DECIDED = "decided", pgettext_lazy("grievance", "Decided")
    APPEALED = "appealed", pgettext_lazy("grievance", "Appealed")


OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS)


class Decision(models.TextChoices):
    UPHELD = "upheld", pgettext_lazy("grievance", "Upheld")
    PARTLY_UPHELD = "partly_upheld", pgettext_lazy("grievance", "Partly upheld")
    REJECTED = "rejected", pgettext_lazy("grievance", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("grievance", "Withdrawn")
    RECTIFICATION = "rectification", pgettext_lazy("grievance", "Referred to a rectification order")
    CASE = "case", pgettext_lazy("grievance", "Referred to a case")


# What a complaint's category is as a finding of the order it is referred to (others: other).
FINDING_OF = {
    "aid_not_received": "aid_not_received",
    "wrong_identification": "wrong_identification",
    "wrong_exit": "wrong_exit",
    "misuse_of_funds": "money_misused",
    "false_need": "false_need",
}


class YearCounter(models.Model):
    """The last number given in a year; its row is locked while a number is taken, so
    numbers have no gaps and no duplicates."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Grievance(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=16, unique=True)
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=30, choices=category_choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=20, choices=Sensitivity.choices, default=Sensitivity.STANDARD
    )
    # What the complaint is about (a village or a wider region) ...
    region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_path = PathField(max_length=400, editable=False)
    # ... and the region whose officers handle it now: the township above it by default,
    # one level up at each escalation.
    level_region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name=_("handled at")
    )
    level_path = PathField(max_length=400, editable=False)
    # The complainant. Anonymous: no name, no phone; only the keyed digest of a phone (or
    # account) given, to count a person's complaints. Named: personal data, shown only to
    # those whose work needs it (policy: GRIEVANCE_COMPLAINANT).
    anonymous = models.BooleanField(_("anonymous"), default=True)
    complainant_name = models.CharField(_("complainant's name"), max_length=50, blank=True)
    complainant_phone = models.CharField(_("complainant's phone"), max_length=30, blank=True)
    complainant_key = models.BinaryField(max_length=32, null=True, editable=False)
    description = models.TextField(_("description"))  # personal: staff only, never public
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    opened_at = models.DateTimeField(_("filed at"), default=timezone.now)
    clock_started = models.DateTimeField(_("clock started"), default=timezone.now)
    due = models.DateTimeField(_("due"))
    at_risk = models.BooleanField(_("at risk"), default=False)
    escalations = models.PositiveSmallIntegerField(_("escalations"), default=0)
    # The time limit ran out at some level (for the SLA compliance of the dashboards).
    breached = models.BooleanField(_("deadline missed"), default=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    reply = models.TextField(_("reply to the complainant"), blank=True)
    reference = models.CharField(_("referred to"), max_length=100, blank=True)
    # The rectification order a decision "referred to a rectification order" opened.
    order = models.ForeignKey(
        "supervision.RectificationOrder",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rectification order"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    appeal_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("appeal of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")
        indexes = [
            models.Index(fields=["status", "due"], name="grievance_status_due"),
            models.Index(fields=["level_path"], name="grievance_level_path"),
            models.Index(fields=["region_path"], name="grievance_region_path"),
            models.Index(fields=["complainant_key", "opened_at"], name="grievance_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(anonymous=True)
                | (models.Q(complainant_name="") & models.Q(complainant_phone="")),
                name="grievance_anonymous_keeps_no_identity",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="decided") | ~models.Q(decision=""),
                name="grievance_decided_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class EventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    ASSIGNED = "assigned", _("Assigned")
    TAKEN_UP = "taken_up", _("Taken up")
    AT_RISK = "at_risk", _("Deadline at risk")
    ESCALATED = "escalated", _("Escalated")
    DECIDED = "decided", _("Decided")
    APPEALED = "appealed", _("Appealed")
    NOTE = "note", _("Note")


class Reason(models.TextChoices):
    """Why a grievance went up a level, or was filed there."""

    OVERDUE = "overdue", _("The time limit ran out at the level below.")
    IMMEDIATE = "immediate", _("Abuse of a child or violence goes to the next level at once.")
    REPEAT = "repeat", _("The complainant's third complaint within six months.")
    BY_OFFICER = "by_officer", _("Escalated by the officer of the level below.")
    APPEAL = "appeal", _("An appeal against the decision of the level below.")


# Events the complainant's timeline shows (their kind, date and level only: never who or notes).
PUBLIC_EVENTS = (
    EventKind.FILED,
    EventKind.TAKEN_UP,
    EventKind.ESCALATED,
    EventKind.DECIDED,
    EventKind.APPEALED,
)


class GrievanceEvent(models.Model):
    """One thing that happened to a grievance: who (empty for the daily job and the
    complainant), what, when, at which level, and an internal note."""

    grievance = models.ForeignKey(Grievance, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("what"), max_length=12, choices=EventKind.choices)
    level_region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name=_("level")
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)  # internal

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def public(self) -> bool:
        return self.kind in PUBLIC_EVENTS
