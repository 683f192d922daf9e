"""The identification rules page: what is in force for a region and year, where it comes
from, its history, and the form for those who set the region's rules."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.errors import InvalidInput
from aidbridge.pages import place_errors
from aidbridge.policy import Action, can
from aidbridge.regions.selectors import user_area
from aidbridge.registry.assessment import INDICATOR_LABELS
from aidbridge.registry.rules import YEARS, rule_in_force, rule_set, rules_along, year_asked


class RuleForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("From year"), min_value=YEARS[0], max_value=YEARS[1]
    )
    poverty_line = forms.IntegerField(
        label=gettext_lazy("Poverty line (yuan per person per year)"),
        min_value=1,
        max_value=1_000_000,
    )
    monitoring_multiple = forms.DecimalField(
        label=gettext_lazy("Monitoring line (x poverty line)"),
        min_value=1,
        max_value=5,
        decimal_places=2,
        help_text=gettext_lazy("Households under this multiple of the line are monitored."),
    )
    guarantees = forms.MultipleChoiceField(
        label=gettext_lazy("Guarantees that must be met"),
        choices=list(INDICATOR_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("Basis (document or decision)"), max_length=200, required=False
    )


@login_required
def rules_page(request):
    """?region=CODE&year=YYYY; the user's own region and this year by default."""
    region = user_area(request.user, request.GET.get("region", "").strip())
    if not can(request.user, Action.RULES_VIEW, region):
        raise Http404("region")
    year = year_asked(request.GET.get("year", ""))
    in_force = rule_in_force(region, year)
    may_set = can(request.user, Action.RULES_SET, region)
    form = None
    if may_set:
        rules = in_force.rules
        form = RuleForm(
            request.POST or None,
            initial={
                "year": year,
                "poverty_line": rules.poverty_line,
                "monitoring_multiple": rules.monitoring_multiple,
                "guarantees": list(rules.guarantees),
            },
        )
    if request.method == "POST":
        if form is None:
            raise Http404("rules")
        if form.is_valid():
            data = form.cleaned_data
            try:
                rule = rule_set(by=request.user, region=region, **data)
            except InvalidInput as exc:
                place_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Rules from %(year)s set as version %(version)s.")
                    % {"year": rule.year, "version": rule.version},
                )
                return redirect(
                    f"{reverse('registry:rules')}?region={region.code}&year={rule.year}"
                )
    rules = in_force.rules
    return render(
        request,
        "registry/rules.html",
        {
            "region": region,
            "year": year,
            "in_force": in_force,
            "rules": rules,
            "multiple": f"{rules.monitoring_multiple:g}",
            "guarantees": [
                (label, key in rules.guarantees) for key, label in INDICATOR_LABELS.items()
            ],
            "history": [
                (r, [INDICATOR_LABELS[g] for g in r.guarantees if g in INDICATOR_LABELS])
                for r in _with_multiples(rules_along(region))
            ],
            "form": form,
            "parent": region.parent
            if can(request.user, Action.RULES_VIEW, region.parent)
            else None,
            "children": region.children.order_by("code")[:200],
        },
    )


def _with_multiples(rules: list) -> list:
    """The versions with their monitoring multiple as shown: 1.5, not 1.50."""
    for rule in rules:
        rule.multiple = f"{float(rule.monitoring_multiple):g}"
    return rules
