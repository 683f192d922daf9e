"""The annual county assessment: the province's scorecard for a year (indicators with weights,
thresholds and veto items), and each county's assessment against it (its values with their
evidence, score and verdict), computed, reviewed by a second officer, then published.

An assessment keeps a copy of each indicator's settings beside its value, so a later change
of the scorecard does not rewrite a computed or published result."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aidbridge.assessment import scorecard


class Source(models.TextChoices):
    PLATFORM = "platform", _("Platform data")
    EXIT = "exit", _("Exit check visits")
    MANUAL = "manual", _("Entered by the province")


class Direction(models.TextChoices):
    AT_LEAST = scorecard.AT_LEAST, _("at least")
    AT_MOST = scorecard.AT_MOST, _("at most")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPUTED = "computed", _("Computed")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Published")


class Scorecard(models.Model):
    """A province's scorecard for the assessments of one year."""

    province = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="scorecards", verbose_name=_("province")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    pass_score = models.DecimalField(_("pass score"), max_digits=7, decimal_places=2, default=60)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "province__path"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="scorecard_province_year")
        ]

    def __str__(self) -> str:
        return f"{self.province} {self.year}"


class Indicator(models.Model):
    """One line of a scorecard: what is measured (``key``; its source and unit follow from
    it, see assessment.indicators), its weight in points, its threshold and whether failing
    it fails the county whatever its score (``veto``)."""

    scorecard = models.ForeignKey(
        Scorecard, models.CASCADE, related_name="indicators", verbose_name=_("scorecard")
    )
    key = models.CharField(_("indicator"), max_length=30)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    label = models.CharField(_("name"), max_length=100, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=2)
    veto = models.BooleanField(_("one-vote veto"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "key"], name="indicator_scorecard_key"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="indicator_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.key


class Assessment(models.Model):
    """A county's assessment for a year: draft (manual values being entered), computed,
    reviewed by a second officer, published on the portal."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    county = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="assessments", verbose_name=_("county")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    scorecard = models.ForeignKey(
        Scorecard, models.PROTECT, related_name="assessments", verbose_name=_("scorecard")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    pass_score = models.DecimalField(_("pass score"), max_digits=7, decimal_places=2, default=0)
    total = models.DecimalField(_("score"), max_digits=9, decimal_places=2, null=True)
    maximum = models.DecimalField(_("out of"), max_digits=9, decimal_places=2, null=True)
    passed = models.BooleanField(_("passed"), null=True)
    vetoed_by = models.JSONField(_("vetoed by"), default=list, blank=True)
    evidence = models.JSONField(
        _("evidence"), default=list, blank=True, help_text=_("The sampled visits counted.")
    )
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    computed_at = models.DateTimeField(_("computed"), null=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True)
    review_note = models.TextField(_("review note"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True)

    class Meta:
        ordering = ["-year", "county__path"]
        verbose_name = _("county assessment")
        verbose_name_plural = _("county assessments")
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="assessment_county_year")
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"


class Value(models.Model):
    """An indicator's result in an assessment, with a copy of the indicator's settings: the
    value (a percentage, a count or yuan), the numerator and denominator of a share, its 95%
    interval, whether it meets the threshold, its points and what it was counted from."""

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="values", verbose_name=_("assessment")
    )
    key = models.CharField(_("indicator"), max_length=30)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    label = models.CharField(_("name"), max_length=100, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=2)
    veto = models.BooleanField(_("one-vote veto"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True)
    numerator = models.PositiveIntegerField(null=True)
    denominator = models.PositiveIntegerField(null=True)
    low = models.DecimalField(_("interval from"), max_digits=7, decimal_places=2, null=True)
    high = models.DecimalField(_("interval to"), max_digits=7, decimal_places=2, null=True)
    met = models.BooleanField(_("met"), null=True)
    uncertain = models.BooleanField(default=False)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, default=0)
    note = models.TextField(_("note"), blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="value_assessment_key")
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class ManualValue(models.Model):
    """A value the province enters for a manual indicator of an assessment, with its note
    (where it comes from); computing copies it into the assessment's values."""

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="manual_values", verbose_name=_("assessment")
    )
    key = models.CharField(_("indicator"), max_length=30)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    note = models.TextField(_("note"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="manual_assessment_key")
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
