"""The only writers of inspection plans and their draws: create a plan with its pool of
inspectors, publish it with its frame and the frame's SHA-256, then draw it once the public
value is known (one InspectionVisit per sampled object, with its inspectors)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem
from aidbridge.policy import Action, may_inspect, require
from aidbridge.supervision import draw, frames
from aidbridge.supervision.models import (
    FrameEntry,
    InspectionVisit,
    ObjectKind,
    Plan,
    PlanInspector,
    PlanStatus,
)
from aidbridge.supervision.selectors import strata_of

_BATCH = 2000
_RECUSED_LEVELS = ("county", "township", "village")


def default_home(user):
    """The region an inspector is recused from unless told otherwise: their own, when it is
    a county or below (a city or province supervisor inspects their whole area)."""
    region = user.region
    return region if region is not None and region.level in _RECUSED_LEVELS else None


def plan_create(
    *,
    by,
    title: str,
    year: int,
    region,
    kind: str,
    strata: str,
    visit_by: date,
    inspectors: list,
    size: int | None = None,
    rate_percent=None,
    statuses: list[str] | None = None,
    inspectors_per_visit: int = 2,
    public_source: str = "",
) -> Plan:
    """Draft a plan. ``inspectors`` is a list of (user, home region or None): the pool,
    given pseudonyms I01, I02... in that order."""
    require(by, Action.PLAN_MANAGE, region)
    problems = []
    if not title.strip():
        problems.append(problem("title", _("give the plan a title")))
    if kind not in ObjectKind.values:
        problems.append(problem("kind", _("choose what is inspected")))
    if (size is None) == (rate_percent is None):
        problems.append(problem("size", _("give either a sample size or a rate per stratum")))
    elif rate_percent is not None and not 0 < rate_percent <= 100:
        problems.append(problem("rate_percent", _("a rate between 0 and 100 per cent")))
    elif size is not None and size < 1:
        problems.append(problem("size", _("a sample size of at least 1")))
    if inspectors_per_visit < 2:
        problems.append(problem("inspectors_per_visit", _("at least two inspectors per visit")))
    users = [user for user, _home in inspectors]
    if len({u.pk for u in users}) != len(users):
        problems.append(problem("inspectors", _("an inspector is in the pool twice")))
    if len(users) < inspectors_per_visit:
        problems.append(
            problem("inspectors", _("the pool has fewer inspectors than a visit needs"))
        )
    for user in users:
        if not may_inspect(user):
            problems.append(problem("inspectors", _("%(user)s may not inspect") % {"user": user}))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        plan = Plan.objects.create(
            title=title.strip(),
            year=year,
            region=region,
            kind=kind,
            statuses=list(statuses or []),
            strata=strata,
            size=size,
            rate_percent=rate_percent,
            inspectors_per_visit=inspectors_per_visit,
            visit_by=visit_by,
            public_source=public_source.strip(),
            created_by=by,
        )
        PlanInspector.objects.bulk_create(
            PlanInspector(plan=plan, user=user, pseudonym=f"I{n:02d}", home=home)
            for n, (user, home) in enumerate(inspectors, start=1)
        )
    return plan


def plan_publish(*, plan: Plan, by, public_source: str = "") -> Plan:
    """Fix the plan's frame as it stands, publish it with its SHA-256 and name the public
    value the seed will come from. Nothing can be drawn before."""
    require(by, Action.PLAN_MANAGE, plan.region)
    source = (public_source or plan.public_source).strip()
    if plan.status != PlanStatus.DRAFT:
        raise InvalidInput([problem("status", _("only a draft plan can be published"))])
    if not source:
        raise InvalidInput(
            [problem("public_source", _("name where the public value will come from"))]
        )
    found = list(frames.entries(plan))
    if not found:
        raise InvalidInput([problem("kind", _("the plan finds nothing to inspect"))])
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != PlanStatus.DRAFT:
            raise InvalidInput([problem("status", _("only a draft plan can be published"))])
        FrameEntry.objects.bulk_create(
            (
                FrameEntry(
                    plan=plan,
                    stratum=e.stratum,
                    object_id=e.object_id,
                    region_id=e.region_id,
                    household_id=e.household_id,
                    workers=sorted({w for w in e.workers if w}),
                )
                for e in found
            ),
            batch_size=_BATCH,
        )
        plan.frame_sha256 = draw.frame_sha256(
            strata_of(plan, ((e.stratum, e.object_id) for e in found))
        )
        plan.public_source = source
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = timezone.now()
        plan.save(update_fields=["frame_sha256", "public_source", "status", "published_at"])
    return plan


def plan_draw(*, plan: Plan, by, public_value: str) -> Plan:
    """Enter the public value, derive the seed, sample every stratum and assign inspectors:
    one visit per sampled object. Refused (nothing written) when a sampled object has too
    few inspectors left after recusal."""
    require(by, Action.PLAN_MANAGE, plan.region)
    if plan.status != PlanStatus.PUBLISHED:
        raise InvalidInput([problem("status", _("only a published plan can be drawn"))])
    if not public_value.strip():
        raise InvalidInput([problem("public_value", _("enter the public value"))])
    entries = list(plan.frame.select_related("region"))
    strata = strata_of(plan, ((e.stratum, e.object_id) for e in entries))
    seed = draw.seed_from(plan.frame_sha256, public_value)
    drawn = draw.draw(seed, strata)
    by_id = {e.object_id: e for e in entries}
    pool = list(plan.inspectors.select_related("home"))
    names = [p.pseudonym for p in pool]
    assignments = []
    try:
        for stratum in drawn:
            for oid in stratum.sample:
                entry = by_id[oid]
                recused = [p.pseudonym for p in pool if _recused(p, entry)]
                assignments.append(
                    draw.assign(seed, oid, names, recused, plan.inspectors_per_visit)
                )
    except draw.DrawError as exc:
        raise InvalidInput([problem("inspectors", str(exc))]) from exc
    users = {p.pseudonym: p.user_id for p in pool}
    recused_of = {a.object_id: list(a.recused) for a in assignments}
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != PlanStatus.PUBLISHED:
            raise InvalidInput([problem("status", _("only a published plan can be drawn"))])
        sampled = [by_id[a.object_id] for a in assignments]
        FrameEntry.objects.filter(pk__in=[e.pk for e in sampled]).update(sampled=True)
        visits = InspectionVisit.objects.bulk_create(
            InspectionVisit(
                plan=plan,
                entry=entry,
                household_id=entry.household_id,
                region_id=entry.region_id,
                due=plan.visit_by,
                recused=recused_of[entry.object_id],
            )
            for entry in sampled
        )
        through = InspectionVisit.inspectors.through
        through.objects.bulk_create(
            through(inspectionvisit_id=visit.pk, user_id=users[name])
            for visit, a in zip(visits, assignments, strict=True)
            for name in a.inspectors
        )
        plan.public_value = public_value.strip()
        plan.seed = seed
        plan.status = PlanStatus.DRAWN
        plan.drawn_at = timezone.now()
        plan.save(update_fields=["public_value", "seed", "status", "drawn_at"])
    return plan


def _recused(member: PlanInspector, entry: FrameEntry) -> bool:
    """No one inspects their own region or their own work."""
    own_region = member.home is not None and entry.region.path.startswith(member.home.path)
    return own_region or member.user_id in entry.workers


def plan_close(*, plan: Plan, by) -> Plan:
    require(by, Action.PLAN_MANAGE, plan.region)
    if plan.status != PlanStatus.DRAWN:
        raise InvalidInput([problem("status", _("only a drawn plan can be closed"))])
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    return plan
