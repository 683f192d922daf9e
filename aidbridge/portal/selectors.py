"""Read queries of the public portal: published needs and projects, anonymised (their money
flows and the money totals: money.py).

What the public sees of a need: category, title and description (redacted), the places from
county down to the village, urgency, deadline, amount and the claimed and confirmed figures,
the helpers that claimed it and photos with the beneficiary's consent. Never the household,
its number or members, the filer, reviews, findings, notes or evidence. No per-village counts
are shown; totals are of needs, each of which is public on its own.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import StrIndex
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from aidbridge.categories import Category
from aidbridge.helpers.models import OrganizationKind
from aidbridge.needs import lifecycle
from aidbridge.needs.models import LIVE_CLAIMS, Claim, Need, NeedDocument
from aidbridge.projects.models import Project, Target
from aidbridge.projects.selectors import targets_with_progress
from aidbridge.redact import redact, redact_report
from aidbridge.regions.models import Region
from aidbridge.registry.models import Household, Member

S = lifecycle.Status
STATUS_GROUPS = {
    "open": (_("Open to claims"), (S.PUBLISHED, S.PARTLY_CLAIMED)),
    "delivery": (_("In delivery"), (S.FULLY_CLAIMED, S.IN_DELIVERY)),
    "fulfilled": (_("Fulfilled"), (S.FULFILLED, S.CLOSED)),
}
LEVELS = [key for key, _label in settings.REGION_LEVELS]
COUNTY = LEVELS.index("county")
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
    return Need.objects.filter(status__in=lifecycle.PUBLIC).select_related(
        "region__parent__parent")


def public_projects() -> QuerySet:
    """Every project is public, in every stage. What the public sees of one: title, summary,
    region, stage and its dates, targets and what they raised, the helpers among its partners
    (individuals anonymous, see ``helper_name``; partners recorded by name only, who may be
    persons, by role alone), milestones' titles and dates, and its money flows. Never survey
    notes, linked households, milestone evidence, notes or who recorded anything."""
    return Project.objects.select_related(
        "region__parent__parent", "initiator", "created_by__region")


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
        return reduce(or_, (Q(**{f"{prefix}{lookup}": OuterRef(field)})
                            for lookup, field in concerned.items()))

    named = _naming(Member.objects.filter(of("household__")), q)
    numbered = Household.objects.filter(of("")).annotate(
        within=StrIndex(Value(q), "number")).filter(Q(number__icontains=q) | Q(within__gt=0))
    return rows.filter(title__icontains=q).exclude(Exists(named)).exclude(Exists(numbered))


def _naming(members: QuerySet, q: str) -> QuerySet:
    """The members whose name holds ``q`` or is part of it."""
    return members.annotate(within=StrIndex(Value(q), "name")).filter(
        Q(name__icontains=q) | Q(within__gt=0))


def project_search(f: ProjectFilters) -> QuerySet:
    """Projects in or below a region (by code), in a stage, with words in the title (as for
    needs, masked words find nothing). An unknown region finds nothing."""
    projects = public_projects()
    if f.region:
        region = Region.objects.filter(code=f.region.strip()).first()
        projects = projects.filter(region_path__startswith=region.path) if region \
            else projects.none()
    if f.stage:
        projects = projects.filter(stage=f.stage)
    if q := f.q.strip():
        projects = masked_search(projects, q, {"projects": "pk", "village__needs__projects": "pk",
                                               "village": "region"})
    return projects


def public_project(public_id) -> Project:
    project = public_projects().filter(public_id=public_id).first()
    if project is None:
        raise Http404("project")
    return anonymise_projects([project])[0]


def anonymise_projects(projects: list[Project]) -> list[Project]:
    """Set the public facts on each project: ``places``, ``masked_names`` and
    ``masked_numbers`` (the registered members and household numbers of the villages it
    concerns: of its households, of its needs, and its own region if a village)
    and ``public_title`` and ``public_summary`` redacted with them."""
    villages = defaultdict(set)
    lowest = LEVELS[-1]
    for project in projects:
        if project.region.level == lowest:
            villages[project.pk].add(project.region_id)
    pks = [p.pk for p in projects]
    households = Household.objects.filter(projects__in=pks).order_by()
    needs = Need.objects.filter(projects__in=pks).order_by()
    for project, village in households.values_list("projects", "village").union(
            needs.values_list("projects", "region")):
        villages[project].add(village)
    people = _people(set().union(*villages.values()))
    for project in projects:
        project.places = _places(project.region)
        project.masked_names, project.masked_numbers = _concerned(people, villages[project.pk])
        project.public_title = public_text(project.title, project)
        project.public_summary = public_text(project.summary, project)
    return projects


def public_text(text: str, concerned) -> str:
    """``text`` as the public sees it: redacted with the names and household numbers of
    ``concerned`` (a need or project as ``anonymise``/``anonymise_projects`` left it). Every
    public free text goes through here."""
    return redact(text, concerned.masked_names, concerned.masked_numbers)


def _people(villages: set[int]) -> dict[int, tuple[list, list]]:
    """The registered members' names and the household numbers of each village."""
    people = defaultdict(lambda: ([], []))
    for village, number, name in Member.objects.filter(
            household__village__in=villages).values_list(
            "household__village", "household__number", "name"):
        people[village][0].append(name)
        people[village][1].append(number)
    return people


def _concerned(people: dict, villages) -> tuple[list, list]:
    names, numbers = [], []
    for village in villages:
        names += people[village][0]
        numbers += people[village][1]
    return names, numbers


