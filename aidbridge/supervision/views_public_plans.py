"""The portal's inspection plans (no login): published plans, each with its frame's hash,
its draw once made (strata, samples, inspectors by pseudonym), its results counted, and the
draw as the JSON file `aidbridge supervision verify` re-computes. Nothing personal: no
names, household numbers or notes."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from aidbridge.supervision import draw
from aidbridge.supervision import selectors_plans as read
from aidbridge.supervision.selectors import draw_document, plans_public


def plan_list(request):
    page = Paginator(plans_public(), 25).get_page(request.GET.get("page"))
    return render(request, "supervision/public_plans.html", {"page": page})


def plan_detail(request, public_id):
    plan = read.public_plan(public_id)
    doc = draw_document(plan)
    labels = read.stratum_labels(s["key"] for s in doc["strata"])
    strata = [{**s, "label": labels[s["key"]]} for s in doc["strata"]]
    return render(
        request,
        "supervision/public_plan.html",
        {
            "plan": plan,
            "strata": strata,
            "doc": doc,
            "results": read.results(plan) if plan.seed else None,
        },
    )


def draw_file(request, public_id):
    """The draw as `aidbridge supervision draw-file` prints it."""
    plan = read.public_plan(public_id)
    response = HttpResponse(
        draw.dumps(draw_document(plan)) + "\n", content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="draw-{plan.public_id}.json"'
    return response
