"""The scorecard's form: the pass score and, for each indicator of the catalogue and each
manual one, whether the scorecard holds it, its weight, direction, threshold and veto."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aidbridge.assessment import indicators
from aidbridge.assessment.models import Direction


class ScorecardForm(forms.Form):
    pass_score = forms.DecimalField(
        label=_("Pass score"), min_value=0, max_digits=7, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in indicators.ALL_KEYS:
            manual = key in indicators.MANUAL_KEYS
            name = indicators.label_of(key) if not manual else _("Manual indicator")
            self.fields[f"on_{key}"] = forms.BooleanField(label=name, required=False)
            if manual:
                self.fields[f"label_{key}"] = forms.CharField(
                    label=_("Indicator name"), required=False, max_length=100
                )
            self.fields[f"weight_{key}"] = forms.DecimalField(
                label=_("Weight"), required=False, min_value=0, max_digits=7, decimal_places=2
            )
            self.fields[f"direction_{key}"] = forms.ChoiceField(
                label=_("Direction"), choices=Direction.choices, required=False
            )
            self.fields[f"threshold_{key}"] = forms.DecimalField(
                label=_("Threshold"), required=False, max_digits=14, decimal_places=2
            )
            self.fields[f"veto_{key}"] = forms.BooleanField(
                label=_("One-vote veto"), required=False
            )

    def rows(self) -> list[dict]:
        """One row per indicator for the template: its key, name, help, unit and fields."""
        rows = []
        for key in indicators.ALL_KEYS:
            kind = indicators.CATALOGUE.get(key)
            rows.append(
                {
                    "key": key,
                    "name": self[f"on_{key}"].label,
                    "help": kind.help if kind else _("A value the province enters, with a note."),
                    "unit": indicators.UNIT_LABELS[kind.unit] if kind else "",
                    "on": self[f"on_{key}"],
                    "label": self[f"label_{key}"] if key in indicators.MANUAL_KEYS else None,
                    "weight": self[f"weight_{key}"],
                    "direction": self[f"direction_{key}"],
                    "threshold": self[f"threshold_{key}"],
                    "veto": self[f"veto_{key}"],
                }
            )
        return rows

    def lines(self) -> list[dict]:
        """The chosen indicators as the service's lines (after ``is_valid``)."""
        data = self.cleaned_data
        return [
            {
                "key": key,
                "label": data.get(f"label_{key}", ""),
                "weight": data.get(f"weight_{key}"),
                "direction": data.get(f"direction_{key}"),
                "threshold": data.get(f"threshold_{key}"),
                "veto": data.get(f"veto_{key}"),
            }
            for key in indicators.ALL_KEYS
            if data.get(f"on_{key}")
        ]


def initial(card, default_lines: list[dict]) -> dict:
    """The form's initial values: the scorecard's lines, or the defaults for a new one."""
    if card is None:
        lines, pass_score = default_lines, 60
    else:
        lines, pass_score = list(card.indicators.values()), card.pass_score
    values = {"pass_score": pass_score}
    for line in lines:
        key = line["key"]
        values.update(
            {
                f"on_{key}": True,
                f"label_{key}": line.get("label", ""),
                f"weight_{key}": line["weight"],
                f"direction_{key}": line["direction"],
                f"threshold_{key}": line["threshold"],
                f"veto_{key}": line["veto"],
            }
        )
    for key in indicators.CATALOGUE:  # unchosen lines still show the catalogue's defaults
        kind = indicators.CATALOGUE[key]
        values.setdefault(f"weight_{key}", kind.weight)
        values.setdefault(f"direction_{key}", kind.direction)
        values.setdefault(f"threshold_{key}", kind.threshold)
    return values
