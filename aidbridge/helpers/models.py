"""Helpers: social organizations, enterprises, government units that give aid.
The foundation holds what accounts need; the needs issue adds verification and fields."""

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
    GOVERNMENT = "government", _("Government unit")
    OTHER = "other", _("Other")


class Organization(models.Model):
    code = models.SlugField(_("short code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh
