"""Reads of grievances: what a complainant sees by the tracking code (nothing personal), the
staff's scoped list with its filters, one grievance for a user, the worklist's parts and the
dashboard of a region."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.accounts.models import User
from aidbridge.grievances.models import (
    OPEN,
    PUBLIC_EVENTS,
    Grievance,
    GrievanceEvent,
    Status,
)
from aidbridge.policy import Action, can, grievances_in_scope, grievances_to_act
from aidbridge.redact import redact
from aidbridge.regions.models import Region

_NOT_IN_CODE = re.compile(r"[\s\-]")


def grievance_by_code(code: str) -> Grievance | None:
    """The grievance of a tracking code (case, spaces and dashes forgiven), or None."""
    code = _NOT_IN_CODE.sub("", code or "").upper()
    if not code or len(code) > 16:
        return None
    return Grievance.objects.select_related("level_region").filter(tracking_code=code).first()


def appeal_refusal(grievance: Grievance, now: datetime) -> str:
    """Why the complainant may not appeal now ("" when they may)."""
    if grievance.status != Status.DECIDED:
        return _("Only a decided grievance can be appealed.")
    if grievance.decided_at + timedelta(days=settings.GRIEVANCE_APPEAL_DAYS) < now:
        return _("The %(days)s days to appeal are over.") % {"days": settings.GRIEVANCE_APPEAL_DAYS}
    if grievance.level_region.parent_id is None:
        return _("There is no level above the one that decided.")
    return ""


@dataclass(frozen=True)
class Moment:
    at: datetime
    kind: str
    label: str
    level: str


@dataclass
class Tracked:
    """What anyone with the tracking code sees: where the complaint stands, its decision and
    reply (redacted), and its public timeline. No names, phones, description or officers."""

    number: str
    code: str
    status: str
    status_label: str
    category_label: str
    level: str
    opened_at: datetime
    due: datetime | None
    decision_label: str
    reply: str
    decided_at: datetime | None
    timeline: list[Moment]
    appeal_of: str
    appeals: list["Tracked"] = field(default_factory=list)
    may_appeal: bool = False


def _tracked(grievance: Grievance, now: datetime) -> Tracked:
    events = (
        GrievanceEvent.objects.filter(grievance=grievance, kind__in=PUBLIC_EVENTS)
        .select_related("level_region")
        .order_by("pk")
    )
    return Tracked(
        number=grievance.number,
        code=grievance.tracking_code,
        status=grievance.status,
        status_label=str(grievance.get_status_display()),
        category_label=str(grievance.get_category_display()),
        level=grievance.level_region.name,
        opened_at=grievance.opened_at,
        due=grievance.due if grievance.is_open else None,
        decision_label=str(grievance.get_decision_display()) if grievance.decision else "",
        reply=redact(grievance.reply),
        decided_at=grievance.decided_at,
        timeline=[
            Moment(e.at, e.kind, str(e.get_kind_display()), e.level_region.name) for e in events
        ],
        appeal_of=grievance.appeal_of.number if grievance.appeal_of_id else "",
        may_appeal=not appeal_refusal(grievance, now),
    )


def grievance_track(code: str, now: datetime | None = None) -> Tracked | None:
    """The complaint of a tracking code with its appeals (the newest last), or None."""
    grievance = grievance_by_code(code)
    if grievance is None:
        return None
    now = now or timezone.now()
    tracked = _tracked(grievance, now)
    appeal = grievance.appeals.select_related("level_region").first()
    while appeal is not None:
        tracked.appeals.append(_tracked(appeal, now))
        appeal = appeal.appeals.select_related("level_region").first()
    return tracked


def grievances_visible(user) -> QuerySet:
    return grievances_in_scope(user, Grievance.objects.all()).select_related(
        "region", "level_region", "assigned_to"
    )


def grievances_list(
    user,
    *,
    status: str = "",
    category: str = "",
    severity: str = "",
    at_risk: bool = False,
    overdue: bool = False,
    mine: bool = False,
    now: datetime | None = None,
) -> QuerySet:
    """The grievances the user sees, filtered, the soonest due first among open ones."""
    rows = grievances_visible(user)
    if status == "open":
        rows = rows.filter(status__in=OPEN)
    elif status:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    if severity:
        rows = rows.filter(severity=severity)
    if at_risk:
        rows = rows.filter(status__in=OPEN, at_risk=True)
    if overdue:
        rows = rows.filter(status__in=OPEN, due__lte=now or timezone.now())
    if mine:
        rows = grievances_to_act(user, rows)
    return rows.order_by("-opened_at", "-pk")


def access_grievance(user, public_id) -> Grievance:
    """A grievance the user may see, or Http404 (its existence does not leak)."""
    grievance = (
        Grievance.objects.select_related(
            "region", "level_region", "assigned_to", "decided_by", "appeal_of", "created_by"
        )
        .filter(public_id=public_id)
        .first()
    )
    if grievance is None or not can(user, Action.GRIEVANCE_VIEW, grievance):
        raise Http404("grievance")
    return grievance


def level_officers(grievance: Grievance) -> list:
    """The active accounts that may act on the grievance where it sits (policy decides)."""
    candidates = User.objects.filter(region=grievance.level_region, is_active=True)
    return [
        u for u in candidates.select_related("region") if can(u, Action.GRIEVANCE_ACT, grievance)
    ]


def assignable(grievance: Grievance) -> QuerySet:
    """The officers the grievance may be assigned to, as a queryset for a form."""
    return User.objects.filter(pk__in=[u.pk for u in level_officers(grievance)]).order_by(
        "username"
    )


def events_of(grievance: Grievance) -> list[GrievanceEvent]:
    return list(grievance.events.select_related("by", "level_region").order_by("pk"))


def waiting_for(user) -> QuerySet:
    """Open grievances sitting at the user's level (worklist), the soonest due first."""
    return grievances_to_act(
        user, Grievance.objects.filter(status__in=OPEN).select_related("region")
    ).order_by("due", "pk")


def at_risk_for(user) -> QuerySet:
    """Open grievances of the user's area at risk or overdue (worklist)."""
    return (
        grievances_in_scope(user, Grievance.objects.filter(status__in=OPEN))
        .filter(at_risk=True)
        .select_related("region")
        .order_by("due", "pk")
    )


@dataclass
class Board:
    """A region's grievances: volume by status and category, mean hours to a decision, the
    share decided within the time limit, and the same per child region."""

    region: Region
    total: int
    open: int
    at_risk: int
    by_status: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    decided: int
    mean_hours: float | None
    compliance: float | None
    children: list[dict]


_OPEN_Q = Q(status__in=OPEN)
_DECIDED_Q = Q(decided_at__isnull=False)
_AGGREGATES = {
    "total": Count("pk"),
    "open": Count("pk", filter=_OPEN_Q),
    "at_risk": Count("pk", filter=_OPEN_Q & Q(at_risk=True)),
    "decided": Count("pk", filter=_DECIDED_Q),
    "on_time": Count("pk", filter=_DECIDED_Q & Q(breached=False, decided_at__lte=F("due"))),
    "span": Sum(
        ExpressionWrapper(F("decided_at") - F("opened_at"), output_field=DurationField()),
        filter=_DECIDED_Q,
    ),
}


def _figures(counts: dict) -> dict:
    """Totals of grouped counts as the dashboard shows them."""
    decided, span = counts["decided"], counts["span"]
    return {
        "total": counts["total"],
        "open": counts["open"],
        "at_risk": counts["at_risk"],
        "decided": decided,
        "mean_hours": round(span.total_seconds() / 3600 / decided, 1) if decided else None,
        "compliance": round(100 * counts["on_time"] / decided, 1) if decided else None,
    }


def _summed(rows: list[dict]) -> dict:
    counts = {key: sum(r[key] for r in rows) for key in _AGGREGATES if key != "span"}
    counts["span"] = sum((r["span"] for r in rows if r["span"] is not None), timedelta())
    return counts


def dashboard(user, region: Region) -> Board:
    """The dashboard of ``region`` (checked by the caller: GRIEVANCE_DASHBOARD). Counts all
    grievances about the region, sensitive ones included: counts name nobody. A fixed number
    of grouped queries whatever the region's size: one row per place complained about,
    summed per child region here."""
    about = Grievance.objects.filter(region_path__startswith=region.path)
    places = list(about.values("region_path").annotate(**_AGGREGATES).order_by())
    labels = dict(Status.choices)
    categories = dict(Grievance._meta.get_field("category").choices)
    by_status = about.values_list("status").annotate(n=Count("pk")).order_by()
    by_category = about.values_list("category").annotate(n=Count("pk")).order_by("-n", "category")
    children = []
    for child in Region.objects.filter(parent=region).order_by("code"):
        mine = [r for r in places if r["region_path"].startswith(child.path)]
        if mine:
            children.append({"region": child, **_figures(_summed(mine))})
    return Board(
        region=region,
        by_status=[(str(labels.get(k, k)), n) for k, n in by_status],
        by_category=[(str(categories.get(k, k)), n) for k, n in by_category],
        children=children,
        **_figures(_summed(places)),
    )
