from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from aidbridge.insights import homes
from aidbridge.insights.selectors import (
    account_count,
    children_with_counts,
    incidence,
    level_counts,
)
from aidbridge.insights.tally import FIGURES, region_figures
from aidbridge.insights.worklist import worklist_counts
from aidbridge.loans.selectors import region_loan_totals
from aidbridge.policy import Action, can
from aidbridge.policy import home as policy_home
from aidbridge.regions.models import Region
from aidbridge.regions.selectors import access_region, ancestors

HOMES = {
    "helper": homes.helper_home,
    "supervisor": homes.supervisor_home,
    "auditor": homes.auditor_home,
    "social_worker": homes.social_worker_home,
}


@login_required
def home(request):
    """Each user's home: where their work starts."""
    user = request.user
    kind = policy_home(user)
    if kind == "region":
        return redirect("insights:region", user.region.code)
    if kind == "roots":
        roots = list(Region.objects.filter(parent=None))
        if len(roots) == 1:
            return redirect("insights:region", roots[0].code)
        return render(request, "insights/roots.html", {"roots": roots})
    context = {"kind": kind, **(HOMES[kind](user) if kind in HOMES else {})}
    return render(request, "insights/home.html", context)


@login_required
def region(request, code):
    region = access_region(request.user, code)
    households, below = region_figures(region)
    children = list(children_with_counts(region))
    for child in children:
        child.figures = below.get(child.code, dict.fromkeys(FIGURES, 0))
        child.incidence = incidence(child.figures["poor_people"], child.population)
    totals = level_counts(region)
    context = {
        "region": region,
        "trail": [r for r in ancestors(region) if can(request.user, Action.REGION_VIEW, r)],
        "children": children,
        "max_households": max((c.figures["households"] for c in children), default=0),
        "households": households,
        "incidence": incidence(households["poor_people"], region.population),
        "level_totals": [(label, totals.get(key, 0)) for key, label in _levels_below(region)],
        "accounts": account_count(region),
        "can_history": can(request.user, Action.REGION_HISTORY, region),
        "loans": region_loan_totals(request.user, region),
        # On the user's own region, their home: what waits for them, part by part.
        "work": worklist_counts(request.user) if region.pk == request.user.region_id else [],
    }
    return render(request, "insights/region.html", context)


def _levels_below(region: Region):
    from django.conf import settings

    keys = [key for key, _label in settings.REGION_LEVELS]
    start = keys.index(region.level) + 1 if region.level in keys else 0
    return settings.REGION_LEVELS[start:]
