"""What waits for a user: procedure cases at their step, notices to close, needs to review,
helpers to verify, matching rounds to send, proposals to answer, spending to approve,
inspection visits to make and rectification orders to answer or verify.
Each part is one scoped query from its own app's selectors, so the page and the menu's count
make a fixed number of queries whatever the data."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aidbridge.assessment.selectors import assessments_waiting
from aidbridge.grievances.selectors import at_risk_for as grievances_at_risk
from aidbridge.grievances.selectors import waiting_for as grievances_waiting
from aidbridge.helpers.selectors import helpers_to_verify
from aidbridge.matching.selectors import proposals_to_answer, rounds_to_review
from aidbridge.monitoring.risk_selectors import ALERT, risk_alerts
from aidbridge.monitoring.selectors_channels import households_due_a_visit, self_reports_linkable
from aidbridge.monitoring.selectors_procedure import (
    eliminations_waiting,
    leads_new,
    leads_overdue,
    leads_waiting,
)
from aidbridge.needs.selectors import waiting_for
from aidbridge.policy import Action, can
from aidbridge.registry.selectors import cases_at_step, notices_due
from aidbridge.spending.selectors import approvals_waiting
from aidbridge.supervision.selectors_inspect import (
    orders_answer_waiting,
    orders_verify_waiting,
    visits_mine,
)

SHOWN = 10  # rows of each part on the page; the count says how many there are


@dataclass
class Part:
    key: str
    title: str
    count: int
    rows: list = field(default_factory=list)
    more_url: str = ""


def _parts(user) -> list[tuple[str, str, QuerySet, str]]:
    today = timezone.localdate()
    return [
        (
            "cases",
            _("Procedure cases at your step"),
            cases_at_step(user),
            reverse("registry:list"),
        ),
        (
            "notices",
            _("Public notices whose days have passed, or paused by an objection"),
            notices_due(user, today),
            reverse("registry:list"),
        ),
        ("needs", _("Needs to review"), waiting_for(user), reverse("needs:list") + "?tab=review"),
        (
            "helpers",
            _("Helpers to verify"),
            helpers_to_verify(user),
            reverse("helpers:list") + "?verified=no",
        ),
        (
            "rounds",
            _("Matching proposals to review"),
            rounds_to_review(user),
            reverse("matching:home"),
        ),
        (
            "proposals",
            _("Proposals to answer"),
            proposals_to_answer(user),
            reverse("matching:proposals"),
        ),
        ("spending", _("Spending to approve"), approvals_waiting(user), reverse("projects:list")),
        (
            "self_reports",
            _("Self-reports to link to a household"),
            self_reports_linkable(user).select_related("village"),
            reverse("monitoring:self_reports"),
        ),
        (
            "visits",
            _("Households to visit (no visit for 90 days)"),
            households_due_a_visit(user, today),
            reverse("monitoring:my_households"),
        ),
        (
            "risk",
            _("High relapse risk, no lead yet"),
            risk_alerts(user),
            reverse("monitoring:risk") + f"?min={ALERT}",
        ),
        (
            "leads",
            _("Monitoring leads waiting for your step"),
            leads_waiting(user, today),
            reverse("monitoring:work"),
        ),
        (
            "new_leads",
            _("New monitoring leads in your area (this week)"),
            leads_new(user, today),
            reverse("monitoring:work") + "?stage=visit",
        ),
        (
            "overdue",
            _("Monitoring leads overdue at others' steps"),
            leads_overdue(user, today),
            reverse("monitoring:work"),
        ),
        (
            "eliminations",
            _("Risk eliminations waiting for your step"),
            eliminations_waiting(user, today),
            "",
        ),
        (
            "grievances",
            _("Grievances waiting for you"),
            grievances_waiting(user),
            reverse("grievances:list") + "?status=open&mine=on",
        ),
        (
            "grievances_at_risk",
            _("Grievances at risk in your area"),
            grievances_at_risk(user),
            reverse("grievances:list") + "?at_risk=on",
        ),
        (
            "inspection_visits",
            _("Inspection visits to make"),
            visits_mine(user),
            reverse("supervision:visits"),
        ),
        (
            "orders_to_answer",
            _("Rectification orders to answer"),
            orders_answer_waiting(user),
            reverse("supervision:orders") + "?status=open",
        ),
        (
            "orders_to_verify",
            _("Rectification answers to verify"),
            orders_verify_waiting(user),
            reverse("supervision:orders") + "?status=answered",
        ),
        (
            "assessments",
            _("County assessments to review"),
            assessments_waiting(user),
            reverse("assessment:list"),
        ),
    ]


def worklist(user) -> list[Part]:
    """The parts of the user's worklist that hold something, with their first rows."""
    if not can(user, Action.WORKLIST_VIEW):
        return []
    found = []
    for key, title, rows, more_url in _parts(user):
        count = rows.count()
        if count:
            found.append(Part(key, title, count, list(rows[:SHOWN]), more_url))
    return found


def worklist_counts(user) -> list[Part]:
    """The parts of the user's worklist that hold something, counted (without their rows)."""
    if not can(user, Action.WORKLIST_VIEW):
        return []
    counted = (Part(key, title, rows.count()) for key, title, rows, _url in _parts(user))
    return [part for part in counted if part.count]


def worklist_count(user) -> int:
    """How many things wait for the user (for the menu's badge)."""
    return sum(part.count for part in worklist_counts(user))
