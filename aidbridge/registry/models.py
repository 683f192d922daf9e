"""The filing registry: households, their members and responsible helpers, incomes by year
and assessments.

Resident ID numbers are never stored in clear: a keyed hash for look-up, AES-GCM ciphertext
for those whose work needs the number, and a mask for everyone else (see privacy.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from aidbridge.regions.models import PathField


class PovertyCause(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    SCHOOLING = "schooling", _("Schooling costs")
    DISASTER = "disaster", _("Disaster")
    LAND = "land", _("Lack of land")
    WATER = "water", _("Lack of water")
    SKILLS = "skills", _("Lack of skills")
    LABOUR = "labour", _("Lack of labour")
    FUNDS = "funds", _("Lack of funds")
    TRANSPORT = "transport", _("Poor transport")
    MOTIVATION = "motivation", _("Weak self-motivation")
    OTHER = "other", _("Other")


class HouseholdStatus(models.TextChoices):
    NOT_POOR = "not_poor", _("Not poor")
    MARGINAL = "marginal", _("Marginal")
    POOR = "poor", _("Registered poor")
    LIFTED = "lifted", _("Lifted out")
    MONITORED = "monitored", _("Monitored")
    RISK_ELIMINATED = "risk_eliminated", _("Risk eliminated")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    CHILD_IN_LAW = "child_in_law", _("Child-in-law")
    GRANDCHILD = "grandchild", _("Grandchild")
    PARENT = "parent", _("Parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class Labour(models.TextChoices):
    NORMAL = "normal", _("Normal labour")
    WEAK = "weak", _("Weak labour")
    LOST = "lost", _("Lost labour capacity")
    NONE = "none", _("No labour (child or student)")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    CHRONIC = "chronic", _("Chronic illness")
    SERIOUS = "serious", _("Serious illness")
    DISABLED = "disabled", pgettext_lazy("health", "Disabled")


class Schooling(models.TextChoices):
    PRESCHOOL = "preschool", _("Pre-school")
    ILLITERATE = "illiterate", _("Illiterate or semi-literate")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    VOCATIONAL = "vocational", _("Vocational")
    COLLEGE = "college", _("College or above")


class Leaving(models.TextChoices):
    """Why a member is no longer in the household (the record stays, with the date)."""

    DIED = "died", _("Died")
    MOVED_OUT = "moved_out", _("Moved out")
    MARRIED_OUT = "married_out", _("Married out")
    OTHER = "other", _("Other reason")


class Household(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("household number"), max_length=30)  # unique: Meta
    village = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="households", verbose_name=_("village")
    )
    region_path = PathField(max_length=400, editable=False)  # C collation; indexes: Meta
    address = models.CharField(_("address"), max_length=200, blank=True)
    head_name = models.CharField(_("head of household"), max_length=50)
    size = models.PositiveSmallIntegerField(_("members"), default=0)
    main_cause = models.CharField(
        _("main poverty cause"), max_length=20, choices=PovertyCause.choices
    )
    secondary_causes = models.JSONField(_("other poverty causes"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=HouseholdStatus.choices,
        default=HouseholdStatus.NOT_POOR,
    )
    identified_year = models.PositiveSmallIntegerField(_("year identified"), null=True, blank=True)
    exit_year = models.PositiveSmallIntegerField(_("year of exit"), null=True, blank=True)
    income_year = models.PositiveSmallIntegerField(_("income year"), null=True, blank=True)
    per_capita_income = models.IntegerField(
        _("per-capita net income (yuan)"), null=True, blank=True
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    # The history is read one household at a time (its id); no index on its other columns.
    history = HistoricalRecords(
        no_db_index=["public_id", "number", "village", "region_path", "head_name"]
    )

    class Meta:
        ordering = ["region_path", "number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        # Each index is one more to maintain for every household imported. Scopes (LIKE
        # '/.../%', see PathField) and the list's order use household_scope_status; the
        # head's name is only searched by its start.
        indexes = [
            models.Index(fields=["region_path", "status"], name="household_scope_status"),
            models.Index(
                fields=["head_name"],
                opclasses=["varchar_pattern_ops"],
                name="household_head_prefix",
            ),
            models.Index(fields=["status", "main_cause"], name="household_status_cause"),
        ]
        constraints = [
            # One index for uniqueness, look-ups and searches by the start (LIKE 'x%'),
            # instead of the unique field's index and its varchar_pattern_ops twin.
            models.UniqueConstraint(
                fields=["number"], opclasses=["varchar_pattern_ops"], name="household_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(per_capita_income__gte=0)
                | models.Q(per_capita_income__isnull=True),
                name="household_income_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ResponsibleHelper(models.Model):
    """A household's responsible helper (帮扶责任人): the cadre or helper answerable for it
    from ``since`` until ``until`` (open while responsible); replaced by ending one term and
    assigning another. Written by registry.responsible; the phone is personal data."""

    household = models.ForeignKey(
        Household, models.CASCADE, related_name="responsible_helpers", verbose_name=_("household")
    )
    name = models.CharField(_("name"), max_length=50)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    helper = models.ForeignKey(
        "helpers.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
        verbose_name=_("helper"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
        verbose_name=_("account"),
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = [models.F("until").desc(nulls_first=True), "-since", "pk"]  # current first
        verbose_name = _("responsible helper")
        verbose_name_plural = _("responsible helpers")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "name"],
                condition=models.Q(until__isnull=True),
                name="responsible_helper_once_at_a_time",
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="responsible_helper_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.name}"


class HouseholdIncome(models.Model):
    """Per-capita annual net income of one year, with its items (yuan)."""

    household = models.ForeignKey(
        Household, models.CASCADE, related_name="incomes", db_index=False
    )  # one_income_per_year begins with it
    year = models.PositiveSmallIntegerField(_("year"))
    per_capita_income = models.IntegerField(_("per-capita net income (yuan)"))
    items = models.JSONField(_("income items"), default=dict, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="one_income_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}"


class Member(models.Model):
    household = models.ForeignKey(
        Household, models.CASCADE, related_name="members", verbose_name=_("household")
    )
    name = models.CharField(_("name"), max_length=50)  # searched by its start: Meta
    id_digest = models.BinaryField(max_length=32, unique=True, editable=False)  # privacy.py
    id_cipher = models.BinaryField(editable=False)
    id_masked = models.CharField(_("resident ID"), max_length=18, editable=False)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    relation = models.CharField(_("relation to head"), max_length=20, choices=Relation.choices)
    labour = models.CharField(_("labour capacity"), max_length=10, choices=Labour.choices)
    health = models.CharField(
        _("health"), max_length=10, choices=Health.choices, default=Health.HEALTHY
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True
    )
    schooling = models.CharField(_("schooling"), max_length=12, choices=Schooling.choices)
    medical_insurance = models.BooleanField(_("medical insurance"), default=True)
    left_on = models.DateField(_("left the household on"), null=True, blank=True)
    left_reason = models.CharField(
        _("reason for leaving"), max_length=12, choices=Leaving.choices, blank=True
    )

    history = HistoricalRecords(excluded_fields=["id_cipher", "id_digest"])

    class Meta:
        ordering = ["household", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(
                fields=["name"], opclasses=["varchar_pattern_ops"], name="member_name_prefix"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disability_grade__isnull=True)
                | models.Q(disability_grade__range=(1, 4)),
                name="member_disability_grade_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True, left_reason="")
                | (models.Q(left_on__isnull=False) & ~models.Q(left_reason="")),
                name="member_left_with_reason",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation="head", left_on__isnull=True),
                name="one_head_per_household",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """A dated assessment: income items and the guarantees, with the status it suggested."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    per_capita_income = models.IntegerField(_("per-capita net income (yuan)"))
    indicators = models.JSONField(_("guarantees met"), default=dict)
    suggested_status = models.CharField(
        _("suggested status"), max_length=20, choices=HouseholdStatus.choices
    )
    reasons = models.JSONField(default=list)
    # The version of the rules it was judged by; empty: the default rule (no region set one).
    rule = models.ForeignKey(
        "IdentificationRule",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("identification rule"),
    )

    history = HistoricalRecords()  # shown in its household's history

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("assessment")

    def __str__(self) -> str:
        return f"{self.household} {self.assessed_on}"


