"""Users, their role, and their scope: a region (officers, clerks, supervisors...) or an
organization (organization staff). What a role may do is decided in aidbridge.policy."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMIN = "admin", _("Platform administrator")
    PROVINCE = "province", _("Province officer")
    CITY = "city", _("City officer")
    COUNTY = "county", _("County officer")
    TOWNSHIP = "township", _("Township officer")
    CLERK = "clerk", _("Village clerk")
    SUPERVISOR = "supervisor", _("Supervisor")
    AUDITOR = "auditor", _("Auditor")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    ORG_STAFF = "org_staff", _("Organization staff")
    DONOR = "donor", _("Donor")


# Officer roles and the region level each belongs to.
OFFICER_LEVELS = {
    Role.PROVINCE: "province",
    Role.CITY: "city",
    Role.COUNTY: "county",
    Role.TOWNSHIP: "township",
    Role.CLERK: "village",
}
REGION_ROLES = {*OFFICER_LEVELS, Role.SUPERVISOR, Role.AUDITOR, Role.SOCIAL_WORKER}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.DONOR)
    region = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("region"),
    )
    organization = models.ForeignKey(
        "helpers.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("organization"),
    )
    helper_admin = models.BooleanField(
        _("admin of its helper"),
        default=False,
        help_text=_("Creates the staff accounts of its helper."),
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text=_(
            "Of the pages after logging in, and of the notifications you receive. Empty: the "
            "pages follow the browser, notifications are in the platform's language."
        ),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(r.value for r in REGION_ROLES))
                | models.Q(region__isnull=False),
                name="user_region_role_has_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.ORG_STAFF) | models.Q(organization__isnull=False),
                name="user_org_staff_has_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, default="api")
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "api") -> tuple["ApiToken", str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = "ab_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=cls.digest_of(raw)), raw
