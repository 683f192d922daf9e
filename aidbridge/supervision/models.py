"""Random inspection (双随机、一公开): plans, their published frames and draws, the visits
drawn, their findings, the rectification orders that follow and who was held accountable.

A plan is drafted, then published with its frame (the objects per stratum) and the frame's
SHA-256, and the public value its seed will come from is named. Once that value is known and
entered, the draw samples each stratum and assigns inspectors (supervision.draw): one
InspectionVisit per sampled object. A visit's finding opens a rectification order to the
responsible unit (a region's office) with a deadline; the unit answers with evidence, the
inspector verifies and closes it; overdue orders escalate up the region tree."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectKind(models.TextChoices):
    HOUSEHOLD = "household", _("Households")
    VILLAGE = "village", _("Villages (omission check)")
    NEED = "need", _("Needs delivered")
    PROJECT = "project", _("Projects")
    DISBURSEMENT = "disbursement", _("Disbursements")
    HELPER = "helper", _("Helpers")


class Strata(models.TextChoices):
    NONE = "none", _("One stratum")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    STATUS = "status", _("Household status")
    COUNTY_STATUS = "county_status", _("County x household status")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published, waiting for the public value")
    DRAWN = "drawn", _("Drawn")
    CLOSED = "closed", _("Closed")


class Plan(models.Model):
    """An inspection plan: what is inspected (``kind``, ``statuses`` for households), where
    (``region``), the strata and the sample size or rate per stratum, the pool of
    inspectors (PlanInspector) and how many go on each visit. Written by supervision
    services only; published plans and their draws are public (no personal data)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name=_("where")
    )
    kind = models.CharField(_("what is inspected"), max_length=20, choices=ObjectKind.choices)
    statuses = models.JSONField(_("household statuses"), default=list, blank=True)
    strata = models.CharField(
        _("strata"), max_length=20, choices=Strata.choices, default=Strata.COUNTY
    )
    size = models.PositiveIntegerField(_("sample size per stratum"), null=True, blank=True)
    rate_percent = models.DecimalField(
        _("sample rate per stratum (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    inspectors_per_visit = models.PositiveSmallIntegerField(_("inspectors per visit"), default=2)
    visit_by = models.DateField(_("visits due by"))
    public_source = models.CharField(
        _("where the public value comes from"),
        max_length=300,
        blank=True,
        help_text=_(
            "Named at publication, known only later: for example the result of a given "
            "issue of the welfare lottery."
        ),
    )
    public_value = models.CharField(_("public value"), max_length=200, blank=True)
    frame_sha256 = models.CharField(_("frame SHA-256"), max_length=64, blank=True)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self) -> str:
        return self.title


class PlanInspector(models.Model):
    """A member of a plan's pool of inspectors, published by pseudonym (I01, I02...).
    ``home`` is the region they are recused from (no one inspects their own region); empty
    for no region recusal."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="inspectors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    pseudonym = models.CharField(_("pseudonym"), max_length=10)
    home = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home region (recused)"),
    )

    class Meta:
        ordering = ["pseudonym"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="one_pool_place_per_user"),
            models.UniqueConstraint(fields=["plan", "pseudonym"], name="unique_pseudonym"),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class FrameEntry(models.Model):
    """One object of a published plan's frame: its stratum, its public id (``object_id``),
    its region (a village, or the region of a need, project or helper), the household when
    households or needs are inspected, and the users whose work it is (recused, never
    published). ``sampled`` is set by the draw."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="frame")
    stratum = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "registry.Household", models.PROTECT, null=True, blank=True, related_name="+"
    )
    workers = models.JSONField(default=list, blank=True)
    sampled = models.BooleanField(default=False)

    class Meta:
        ordering = ["stratum", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "object_id"], name="one_frame_entry_per_id")
        ]

    def __str__(self) -> str:
        return self.object_id


class VisitStatus(models.TextChoices):
    ASSIGNED = "assigned", _("To visit")
    DONE = "done", _("Visited")


class InspectionVisit(models.Model):
    """The visit to one sampled object by its assigned inspectors: the checklist's answers
    (supervision.checklist), notes, photos, when and (with consent) where. ``client_key``
    makes a form submitted again after a dropped connection count once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, models.PROTECT, related_name="visits")
    entry = models.OneToOneField(FrameEntry, models.PROTECT, related_name="visit")
    household = models.ForeignKey(
        "registry.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_visits",
        verbose_name=_("household"),
    )
    region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name=_("place")
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="inspection_visits", verbose_name=_("inspectors")
    )
    recused = models.JSONField(default=list, blank=True)  # pseudonyms, as published
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.ASSIGNED
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)  # may be personal: staff only
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    visited_at = models.TimeField(_("time of the visit"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    client_key = models.UUIDField(null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")

    def __str__(self) -> str:
        return str(self.public_id)


class InspectionPhoto(models.Model):
    visit = models.ForeignKey(InspectionVisit, models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="inspections/%Y/%m/")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.image.name


class FindingKind(models.TextChoices):
    WRONG_IDENTIFICATION = "wrong_identification", _("Wrong identification")
    WRONG_EXIT = "wrong_exit", _("Wrong exit")
    AID_NOT_RECEIVED = "aid_not_received", _("Aid not received")
    MONEY_MISUSED = "money_misused", _("Money misused")
    FALSE_NEED = "false_need", _("False need")
    OTHER = "other", _("Other")


class Finding(models.Model):
    """A problem a visit found, or one referred from elsewhere (a grievance decided so:
    ``source`` names it, ``region`` places it, no visit); it opens a rectification order,
    whose answer is verified by the visit's inspectors, else by who raised it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visit = models.ForeignKey(
        InspectionVisit, models.PROTECT, null=True, blank=True, related_name="findings"
    )
    region = models.ForeignKey(
        "regions.Region", models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("referred from"), max_length=100, blank=True)
    kind = models.CharField(_("finding"), max_length=30, choices=FindingKind.choices)
    description = models.TextField(_("description"))  # may be personal: staff only
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visit__isnull=False) | models.Q(region__isnull=False),
                name="finding_has_a_place",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def place(self):
        """Where it was found: the visit's place, else its own region."""
        return self.visit.region if self.visit_id else self.region


class OrderStatus(models.TextChoices):
    OPEN = "open", _("To rectify")
    ANSWERED = "answered", _("Answered, to verify")
    CLOSED = "closed", _("Rectified and closed")


class RectificationOrder(models.Model):
    """An order to the responsible unit (the office of ``region``) to rectify a finding by
    ``due``. ``escalated_to`` is the region it was escalated to when overdue (up the tree)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    finding = models.OneToOneField(Finding, models.PROTECT, related_name="order")
    region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name=_("responsible unit")
    )
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    escalated_to = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to"),
    )
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("inspector's note"), blank=True)  # on closing or returning
    returned = models.PositiveSmallIntegerField(_("times returned"), default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")

    def __str__(self) -> str:
        return str(self.public_id)


class OrderEvidence(models.Model):
    order = models.ForeignKey(RectificationOrder, models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="rectification/%Y/%m/")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file.name


class Accountability(models.Model):
    """Who was held responsible for a finding and how (seen by supervisors and auditors)."""

    order = models.ForeignKey(RectificationOrder, models.PROTECT, related_name="accountability")
    person = models.CharField(_("person held responsible"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    measure = models.CharField(_("measure taken"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")

    def __str__(self) -> str:
        return self.person
