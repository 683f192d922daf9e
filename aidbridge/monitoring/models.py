"""Relapse monitoring (防止返贫动态监测和帮扶): leads that a household may fall (back) into
poverty, the households under monitoring, the visits that check on them, the measures that
help them, and the criteria that turn department records into leads.

A lead comes from one of three channels and goes through the monitoring procedure; when the
county approves it the household becomes a monitored household of one of three kinds, with a
plan of measures, until its risk is declared eliminated (the data and history stay)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aidbridge.monitoring import criteria
from aidbridge.monitoring.rule_names import rule_name


class ObjectKind(models.TextChoices):
    UNSTABLE = "unstable", _("Unstable after exit")  # 脱贫不稳定户
    MARGINAL = "marginal", _("Marginal, prone to poverty")  # 边缘易致贫户
    HARDSHIP = "hardship", _("Sudden severe hardship")  # 突发严重困难户


class Channel(models.TextChoices):
    SELF_REPORT = "self_report", _("Self-report")
    VISIT = "visit", _("Visit")
    DEPARTMENT = "department", _("Department data")


class Source(models.TextChoices):
    """The departments whose files are screened (one row per record)."""

    MEDICAL = "medical", pgettext_lazy("department", "Medical insurance")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    EDUCATION = "education", _("Education")
    DISABILITY = "disability", _("Disabled persons' federation")
    DISASTER = "disaster", _("Emergency management (disasters)")
    EMPLOYMENT = "employment", _("Human resources (employment)")
    HOUSING = "housing", _("Housing")


class LeadStatus(models.TextChoices):
    OPEN = "open", _("Being handled")  # in the procedure, no decision yet
    APPROVED = "approved", _("Approved: monitored")
    REJECTED = "rejected", _("Rejected")


class Stage(models.TextChoices):
    """The steps of the monitoring procedure, for a lead (to be monitored) and for a risk
    elimination alike. A decided case keeps the stage it was decided at."""

    VISIT = "visit", _("Home visit with signed consent")
    VILLAGE_REVIEW = "village_review", _("Village review")
    NOTICE = "notice", _("Public notice")
    TOWNSHIP_CHECK = "township_check", _("Township check")
    COUNTY_APPROVAL = "county_approval", _("County approval")


class ProcedureFields(models.Model):
    """Where a case of the monitoring procedure stands: its stage, the deadline of the step
    it waits for, the day by which it must be decided, the running notice and whether an
    overdue step was escalated to the next level (and which)."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.VISIT)
    step_due = models.DateField(_("step due"), null=True, blank=True)
    decide_by = models.DateField(_("decision due"), null=True, blank=True)
    notice_started = models.DateField(_("notice started"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("notice days"), default=5)
    escalated_to = models.CharField(_("escalated to"), max_length=20, blank=True)

    class Meta:
        abstract = True


class Lead(ProcedureFields):
    """A sign that a household may fall (back) into poverty, from one channel, until the
    county decides. ``rule`` names the criterion met (department data and visits) and
    ``household`` may be empty while a self-report names no registered household yet;
    ``village`` always places it (its scope). ``tracking_code`` lets a reporter follow it
    without an account. Written by the monitoring services only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    household = models.ForeignKey(
        "registry.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="monitoring_leads",
        verbose_name=_("household"),
    )
    village = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name=_("village")
    )
    rule = models.CharField(_("rule"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True)
    kind = models.CharField(
        _("kind of monitoring object"), max_length=20, choices=ObjectKind.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True)  # personal: staff only
    # A self-report's reporter, to call back: personal data, never public.
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("monitoring lead")
        verbose_name_plural = _("monitoring leads")
        indexes = [models.Index(fields=["status", "opened_on"], name="lead_status_opened")]
        constraints = [
            # One open lead per household and rule: screening a file again adds its records
            # to the open lead instead of opening another.
            models.UniqueConstraint(
                fields=["household", "rule"],
                condition=models.Q(status="open", household__isnull=False),
                name="one_open_lead_per_household_rule",
            )
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def rule_label(self) -> str:
        return rule_name(self.rule) if self.rule else ""


class MonitoredStage(models.TextChoices):
    MONITORED = "monitored", _("Monitored")
    ELIMINATING = "eliminating", _("Risk elimination under review")
    ELIMINATED = "eliminated", _("Risk eliminated")


class MonitoredHousehold(models.Model):
    """A household under monitoring from the county's approval of ``lead``; ``eliminated_on``
    is set when its risk is declared eliminated. A household is monitored once at a time."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        "registry.Household",
        models.PROTECT,
        related_name="monitoring",
        verbose_name=_("household"),
    )
    kind = models.CharField(
        _("kind of monitoring object"), max_length=20, choices=ObjectKind.choices
    )
    lead = models.OneToOneField(
        Lead, models.PROTECT, related_name="monitored", verbose_name=_("lead")
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=MonitoredStage.choices, default=MonitoredStage.MONITORED
    )
    since = models.DateField(_("monitored since"))
    eliminated_on = models.DateField(_("risk eliminated on"), null=True, blank=True)

    class Meta:
        ordering = ["-since", "-pk"]
        verbose_name = _("monitored household")
        verbose_name_plural = _("monitored households")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=~models.Q(stage="eliminated"),
                name="monitored_once_at_a_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.kind}"