def public_targets(project: Project) -> list[Target]:
    """The targets with ``raised`` and ``percent``, and ``public_label`` redacted."""
    targets = targets_with_progress(project)
    for target in targets:
        target.public_label = public_text(target.label, project)
    return targets


def public_partners(project: Project) -> list[dict]:
    """Helpers by ``helper_name``; partners recorded by name only by their role alone."""
    return [{"name": helper_name(p.helper) if p.helper_id else "", "role": p.role,
             "role_label": p.get_role_display()}
            for p in project.partners.select_related("helper")]


def public_milestones(project: Project) -> list[dict]:
    return [{"title": public_text(m.title, project), "due": m.due, "done_on": m.done_on}
            for m in project.milestones.all()]


def public_need(public_id) -> Need:
    need = published().filter(public_id=public_id).first()
    if need is None:
        raise Http404("need")
    return anonymise([need])[0]


def public_photo(public_id) -> NeedDocument:
    """A photo the beneficiary agreed to show, of a published need."""
    photo = NeedDocument.objects.filter(public_id=public_id, is_photo=True, public_consent=True,
                                        need__status__in=lifecycle.PUBLIC).first()
    if photo is None:
        raise Http404("photo")
    return photo


def _places(region: Region) -> list[Region]:
    """The need's region and those above it, up to its county."""
    places = []
    while region is not None:
        places.insert(0, region)
        if LEVELS.index(region.level) <= COUNTY:
            break
        region = region.parent
    return places


def anonymise(needs: list[Need]) -> list[Need]:
    """Set the public facts on each need: ``places``, ``masked_names`` and
    ``masked_numbers`` (the registered members and household numbers of its village) and
    ``public_title`` and ``public_description`` redacted with them."""
    people = _people({n.region_id for n in needs})
    for need in needs:
        need.places = _places(need.region)
        need.masked_names, need.masked_numbers = _concerned(people, [need.region_id])
        need.public_title = public_text(need.title, need)
        need.public_description = public_text(need.description, need)
    return needs


# What the reviewers' preview calls each kind of hidden text (aidbridge.redact.Finding).
HIDDEN_KINDS = {
    "name": _("name of a registered member"),
    "number": _("household number"),
    "id_or_card": _("resident ID, bank card or household number"),
    "mobile": _("mobile number"),
    "landline": _("landline number"),
}


def need_preview(need: Need) -> dict:
    """What the public will see of a need's texts, and what is hidden from them (for its
    filer and reviewers, who see the original anyway): ``texts`` (label, public text) and
    ``hidden`` (kind, text) once each."""
    anonymise([need])
    return _preview(need, [(_("Title"), need.title), (_("Description"), need.description)])


def project_preview(project: Project) -> dict:
    """As ``need_preview``, for a project's title, summary, target labels and milestones."""
    anonymise_projects([project])
    texts = [(_("Title"), project.title), (_("Summary"), project.summary)]
    texts += [(_("Target"), t.label) for t in project.targets.all()]
    texts += [(_("Milestone"), m.title) for m in project.milestones.all()]
    return _preview(project, texts)


def _preview(concerned, texts) -> dict:
    shown, hidden = [], []
    for label, text in texts:
        public, found = redact_report(text, concerned.masked_names, concerned.masked_numbers)
        if text:
            shown.append((label, public))
        hidden += found
    return {"texts": shown, "hidden": [(HIDDEN_KINDS[f.kind], f.text)
                                       for f in dict.fromkeys(hidden)]}


def helper_name(helper) -> str:
    if helper.kind == OrganizationKind.INDIVIDUAL:
        return str(_("an individual donor"))
    return str(helper)


def public_claims(need: Need) -> list[dict]:
    """Who pledged what: helper names (individuals stay anonymous), amount and status."""
    claims = Claim.objects.filter(need=need, status__in=LIVE_CLAIMS).select_related("helper")
    return [{"helper": helper_name(c.helper), "amount": c.amount, "status": c.status,
             "status_label": c.get_status_display()} for c in claims]


def public_photos(need: Need) -> list[NeedDocument]:
    return list(need.documents.filter(is_photo=True, public_consent=True))


def _money() -> dict:
    yuan = Q(unit="yuan")
    return {"needs": Count("pk"), "amount_yuan": Sum("amount", filter=yuan, default=0),
            "claimed_yuan": Sum("claimed", filter=yuan, default=0),
            "confirmed_yuan": Sum("confirmed", filter=yuan, default=0)}


def totals(needs: QuerySet) -> dict:
    """Count of needs and, of those asking for money, yuan asked, claimed and confirmed."""
    return needs.order_by().aggregate(**_money())


def stats(needs: QuerySet) -> dict:
    """Totals overall, by category and by county (or by the region itself for a need filed
    above county level)."""
    by_category = [{**row, "label": str(Category(row["category"]).label)} for row in
                   needs.order_by().values("category").annotate(**_money()).order_by("category")]
    counties = set(Region.objects.filter(level="county").values_list("code", flat=True))
    by_county = {}
    for row in needs.order_by().values("region_path").annotate(**_money()):
        codes = [c for c in row.pop("region_path").split("/") if c]
        code = next((c for c in codes if c in counties), codes[-1])
        figures = by_county.setdefault(code, dict.fromkeys(row, 0))
        for key, value in row.items():
            figures[key] += value
    names = {r.code: r.name for r in Region.objects.filter(code__in=by_county)}
    return {**totals(needs), "by_category": by_category,
            "by_county": [{"code": code, "name": names[code], **figures}
                          for code, figures in sorted(by_county.items())]}
