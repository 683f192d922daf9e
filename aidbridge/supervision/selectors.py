"""Reads of the random inspection, already filtered by the reader's scope (policy)."""

from django.db.models import QuerySet

from aidbridge.policy import inspection_visits_in_scope, plans_in_scope
from aidbridge.supervision import draw
from aidbridge.supervision.models import InspectionVisit, Plan, PlanStatus


def plans(user) -> QuerySet:
    return plans_in_scope(user, Plan.objects.select_related("region"))


def plans_public() -> QuerySet:
    """Published plans and their draws, for the portal."""
    return Plan.objects.exclude(status=PlanStatus.DRAFT).select_related("region")


def visits(user) -> QuerySet:
    return inspection_visits_in_scope(
        user, InspectionVisit.objects.select_related("plan", "region", "household")
    )


def strata_of(plan: Plan, pairs) -> list[draw.Stratum]:
    """The strata of ``plan``'s frame from (stratum, object id) pairs, each with its sample
    size (the plan's size, or its rate of the stratum rounded up) and ids in canonical
    order, in key order."""
    ids: dict[str, list[str]] = {}
    for stratum, oid in pairs:
        ids.setdefault(stratum, []).append(oid)
    return [
        draw.Stratum(
            key,
            draw.size_for(len(members), size=plan.size, rate_percent=plan.rate_percent),
            draw.canonical(members),
        )
        for key, members in sorted(ids.items())
    ]


def draw_document(plan: Plan) -> dict:
    """The published draw of ``plan`` (supervision.draw.document): frame, samples, seed and
    assignments by pseudonym. Before the draw: the frame and its hash only, no seed."""
    strata = strata_of(plan, plan.frame.values_list("stratum", "object_id"))
    pool = list(plan.inspectors.values_list("pseudonym", "user_id"))
    names = {user: name for name, user in pool}
    assignments = []
    if plan.seed:
        strata = draw.draw(plan.seed, strata)
        drawn = {
            v.entry.object_id: v
            for v in plan.visits.select_related("entry").prefetch_related("inspectors")
        }
        for stratum in strata:
            for oid in stratum.sample:
                visit = drawn[oid]
                chosen = sorted(
                    (names[u.pk] for u in visit.inspectors.all()),
                    key=lambda n, oid=oid: (draw.rank(plan.seed, f"{oid},{n}"), n),
                )
                assignments.append(draw.Assignment(oid, tuple(chosen), tuple(visit.recused)))
    return draw.document(
        seed=plan.seed,
        public_value=plan.public_value,
        frame_hash=plan.frame_sha256,
        strata=strata,
        pool=[name for name, _user in pool],
        per_visit=plan.inspectors_per_visit,
        assignments=assignments,
        plan={
            "id": str(plan.public_id),
            "title": plan.title,
            "region": plan.region.code,
            "kind": plan.kind,
            "strata": plan.strata,
            "public_source": plan.public_source,
        },
    )
