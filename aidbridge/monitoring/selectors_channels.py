"""Reads of the leads from people and of visits: tracking a lead by its code (no personal
data), the self-reports waiting to be linked, a household's visits and leads, and the
households a helper visits."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Max, Prefetch, Q, QuerySet
from django.http import Http404

from aidbridge.monitoring.models import Channel, Lead, LeadStatus, Visit, VisitFinding
from aidbridge.policy import (
    Action,
    can,
    households_responsible,
    leads_in_scope,
    self_reports_to_link,
)
from aidbridge.registry.models import Household

_NOT_IN_CODE = re.compile(r"[\s\-]")
VISIT_EVERY_DAYS = 90  # a responsible helper's household not visited for longer is due


@dataclass(frozen=True)
class Tracked:
    """What anyone with a tracking code sees: where the lead stands and its dates."""

    status: str
    status_label: str
    stage: str
    stage_label: str
    opened_on: date
    decide_by: date | None
    decided_on: date | None


def lead_track(code: str) -> Tracked | None:
    """The lead of a tracking code (case, spaces and dashes forgiven), or None."""
    code = _NOT_IN_CODE.sub("", code or "").upper()
    if not code or len(code) > 16:
        return None
    lead = (
        Lead.objects.filter(tracking_code=code)
        .only("status", "stage", "opened_on", "decide_by", "decided_on")
        .first()
    )
    if lead is None:
        return None
    return Tracked(
        status=lead.status,
        status_label=str(lead.get_status_display()),
        stage=lead.stage,
        stage_label=str(lead.get_stage_display()),
        opened_on=lead.opened_on,
        decide_by=lead.decide_by,
        decided_on=lead.decided_on,
    )


def self_reports_unlinked(user) -> QuerySet:
    """Open self-reports naming no household yet, of the user's area, oldest first."""
    return (
        leads_in_scope(
            user,
            Lead.objects.filter(
                channel=Channel.SELF_REPORT, household__isnull=True, status=LeadStatus.OPEN
            ),
        )
        .select_related("village")
        .order_by("opened_on", "pk")
    )


def self_reports_linkable(user) -> QuerySet:
    """The open self-reports without household the user may link (worklist), oldest first."""
    return self_reports_to_link(
        user,
        Lead.objects.filter(
            channel=Channel.SELF_REPORT, household__isnull=True, status=LeadStatus.OPEN
        ),
    ).order_by("opened_on", "pk")


def access_self_report(user, public_id) -> Lead:
    """A self-report the user may link to a household, or Http404."""
    lead = Lead.objects.select_related("village").filter(public_id=public_id).first()
    if lead is None or not can(user, Action.SELF_REPORT_LINK, lead):
        raise Http404("self-report")
    return lead


def household_numbered(user, number: str) -> Household | None:
    """The household of that number, if the user may see it."""
    number = number.strip()
    found = Household.objects.select_related("village").filter(number=number).first()
    return found if found is not None and can(user, Action.HOUSEHOLD_VIEW, found) else None


def access_household_monitoring(user, public_id) -> Household:
    """A household whose visits and leads the user may see, or Http404."""
    household = Household.objects.select_related("village").filter(public_id=public_id).first()
    if household is None or not can(user, Action.HOUSEHOLD_MONITORING, household):
        raise Http404("household")
    return household


@dataclass(frozen=True)
class HouseholdMonitoring:
    visits: list
    leads: list


def household_monitoring(user, household: Household, *, visits: int = 10) -> HouseholdMonitoring:
    """The household's latest visits (with their photos and findings) and its leads, newest
    first; nothing for those who may not see them."""
    if not can(user, Action.HOUSEHOLD_MONITORING, household):
        return HouseholdMonitoring([], [])
    shown = (
        Visit.objects.filter(household=household)
        .select_related("visited_by")
        .prefetch_related(
            "photos",
            Prefetch("findings", VisitFinding.objects.select_related("lead")),
        )
        .order_by("-visited_on", "-pk")[:visits]
    )
    leads = Lead.objects.filter(household=household).order_by("-opened_on", "-pk")
    return HouseholdMonitoring(list(shown), list(leads))


def households_to_visit(user) -> QuerySet:
    """The households the user is a current responsible helper of, with their last visit,
    the longest unvisited first."""
    return (
        households_responsible(user, Household.objects.select_related("village"))
        .annotate(last_visit=Max("monitoring_visits__visited_on"))
        .order_by(F("last_visit").asc(nulls_first=True), "number")
    )


def households_due_a_visit(user, today: date) -> QuerySet:
    """The user's households to visit (households_to_visit) not visited for
    VISIT_EVERY_DAYS days, or never."""
    since = today - timedelta(days=VISIT_EVERY_DAYS)
    return households_to_visit(user).filter(Q(last_visit__isnull=True) | Q(last_visit__lt=since))
