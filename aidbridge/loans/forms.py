"""The loan and repayment forms: they parse input (yuan become fen); the services decide
what is valid."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

from aidbridge.helpers.models import Organization
from aidbridge.loans.models import LenderKind, Method
from aidbridge.widgets import DateField


def YuanField(label, *, required=True, minimum="0.01"):  # noqa: N802 (a field, named like one)
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(minimum),
        max_digits=13,
        decimal_places=2,
    )


def fen(yuan: Decimal | None) -> int:
    return int((yuan or 0) * 100)


class LoanForm(forms.Form):
    lender_kind = forms.ChoiceField(label=gettext_lazy("Lender"), choices=LenderKind.choices)
    lender = forms.ModelChoiceField(
        label=gettext_lazy("Lending helper or fund"),
        required=False,
        queryset=Organization.objects.order_by("code"),
        to_field_name="code",
        help_text=gettext_lazy("For a helper organization or a government fund"),
    )
    bank_name = forms.CharField(
        label=gettext_lazy("Bank"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("For a bank"),
    )
    principal = YuanField(gettext_lazy("Principal (yuan)"))
    annual_rate = forms.DecimalField(
        label=gettext_lazy("Annual rate (%)"), min_value=0, max_digits=7, decimal_places=4
    )
    months = forms.IntegerField(label=gettext_lazy("Term (months)"), min_value=1, max_value=360)
    start = DateField(label=gettext_lazy("Lent on"))
    method = forms.ChoiceField(label=gettext_lazy("Repayment method"), choices=Method.choices)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)
    guarantor = forms.CharField(
        label=gettext_lazy("Guarantor or guarantee fund"), required=False, max_length=100
    )
    subsidy_percent = forms.IntegerField(
        label=gettext_lazy("Interest subsidy (%)"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=gettext_lazy("The share of the interest a government fund pays (贴息)"),
    )
    subsidy_fund = forms.ModelChoiceField(
        label=gettext_lazy("Subsidising fund"),
        required=False,
        queryset=Organization.objects.order_by("code"),
        to_field_name="code",
    )

    def service_input(self) -> dict:
        data = dict(self.cleaned_data)
        data["principal"] = fen(data["principal"])
        return data


class RepaymentForm(forms.Form):
    paid_on = DateField(label=gettext_lazy("Paid on"))
    principal = YuanField(gettext_lazy("Principal (yuan)"), required=False, minimum="0")
    interest = YuanField(gettext_lazy("Interest (yuan)"), required=False, minimum="0")

    def service_input(self) -> dict:
        data = self.cleaned_data
        return {
            "paid_on": data["paid_on"],
            "principal": fen(data["principal"]),
            "interest": fen(data["interest"]),
        }
