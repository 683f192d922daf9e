"""Micro-loans (扶贫小额信贷) to households, their repayments and the interest subsidies the
funds pay. ``schedule.py`` computes the schedule from the loan's terms; its instalments are
stored too, for the database to figure many loans at once (selectors.figured).
Every loan, repayment and subsidy points to the ledger entry that moved its money."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aidbridge.loans import schedule


class LenderKind(models.TextChoices):
    ORGANIZATION = "organization", _("A helper organization")
    GOVERNMENT_FUND = "government_fund", _("A government fund")
    BANK = "bank", _("A bank (outside lender)")


class Method(models.TextChoices):
    EQUAL_INSTALMENTS = schedule.EQUAL_INSTALMENTS, _("Equal monthly instalments")
    INTEREST_MONTHLY = schedule.INTEREST_MONTHLY, _("Interest monthly, principal at the end")


class Loan(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        "registry.Household", models.PROTECT, related_name="loans", verbose_name=_("household")
    )
    lender_kind = models.CharField(_("lender"), max_length=20, choices=LenderKind.choices)
    lender = models.ForeignKey(
        "helpers.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="loans_lent",
        verbose_name=_("lending helper"),
    )
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    principal = models.BigIntegerField(_("principal (fen)"))
    annual_rate = models.DecimalField(_("annual rate (%)"), max_digits=7, decimal_places=4)
    months = models.PositiveSmallIntegerField(_("term (months)"))
    start = models.DateField(_("lent on"))
    method = models.CharField(_("repayment method"), max_length=20, choices=Method.choices)
    guarantor = models.CharField(_("guarantor or guarantee fund"), max_length=100, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    subsidy_percent = models.PositiveSmallIntegerField(_("interest subsidy (%)"), default=0)
    subsidy_fund = models.ForeignKey(
        "helpers.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="loans_subsidised",
        verbose_name=_("subsidising fund"),
    )
    entry = models.OneToOneField(
        "ledger.Entry", models.PROTECT, related_name="loan", verbose_name=_("ledger entry")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("micro-loan")
        verbose_name_plural = _("micro-loans")
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="loan_principal_positive"),
            models.CheckConstraint(condition=Q(annual_rate__gte=0), name="loan_rate_not_negative"),
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=schedule.MAX_MONTHS),
                name="loan_months_1_to_360",
            ),
            models.CheckConstraint(
                condition=Q(subsidy_percent__lte=100), name="loan_subsidy_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(subsidy_percent=0) | Q(subsidy_fund__isnull=False),
                name="loan_subsidy_has_a_fund",
            ),
            models.CheckConstraint(
                condition=Q(lender_kind="bank", lender__isnull=True) & ~Q(bank_name="")
                | ~Q(lender_kind="bank") & Q(lender__isnull=False, bank_name=""),
                name="loan_lender_is_a_helper_or_a_bank",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def rate_text(self) -> str:
        """The annual rate without trailing zeros: "4.35", "0"."""
        return format(self.annual_rate.normalize(), "f")

    @property
    def lender_name(self) -> str:
        return self.bank_name or str(self.lender)

    def instalments(self) -> list[schedule.Instalment]:
        return schedule.schedule(
            principal=self.principal,
            annual_percent=self.annual_rate,
            months=self.months,
            start=self.start,
            method=self.method,
            subsidy_percent=self.subsidy_percent,
        )


class LoanInstalment(models.Model):
    """One instalment of a loan's schedule as ``schedule.py`` computed it when the loan was
    recorded, with the running totals the overdue queries compare repayments with: the
    principal and the household's interest due up to and including this instalment."""

    loan = models.ForeignKey(Loan, models.CASCADE, related_name="instalment_rows")
    number = models.PositiveSmallIntegerField()
    due = models.DateField()
    principal = models.BigIntegerField()
    interest = models.BigIntegerField()
    subsidy = models.BigIntegerField()
    principal_to_date = models.BigIntegerField()
    household_interest_to_date = models.BigIntegerField()

    class Meta:
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="loan_instalment_once"),
        ]
        indexes = [models.Index(fields=["loan", "due"], name="loan_instalment_due")]

    def __str__(self) -> str:
        return f"{self.loan} #{self.number}"


class Repayment(models.Model):
    """What the household paid on a day: principal and its share of the interest."""

    loan = models.ForeignKey(Loan, models.PROTECT, related_name="repayments")
    paid_on = models.DateField(_("paid on"))
    principal = models.BigIntegerField(_("principal (fen)"))
    interest = models.BigIntegerField(_("interest (fen)"))
    entry = models.OneToOneField("ledger.Entry", models.PROTECT, related_name="loan_repayment")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [
            models.CheckConstraint(
                condition=Q(principal__gte=0, interest__gte=0)
                & (Q(principal__gt=0) | Q(interest__gt=0)),
                name="loan_repayment_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan} {self.paid_on}"


class SubsidyPayment(models.Model):
    """The fund's share of the interest due by ``paid_on``, paid to the lender."""

    loan = models.ForeignKey(Loan, models.PROTECT, related_name="subsidies")
    paid_on = models.DateField(_("paid on"))
    amount = models.BigIntegerField(_("amount (fen)"))
    entry = models.OneToOneField("ledger.Entry", models.PROTECT, related_name="loan_subsidy")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("interest subsidy payment")
        verbose_name_plural = _("interest subsidy payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_subsidy_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.loan} {self.paid_on}"
