"""Forms of the project pages. They parse input (money in yuan becomes fen); the services
decide what is valid."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

from aidbridge.helpers.models import Organization
from aidbridge.projects.models import PartnerRole, TargetKind
from aidbridge.regions.widgets import RegionPicker
from aidbridge.widgets import DateField


def _date(label, **kwargs):
    return DateField(label=label, **kwargs)


def _helpers(required=True, **kwargs):
    return forms.ModelChoiceField(
        label=gettext_lazy("Helper"),
        required=required,
        queryset=Organization.objects.order_by("code"),
        to_field_name="code",
        **kwargs,
    )


def _text(label, rows=2, **kwargs):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def in_units(amount: Decimal, kind: str) -> int | None:
    """An amount typed in yuan (money) or as a quantity (materials) in the target's unit:
    fen, or the quantity; None if it is not a whole number of them."""
    units = amount * 100 if kind == TargetKind.MONEY else amount
    return int(units) if units == units.to_integral_value() else None


class ProjectForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    summary = _text(gettext_lazy("Summary"), rows=3, required=False)
    region = forms.CharField(
        label=gettext_lazy("Region"),
        max_length=24,
        help_text=gettext_lazy("The county, township or village the project serves"),
        widget=RegionPicker(levels=("county", "township", "village")),
    )
    initiator = _helpers(
        required=False,
        help_text=gettext_lazy("The helper that initiated the project; empty if your office did"),
    )


class LinkForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=gettext_lazy("Needs"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    households = forms.CharField(
        label=gettext_lazy("Household numbers"),
        required=False,
        help_text=gettext_lazy("Separated by spaces"),
    )

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = [
            (str(n.public_id), f"{n.title} · {n.region.name}") for n in needs
        ]

    def clean_households(self):
        return self.cleaned_data["households"].replace(",", " ").split()


class UnlinkForm(forms.Form):
    need = forms.CharField(required=False)
    household = forms.CharField(required=False)


class NoteForm(forms.Form):
    text = _text(
        gettext_lazy("What the survey found"),
        rows=3,
        help_text=gettext_lazy("Never shown publicly; write no names or ID numbers."),
    )
    on = _date(gettext_lazy("Date"))


class TargetForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("What"),
        max_length=120,
        help_text=gettext_lazy("e.g. “school fees”, “quilts”"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=TargetKind.choices)
    amount = forms.DecimalField(
        label=gettext_lazy("Target"),
        min_value=Decimal("0.01"),
        max_digits=15,
        decimal_places=2,
        help_text=gettext_lazy("Yuan for money, else the quantity"),
    )
    unit = forms.CharField(
        label=gettext_lazy("Unit"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("For a material, e.g. sets, kg"),
    )

    def clean(self):
        data = super().clean()
        if "amount" in data and "kind" in data:
            data["amount"] = in_units(data["amount"], data["kind"])
            if data["amount"] is None:
                self.add_error("amount", gettext_lazy("must be whole fen or a whole quantity"))
        return data


class PledgeForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("Target"))
    helper = _helpers()
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        min_value=Decimal("0.01"),
        max_digits=15,
        decimal_places=2,
        help_text=gettext_lazy("Yuan for money, else the quantity"),
    )
    pledged_on = _date(gettext_lazy("Pledged on"))
    note = _text(gettext_lazy("Note"), required=False)

    def __init__(self, *args, targets=(), own_helper=False, **kwargs):
        """``own_helper``: the user pledges for their own helper, so none is chosen."""
        super().__init__(*args, **kwargs)
        self.targets = {str(t.public_id): t for t in targets}
        self.fields["target"].choices = [(key, t.label) for key, t in self.targets.items()]
        if own_helper:
            del self.fields["helper"]

    def clean(self):
        data = super().clean()
        if "amount" in data and "target" in data:
            data["target"] = self.targets[data["target"]]
            data["amount"] = in_units(data["amount"], data["target"].kind)
            if data["amount"] is None:
                self.add_error("amount", gettext_lazy("must be whole fen or a whole quantity"))
        return data


class PartnerForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=PartnerRole.choices)
    helper = _helpers(required=False)
    name = forms.CharField(
        label=gettext_lazy("Or a name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "For partners that are not helpers, e.g. an "
            "expert team or the beneficiaries' "
            "representatives"
        ),
    )
    agreement_reference = forms.CharField(
        label=gettext_lazy("Agreement reference"), max_length=100, required=False
    )
    agreement_on = _date(gettext_lazy("Agreement signed on"), required=False)
    since = _date(gettext_lazy("Since"))
    until = _date(gettext_lazy("Until"), required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    due = _date(gettext_lazy("Due"))
    note = _text(gettext_lazy("Note"), required=False)


class DoneForm(forms.Form):
    evidence = forms.FileField(label=gettext_lazy("Evidence (photo, document)"))
    done_on = _date(gettext_lazy("Done on"))
    note = _text(gettext_lazy("Note"), required=False)
