"""The monitoring dashboards of a region (each figure a table and a CSV download, child
regions as rows with links down), the list the township works from, and the criteria page
(the monitoring income line and the criteria in force, with their history, and the form for
those who set them)."""

import io
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.errors import InvalidInput
from aidbridge.monitoring import dashboard
from aidbridge.monitoring.criteria_versions import (
    MAX_WINDOW_DAYS,
    SHARES,
    criteria_along,
    criteria_set,
)
from aidbridge.monitoring.models import ObjectKind, Stage
from aidbridge.monitoring.selectors import criteria_in_force
from aidbridge.pages import CappedPaginator, place_errors
from aidbridge.policy import Action, can
from aidbridge.regions.models import Region
from aidbridge.regions.selectors import ancestors, user_area
from aidbridge.registry.rules import YEARS, core_rules, rule_in_force, rules_along, year_asked
from aidbridge.spreadsheet import csv_writer


def _area(request, action: Action) -> Region:
    """The region of ``?region=CODE`` (the user's own by default) if ``action`` is allowed
    on it; 404 otherwise, so what lies outside the scope does not show."""
    region = user_area(request.user, request.GET.get("region", "").strip())
    if not can(request.user, action, region):
        raise Http404("region")
    return region


@login_required
def dashboard_page(request):
    region = _area(request, Action.MONITORING_DASHBOARD)
    board = dashboard.region_dashboard(request.user, region, timezone.localdate())
    return render(
        request,
        "monitoring/dash_region.html",
        {
            "region": region,
            "board": board,
            "tables": [
                (t, list(zip(t.rows, t.links, t.bar_widths(), strict=True))) for t in board.tables
            ],
            "trail": [
                r for r in ancestors(region) if can(request.user, Action.MONITORING_DASHBOARD, r)
            ],
            "may_see_criteria": can(request.user, Action.CRITERIA_VIEW, region),
            "may_see_risks": can(request.user, Action.RISKS_VIEW),
            "may_screen": can(request.user, Action.MONITORING_SCREEN),
        },
    )


@login_required
def figure_csv(request, key: str):
    """One figure of ``?region=CODE``'s dashboard as CSV (UTF-8 with BOM), in the page's
    language."""
    if key not in dashboard.TABLES:
        raise Http404("figure")
    region = _area(request, Action.MONITORING_DASHBOARD)
    table = dashboard.region_dashboard(request.user, region, timezone.localdate()).table(key)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out)
    if key == "regions":
        writer.writerow([_("Code"), *[str(h) for h in table.header]])
        writer.writerows(
            [code, str(row[0]), *row[1:]] for row, code in zip(table.rows, table.links, strict=True)
        )
    else:
        writer.writerow([str(h) for h in table.header])
        writer.writerows([str(row[0]), *row[1:]] for row in table.rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="monitoring-{key}-{region.code}.csv"'
    return response


WORK_PAGE = 50


@login_required
def work_page(request):
    """What the township works from: the open leads of ``?region`` (the user's own by
    default), overdue first, with their steps' due dates; ``?stage=`` keeps one step."""
    region = _area(request, Action.MONITORING_DASHBOARD)
    stage = request.GET.get("stage", "").strip()
    if stage and stage not in Stage.values:
        stage = ""
    today = timezone.localdate()
    rows = dashboard.leads_to_work(request.user, region, today, stage)
    page = CappedPaginator(rows, WORK_PAGE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("region", region.code), ("stage", stage)) if v)
    return render(
        request,
        "monitoring/dash_work.html",
        {
            "region": region,
            "stage": stage,
            "stages": Stage.choices,
            "page": page,
            "query": query,
            "today": today,
            "parent": region.parent
            if region.parent and can(request.user, Action.MONITORING_DASHBOARD, region.parent)
            else None,
            "children": region.children.order_by("code")[:200],
        },
    )


class CriteriaForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("From year"), min_value=YEARS[0], max_value=YEARS[1]
    )
    medical_share = forms.DecimalField(
        label=gettext_lazy("Medical spending above (share of annual income)"),
        min_value=Decimal("0.001"),
        max_value=10,
        decimal_places=3,
        help_text=gettext_lazy("Out-of-pocket medical spending after insurance, e.g. 0.5."),
    )
    education_share = forms.DecimalField(
        label=gettext_lazy("School fees above (share of annual income)"),
        min_value=Decimal("0.001"),
        max_value=10,
        decimal_places=3,
    )
    disaster_share = forms.DecimalField(
        label=gettext_lazy("Disaster losses above (share of annual income)"),
        min_value=Decimal("0.001"),
        max_value=10,
        decimal_places=3,
        help_text=gettext_lazy("A damaged house is a lead whatever its amount."),
    )
    window_days = forms.IntegerField(
        label=gettext_lazy("Records counted (days before the screening)"),
        min_value=1,
        max_value=MAX_WINDOW_DAYS,
    )
    note = forms.CharField(
        label=gettext_lazy("Basis (document or decision)"), max_length=200, required=False
    )


KINDS_EXPLAINED = {
    ObjectKind.UNSTABLE: gettext_lazy(
        "Lifted out of poverty, but income is unstable or below the monitoring line, or "
        "rigid spending or a shock threatens to push the household back."
    ),
    ObjectKind.MARGINAL: gettext_lazy(
        "Never identified as poor, but income is barely above the poverty line (under the "
        "monitoring line) and the household is prone to fall into poverty."
    ),
    ObjectKind.HARDSHIP: gettext_lazy(
        "Rigid spending that jumped or a sudden shock (illness, accident, disaster) that "
        "cuts the household's income sharply, whatever its income before."
    ),
}


def _shares(criteria) -> dict[str, str]:
    """The shares of a version (or of the core's criteria) as shown: 0.5, not 0.500."""
    return {name: f"{float(getattr(criteria, name)):g}" for name in SHARES}


@login_required
def criteria_page(request):
    """?region=CODE&year=YYYY; the user's own region and this year by default."""
    region = _area(request, Action.CRITERIA_VIEW)
    year = year_asked(request.GET.get("year", ""))
    in_force = criteria_in_force(region, year)
    may_set = can(request.user, Action.CRITERIA_SET, region)
    form = None
    if may_set:
        core = in_force.criteria
        form = CriteriaForm(
            request.POST or None,
            initial={
                "year": year,
                "medical_share": core.medical_share,
                "education_share": core.education_share,
                "disaster_share": core.disaster_share,
                "window_days": core.window_days,
            },
        )
    if request.method == "POST":
        if form is None:
            raise Http404("criteria")
        if form.is_valid():
            try:
                version = criteria_set(by=request.user, region=region, **form.cleaned_data)
            except InvalidInput as exc:
                place_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Monitoring criteria from %(year)s set as version %(version)s.")
                    % {"year": version.year, "version": version.version},
                )
                return redirect(
                    f"{reverse('monitoring:criteria')}?region={region.code}&year={version.year}"
                )
    rules = rule_in_force(region, year)
    lines = rules_along(region)
    for rule in lines:
        rule.monitoring_line = core_rules(rule).monitoring_line
        rule.multiple = f"{float(rule.monitoring_multiple):g}"
    return render(
        request,
        "monitoring/dash_criteria.html",
        {
            "region": region,
            "year": year,
            "in_force": in_force,
            "core": in_force.criteria,
            "rules": rules,
            "multiple": f"{rules.rules.monitoring_multiple:g}",
            "lines": lines,
            "shares": _shares(in_force.criteria),
            "history": [(v, _shares(v)) for v in criteria_along(region)],
            "kinds": [(label, KINDS_EXPLAINED[kind]) for kind, label in ObjectKind.choices],
            "form": form,
            "parent": region.parent
            if region.parent and can(request.user, Action.CRITERIA_VIEW, region.parent)
            else None,
            "children": region.children.order_by("code")[:200],
        },
    )
