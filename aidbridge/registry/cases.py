"""The entry and exit procedure of households: stored cases driven by the pure core in
registry.procedure. Announcing a case changes the household's status."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.accounts.models import Role
from aidbridge.errors import InvalidInput, catalogue_text, problem
from aidbridge.policy import Action, require
from aidbridge.registry import procedure
from aidbridge.registry.models import (
    Household,
    HouseholdStatus,
    ProcedureCase,
    ProcedureKind,
    ProcedureStep,
)
from aidbridge.registry.signals import households_changed
from aidbridge.uploads import EVIDENCE, check_upload

# The procedure role each account role acts as.
PROCEDURE_ROLES = {
    Role.CLERK: "clerk",
    Role.TOWNSHIP: "township",
    Role.COUNTY: "county",
    Role.CITY: "city",
    Role.PROVINCE: "province",
}
# Who may be the subject of which procedure, and the status an announcement gives.
ELIGIBLE = {
    "entry": {
        HouseholdStatus.NOT_POOR,
        HouseholdStatus.MARGINAL,
        HouseholdStatus.MONITORED,
        HouseholdStatus.RISK_ELIMINATED,
    },
    "exit": {HouseholdStatus.POOR},
}
ANNOUNCED_STATUS = {"entry": HouseholdStatus.POOR, "exit": HouseholdStatus.LIFTED}

STAGE_LABELS = {
    "draft": gettext_lazy("Draft"),
    "applied": gettext_lazy("Applied: awaiting village appraisal"),
    "appraised": gettext_lazy("Appraised: awaiting first public notice"),
    "first_notice": gettext_lazy("First public notice in the village"),
    "township_review": gettext_lazy("Township review"),
    "township_approved": gettext_lazy("Approved by the township: awaiting second notice"),
    "second_notice": gettext_lazy("Second public notice"),
    "county_review": gettext_lazy("County review"),
    "approved": gettext_lazy("Approved by the county: awaiting announcement"),
    "announced": gettext_lazy("Announced"),
    "rejected": gettext_lazy("Rejected"),
    "withdrawn": gettext_lazy("Withdrawn"),
}
ACTION_LABELS = {
    "apply": gettext_lazy("Apply"),
    "record_appraisal": gettext_lazy("Record passed appraisal"),
    "start_first_notice": gettext_lazy("Start first public notice"),
    "close_notice": gettext_lazy("Close the public notice"),
    "township_approve": gettext_lazy("Approve (township)"),
    "start_second_notice": gettext_lazy("Start second public notice"),
    "county_approve": gettext_lazy("Approve (county)"),
    "announce": gettext_lazy("Announce"),
    "reject": gettext_lazy("Reject"),
    "withdraw": gettext_lazy("Withdraw"),
    "object": gettext_lazy("Raise an objection"),
    "uphold_objection": gettext_lazy("Uphold the objection (reject)"),
    "dismiss_objection": gettext_lazy("Dismiss the objection"),
}
REFUSALS = {
    "not_allowed_now": gettext_lazy("this step is not possible at this stage"),
    "wrong_role": gettext_lazy("your role may not take this step"),
    "paused": gettext_lazy("the notice is paused by an objection that must be resolved first"),
    "notice_not_over": gettext_lazy("the public notice runs until %(ends)s"),
    "comment_required": gettext_lazy("write the reason in the comment"),
}


def _core(case: ProcedureCase) -> procedure.Case:
    return procedure.Case(
        kind=case.kind,
        stage=case.stage,
        notice_started=case.notice_started,
        notice_days=case.notice_days,
        paused=case.paused,
    )


def role_of(user) -> str:
    return PROCEDURE_ROLES.get(user.role, "")


def open_case(household: Household) -> ProcedureCase | None:
    return household.cases.exclude(stage__in=[s.value for s in procedure.TERMINAL]).first()


def allowed(user, case: ProcedureCase, today: date) -> list[str]:
    """Steps the user may take today, for the page."""
    return [a.value for a in procedure.allowed_actions(_core(case), role_of(user), today)]


def startable_kind(household: Household) -> str | None:
    """The procedure the household's status allows it to start ("entry", "exit" or None)."""
    return next((kind for kind, statuses in ELIGIBLE.items() if household.status in statuses), None)


