"""The monitoring procedure of leads and risk eliminations: stored cases driven by the pure
core in monitoring.procedure, the visit that is its first step, the daily job that closes
notices and escalates overdue steps, and the plan of measures of a monitored household.

The county's approval of a lead makes the household a monitored household (status
``monitored``); its approval of an elimination declares the risk eliminated (status
``risk_eliminated``). Nothing is deleted: rejected cases keep their reasons."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.accounts.models import Role, User
from aidbridge.errors import InvalidInput, catalogue_text, problem
from aidbridge.monitoring import elimination, procedure
from aidbridge.monitoring.models import (
    Elimination,
    EliminationStatus,
    Lead,
    Measure,
    MeasureKind,
    MeasureStatus,
    MonitoredHousehold,
    MonitoredStage,
    ObjectKind,
    Step,
    Visit,
)
from aidbridge.monitoring.visits import visit_record
from aidbridge.notifications.services import notify
from aidbridge.policy import Action, can, require
from aidbridge.registry.models import HouseholdStatus
from aidbridge.registry.rules import rule_in_force
from aidbridge.registry.services import household_status_set
from aidbridge.uploads import EVIDENCE, check_upload

# The procedure role each account role acts as.
PROCEDURE_ROLES = {
    Role.CLERK: "clerk",
    Role.TOWNSHIP: "township",
    Role.COUNTY: "county",
    Role.CITY: "city",
}
ACTION_LABELS = {
    "visit": gettext_lazy("Record the home visit"),
    "review": gettext_lazy("Village review passed"),
    "start_notice": gettext_lazy("Start the public notice"),
    "close_notice": gettext_lazy("Close the public notice"),
    "check": gettext_lazy("Township check passed"),
    "approve": gettext_lazy("Approve (county)"),
    "reject": gettext_lazy("Reject"),
}
ROLE_LABELS = {
    "clerk": gettext_lazy("village"),
    "township": gettext_lazy("township"),
    "county": gettext_lazy("county"),
    "city": gettext_lazy("city"),
}
REFUSALS = {
    "decided": gettext_lazy("this case is decided already"),
    "not_allowed_now": gettext_lazy("this step is not possible at this stage"),
    "notice_not_started": gettext_lazy("the public notice has not started"),
    "wrong_role": gettext_lazy("your role may not take this step"),
    "notice_not_over": gettext_lazy("the public notice runs until %(ends)s"),
    "before_opened": gettext_lazy("the date is before the case was opened (%(opened)s)"),
    "comment_required": gettext_lazy("write the reason in the comment"),
}
ELIMINATION_REFUSALS = {
    "no_visit": gettext_lazy("no visit has been recorded"),
    "no_income_six_months_ago": gettext_lazy(
        "no visit recorded the income on or before %(since)s (six months ago)"
    ),
    "income_below_line": gettext_lazy(
        "the visit of %(on)s found %(income)s yuan per person, below the monitoring line of "
        "%(line)s"
    ),
    "guarantee_unmet": gettext_lazy("the latest visit (%(on)s) found guarantees unmet: %(unmet)s"),
}
AUTO_CLOSED = gettext_lazy("closed automatically: the notice period ended")
ESCALATED = gettext_lazy("A monitoring step is overdue and escalated to you: %(code)s")
ESCALATED_BODY = gettext_lazy(
    "The step “%(stage)s” was due on %(due)s. You may take it or see that it is taken."
)


def role_of(user) -> str:
    return PROCEDURE_ROLES.get(user.role, "")


def village_of(case) -> object:
    """The village a lead or an elimination belongs to (its scope)."""
    return case.village if isinstance(case, Lead) else case.monitored.household.village


def household_of(case):
    return case.household if isinstance(case, Lead) else case.monitored.household


def core(case) -> procedure.Case:
    return procedure.Case(
        opened_on=case.opened_on,
        stage=case.stage,
        status=case.status,
        notice_started=case.notice_started,
        notice_days=case.notice_days,
        escalated_to=case.escalated_to,
        decided_on=case.decided_on,
    )


def allowed(user, case, today: date) -> list[str]:
    """The steps the user may take today, for the page (the visit has its own form)."""
    if not can(user, Action.MONITORING_ACT, village_of(case)):
        return []
    return [a.value for a in procedure.allowed_actions(core(case), role_of(user), today)]


def _refusal(exc: procedure.ProcedureError) -> InvalidInput:
    params = {k: str(v) for k, v in exc.params.items()}
    return InvalidInput([problem("action", catalogue_text(REFUSALS, exc.code, params))])


def _take(case, action: str, *, role: str, on: date, comment="", by=None, attachment=None):
    """Apply one step under a row lock, record it, and carry out a decision. ``by`` is None
    for the steps the calendar takes."""
    with transaction.atomic():
        case = type(case).objects.select_for_update().get(pk=case.pk)
        try:
            after = procedure.apply(core(case), action, role=role, on=on, comment=comment)
        except procedure.ProcedureError as exc:
            raise _refusal(exc) from exc
        stage_before = case.stage
        case.stage, case.status = after.stage.value, after.status.value
        case.notice_started, case.escalated_to = after.notice_started, after.escalated_to
        case.decided_on = after.decided_on
        case.step_due = procedure.step_due(after, on)
        case.save()
        Step.objects.create(
            **{"lead" if isinstance(case, Lead) else "elimination": case},
            stage=stage_before,
            action=action,
            role=role,
            on=on,
            comment=comment.strip(),
            attachment=attachment or "",
            by=by,
        )
        if isinstance(case, Lead):
            _lead_decided(case, after, by)
        else:
            _elimination_decided(case, after, by)
    return case


def _lead_decided(lead: Lead, after: procedure.Case, by) -> None:
    if after.status != procedure.Status.APPROVED:
        return
    MonitoredHousehold.objects.create(
        household=lead.household, kind=lead.kind, lead=lead, since=after.decided_on
    )
    household_status_set(
        by=by,
        household=lead.household,
        status=HouseholdStatus.MONITORED,
        reason=f"monitoring {lead.tracking_code}",
    )


def _elimination_decided(case: Elimination, after: procedure.Case, by) -> None:
    monitored = case.monitored
    if after.status == procedure.Status.REJECTED:
        monitored.stage = MonitoredStage.MONITORED
        monitored.save(update_fields=["stage"])
    elif after.status == procedure.Status.APPROVED:
        monitored.stage, monitored.eliminated_on = MonitoredStage.ELIMINATED, after.decided_on
        monitored.save(update_fields=["stage", "eliminated_on"])
        household_status_set(
            by=by,
            household=monitored.household,
            status=HouseholdStatus.RISK_ELIMINATED,
            reason="risk eliminated",
        )


def _kind_problem(kind: str) -> list[dict]:
    if kind not in ObjectKind.values:
        return [problem("kind", _("choose the kind of monitoring object"))]
    return []


def _approval_problems(lead: Lead, kind: str) -> list[dict]:
    """What stops the county from approving a lead: no kind, no household, a household
    registered as poor (it is helped as such), or one monitored already."""
    errors = [] if kind or lead.kind else _kind_problem("")
    household = lead.household
    if household is None:
        errors.append(problem("household", _("link the lead to a registered household first")))
    elif household.status == HouseholdStatus.POOR:
        errors.append(
            problem("household", _("the household is registered as poor: it is not monitored"))
        )
    elif (
        MonitoredHousehold.objects.filter(household=household)
        .exclude(stage=MonitoredStage.ELIMINATED)
        .exists()
    ):
        errors.append(
            problem(
                "household",
                _("the household is monitored already: reject this lead with that reason"),
            )
        )
    return errors


def case_act(*, by, case, action: str, on: date, comment: str = "", attachment=None, kind=""):
    """Take one step of a lead or an elimination as the user's role (the visit is
    ``case_visit``'s). The county may set the lead's kind when it approves."""
    require(by, Action.MONITORING_ACT, village_of(case))
    errors = []
    if action not in {a.value for a in procedure.Action} or action == "visit":
        errors.append(problem("action", _("unknown step")))
    if kind and isinstance(case, Lead):
        errors += _kind_problem(kind)
    if action == "approve" and isinstance(case, Lead):
        errors += _approval_problems(case, kind)
    if attachment:
        try:
            attachment = check_upload(
                attachment, field="attachment", label=_("Attachment"), accept=EVIDENCE
            )
        except InvalidInput as exc:
            errors += exc.errors
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        if kind and isinstance(case, Lead) and kind != case.kind:
            case.kind = kind
            case.save(update_fields=["kind"])
        return _take(
            case, action, role=role_of(by), on=on, comment=comment, by=by, attachment=attachment
        )


def case_visit(*, by, case, visit: dict, kind: str = "", on: date) -> Visit:
    """The procedure's first step: the home visit with the household's signed consent
    (``visit``: the arguments of visits.visit_record, its ``consent`` required), which sets the
    lead's kind of monitoring object. Checks everything first; writes all or nothing."""
    require(by, Action.MONITORING_ACT, village_of(case))
    household = household_of(case)
    errors = []
    if household is None:
        errors.append(problem("household", _("link the lead to a registered household first")))
    if not visit.get("consent"):
        errors.append(problem("consent", _("the household's signed consent is required")))
    if isinstance(case, Lead):
        errors += _kind_problem(kind)
    try:
        procedure.apply(core(case), "visit", role=role_of(by), on=on)
    except procedure.ProcedureError as exc:
        errors += _refusal(exc).errors
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        record = visit_record(
            by=by, household=household, lead=case if isinstance(case, Lead) else None, **visit
        )
        if isinstance(case, Lead):
            case.kind = kind
            case.save(update_fields=["kind"])
        _take(case, "visit", role=role_of(by), on=on, comment=record.note, by=by)
    return record


