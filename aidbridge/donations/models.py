"""Donations to projects and their receipts.

A donor (a helper's staff, individuals included) offers a donation to a project, for one of its
targets, through a recipient organization: a verified charity among the project's initiator
and partners, which issues receipts for pre-tax deduction (Charity Law 2016, art. 80). When the
recipient confirms the money or goods arrived, the donation is received: it gets a receipt
serial and the ledger entry that moves it from the donor's account into the project's, and
its receipt states the donor and the recipient as registered and verified then (never a typed
name; never the recipient itself). A recipient may also record a donation it received without
an offer. Corrections are refunds in the ledger, never edits.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DonationStatus(models.TextChoices):
    OFFERED = "offered", _("Offered: waiting for the recipient to confirm")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class Donation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=DonationStatus.choices, default=DonationStatus.OFFERED
    )
    target = models.ForeignKey(
        "projects.Target", models.PROTECT, related_name="donations", verbose_name=_("for")
    )
    project = models.ForeignKey(
        "projects.Project", models.PROTECT, related_name="donations", verbose_name=_("project")
    )
    donor = models.ForeignKey(
        "helpers.Organization",
        models.PROTECT,
        related_name="donations_given",
        verbose_name=_("donor"),
    )
    recipient = models.ForeignKey(
        "helpers.Organization",
        models.PROTECT,
        related_name="donations_received",
        verbose_name=_("recipient organization"),
    )
    value = models.PositiveBigIntegerField(_("amount or stated value (fen)"))
    quantity = models.PositiveBigIntegerField(_("quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    goods = models.CharField(_("goods"), max_length=200, blank=True)
    honour = models.BooleanField(_("show on the honour roll"), default=False)
    honour_name = models.CharField(_("name on the honour roll"), max_length=60, blank=True)
    offered_on = models.DateField(_("offered on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    serial = models.CharField(
        _("receipt number"), max_length=80, null=True, blank=True, unique=True
    )
    receipt_facts = models.JSONField(
        _("what the receipt states"),
        default=dict,
        blank=True,
        help_text=_("The donor and recipient as registered when the receipt was issued"),
    )
    entry = models.OneToOneField(
        "ledger.Entry",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="donation",
        verbose_name=_("ledger entry"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-offered_on", "-pk"]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="donation_value_positive"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True, unit="", goods="")
                | Q(quantity__gt=0) & ~Q(unit="") & ~Q(goods=""),
                name="donation_goods_have_quantity_unit_and_description",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=DonationStatus.RECEIVED,
                    serial__isnull=False,
                    entry__isnull=False,
                    received_on__isnull=False,
                )
                | ~Q(status=DonationStatus.RECEIVED) & Q(serial__isnull=True, entry__isnull=True),
                name="donation_received_has_serial_and_entry",
            ),
        ]

    def __str__(self) -> str:
        return self.serial or str(self.public_id)

    def get_absolute_url(self) -> str:
        return reverse("donations:detail", args=[self.public_id])

    @property
    def in_kind(self) -> bool:
        return self.quantity is not None
