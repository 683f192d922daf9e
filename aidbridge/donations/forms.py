"""The donation form. It parses input (yuan become fen); the services decide what is valid."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

from aidbridge.donations.models import DonationStatus
from aidbridge.helpers.models import Organization
from aidbridge.projects.models import TargetKind
from aidbridge.widgets import DateField


class DonationForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("For"))
    recipient = forms.ChoiceField(
        label=gettext_lazy("Recipient organization"),
        help_text=gettext_lazy("It receives the donation and issues the receipt"),
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount or value (yuan)"),
        min_value=Decimal("0.01"),
        max_digits=13,
        decimal_places=2,
        help_text=gettext_lazy("For goods: their stated value"),
    )
    quantity = forms.IntegerField(
        label=gettext_lazy("Quantity (goods only)"), required=False, min_value=1
    )
    goods = forms.CharField(
        label=gettext_lazy("Goods (what they are)"), required=False, max_length=200
    )
    honour = forms.BooleanField(
        label=gettext_lazy("Show me on the public honour roll"), required=False
    )
    honour_name = forms.CharField(
        label=gettext_lazy("Name on the honour roll"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("Shown to the public; a pseudonym is fine"),
    )

    def __init__(self, *args, targets, recipients, records=False, **kwargs):
        """`records`: the user is a recipient's staff, who may record a gift that arrived
        from another donor (chosen by code) on the day it arrived."""
        super().__init__(*args, **kwargs)
        if records:
            self.fields["donor"] = forms.ModelChoiceField(
                label=gettext_lazy("Donor (a gift that arrived)"),
                required=False,
                queryset=Organization.objects.order_by("code"),
                to_field_name="code",
                help_text=gettext_lazy("Empty: you give for your own helper"),
            )
            self.fields["received_on"] = DateField(
                label=gettext_lazy("Arrived on"),
                required=False,
                help_text=gettext_lazy("With a donor: the receipt is issued at once"),
            )
        self.targets = {str(t.public_id): t for t in targets}
        self.recipients = {r.code: r for r in recipients}
        self.fields["target"].choices = [
            (
                key,
                f"{t.label} ({t.unit or t.get_kind_display()})"
                if t.kind == TargetKind.MATERIAL
                else t.label,
            )
            for key, t in self.targets.items()
        ]
        self.fields["recipient"].choices = [
            (code, f"{r} · {r.registration_number}") for code, r in self.recipients.items()
        ]

    def service_args(self) -> dict:
        data = self.cleaned_data
        return {
            "target": self.targets[data["target"]],
            "recipient": self.recipients[data["recipient"]],
            "value": int(data["amount"] * 100),
            "quantity": data["quantity"],
            "goods": data["goods"],
            "honour": data["honour"],
            "honour_name": data["honour_name"],
            **({"donor": data["donor"]} if data.get("donor") else {}),
        }


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any"))] + DonationStatus.choices,
    )