def close_due_notices(*, today: date) -> int:
    """Close every notice whose days have passed, as the township would; the step names no
    person. Returns how many were closed."""
    closed = 0
    for model in (Lead, Elimination):
        for case in model.objects.filter(
            status="open", stage=procedure.Stage.NOTICE, notice_started__isnull=False
        ):
            if procedure.notice_due(core(case), today):
                _take(case, "close_notice", role="township", on=today, comment=str(AUTO_CLOSED))
                closed += 1
    return closed


def officers_of(level_role: str, village) -> list:
    """The active officers of ``level_role`` whose region holds the village."""
    return list(
        User.objects.filter(
            role=level_role, is_active=True, region__code__in=village.ancestor_codes()
        )
    )


def escalate_overdue(*, today: date) -> int:
    """Send every overdue step to the next level and tell that level's officers. Returns how
    many were escalated."""
    escalated = 0
    for model in (Lead, Elimination):
        overdue = model.objects.filter(status="open", step_due__lt=today)
        for case in overdue:
            level = procedure.escalation(core(case), case.step_due, today)
            if not level:
                continue
            with transaction.atomic():
                model.objects.filter(pk=case.pk).update(escalated_to=level)
                notify(
                    users=officers_of(level, village_of(case)),
                    subject=ESCALATED,
                    body=ESCALATED_BODY,
                    params={
                        "code": case_code(case),
                        "stage": case.get_stage_display(),
                        "due": case.step_due.isoformat(),
                    },
                    url=case_url(case),
                )
            escalated += 1
    return escalated


