"""The forms to record a spending, one per kind (``SpendingForm(kind=...)`` keeps the fields
of that kind), and to decide one. They parse input (yuan become fen, codes become records);
the services decide what is valid."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

from aidbridge.donations.models import DonationStatus
from aidbridge.ledger.models import Entry
from aidbridge.regions.models import Region
from aidbridge.spending.models import RecipientKind, SpendingKind
from aidbridge.widgets import DateField

_FIELDS = {
    SpendingKind.DISBURSEMENT: (
        "recipient_kind",
        "need",
        "household",
        "village",
        "organization",
        "supplier",
        "amount",
        "quantity",
        "unit",
        "evidence",
    ),
    SpendingKind.PURCHASE: (
        "supplier",
        "invoice_number",
        "goods",
        "quantity",
        "unit",
        "amount",
        "invoice",
        "evidence",
    ),
    SpendingKind.TRANSFER_IN: ("organization", "amount", "evidence"),
    SpendingKind.TRANSFER_OUT: ("organization", "amount", "evidence"),
    SpendingKind.REFUND: ("donation", "amount", "evidence"),
    SpendingKind.REVERSAL: ("reverses",),
}


class SpendingForm(forms.Form):
    on = DateField(label=gettext_lazy("Date"))
    purpose = forms.CharField(label=gettext_lazy("What it is for"), max_length=200)
    recipient_kind = forms.ChoiceField(label=gettext_lazy("To"), choices=RecipientKind.choices)
    need = forms.ChoiceField(label=gettext_lazy("Need (published)"), required=False)
    household = forms.ChoiceField(label=gettext_lazy("Household"), required=False)
    village = forms.CharField(label=gettext_lazy("Village code"), required=False, max_length=12)
    organization = forms.ChoiceField(label=gettext_lazy("Organization or fund"), required=False)
    supplier = forms.CharField(label=gettext_lazy("Supplier"), required=False, max_length=200)
    invoice_number = forms.CharField(label=gettext_lazy("Invoice number"), max_length=60)
    goods = forms.CharField(label=gettext_lazy("Goods (what they are)"), max_length=200)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (yuan)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=13,
        decimal_places=2,
    )
    quantity = forms.IntegerField(
        label=gettext_lazy("Quantity (goods)"), required=False, min_value=1
    )
    unit = forms.CharField(label=gettext_lazy("Unit (goods)"), required=False, max_length=20)
    donation = forms.ChoiceField(label=gettext_lazy("Donation (receipt number)"))
    reverses = forms.IntegerField(label=gettext_lazy("Ledger entry number to reverse"), min_value=1)
    invoice = forms.FileField(label=gettext_lazy("Invoice (photo or PDF)"))
    evidence = forms.FileField(label=gettext_lazy("Evidence (photo, document)"), required=False)

    def __init__(self, *args, kind: str, project, households=(), funds=(), **kwargs):
        """`households`: the project's households the user may name (none for helpers'
        staff); `funds`: the helpers whose funds may be transferred with."""
        super().__init__(*args, **kwargs)
        self.kind, self.project = kind, project
        keep = {"on", "purpose", *_FIELDS[kind]}
        for name in [n for n in self.fields if n not in keep]:
            del self.fields[name]
        if "evidence" in self.fields and kind != SpendingKind.PURCHASE:
            self.fields["evidence"].required = True
        if kind == SpendingKind.REVERSAL:
            self.fields["purpose"].label = gettext_lazy("Why it is reversed")
        if kind == SpendingKind.DISBURSEMENT:
            self.fields["amount"].help_text = gettext_lazy("Money; empty when goods are given")
            self.fields["quantity"].help_text = gettext_lazy("Goods from the project's materials")
            self.needs = {str(n.public_id): n for n in project.needs.order_by("pk")}
            self.fields["need"].choices = [("", "—")] + [
                (k, f"{n.title} ({n.get_status_display()})") for k, n in self.needs.items()
            ]
            self.households = {str(h.public_id): h for h in households}
            if self.households:
                self.fields["household"].choices = [("", "—")] + [
                    (k, h.number) for k, h in self.households.items()
                ]
            else:
                del self.fields["household"]
                self.fields["recipient_kind"].choices = [
                    c for c in RecipientKind.choices if c[0] != RecipientKind.HOUSEHOLD
                ]
            funds = [p.helper for p in project.partners.all() if p.helper_id]
        if "organization" in self.fields:
            self.funds = {f.code: f for f in funds}
            self.fields["organization"].choices = [("", "—")] + [
                (code, str(f)) for code, f in self.funds.items()
            ]
        if "donation" in self.fields:
            received = project.donations.filter(
                status=DonationStatus.RECEIVED, quantity__isnull=True
            ).order_by("serial")
            self.donations = {d.serial: d for d in received}
            self.fields["donation"].choices = [(s, s) for s in self.donations]

    def service_args(self) -> dict:
        """The service's keyword arguments: fen, and records for codes."""
        data, args = self.cleaned_data, {"kind": self.kind}
        args |= {"on": data["on"], "purpose": data["purpose"]}
        for name in ("supplier", "invoice_number", "goods", "unit", "quantity", "recipient_kind"):
            if name in data:
                args[name] = data[name]
        if data.get("amount") is not None:
            args["amount"] = int(data["amount"] * 100)
        if data.get("need"):
            args["need"] = self.needs[data["need"]]
        if data.get("household"):
            args["household"] = self.households[data["household"]]
        if data.get("village"):
            args["village"] = Region.objects.filter(code=data["village"].strip()).first()
        if data.get("organization"):
            args["organization"] = self.funds[data["organization"]]
        if data.get("donation"):
            args["donation"] = self.donations[data["donation"]]
        if data.get("reverses"):
            args["reverses"] = Entry.objects.filter(seq=data["reverses"]).first()
        if data.get("evidence"):
            args["evidence"] = [data["evidence"]]
        if data.get("invoice"):
            args["invoice"] = data["invoice"]
        return args


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))],
    )
    reason = forms.CharField(
        label=gettext_lazy("Why (when rejecting)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ThresholdForm(forms.Form):
    threshold = forms.DecimalField(
        label=gettext_lazy("Spending from this amount waits for a second person (yuan)"),
        min_value=Decimal("0.01"),
        max_digits=13,
        decimal_places=2,
    )
