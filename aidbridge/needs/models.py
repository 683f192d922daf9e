"""Needs of households, villages and institutions; the findings of the false-information
filters; reviews; and helpers' claims on published needs.

A need is never over-claimed: ``claimed`` (the sum of live claims) is kept on the need under a
row lock by the claim services, and a database constraint refuses ``claimed > amount``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aidbridge.categories import Category


class BeneficiaryKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    VILLAGE = "village", _("Village")
    INSTITUTION = "institution", _("Institution (school, clinic)")


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted by the village")
    TOWNSHIP_REVIEWED = "township_reviewed", _("Reviewed by the township")
    COUNTY_REVIEWED = "county_reviewed", _("Reviewed by the county")
    PUBLISHED = "published", _("Published")
    PARTLY_CLAIMED = "partly_claimed", _("Partly claimed")
    FULLY_CLAIMED = "fully_claimed", _("Fully claimed")
    IN_DELIVERY = "in_delivery", _("In delivery")
    FULFILLED = "fulfilled", _("Fulfilled")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class Need(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("for"), max_length=12, choices=BeneficiaryKind.choices)
    region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="needs", verbose_name=_("village")
    )
    region_path = models.CharField(max_length=400, db_index=True, editable=False)
    household = models.ForeignKey(
        "registry.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("household"),
    )
    household_number = models.CharField(_("household number"), max_length=40, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    amount = models.PositiveIntegerField(_("amount"))
    unit = models.CharField(
        _("unit"),
        max_length=20,
        default="yuan",
        help_text=_("“yuan” for money, else the unit of the quantity"),
    )
    urgency = models.PositiveSmallIntegerField(_("urgency"), default=3)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=NeedStatus.choices,
        default=NeedStatus.DRAFT,
        db_index=True,
    )
    claimed = models.PositiveIntegerField(_("claimed"), default=0)
    delivered = models.PositiveIntegerField(_("delivered"), default=0)
    confirmed = models.PositiveIntegerField(_("confirmed by the beneficiary"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="needs_filed",
        verbose_name=_("filed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    closing_reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords(excluded_fields=["region_path", "created_at"])

    class Meta:
        ordering = ["-urgency", "deadline", "pk"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.CheckConstraint(
                condition=Q(claimed__lte=F("amount")), name="need_not_over_claimed"
            ),
            models.CheckConstraint(
                condition=Q(confirmed__lte=F("delivered")) & Q(delivered__lte=F("claimed")),
                name="need_confirmed_within_delivered_within_claimed",
            ),
            models.CheckConstraint(
                condition=Q(urgency__gte=1) & Q(urgency__lte=5), name="need_urgency_1_to_5"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="need_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "region_path"]),
            models.Index(fields=["household", "category"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("needs:detail", args=[self.public_id])

    @property
    def is_money(self) -> bool:
        return self.unit == "yuan"

    @property
    def unit_label(self):
        """The unit as a reader says it: 元 (yuan) for money, else the unit as written."""
        return _("yuan") if self.is_money else self.unit

    @property
    def open_amount(self) -> int:
        return self.amount - self.claimed


class NeedDocument(models.Model):
    """A photo or document of a need. Photos appear on the public portal only with consent."""

    need = models.ForeignKey(Need, models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to="needs/%Y/%m/")
    is_photo = models.BooleanField(_("photo"), default=False)
    public_consent = models.BooleanField(
        _("the beneficiary consents to public display"), default=False
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file.name


class NeedFlag(models.Model):
    """A finding of the false-information filters; a reviewer may override it with a reason."""

    need = models.ForeignKey(Need, models.CASCADE, related_name="flags")
    code = models.CharField(_("finding"), max_length=30)
    params = models.JSONField(default=dict, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(_("reason for overriding"), blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "code"], name="need_flag_once_per_code")
        ]

    def __str__(self) -> str:
        return self.code


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")


class NeedReview(models.Model):
    need = models.ForeignKey(Need, models.CASCADE, related_name="reviews")
    level = models.CharField(_("level"), max_length=20)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.level} {self.decision}"


class ClaimKind(models.TextChoices):
    MONEY = "money", _("Money")
    MATERIALS = "materials", _("Materials")
    SERVICE = "service", _("Service")


class ClaimStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    DELIVERED = "delivered", _("Delivered")
    CONFIRMED = "confirmed", _("Confirmed by the beneficiary")
    RELEASED = "released", _("Released (not delivered in time)")
    CANCELLED = "cancelled", _("Cancelled")


LIVE_CLAIMS = (ClaimStatus.PLEDGED, ClaimStatus.DELIVERED, ClaimStatus.CONFIRMED)


class Claim(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    need = models.ForeignKey(Need, models.PROTECT, related_name="claims")
    helper = models.ForeignKey(
        "helpers.Organization", models.PROTECT, related_name="claims", verbose_name=_("helper")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ClaimKind.choices)
    amount = models.PositiveIntegerField(_("amount"))
    deliver_by = models.DateField(_("deliver by"))
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PLEDGED
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="claims/%Y/%m/", blank=True)
    delivery_note = models.TextField(_("delivery note"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_note = models.TextField(_("beneficiary's confirmation"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.helper} → {self.need}: {self.amount}"
