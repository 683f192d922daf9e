"""The entry and exit procedure of the registry as a state machine.

No Django here: the web side stores a Case, calls ``apply`` and saves the Case it returns.
Entering the registry and exiting it follow the same steps:

    application -> village democratic appraisal -> first public notice -> township review
    -> second public notice -> county approval -> announcement

Rules the table below does not show by itself:

* A public notice of N days (``Case.notice_days``, default 7) started on day D may be closed
  from day D + N on, by the township officer or by a daily job that applies
  ``due_transitions``.
* An objection pauses the notice; nothing closes it until the township officer resolves the
  objection. Upheld, the case is rejected. Dismissed, the notice restarts for its full N
  days from the day of dismissal. One objection is pending at a time: objecting to a paused
  notice is refused.
* Reject, object and uphold_objection need a comment (the reason). A failed village
  appraisal is recorded as the clerk rejecting the application.
* The applicant may withdraw (recorded by the village clerk) until county approval.
* Roles are plain strings and the table is the whole truth: ``admin`` is in no row, so it
  may not drive a case. Whether a user's region lies on the case's region chain (needed
  to object) is for the web layer to check.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from aidbridge.errors import AidBridgeError

ROLES = ("clerk", "township", "county", "city", "province", "admin", "public")
KINDS = ("entry", "exit")


class Stage(StrEnum):
    DRAFT = "draft"
    APPLIED = "applied"  # awaits the village democratic appraisal
    APPRAISED = "appraised"  # awaits the first public notice
    FIRST_NOTICE = "first_notice"
    TOWNSHIP_REVIEW = "township_review"
    TOWNSHIP_APPROVED = "township_approved"  # awaits the second public notice
    SECOND_NOTICE = "second_notice"
    COUNTY_REVIEW = "county_review"
    APPROVED = "approved"  # by the county, awaits the announcement
    ANNOUNCED = "announced"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    APPLY = "apply"
    RECORD_APPRAISAL = "record_appraisal"  # the appraisal passed
    START_FIRST_NOTICE = "start_first_notice"
    CLOSE_NOTICE = "close_notice"
    TOWNSHIP_APPROVE = "township_approve"
    START_SECOND_NOTICE = "start_second_notice"
    COUNTY_APPROVE = "county_approve"
    ANNOUNCE = "announce"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    OBJECT = "object"
    UPHOLD_OBJECTION = "uphold_objection"
    DISMISS_OBJECTION = "dismiss_objection"


class Transition(NamedTuple):
    next: Stage
    roles: frozenset[str]
    guard: str | None = None  # "notice_over", "no_objection" or "objection_pending"


NOTICES = frozenset({Stage.FIRST_NOTICE, Stage.SECOND_NOTICE})
TERMINAL = frozenset({Stage.ANNOUNCED, Stage.REJECTED, Stage.WITHDRAWN})
BEFORE_COUNTY_APPROVAL = (
    Stage.APPLIED,
    Stage.APPRAISED,
    Stage.FIRST_NOTICE,
    Stage.TOWNSHIP_REVIEW,
    Stage.TOWNSHIP_APPROVED,
    Stage.SECOND_NOTICE,
    Stage.COUNTY_REVIEW,
)
COMMENT_REQUIRED = frozenset({Action.REJECT, Action.OBJECT, Action.UPHOLD_OBJECTION})

CLERK, TOWNSHIP, COUNTY = frozenset({"clerk"}), frozenset({"township"}), frozenset({"county"})
OBJECTORS = frozenset({"clerk", "township", "county", "city", "province"})

S, A, T = Stage, Action, Transition
TRANSITIONS: dict[tuple[Stage, Action], Transition] = {
    (S.DRAFT, A.APPLY): T(S.APPLIED, CLERK),
    (S.APPLIED, A.RECORD_APPRAISAL): T(S.APPRAISED, CLERK),
    (S.APPLIED, A.REJECT): T(S.REJECTED, CLERK),
    (S.APPRAISED, A.START_FIRST_NOTICE): T(S.FIRST_NOTICE, CLERK),
    (S.FIRST_NOTICE, A.CLOSE_NOTICE): T(S.TOWNSHIP_REVIEW, TOWNSHIP, "notice_over"),
    (S.TOWNSHIP_REVIEW, A.TOWNSHIP_APPROVE): T(S.TOWNSHIP_APPROVED, TOWNSHIP),
    (S.TOWNSHIP_REVIEW, A.REJECT): T(S.REJECTED, TOWNSHIP),
    (S.TOWNSHIP_APPROVED, A.START_SECOND_NOTICE): T(S.SECOND_NOTICE, TOWNSHIP),
    (S.SECOND_NOTICE, A.CLOSE_NOTICE): T(S.COUNTY_REVIEW, TOWNSHIP, "notice_over"),
    (S.COUNTY_REVIEW, A.COUNTY_APPROVE): T(S.APPROVED, COUNTY),
    (S.COUNTY_REVIEW, A.REJECT): T(S.REJECTED, COUNTY),
    (S.APPROVED, A.ANNOUNCE): T(S.ANNOUNCED, COUNTY),
    **{(notice, A.OBJECT): T(notice, OBJECTORS, "no_objection") for notice in NOTICES},
    **{
        (notice, A.UPHOLD_OBJECTION): T(S.REJECTED, TOWNSHIP, "objection_pending")
        for notice in NOTICES
    },
    **{
        (notice, A.DISMISS_OBJECTION): T(notice, TOWNSHIP, "objection_pending")
        for notice in NOTICES
    },
    **{(stage, A.WITHDRAW): T(S.WITHDRAWN, CLERK) for stage in BEFORE_COUNTY_APPROVAL},
}
del S, A, T


class ProcedureError(AidBridgeError):
    """A refused step: ``code`` (see ``apply``) and ``params`` for the message."""

    def __init__(self, code: str, params: dict | None = None):
        self.code, self.params = code, params or {}
        super().__init__(f"{code} {self.params}")


@dataclass(frozen=True)
class Step:
    action: Action
    role: str
    on: date
    comment: str = ""


@dataclass(frozen=True)
class Case:
    """Where an entry or exit case stands. ``notice_started`` is set exactly during a notice."""

    kind: str  # "entry" or "exit"
    stage: Stage = Stage.DRAFT
    notice_started: date | None = None
    notice_days: int = 7
    paused: bool = False  # an objection to the running notice is pending
    history: tuple[Step, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "stage", Stage(self.stage))
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if self.notice_days < 1:
            raise ValueError("notice_days must be at least 1")
        if (self.notice_started is not None) != (self.stage in NOTICES):
            raise ValueError("notice_started must be set exactly during a notice")
        if self.paused and self.stage not in NOTICES:
            raise ValueError("only a notice can be paused")

    @property
    def notice_ends(self) -> date | None:
        """The first day the running notice may be closed."""
        if self.notice_started is None:
            return None
        return self.notice_started + timedelta(days=self.notice_days)


def _guard_refusal(
    case: Case, guard: str | None, action: Action, on: date
) -> ProcedureError | None:
    if guard in ("notice_over", "no_objection") and case.paused:
        return ProcedureError("paused", {"action": action})
    if guard == "notice_over" and on < case.notice_ends:
        return ProcedureError("notice_not_over", {"ends": case.notice_ends})
    if guard == "objection_pending" and not case.paused:
        return ProcedureError("not_allowed_now", {"stage": case.stage, "action": action})
    return None


def _refusal(case: Case, action: Action, role: str, on: date) -> ProcedureError | None:
    transition = TRANSITIONS.get((case.stage, action))
    if transition is None:
        return ProcedureError("not_allowed_now", {"stage": case.stage, "action": action})
    if role not in transition.roles:
        return ProcedureError(
            "wrong_role", {"action": action, "role": role, "allowed": sorted(transition.roles)}
        )
    return _guard_refusal(case, transition.guard, action, on)


def apply(case: Case, action: Action, *, role: str, on: date, comment: str = "") -> Case:
    """Take one step; return the new Case or raise ProcedureError.

    Codes, checked in this order: not_allowed_now, wrong_role, paused, notice_not_over,
    comment_required.
    """
    action = Action(action)
    refusal = _refusal(case, action, role, on)
    if refusal is not None:
        raise refusal
    if action in COMMENT_REQUIRED and not comment.strip():
        raise ProcedureError("comment_required", {"action": action})

    stage = TRANSITIONS[case.stage, action].next
    if stage not in NOTICES:
        started = None
    elif stage != case.stage or action == Action.DISMISS_OBJECTION:
        started = on  # a notice starts, or restarts for its full length
    else:
        started = case.notice_started
    return replace(
        case,
        stage=stage,
        notice_started=started,
        paused=action == Action.OBJECT,  # every other allowed step ends a pause
        history=(*case.history, Step(action, role, on, comment)),
    )


def allowed_actions(case: Case, role: str, today: date) -> list[Action]:
    """What ``role`` may do to ``case`` today (comments aside), for the UI."""
    return [action for action in Action if _refusal(case, action, role, today) is None]


def due_transitions(case: Case, today: date) -> list[Action]:
    """Steps due by the calendar alone: closing a notice whose days have passed.

    A daily job applies them as the township officer responsible for the notice.
    """
    transition = TRANSITIONS.get((case.stage, Action.CLOSE_NOTICE))
    if transition and _guard_refusal(case, transition.guard, Action.CLOSE_NOTICE, today) is None:
        return [Action.CLOSE_NOTICE]
    return []


def waiting_stages(role: str) -> frozenset[Stage]:
    """The stages outside a notice at which a case waits for ``role`` to take the next step
    (objecting and withdrawing, which any stage allows, aside)."""
    return frozenset(
        stage
        for (stage, action), transition in TRANSITIONS.items()
        if role in transition.roles
        and action not in (Action.OBJECT, Action.WITHDRAW)
        and stage not in NOTICES
    )


def closes_notices(role: str) -> bool:
    """Whether ``role`` closes notices whose days have passed and resolves objections."""
    return role in TRANSITIONS[Stage.FIRST_NOTICE, Action.CLOSE_NOTICE].roles