def case_code(case) -> str:
    """A name for the case that carries no personal data."""
    if isinstance(case, Lead):
        return case.tracking_code
    return f"{case.monitored.lead.tracking_code}-E{case.pk}"


def case_url(case) -> str:
    if isinstance(case, Lead):
        return reverse("monitoring:lead", args=[case.public_id])
    return reverse("monitoring:monitored", args=[case.monitored.public_id]) + "#elimination"


def daily(*, today: date) -> dict:
    """The daily job: close the notices whose days have passed, then escalate overdue steps."""
    return {"closed": close_due_notices(today=today), "escalated": escalate_overdue(today=today)}


def monitoring_line(monitored: MonitoredHousehold, year: int) -> int:
    return rule_in_force(monitored.household.village, year).rules.monitoring_line


def elimination_refusals(monitored: MonitoredHousehold, today: date) -> list[str]:
    """Why the risk of ``monitored`` may not be declared eliminated today, in words (empty:
    it may)."""
    if monitored.stage != MonitoredStage.MONITORED:
        return [str(_("the household is not under monitoring now"))]
    seen = [
        elimination.Seen(
            v.visited_on,
            v.per_capita_income,
            tuple(name for name, met in v.indicators.items() if not met),
        )
        for v in monitored.household.monitoring_visits.all()
    ]
    reasons = elimination.refusals(seen, monitoring_line(monitored, today.year), today)
    texts = []
    for reason in reasons:
        params = {
            k: ", ".join(v) if isinstance(v, tuple) else str(v) for k, v in reason.params.items()
        }
        texts.append(catalogue_text(ELIMINATION_REFUSALS, reason.code, params))
    return texts


