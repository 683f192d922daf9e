"""Offers of helpers, matching rounds, and the proposals a round makes.

A helper offers money (integer yuan) for some categories in some regions. An officer (or a
coordinating hub) runs a round for a region: the engine (``solver.solve``) allocates the open
offers to the published needs; the round keeps one proposal per (offer, need) and the needs
it left short, with the reason. Sent proposals go to the helpers, who accept (a claim is made
through ``needs.claims.claim_create``) or decline.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aidbridge.needs.models import NeedStatus


class Offer(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    helper = models.ForeignKey(
        "helpers.Organization", models.PROTECT, related_name="offers", verbose_name=_("helper")
    )
    title = models.CharField(_("title"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity (yuan)"))
    categories = models.JSONField(_("categories"), default=list)
    regions = models.ManyToManyField(
        "regions.Region", related_name="offers", verbose_name=_("regions")
    )
    is_open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="offer_capacity_positive")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matching:offer", args=[self.public_id])


class RoundStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    PROPOSED = "proposed", _("Proposed, waiting for review")
    SENT = "sent", _("Sent to helpers")
    DISCARDED = "discarded", _("Discarded")
    FAILED = "failed", _("Failed")


class Round(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_path = models.CharField(max_length=400, db_index=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.RUNNING
    )
    job = models.ForeignKey("jobs.Job", models.SET_NULL, null=True, blank=True, related_name="+")
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("run by")
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("matching round")
        verbose_name_plural = _("matching rounds")

    def __str__(self) -> str:
        return f"{self.region} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("matching:round", args=[self.public_id])


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Waiting for the helper")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DISCARDED = "discarded", _("Discarded")
    WITHDRAWN = "withdrawn", _("Withdrawn: the need is no longer open")


class Proposal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, models.CASCADE, related_name="proposals")
    offer = models.ForeignKey(
        Offer, models.PROTECT, related_name="proposals", verbose_name=_("offer")
    )
    need = models.ForeignKey(
        "needs.Need", models.PROTECT, related_name="proposals", verbose_name=_("need")
    )
    amount = models.PositiveIntegerField(_("amount (yuan)"))
    weight = models.PositiveSmallIntegerField(_("weight per yuan"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    need_status = models.CharField(
        _("need's status when withdrawn"), max_length=20, blank=True, editable=False
    )
    claim = models.OneToOneField(
        "needs.Claim", models.PROTECT, null=True, blank=True, related_name="proposal"
    )

    class Meta:
        ordering = ["round", "offer", "-weight", "need"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "offer", "need"], name="proposal_once_per_round_offer_need"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="proposal_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.offer} → {self.need}: {self.amount}"

    @property
    def explanation(self) -> str:
        """Why it was declined (the helper's words) or withdrawn (in the reader's language)."""
        if self.status == ProposalStatus.WITHDRAWN:
            label = dict(NeedStatus.choices).get(self.need_status, self.need_status)
            return _("The need is no longer open: it is now “%(status)s”.") % {"status": label}
        return self.reason


class ShortReason(models.TextChoices):
    NO_OFFER = "no_offer", _("No open offer takes this category in this region")
    USED_UP = "used_up", _("The offers that could help went to more urgent needs")


class Shortfall(models.Model):
    """A need a round left short: ``missing`` yuan stayed uncovered, and why."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="shortfalls")
    need = models.ForeignKey("needs.Need", models.CASCADE, related_name="+")
    missing = models.PositiveIntegerField(_("uncovered (yuan)"))
    reason = models.CharField(_("reason"), max_length=10, choices=ShortReason.choices)

    class Meta:
        ordering = ["round", "reason", "need"]

    def __str__(self) -> str:
        return f"{self.need}: {self.missing}"