class EliminationStatus(models.TextChoices):
    OPEN = "open", _("Under review")
    APPROVED = "approved", _("Approved: risk eliminated")
    REJECTED = "rejected", _("Rejected")


class Elimination(ProcedureFields):
    """A proposal to declare a monitored household's risk eliminated (风险消除), through the
    same steps as a lead; allowed only when its income has stayed above the monitoring line
    for six months and the guarantees hold."""

    monitored = models.ForeignKey(
        MonitoredHousehold,
        models.PROTECT,
        related_name="eliminations",
        verbose_name=_("monitored household"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EliminationStatus.choices,
        default=EliminationStatus.OPEN,
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("risk elimination")
        verbose_name_plural = _("risk eliminations")
        constraints = [
            models.UniqueConstraint(
                fields=["monitored"],
                condition=models.Q(status="open"),
                name="one_open_elimination",
            )
        ]

    def __str__(self) -> str:
        return f"{self.monitored} {self.opened_on}"


class Step(models.Model):
    """One step taken in a lead's or an elimination's procedure (exactly one of the two):
    who, in which role, when, with the reason or note and an attachment (the signed consent,
    the village review's minutes). ``by`` is empty for steps the calendar takes."""

    lead = models.ForeignKey(Lead, models.CASCADE, null=True, blank=True, related_name="steps")
    elimination = models.ForeignKey(
        Elimination, models.CASCADE, null=True, blank=True, related_name="steps"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    action = models.CharField(_("action"), max_length=30)
    role = models.CharField(_("role"), max_length=20)
    on = models.DateField(_("date"))
    comment = models.TextField(_("comment"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="monitoring/steps/", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("procedure step")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False, elimination__isnull=True)
                | models.Q(lead__isnull=True, elimination__isnull=False),
                name="monitoring_step_of_one_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.on}"


class Shock(models.TextChoices):
    """What a visit found happened to the household since the last one."""

    ILLNESS = "illness", _("Serious illness")
    ACCIDENT = "accident", _("Accident or injury")
    DISASTER = "disaster", _("Natural disaster")
    JOB_LOSS = "job_loss", _("Lost job or migrant work")
    INCOME_DROP = "income_drop", _("Business or harvest failed")
    DEATH = "death", _("Death of a working member")
    SCHOOLING = "schooling", _("Large schooling costs")
    OTHER = "other", _("Other hardship")


class Visit(models.Model):
    """A home visit by the village clerk or a responsible helper: the two no-worries and three
    guarantees as found (``indicators``: registry.identification.INDICATORS -> met), the
    household's per-capita income as now estimated, shocks since the last visit, notes and
    photos. ``consent`` is the household's signed consent when the visit is the procedure's."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        "registry.Household",
        models.PROTECT,
        related_name="monitoring_visits",
        verbose_name=_("household"),
    )
    lead = models.ForeignKey(
        Lead,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("lead"),
    )
    visited_on = models.DateField(_("visited on"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("visited by")
    )
    indicators = models.JSONField(_("guarantees met"), default=dict)
    per_capita_income = models.IntegerField(
        _("per-capita income now (yuan per year)"), null=True, blank=True
    )
    shocks = models.JSONField(_("shocks"), default=list, blank=True)
    note = models.TextField(_("notes"), blank=True)
    consent = models.FileField(_("signed consent"), upload_to="monitoring/consent/", blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")

    def __str__(self) -> str:
        return f"{self.household} {self.visited_on}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="monitoring/visits/")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class MeasureKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    INDUSTRY = "industry", _("Industry support")
    MEDICAL = "medical", _("Medical assistance")
    EDUCATION = "education", _("Education aid")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    NEED = "need", _("A need published to helpers")
    SOCIAL_WORK = "social_work", _("A social-work case")
    OTHER = "other", _("Other")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Measure(models.Model):
    """One measure of a monitored household's plan, who is responsible and where it stands."""

    monitored = models.ForeignKey(
        MonitoredHousehold, models.CASCADE, related_name="measures", verbose_name=_("household")
    )
    kind = models.CharField(_("measure"), max_length=20, choices=MeasureKind.choices)
    description = models.CharField(_("description"), max_length=200)
    responsible = models.CharField(_("responsible"), max_length=100)
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    need = models.ForeignKey(
        "needs.Need",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("need"),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.description


class MonitoringCriteria(models.Model):
    """One version of a region's monitoring criteria from a year on (monitoring.criteria);
    regions below inherit them unless they have their own. A row is never changed: setting
    them again adds a version. The monitoring income line itself is the identification
    rules' (registry.rules)."""

    region = models.ForeignKey(
        "regions.Region", models.CASCADE, related_name="+", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("from year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    medical_share = models.DecimalField(
        _("medical spending above (share of annual income)"),
        max_digits=5,
        decimal_places=3,
        default=criteria.Criteria.medical_share,
    )
    education_share = models.DecimalField(
        _("school fees above (share of annual income)"),
        max_digits=5,
        decimal_places=3,
        default=criteria.Criteria.education_share,
    )
    disaster_share = models.DecimalField(
        _("disaster losses above (share of annual income)"),
        max_digits=5,
        decimal_places=3,
        default=criteria.Criteria.disaster_share,
    )
    window_days = models.PositiveSmallIntegerField(
        _("records counted (days)"), default=criteria.Criteria.window_days
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

    class Meta:
        ordering = ["region", "-year", "-version"]
        verbose_name = _("monitoring criteria")
        verbose_name_plural = _("monitoring criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "version"],
                name="one_criteria_per_region_year_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("monitoring criteria are never changed: set a new version")
        super().save(*args, **kwargs)

    def core(self) -> criteria.Criteria:
        return criteria.Criteria(
            medical_share=float(self.medical_share),
            education_share=float(self.education_share),
            disaster_share=float(self.disaster_share),
            window_days=self.window_days,
        )


class VisitFinding(models.Model):
    """A rule a visit met (monitoring.findings) and the lead it opened or joined, so that the
    lead shows the visits behind it and the visit the leads it led to."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="findings")
    lead = models.ForeignKey(Lead, models.CASCADE, related_name="visit_findings")
    rule = models.CharField(_("rule"), max_length=40)
    facts = models.JSONField(_("what the visit found"), default=list)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("visit finding")
        constraints = [
            models.UniqueConstraint(fields=["visit", "rule"], name="one_finding_per_visit_rule")
        ]

    def __str__(self) -> str:
        return f"{self.visit} {self.rule}"


class DepartmentRecord(models.Model):
    """One record of another department's file (monitoring.department), matched to a member
    by resident ID: what happened (``event`` of ``source``), the amount in fen and the day.
    ``fingerprint`` (SHA-256 of source, the member's ID digest, event, amount, date and note)
    is unique, so importing the same record again creates nothing. ``leads`` are the leads
    it fed (a damaged house may feed two rules). Written by monitoring.department only."""

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    event = models.CharField(_("event"), max_length=30)
    # Written only from members just matched, millions at a time: no row-by-row foreign key
    # check in the database (as RiskScore), PROTECT stays Django's; no index by member.
    member = models.ForeignKey(
        "registry.Member",
        models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
        db_constraint=False,
        db_index=False,
    )
    household = models.ForeignKey(
        "registry.Household",
        models.PROTECT,
        related_name="department_records",
        verbose_name=_("household"),
        db_index=False,  # dept_record_household_date begins with it
        db_constraint=False,
    )
    amount = models.BigIntegerField(_("amount (fen)"), default=0)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    fingerprint = models.BinaryField(max_length=32, unique=True, editable=False)
    leads = models.ManyToManyField(
        Lead, blank=True, related_name="department_records", verbose_name=_("leads")
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("department record")
        verbose_name_plural = _("department records")
        indexes = [models.Index(fields=["household", "on"], name="dept_record_household_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="department_record_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.event} {self.on}"


class RiskMethod(models.TextChoices):
    RULES = "rules", _("Rules with weights")
    MODEL = "model", _("Logistic regression")


class RiskScore(models.Model):
    """A household's latest relapse risk score (monitoring.scoring), 0-100, with the factors
    that raise it most: [[factor, weight], ...] (rule points, or the model's log-odds x 1).
    The nightly scoring replaces every row."""

    # No database constraint: the nightly run rewrites a million rows at once, and a foreign
    # key would check each one; a household's score goes with it (CASCADE, by Django).
    household = models.OneToOneField(
        "registry.Household",
        models.CASCADE,
        related_name="risk",
        db_constraint=False,
        verbose_name=_("household"),
    )
    scored_on = models.DateField(_("scored on"))
    score = models.PositiveSmallIntegerField(_("risk score"))
    method = models.CharField(_("method"), max_length=8, choices=RiskMethod.choices)
    factors = models.JSONField(_("top factors"), default=list)

    class Meta:
        ordering = ["-score", "household_id"]
        verbose_name = _("risk score")
        verbose_name_plural = _("risk scores")
        indexes = [models.Index(fields=["-score", "household"], name="risk_by_score")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.score}"


class RiskModel(models.Model):
    """One evaluation of the scoring on held-out households, and the model trained with it
    (monitoring.scoring.Model as JSON); ``method`` is what the nightly scoring uses from then
    on. ``generated`` is the share of the incomes learnt from that the demo generated."""

    trained_at = models.DateTimeField(_("evaluated at"), default=timezone.now)
    years = models.CharField(_("years learnt from"), max_length=20)
    method = models.CharField(_("method used"), max_length=8, choices=RiskMethod.choices)
    model = models.JSONField(_("model"), null=True, blank=True)
    evaluation = models.JSONField(_("evaluation"), default=dict)
    generated = models.FloatField(_("share of generated incomes"), default=0)

    class Meta:
        ordering = ["-trained_at", "-pk"]
        verbose_name = _("risk model")
        verbose_name_plural = _("risk models")

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d} {self.method}"
