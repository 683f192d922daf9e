"""Reads of the monitoring procedure: a lead or a monitored household the user may see, what
waits for their step, what is overdue, and the village's running monitoring notices."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from aidbridge.monitoring.cases import role_of
from aidbridge.monitoring.models import (
    Elimination,
    Lead,
    MonitoredHousehold,
    Stage,
)
from aidbridge.policy import (
    Action,
    can,
    eliminations_in_scope,
    leads_in_scope,
)
from aidbridge.regions.models import Region


def access_lead(user, public_id) -> Lead:
    """A lead the user may see, or Http404."""
    lead = (
        Lead.objects.select_related("household", "village", "created_by")
        .filter(public_id=public_id)
        .first()
    )
    if lead is None or not can(user, Action.LEAD_VIEW, lead):
        raise Http404("lead")
    return lead


def access_monitored(user, public_id) -> MonitoredHousehold:
    monitored = (
        MonitoredHousehold.objects.select_related("household", "household__village", "lead")
        .filter(public_id=public_id)
        .first()
    )
    if monitored is None or not can(user, Action.MONITORED_VIEW, monitored):
        raise Http404("monitored household")
    return monitored


def _waiting_q(role: str, today: date) -> Q:
    """Open cases whose next step is ``role``'s (monitoring.procedure.Case.owner), or that
    an overdue step escalated to it."""
    notice = Q(stage=Stage.NOTICE)
    owner = {
        "clerk": Q(stage__in=[Stage.VISIT, Stage.VILLAGE_REVIEW])
        | (notice & Q(notice_started__isnull=True)),
        "township": Q(stage=Stage.TOWNSHIP_CHECK)
        | (notice & Q(notice_started__isnull=False, step_due__lte=today)),
        "county": Q(stage=Stage.COUNTY_APPROVAL),
    }.get(role, Q(pk__in=[]))
    return Q(status="open") & (owner | Q(escalated_to=role) if role else Q(pk__in=[]))


def leads_waiting(user, today: date) -> QuerySet:
    """Open leads of the user's area waiting for their step, the most urgent first."""
    return (
        leads_in_scope(user, Lead.objects.filter(_waiting_q(role_of(user), today)))
        .select_related("household", "village")
        .order_by("step_due", "pk")
    )


NEW_LEAD_DAYS = 7


def leads_new(user, today: date) -> QuerySet:
    """For the township: the open leads of its area opened in the last NEW_LEAD_DAYS days and
    not visited yet, so it follows them from the first day (the clerk's step comes first)."""
    if role_of(user) != "township":
        return Lead.objects.none()
    return (
        leads_in_scope(
            user,
            Lead.objects.filter(
                status="open",
                stage=Stage.VISIT,
                opened_on__gt=today - timedelta(days=NEW_LEAD_DAYS),
            ),
        )
        .select_related("household", "village")
        .order_by("step_due", "pk")
    )


def eliminations_waiting(user, today: date) -> QuerySet:
    return (
        eliminations_in_scope(user, Elimination.objects.filter(_waiting_q(role_of(user), today)))
        .select_related("monitored__household__village", "monitored__lead")
        .order_by("step_due", "pk")
    )


def leads_overdue(user, today: date) -> QuerySet:
    """Open leads of the user's area whose step is overdue (due before today) and waits for
    someone else: those waiting for the user's own step are in ``leads_waiting`` (a lead is
    counted once in the menu's badge)."""
    return (
        leads_in_scope(
            user,
            Lead.objects.filter(status="open", step_due__lt=today).exclude(
                _waiting_q(role_of(user), today)
            ),
        )
        .select_related("household", "village")
        .order_by("step_due", "pk")
    )


NOTICE_TITLES = {
    "lead": gettext_lazy("To be monitored against relapse into poverty"),
    "elimination": gettext_lazy("Risk of relapse eliminated: monitoring to end"),
}


@dataclass(frozen=True)
class MonitoringNotice:
    """A running monitoring notice as the public sees it: no ID, phone, bank, income or
    health detail, not even the rule or the department behind the lead."""

    title: str
    head_name: str
    size: int
    started: date
    last_day: date
    over: bool


def village_monitoring_notices(village: Region, today: date) -> list[MonitoringNotice]:
    found = []
    running = Q(stage=Stage.NOTICE, status="open", notice_started__isnull=False)
    leads = Lead.objects.filter(running, household__village=village).select_related("household")
    eliminations = Elimination.objects.filter(
        running, monitored__household__village=village
    ).select_related("monitored__household")
    for case, household, title in [
        *((lead, lead.household, NOTICE_TITLES["lead"]) for lead in leads),
        *((e, e.monitored.household, NOTICE_TITLES["elimination"]) for e in eliminations),
    ]:
        last_day = case.notice_started + timedelta(days=case.notice_days - 1)
        found.append(
            MonitoringNotice(
                title=str(title),
                head_name=household.head_name,
                size=household.size,
                started=case.notice_started,
                last_day=last_day,
                over=today > last_day,
            )
        )
    return sorted(found, key=lambda n: n.started)