def elimination_propose(*, by, monitored: MonitoredHousehold, on: date) -> Elimination:
    """The clerk proposes to declare the risk eliminated, when the visits allow it; the
    proposal then goes through the procedure's steps from the home visit on."""
    require(by, Action.ELIMINATION_PROPOSE, monitored)
    with transaction.atomic():
        monitored = MonitoredHousehold.objects.select_for_update().get(pk=monitored.pk)
        reasons = elimination_refusals(monitored, on)
        if reasons:
            raise InvalidInput([problem("elimination", "; ".join(reasons))])
        case = procedure.Case(opened_on=on)
        proposal = Elimination.objects.create(
            monitored=monitored,
            opened_on=on,
            decide_by=case.decide_by,
            step_due=procedure.step_due(case, on),
            created_by=by,
        )
        monitored.stage = MonitoredStage.ELIMINATING
        monitored.save(update_fields=["stage"])
    return proposal


def open_elimination(monitored: MonitoredHousehold) -> Elimination | None:
    return monitored.eliminations.filter(status=EliminationStatus.OPEN).first()


MAX_TEXT = 200


def _measure_problems(description: str, responsible: str, due, need, monitored) -> list:
    errors = []
    if not description.strip():
        errors.append(problem("description", _("is required")))
    elif len(description) > MAX_TEXT:
        errors.append(problem("description", _("at most %(n)s characters") % {"n": MAX_TEXT}))
    if not responsible.strip():
        errors.append(problem("responsible", _("is required")))
    elif len(responsible) > 100:
        errors.append(problem("responsible", _("at most %(n)s characters") % {"n": 100}))
    if need is not None and need.household_id != monitored.household_id:
        errors.append(problem("need", _("is a need of another household")))
    return errors


def measure_add(
    *,
    by,
    monitored: MonitoredHousehold,
    kind: str,
    description: str,
    responsible: str,
    due: date | None = None,
    need=None,
) -> Measure:
    """Add a measure to the household's plan; a measure of kind ``need`` may link a need
    of the same household."""
    require(by, Action.MEASURE_MANAGE, monitored)
    errors = []
    if kind not in MeasureKind.values:
        errors.append(problem("kind", _("choose a kind of measure")))
    errors += _measure_problems(description, responsible, due, need, monitored)
    if need is not None and kind != MeasureKind.NEED:
        errors.append(problem("need", _("only a measure of kind “need” links a need")))
    if monitored.stage == MonitoredStage.ELIMINATED:
        errors.append(problem("kind", _("the risk of this household is eliminated")))
    if errors:
        raise InvalidInput(errors)
    return Measure.objects.create(
        monitored=monitored,
        kind=kind,
        description=description.strip(),
        responsible=responsible.strip(),
        due=due,
        need=need,
    )


def measure_update(*, by, measure: Measure, status: str) -> Measure:
    """Record where a measure stands."""
    require(by, Action.MEASURE_MANAGE, measure.monitored)
    if status not in MeasureStatus.values:
        raise InvalidInput([problem("status", _("choose a status"))])
    measure.status = status
    measure.save(update_fields=["status", "updated"])
    return measure
