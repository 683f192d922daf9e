"""The public transparency portal: published needs and projects, anonymised, with their money
flows and the totals by region and helper, for everyone without login; and the helpers'
sign-up."""

from dataclasses import asdict
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render

from aidbridge.categories import Category
from aidbridge.errors import InvalidInput
from aidbridge.helpers.services import helper_register
from aidbridge.needs.selectors import anonymise
from aidbridge.portal import money, selectors
from aidbridge.portal.forms import JoinForm
from aidbridge.projects.models import Stage
from aidbridge.projects.selectors import anonymise_projects, initiator_name, project_figures
from aidbridge.regions.models import Region
from aidbridge.regions.selectors import ancestors
from aidbridge.uploads import serve_upload, stored_type

URGENCIES = (5, 4, 3, 2)
# The service's field names that differ from the form's.
FIELDS = {"fields": "fields_of_work", "documents": "document"}


def filters_from(params) -> selectors.Filters:
    urgency = params.get("urgency", "").strip()
    return selectors.Filters(
        region=params.get("region", "").strip(),
        category=params.get("category", "").strip(),
        urgency=int(urgency) if urgency.isdigit() else None,
        status=params.get("status", "").strip(),
        q=params.get("q", "").strip(),
    )


def need_list(request):
    filters = filters_from(request.GET)
    needs = selectors.portal_search(filters)
    page = selectors.public_page(needs, request.GET.get("page"), anonymise)
    return render(
        request,
        "portal/list.html",
        {
            "page": page,
            "params": filters,
            "totals": selectors.totals(needs),
            "query": urlencode({k: v for k, v in asdict(filters).items() if v}),
            "region": Region.objects.filter(code=filters.region).first()
            if filters.region
            else None,
            "categories": Category.choices,
            "urgencies": URGENCIES,
            "groups": [(key, label) for key, (label, _s) in selectors.STATUS_GROUPS.items()],
        },
    )


def need_detail(request, public_id):
    need = selectors.public_need(public_id)
    return render(
        request,
        "portal/detail.html",
        {
            "need": need,
            "claims": selectors.public_claims(need),
            "photos": selectors.public_photos(need),
            "flows": money.need_flows(need),
            "figures": money.need_figures(need),
            "figures_query": urlencode({"need": need.public_id}),
        },
    )


def project_list(request):
    filters = selectors.ProjectFilters(
        **{key: request.GET.get(key, "").strip() for key in ("region", "stage", "q")}
    )
    page = selectors.public_page(
        selectors.project_search(filters), request.GET.get("page"), anonymise_projects
    )
    return render(
        request,
        "portal/projects.html",
        {
            "page": page,
            "params": filters,
            "stages": Stage.choices,
            "query": urlencode({k: v for k, v in asdict(filters).items() if v}),
            "region": Region.objects.filter(code=filters.region).first()
            if filters.region
            else None,
        },
    )


def project_detail(request, public_id):
    project = selectors.public_project(public_id)
    return render(
        request,
        "portal/project.html",
        {
            "project": project,
            "initiator": initiator_name(project),
            "targets": selectors.public_targets(project),
            "partners": selectors.public_partners(project),
            "milestones": selectors.public_milestones(project),
            "flows": money.project_flows(project),
            "figures": project_figures(project),
            "figures_query": urlencode({"project": project.public_id}),
        },
    )


def money_totals(request):
    """Money by region (the chosen region's children, down to townships) and by helper."""
    region = money.money_region(request.GET.get("region", "").strip())
    helpers = selectors.public_page(money.helper_totals(region), request.GET.get("page"))
    return render(
        request,
        "portal/money.html",
        {
            "totals": money.region_totals(region),
            "ancestors": ancestors(region) if region else [],
            "helpers": helpers,
            "query": urlencode({"region": region.code} if region else {}),
        },
    )


def figure_entries(request):
    """The ledger entries behind one public figure of a project, a need or a region's part
    (projects, needs, households), anonymised as in the money flows."""
    try:
        found = money.figure_source(request.GET)
    except ValueError:
        raise Http404("figure") from None
    page = selectors.public_page(found.entries, request.GET.get("page"))
    page.object_list = money.entry_rows(page.object_list, found.accounts)
    return render(
        request,
        "portal/entries.html",
        {"found": found, "page": page, "query": urlencode(found.params)},
    )


def photo(request, public_id):
    """A consented photo of a need, if it is stored as one of our image types."""
    document = selectors.public_photo(public_id)
    if not stored_type(document.file).startswith("image/"):
        raise Http404("photo")
    return serve_upload(document.file)


def join(request):
    """Sign up as a helper: an unverified helper and its first account."""
    form = JoinForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        account = {key: data.pop(key) for key in ("username", "password", "email")}
        data["fields"] = data.pop("fields_of_work")
        document = data.pop("document")
        try:
            helper_register(data=data, documents=[document] if document else [], **account)
        except InvalidInput as exc:
            for error in exc.errors:
                field = FIELDS.get(error.get("field"), error.get("field"))
                form.add_error(field if field in form.fields else None, error["message"])
        else:
            return redirect("portal:joined")
    return render(
        request,
        "portal/join.html",
        {"form": form},
    )


def joined(request):
    return render(request, "portal/joined.html")