class IdentificationRule(models.Model):
    """One version of the identification rules of a region from a year on; regions below
    inherit them unless they have their own. Setting them again for the same region and year
    adds a version: a row is never changed (registry.rules). Checked by
    registry.identification.Rules."""

    region = models.ForeignKey(
        "regions.Region", models.CASCADE, related_name="+", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("from year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    poverty_line = models.PositiveIntegerField(_("poverty line (yuan per person per year)"))
    monitoring_multiple = models.DecimalField(
        _("monitoring line (x poverty line)"), max_digits=4, decimal_places=2, default=1.5
    )
    guarantees = models.JSONField(_("guarantees"), default=list)
    af_weights = models.JSONField(_("deprivation weights"), default=dict)
    af_cutoff = models.DecimalField(
        _("deprivation cutoff k"), max_digits=4, decimal_places=3, default=0.333
    )
    note = models.CharField(_("basis (document or decision)"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set on"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "-year", "-version"]
        verbose_name = _("identification rule")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "version"], name="one_rule_per_region_year_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("identification rules are never changed: set a new version")
        super().save(*args, **kwargs)


class ProcedureKind(models.TextChoices):
    ENTRY = "entry", _("Entry into the registry")
    EXIT = "exit", _("Exit from poverty")


class ProcedureCase(models.Model):
    """One entry or exit procedure of a household; its rules live in registry.procedure."""

    household = models.ForeignKey(
        Household, models.CASCADE, related_name="cases", verbose_name=_("household")
    )
    kind = models.CharField(_("procedure"), max_length=5, choices=ProcedureKind.choices)
    stage = models.CharField(_("stage"), max_length=20, default="draft")
    notice_started = models.DateField(null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("days of public notice"), default=7)
    paused = models.BooleanField(_("paused by an objection"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=~models.Q(stage__in=["announced", "rejected", "withdrawn"]),
                name="one_open_case_per_household",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.kind}"


class ProcedureStep(models.Model):
    case = models.ForeignKey(ProcedureCase, models.CASCADE, related_name="steps")
    action = models.CharField(_("step"), max_length=20)
    role = models.CharField(_("as"), max_length=10)
    on = models.DateField(_("date"))
    comment = models.TextField(_("comment"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="procedure/", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="empty: taken by the calendar",
    )

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.action}"


class IdSearch(models.Model):
    """A search by full resident ID (registry.id_search): who, when, a keyed digest of the
    number (privacy.search_digest: neither the number nor the members' look-up digest) and
    how many households it found. Also what the per-user rate limit counts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"))
    digest = models.BinaryField(max_length=32)
    results = models.PositiveIntegerField(_("households found"))

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "at"], name="idsearch_user_at")]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M} ({self.results})"
