"""Helpers: social organizations, enterprises, individual donors and government units that
give aid. A helper claims needs only after an officer has verified it; staff accounts act for
their helper (``User.organization``)."""

from django.conf import settings
from django.db import models
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
    """A helper of any kind (the name is historical: individuals are helpers too)."""

    code = models.SlugField(_("short code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    government_background = models.BooleanField(_("government background"), default=False)
    social_enterprise = models.BooleanField(_("social enterprise"), default=False)
    fields = models.JSONField(_("fields of work"), default=list, blank=True)
    region = models.ForeignKey(
        "regions.Region", models.PROTECT, null=True, blank=True, related_name="helpers",
        verbose_name=_("registered in"))
    service_regions = models.ManyToManyField(
        "regions.Region", blank=True, related_name="served_by",
        verbose_name=_("service regions"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, null=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("verified by"))

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["code"]
        verbose_name = _("helper")
        verbose_name_plural = _("helpers")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    @property
    def verified(self) -> bool:
        return self.verified_at is not None
