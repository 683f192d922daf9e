"""Helpers: social organizations, enterprises, individual donors and government units that
give aid. A helper claims needs only after an officer has verified it; staff accounts act for
their helper (``User.organization``). The models of paired assistance live here too: the five
posts of each poor village and the East-West pairings of developed cities with poor counties
(their pages and services are the pairing app)."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrganizationKind(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    ASSOCIATION = "association", _("Association")
    SOCIAL_WORK = "social_work", _("Social-work service centre")
    CHAMBER = "chamber", _("Chamber of commerce")
    VOLUNTEERS = "volunteers", _("Volunteer federation")
    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUAL = "individual", _("Individual donor")
    GOVERNMENT = "government", _("Government unit")
    OTHER = "other", _("Other")


class Organization(models.Model):
    """A helper: one row for whoever gives aid, of any ``kind`` (foundations, associations,
    enterprises, individual donors, government units). Staff accounts point to it as
    ``User.organization``; other models call it ``helper``."""

    code = models.SlugField(_("short code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_("18 characters (GB 32100-2015); printed on the receipts the helper issues"),
    )
    deduction_from = models.PositiveSmallIntegerField(
        _("pre-tax deduction qualified from (year)"), null=True, blank=True
    )
    deduction_until = models.PositiveSmallIntegerField(
        _("pre-tax deduction qualified until (year)"), null=True, blank=True
    )
    seal = models.FileField(_("seal image"), upload_to="seals/", blank=True)
    government_background = models.BooleanField(_("government background"), default=False)
    social_enterprise = models.BooleanField(_("social enterprise"), default=False)
    hub = models.BooleanField(
        _("coordinating hub"),
        default=False,
        help_text=_("Runs matching rounds in its service regions; set by the verifying officers."),
    )
    fields = models.JSONField(_("fields of work"), default=list, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="helpers",
        verbose_name=_("registered in"),
    )
    service_regions = models.ManyToManyField(
        "regions.Region", blank=True, related_name="served_by", verbose_name=_("service regions")
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, null=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    rejected_at = models.DateTimeField(_("not verified on"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("not verified by"),
    )
    rejection_reason = models.TextField(_("why it was not verified"), blank=True)
    spending_approval_threshold = models.PositiveBigIntegerField(
        _("spending that needs a second person's approval (fen)"),
        default=1_000_000,
        help_text=_("Spending of this amount or more waits for a second staff member's approval"),
    )

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["code"]
        verbose_name = _("helper")
        verbose_name_plural = _("helpers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deduction_until__isnull=True)
                | models.Q(
                    deduction_from__isnull=False, deduction_until__gte=models.F("deduction_from")
                ),
                name="organization_deduction_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def get_absolute_url(self) -> str:
        return reverse("helpers:detail", args=[self.code])

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    def deductible_in(self, year: int) -> bool:
        """Whether donations it received in ``year`` qualify for pre-tax deduction (the
        years of its qualification as the finance and tax authorities announced it)."""
        return self.deduction_from is not None and self.deduction_from <= year <= (
            self.deduction_until or self.deduction_from
        )


class HelperDocument(models.Model):
    """A document a helper sends for its verification (registration certificate, charity
    status, an individual's ID card): read by the officers who verify it, never public."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    helper = models.ForeignKey(
        Organization, models.CASCADE, related_name="documents", verbose_name=_("helper")
    )
    title = models.CharField(_("document"), max_length=120)
    file = models.FileField(_("file"), upload_to="helpers/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["helper", "uploaded_at", "pk"]
        verbose_name = _("helper's document")
        verbose_name_plural = _("helpers' documents")

    def __str__(self) -> str:
        return self.title


class PairingRole(models.TextChoices):
    """The five posts of fixed-point assistance every poor village should have."""

    CONTACT_LEADER = "contact_leader", _("County-level contact leader")
    SUPPORT_UNIT = "support_unit", _("Support unit")
    WORKING_GROUP = "working_group", _("Village working group")
    FIRST_SECRETARY = "first_secretary", _("First secretary")
    TECHNICIAN = "technician", _("Farm technician")


class PairingPost(models.Model):
    """Who holds one of a village's five posts, from ``since`` until ``until`` (open while
    held). A village has at most one active holder per role."""

    village = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="pairing_posts", verbose_name=_("village")
    )
    role = models.CharField(_("role"), max_length=20, choices=PairingRole.choices)
    holder = models.CharField(_("person or unit"), max_length=200)
    helper = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="pairing_posts",
        verbose_name=_("helper"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["village", "role", "-since"]
        verbose_name = _("pairing post")
        verbose_name_plural = _("pairing posts")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "role"],
                condition=models.Q(until__isnull=True),
                name="pairing_post_one_active_holder",
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="pairing_post_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.holder}"


class RegionPairing(models.Model):
    """East-West cooperation: a developed city, through its government unit, pairs with a
    poor county."""

    helper = models.ForeignKey(
        Organization,
        models.PROTECT,
        related_name="region_pairings",
        verbose_name=_("paired city's government unit"),
    )
    county = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="pairings", verbose_name=_("county")
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["county", "-since"]
        verbose_name = _("East-West pairing")
        verbose_name_plural = _("East-West pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["helper", "county"],
                condition=models.Q(until__isnull=True),
                name="region_pairing_one_active",
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="region_pairing_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper} – {self.county}"
