"""Projects in three stages: mining needs (linked needs and households, survey
notes), raising funds and supplies (targets and helpers' pledges), executing (partners and
milestones with evidence).

The initiator is a helper, or, when ``initiator`` is empty, the region office of the officer
who created the project. What kind of project it is (typology, participation form) is never
stored: it is derived from these records (typology.py, selectors.derive).

Money is integer fen; materials are a whole quantity of a unit. Pledges are promises, not
money movements: donations are recorded in the ledger.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Stage(models.TextChoices):
    MINING = "mining", _("Mining needs")
    RAISING = "raising", _("Raising funds and supplies")
    EXECUTING = "executing", _("Coordinated execution")
    CLOSED = "closed", _("Closed")


class Project(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="projects", verbose_name=_("region")
    )
    region_path = models.CharField(max_length=400, db_index=True, editable=False)
    initiator = models.ForeignKey(
        "helpers.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects_initiated",
        verbose_name=_("initiating helper"),
        help_text=_("Empty: the region office of the officer who created the project."),
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.MINING, db_index=True
    )
    raising_since = models.DateField(_("raising since"), null=True, blank=True)
    executing_since = models.DateField(_("executing since"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    override_reason = models.TextField(_("reason for executing without full pledges"), blank=True)
    needs = models.ManyToManyField(
        "needs.Need", blank=True, related_name="projects", verbose_name=_("needs")
    )
    households = models.ManyToManyField(
        "registry.Household", blank=True, related_name="projects", verbose_name=_("households")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Linking needs and households is part of the project's history too.
    history = HistoricalRecords(
        excluded_fields=["region_path", "created_at"], m2m_fields=[needs, households]
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["stage", "region_path"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.public_id])


class SurveyNote(models.Model):
    """What a visit or survey found. Never shown publicly; names and ID numbers stay out."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("survey note")
        verbose_name_plural = _("survey notes")

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:40]}"


class TargetKind(models.TextChoices):
    MONEY = "money", _("Money")
    MATERIAL = "material", _("Material")


class Target(models.Model):
    """What the project raises: money (``amount`` in fen) or a material (``amount`` is a
    quantity of ``unit``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, models.CASCADE, related_name="targets")
    label = models.CharField(_("what"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=TargetKind.choices)
    amount = models.PositiveBigIntegerField(_("target"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="target_amount_positive"),
            models.CheckConstraint(
                condition=(Q(kind=TargetKind.MONEY) & Q(unit=""))
                | (Q(kind=TargetKind.MATERIAL) & ~Q(unit="")),
                name="target_unit_only_for_materials",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ProjectPledge(models.Model):
    """A helper's promise towards a target, in the target's unit (fen for money)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    target = models.ForeignKey(
        Target, models.CASCADE, related_name="pledges", verbose_name=_("target")
    )
    helper = models.ForeignKey(
        "helpers.Organization",
        models.PROTECT,
        related_name="project_pledges",
        verbose_name=_("helper"),
    )
    amount = models.PositiveBigIntegerField(_("amount"))
    pledged_on = models.DateField(_("pledged on"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["pledged_on", "pk"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="project_pledge_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.helper} → {self.target}: {self.amount}"


class PartnerRole(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    ENTERPRISE = "enterprise", _("Enterprise")
    EXPERT = "expert", _("Experts")
    SOCIAL_WORKER = "social_worker", _("Social workers")
    BENEFICIARY = "beneficiary", _("Beneficiaries")
    ORGANIZATION = "organization", _("Social organization")


class Partner(models.Model):
    """Who takes part in the execution: a helper, or someone named (an expert team, the
    beneficiaries' representatives), with the signed agreement if there is one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, models.CASCADE, related_name="partners")
    helper = models.ForeignKey(
        "helpers.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="project_partners",
        verbose_name=_("helper"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)
    agreement_reference = models.CharField(_("agreement reference"), max_length=100, blank=True)
    agreement_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.CheckConstraint(
                condition=(Q(helper__isnull=False) & Q(name=""))
                | (Q(helper__isnull=True) & ~Q(name="")),
                name="partner_helper_or_name",
            ),
            models.CheckConstraint(
                condition=(Q(agreement_reference="") & Q(agreement_on__isnull=True))
                | (~Q(agreement_reference="") & Q(agreement_on__isnull=False)),
                name="partner_agreement_reference_with_date",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="partner_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(self.helper) if self.helper_id else self.name


class Milestone(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=120)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="projects/%Y/%m/", blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(evidence=""),
                name="milestone_done_with_evidence",
            )
        ]

    def __str__(self) -> str:
        return self.title
