"""A project's spending, recorded by the people who spend: disbursements (to a published
need, a household, a village, a partner organization or a supplier; money or goods), purchases
(goods bought from a supplier against an invoice), transfers between a fund and the project,
refunds to donors and reversals of the project's ledger entries.

A record is posted to the ledger by the services only (``entry``); at or above its
organization's threshold it first waits for a second person's approval (``pending``), and a
rejected one keeps its reason. Amounts are integer fen; goods carry a whole quantity of a unit.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SpendingKind(models.TextChoices):
    DISBURSEMENT = "disbursement", _("Disbursement")
    PURCHASE = "purchase", _("Purchase")
    TRANSFER_IN = "transfer_in", _("Transfer from a fund")
    TRANSFER_OUT = "transfer_out", _("Transfer to a fund")
    REFUND = "refund", _("Refund to a donor")
    REVERSAL = "reversal", _("Reversal of an entry")


class RecipientKind(models.TextChoices):
    """Whom a disbursement goes to."""

    NEED = "need", _("A published need")
    HOUSEHOLD = "household", _("A household")
    VILLAGE = "village", _("A village")
    PARTNER = "partner", _("A partner organization")
    SUPPLIER = "supplier", _("A supplier")


class SpendingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second person's approval")
    POSTED = "posted", _("Posted to the ledger")
    REJECTED = "rejected", _("Rejected")


class Spending(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(
        "projects.Project", models.PROTECT, related_name="spendings", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SpendingKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=SpendingStatus.choices)
    on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (fen)"))
    quantity = models.PositiveBigIntegerField(_("quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    goods = models.CharField(_("goods"), max_length=200, blank=True)
    recipient_kind = models.CharField(
        _("to"), max_length=10, choices=RecipientKind.choices, blank=True
    )
    need = models.ForeignKey(
        "needs.Need",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("need"),
    )
    household = models.ForeignKey(
        "registry.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    village = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village"),
    )
    organization = models.ForeignKey(
        "helpers.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization or fund"),
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    donation = models.ForeignKey(
        "donations.Donation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="spending_refunds",
        verbose_name=_("donation refunded"),
    )
    reverses = models.ForeignKey(
        "ledger.Entry",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entry reversed"),
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    entry = models.OneToOneField(
        "ledger.Entry",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="spending",
        verbose_name=_("ledger entry"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("why it was rejected"), blank=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="spending_amount_positive"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True, unit="") | Q(quantity__gt=0) & ~Q(unit=""),
                name="spending_quantity_with_unit",
            ),
            models.CheckConstraint(
                condition=Q(status=SpendingStatus.POSTED, entry__isnull=False)
                | ~Q(status=SpendingStatus.POSTED) & Q(entry__isnull=True),
                name="spending_posted_has_entry",
            ),
            models.CheckConstraint(
                condition=~Q(status=SpendingStatus.REJECTED) | ~Q(reason=""),
                name="spending_rejected_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["project", "status"], name="spending_project_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def in_kind(self) -> bool:
        return self.quantity is not None


class Evidence(models.Model):
    """A photo or document behind a spending record; ``invoice`` marks a purchase's invoice."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    spending = models.ForeignKey(Spending, models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="spending/%Y/%m/")
    invoice = models.BooleanField(_("invoice"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["spending", "pk"]
        verbose_name = _("spending evidence")
        verbose_name_plural = _("spending evidence")

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
