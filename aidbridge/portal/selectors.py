"""Read queries of the public portal: published needs and projects, anonymised (their money
flows and the money totals: money.py; the anonymising itself is the needs' and projects'
selectors', with ``registry.publicity``, since their own pages preview it).

What the public sees of a need: category, title and description (redacted), the places from
county down to the village, urgency, deadline, amount and the claimed and confirmed figures,
the helpers that claimed it and photos with the beneficiary's consent. Never the household,
its number or members, the filer, reviews, findings, notes or evidence. No per-village counts
are shown; totals are of needs, each of which is public on its own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import StrIndex
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from aidbridge.categories import Category
from aidbridge.helpers.models import OrganizationKind
from aidbridge.needs import lifecycle
from aidbridge.needs.models import LIVE_CLAIMS, Claim, Need, NeedDocument
from aidbridge.needs.selectors import anonymise
from aidbridge.projects.models import Project, Target
from aidbridge.projects.selectors import anonymise_projects, public_projects, targets_with_progress
from aidbridge.redact import redact
from aidbridge.regions.models import Region
from aidbridge.registry.models import Household, Member
from aidbridge.registry.publicity import public_text

S = lifecycle.Status
STATUS_GROUPS = {
    "open": (_("Open to claims"), (S.PUBLISHED, S.PARTLY_CLAIMED)),
    "delivery": (_("In delivery"), (S.FULLY_CLAIMED, S.IN_DELIVERY)),
    "fulfilled": (_("Fulfilled"), (S.FULFILLED, S.CLOSED)),
}
PAGE_SIZE = 20


def public_page(rows, number, anonymise: Callable[[list], list] | None = None) -> Page:
    """Page ``number`` of ``rows``, PAGE_SIZE a page, its rows passed through ``anonymise``
    (anonymise for needs, anonymise_projects for projects) before anyone sees them."""
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    if anonymise is not None:
        page.object_list = anonymise(list(page.object_list))
    return page


@dataclass
class Filters:
    region: str = ""
    category: str = ""
    urgency: int | None = None
    status: str = ""
    q: str = ""


@dataclass
class ProjectFilters:
    region: str = ""
    stage: str = ""
    q: str = ""


def published() -> QuerySet:
    return Need.objects.filter(status__in=lifecycle.PUBLIC).select_related("region__parent__parent")


def portal_search(f: Filters) -> QuerySet:
    """Published needs in or below a region (by code), of a category, at least this urgent,
    in a status group, with words in the title. An unknown region or group finds nothing."""
    needs = published()
    if f.region:
        region = Region.objects.filter(code=f.region.strip()).first()
        needs = needs.filter(region_path__startswith=region.path) if region else needs.none()
    if f.category:
        needs = needs.filter(category=f.category)
    if f.urgency:
        needs = needs.filter(urgency__gte=f.urgency)
    if f.status:
        group = STATUS_GROUPS.get(f.status)
        needs = needs.filter(status__in=group[1]) if group else needs.none()
    if q := f.q.strip():
        needs = masked_search(needs, q, {"village": "region"})
    return needs


def masked_search(rows: QuerySet, q: str, concerned: dict[str, str]) -> QuerySet:
    """``rows`` whose title holds ``q``, leaving out those where ``q`` touches what their
    public text masks: a name or household number of the households concerned (Household
    lookup -> the row's field it equals, any of them); a ``q`` that is itself masked finds
    nothing, as if searching the text shown: search cannot tell what was masked."""
    if redact(q) != q:
        return rows.none()

    def of(prefix: str) -> Q:
        return reduce(
            or_,
            (Q(**{f"{prefix}{lookup}": OuterRef(field)}) for lookup, field in concerned.items()),
        )

    named = _naming(Member.objects.filter(of("household__")), q)
    numbered = (
        Household.objects.filter(of(""))
        .annotate(within=StrIndex(Value(q), "number"))
        .filter(Q(number__icontains=q) | Q(within__gt=0))
    )
    return rows.filter(title__icontains=q).exclude(Exists(named)).exclude(Exists(numbered))


def _naming(members: QuerySet, q: str) -> QuerySet:
    """The members whose name holds ``q`` or is part of it."""
    return members.annotate(within=StrIndex(Value(q), "name")).filter(
        Q(name__icontains=q) | Q(within__gt=0)
    )


def project_search(f: ProjectFilters) -> QuerySet:
    """Projects in or below a region (by code), in a stage, with words in the title (as for
    needs, masked words find nothing). An unknown region finds nothing."""
    projects = public_projects()
    if f.region:
        region = Region.objects.filter(code=f.region.strip()).first()
        projects = (
            projects.filter(region_path__startswith=region.path) if region else projects.none()
        )
    if f.stage:
        projects = projects.filter(stage=f.stage)
    if q := f.q.strip():
        projects = masked_search(
            projects, q, {"projects": "pk", "village__needs__projects": "pk", "village": "region"}
        )
    return projects


def public_project(public_id) -> Project:
    project = public_projects().filter(public_id=public_id).first()
    if project is None:
        raise Http404("project")
    return anonymise_projects([project])[0]


def public_targets(project: Project) -> list[Target]:
    """The targets with ``raised`` and ``percent``, and ``public_label`` redacted."""
    targets = targets_with_progress(project)
    for target in targets:
        target.public_label = public_text(target.label, project)
    return targets


def public_partners(project: Project) -> list[dict]:
    """Helpers by ``helper_name``; partners recorded by name only by their role alone."""
    return [
        {
            "name": helper_name(p.helper) if p.helper_id else "",
            "role": p.role,
            "role_label": p.get_role_display(),
        }
        for p in project.partners.select_related("helper")
    ]


def public_milestones(project: Project) -> list[dict]:
    return [
        {"title": public_text(m.title, project), "due": m.due, "done_on": m.done_on}
        for m in project.milestones.all()
    ]


def public_need(public_id) -> Need:
    need = published().filter(public_id=public_id).first()
    if need is None:
        raise Http404("need")
    return anonymise([need])[0]


def public_photo(public_id) -> NeedDocument:
    """A photo the beneficiary agreed to show, of a published need."""
    photo = NeedDocument.objects.filter(
        public_id=public_id, is_photo=True, public_consent=True, need__status__in=lifecycle.PUBLIC
    ).first()
    if photo is None:
        raise Http404("photo")
    return photo


def helper_name(helper) -> str:
    if helper.kind == OrganizationKind.INDIVIDUAL:
        return str(_("an individual donor"))
    return str(helper)


def public_claims(need: Need) -> list[dict]:
    """Who pledged what: helper names (individuals stay anonymous), amount and status."""
    claims = Claim.objects.filter(need=need, status__in=LIVE_CLAIMS).select_related("helper")
    return [
        {
            "helper": helper_name(c.helper),
            "amount": c.amount,
            "status": c.status,
            "status_label": c.get_status_display(),
        }
        for c in claims
    ]


def public_photos(need: Need) -> list[NeedDocument]:
    return list(need.documents.filter(is_photo=True, public_consent=True))


def _money() -> dict:
    yuan = Q(unit="yuan")
    return {
        "needs": Count("pk"),
        "amount_yuan": Sum("amount", filter=yuan, default=0),
        "claimed_yuan": Sum("claimed", filter=yuan, default=0),
        "confirmed_yuan": Sum("confirmed", filter=yuan, default=0),
    }


def totals(needs: QuerySet) -> dict:
    """Count of needs and, of those asking for money, yuan asked, claimed and confirmed."""
    return needs.order_by().aggregate(**_money())


def stats(needs: QuerySet) -> dict:
    """Totals overall, by category and by county (or by the region itself for a need filed
    above county level)."""
    by_category = [
        {**row, "label": str(Category(row["category"]).label)}
        for row in needs.order_by().values("category").annotate(**_money()).order_by("category")
    ]
    counties = set(Region.objects.filter(level="county").values_list("code", flat=True))
    by_county = {}
    for row in needs.order_by().values("region_path").annotate(**_money()):
        codes = [c for c in row.pop("region_path").split("/") if c]
        code = next((c for c in codes if c in counties), codes[-1])
        figures = by_county.setdefault(code, dict.fromkeys(row, 0))
        for key, value in row.items():
            figures[key] += value
    names = {r.code: r.name for r in Region.objects.filter(code__in=by_county)}
    return {
        **totals(needs),
        "by_category": by_category,
        "by_county": [
            {"code": code, "name": names[code], **figures}
            for code, figures in sorted(by_county.items())
        ],
    }