def case_start(
    *, by, household: Household, kind: str, on: date, comment: str = "", attachment=None
) -> ProcedureCase:
    """Open a procedure and file the application in one step (the village clerk's)."""
    require(by, Action.CASE_START, household)
    if kind not in ProcedureKind.values:
        raise InvalidInput([problem("kind", _("unknown procedure"))])
    if household.status not in ELIGIBLE[kind]:
        raise InvalidInput(
            [
                problem(
                    "kind",
                    _("a household with status “%(status)s” cannot start this procedure")
                    % {"status": household.get_status_display()},
                )
            ]
        )
    if open_case(household) is not None:
        raise InvalidInput([problem("kind", _("another procedure of this household is open"))])
    with transaction.atomic():
        case = ProcedureCase.objects.create(household=household, kind=kind)
        return case_act(
            by=by, case=case, action="apply", on=on, comment=comment, attachment=attachment
        )


def case_act(
    *, by, case: ProcedureCase, action: str, on: date, comment: str = "", attachment=None
) -> ProcedureCase:
    """Take one step as the user's role; announcing sets the household's status."""
    require(by, Action.CASE_ACT, case.household)
    if action not in {a.value for a in procedure.Action}:
        raise InvalidInput([problem("action", _("unknown step"))])
    if attachment:
        attachment = check_upload(
            attachment, field="attachment", label=_("Attachment"), accept=EVIDENCE
        )
    return _take(
        case, action, role=role_of(by), on=on, comment=comment, by=by, attachment=attachment
    )


def _take(
    case: ProcedureCase,
    action: str,
    *,
    role: str,
    on: date,
    comment: str = "",
    by=None,
    attachment=None,
) -> ProcedureCase:
    """Apply one step under a row lock, record it, and set the household's status on
    announcement. ``by`` is None for steps the calendar takes."""
    household = case.household
    with transaction.atomic():
        case = ProcedureCase.objects.select_for_update().get(pk=case.pk)
        try:
            after = procedure.apply(_core(case), action, role=role, on=on, comment=comment)
        except procedure.ProcedureError as exc:
            params = {k: str(v) for k, v in exc.params.items()}
            raise InvalidInput(
                [problem("action", catalogue_text(REFUSALS, exc.code, params))]
            ) from exc
        case.stage, case.notice_started, case.paused = (
            after.stage.value,
            after.notice_started,
            after.paused,
        )
        case._history_user = by
        case.save()
        ProcedureStep.objects.create(
            case=case,
            action=action,
            role=role,
            on=on,
            comment=comment,
            attachment=attachment or "",
            by=by,
        )
        if after.stage == procedure.Stage.ANNOUNCED:
            household.status = ANNOUNCED_STATUS[case.kind]
            if case.kind == "entry":
                household.identified_year = on.year
            else:
                household.exit_year = on.year
            household._history_user = by
            household.save(update_fields=["status", "identified_year", "exit_year", "updated"])
            households_changed.send(sender=Household, villages=[household.village_id])
    return case


def close_due_notices(*, today: date) -> int:
    """Close every public notice whose days have passed and has no pending objection, as the
    township would; the step names no person. Returns how many were closed."""
    closed = 0
    for case in ProcedureCase.objects.filter(
        stage__in=[s.value for s in procedure.NOTICES], paused=False
    ):
        if procedure.due_transitions(_core(case), today):
            _take(
                case,
                procedure.Action.CLOSE_NOTICE.value,
                role="township",
                on=today,
                comment=str(AUTO_CLOSED),
            )
            closed += 1
    return closed


AUTO_CLOSED = gettext_lazy("closed automatically: the notice period ended without objection")
