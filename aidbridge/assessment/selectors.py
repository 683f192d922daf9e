"""Reads of the county assessment, filtered by aidbridge.policy: the assessments a user may
read, the published ones (public, anonymised), the scorecard of a county's province, and the
sampled visits an assessment counts (its evidence)."""

from django.db.models import QuerySet
from django.http import Http404

from aidbridge.assessment.models import Assessment, Scorecard, Status
from aidbridge.policy import Action, assessments_in_scope, assessments_to_review, can
from aidbridge.regions.models import Region
from aidbridge.supervision.models import Finding, VisitStatus
from aidbridge.supervision.selectors import visits as visible_visits

# What the public sees of a sampled visit: no household, no visit id, no names.
PUBLIC_EVIDENCE = (
    "kind",
    "village_code",
    "visited_on",
    "people",
    "exit",
    "satisfied",
    "people_checked",
    "people_missed",
    "findings",
)


def _rows(qs: QuerySet) -> QuerySet:
    return qs.select_related("county", "scorecard__province")


def assessment_list(user, *, year: int | None = None) -> QuerySet:
    qs = assessments_in_scope(user, Assessment.objects.all())
    return _rows(qs.filter(year=year) if year else qs)


def assessments_waiting(user) -> QuerySet:
    """The computed assessments waiting for the user's review, oldest first."""
    return _rows(assessments_to_review(user, Assessment.objects.order_by("computed_at", "pk")))


def access_assessment(user, public_id) -> Assessment:
    """The assessment if the user may read it, else Http404 (out of scope looks absent)."""
    found = _rows(Assessment.objects.filter(public_id=public_id)).first()
    if found is None or not can(user, Action.ASSESSMENT_VIEW, found):
        raise Http404("assessment")
    return found


def published(*, year: int | None = None) -> QuerySet:
    qs = _rows(Assessment.objects.filter(status=Status.PUBLISHED))
    return qs.filter(year=year) if year else qs


def public_assessment(public_id) -> Assessment:
    found = published().filter(public_id=public_id).first()
    if found is None:
        raise Http404("assessment")
    return found


def public_evidence(assessment: Assessment) -> list[dict]:
    """The evidence trail as the public sees it: each sampled visit without its household."""
    return [{k: row.get(k) for k in PUBLIC_EVIDENCE} for row in assessment.evidence]


def province_of(region: Region) -> Region | None:
    codes = region.ancestor_codes()
    return Region.objects.filter(code=codes[0]).first() if codes else None


def scorecard_of(province: Region | None, year: int) -> Scorecard | None:
    if province is None:
        return None
    return Scorecard.objects.filter(province=province, year=year).first()


def scorecards(province: Region) -> QuerySet:
    return Scorecard.objects.filter(province=province).prefetch_related("indicators")


def counties_to_assess(user, province: Region) -> list[Region]:
    """The counties of ``province`` the user may compute, by path."""
    counties = Region.objects.filter(level="county", path__startswith=province.path)
    return [c for c in counties.order_by("path") if can(user, Action.ASSESSMENT_COMPUTE, c)]


def sampled_visits(user, county: Region, year: int) -> tuple[list[dict], list[dict], list[dict]]:
    """The done inspection visits of ``year``'s household and village plans in ``county``
    that ``user`` may read (supervision's selector): the answers of the household visits,
    those of the village visits, and one evidence row per visit (by day, kind and place)."""
    visits = (
        visible_visits(user)
        .filter(
            status=VisitStatus.DONE,
            plan__year=year,
            plan__kind__in=["household", "village"],
            region__path__startswith=county.path,
        )
        .order_by("visited_on", "plan__kind", "region__path", "household__number", "pk")
    )
    findings: dict[int, list[str]] = {}
    for visit_id, kind in Finding.objects.filter(visit__in=visits).values_list("visit_id", "kind"):
        findings.setdefault(visit_id, []).append(kind)
    households, villages, evidence = [], [], []
    for visit in visits:
        answers = visit.answers if isinstance(visit.answers, dict) else {}
        (households if visit.plan.kind == "household" else villages).append(answers)
        evidence.append(
            {
                "visit": str(visit.public_id),
                "plan": visit.plan.title,
                "kind": visit.plan.kind,
                "village_code": visit.region.code,
                "household": visit.household.number if visit.household_id else "",
                "visited_on": visit.visited_on.isoformat() if visit.visited_on else "",
                **{
                    key: answers.get(key)
                    for key in ("people", "exit", "satisfied", "people_checked", "people_missed")
                },
                "findings": sorted(findings.get(visit.pk, [])),
            }
        )
    return households, villages, evidence
