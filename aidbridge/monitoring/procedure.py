"""The monitoring procedure as a state machine, for a lead (to be monitored) and for a risk
elimination alike.

No Django here: the services store a case's fields, call ``apply`` and save what it returns.

    visit (the clerk's home visit, with the household's signed consent)
    -> village review (clerk) -> public notice of at least 5 days (the clerk starts it;
    the township, or the daily job, closes it once its days have passed)
    -> township check -> county approval

Rules the table below does not show by itself:

* Reject is allowed at every step to the role whose step it is, and needs a reason.
* A case must be decided within ``DECIDE_DAYS`` days of its opening (``decide_by``); each step
  has its own due date (``step_due``): ``STEP_DAYS`` after it was reached, never after
  ``decide_by``; a running notice is due on the first day it may be closed.
* A step that is overdue (``step_due`` before today) is escalated to the next level
  (``escalated_to``): that level may then take the step too. Taking the step ends it.
* Roles are plain strings (``clerk``, ``township``, ``county``, ``city``); whether a user's
  region holds the case is for the services to check.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from aidbridge.errors import AidBridgeError

DECIDE_DAYS = 15
MIN_NOTICE_DAYS = 5
# Days each step may take; with a five-day notice they add up to the fifteen of DECIDE_DAYS.
STEP_DAYS = {
    "visit": 3,
    "village_review": 2,
    "notice": 1,  # to start the notice once the review passed
    "township_check": 2,
    "county_approval": 2,
}
# Who takes the next step when a level's step is overdue.
NEXT_LEVEL = {"clerk": "township", "township": "county", "county": "city"}


class Stage(StrEnum):
    VISIT = "visit"
    VILLAGE_REVIEW = "village_review"
    NOTICE = "notice"
    TOWNSHIP_CHECK = "township_check"
    COUNTY_APPROVAL = "county_approval"


class Status(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"


class Action(StrEnum):
    VISIT = "visit"  # the home visit with signed consent was made
    REVIEW = "review"  # the village review passed
    START_NOTICE = "start_notice"
    CLOSE_NOTICE = "close_notice"
    CHECK = "check"  # the township's check passed
    APPROVE = "approve"  # the county approves
    REJECT = "reject"


# (stage, action) -> (next stage or None for a decision, owner role)
_FORWARD = {
    (Stage.VISIT, Action.VISIT): (Stage.VILLAGE_REVIEW, "clerk"),
    (Stage.VILLAGE_REVIEW, Action.REVIEW): (Stage.NOTICE, "clerk"),
    (Stage.NOTICE, Action.START_NOTICE): (Stage.NOTICE, "clerk"),
    (Stage.NOTICE, Action.CLOSE_NOTICE): (Stage.TOWNSHIP_CHECK, "township"),
    (Stage.TOWNSHIP_CHECK, Action.CHECK): (Stage.COUNTY_APPROVAL, "township"),
    (Stage.COUNTY_APPROVAL, Action.APPROVE): (None, "county"),
}


class ProcedureError(AidBridgeError):
    """A refused step: ``code`` (see ``apply``) and ``params`` for the message."""

    def __init__(self, code: str, params: dict | None = None):
        self.code, self.params = code, params or {}
        super().__init__(f"{code} {self.params}")


@dataclass(frozen=True)
class Case:
    """Where a lead or an elimination stands. ``notice_started`` is set once the notice runs
    and kept afterwards (the record of when it ran)."""

    opened_on: date
    stage: Stage = Stage.VISIT
    status: Status = Status.OPEN
    notice_started: date | None = None
    notice_days: int = MIN_NOTICE_DAYS
    escalated_to: str = ""
    decided_on: date | None = None

    def __post_init__(self):
        object.__setattr__(self, "stage", Stage(self.stage))
        object.__setattr__(self, "status", Status(self.status))
        if self.notice_days < MIN_NOTICE_DAYS:
            raise ValueError(f"a notice runs at least {MIN_NOTICE_DAYS} days")
        if (self.status == Status.OPEN) != (self.decided_on is None):
            raise ValueError("decided_on is set exactly when the case is decided")

    @property
    def decide_by(self) -> date:
        return self.opened_on + timedelta(days=DECIDE_DAYS)

    @property
    def notice_running(self) -> bool:
        return self.stage == Stage.NOTICE and self.notice_started is not None

    @property
    def notice_ends(self) -> date | None:
        """The first day the notice may be closed (after its days have passed)."""
        if self.notice_started is None:
            return None
        return self.notice_started + timedelta(days=self.notice_days)

    @property
    def owner(self) -> str:
        """The role whose step the open case waits for ("" once decided)."""
        if self.status != Status.OPEN:
            return ""
        if self.stage == Stage.NOTICE:
            return "township" if self.notice_running else "clerk"
        return {
            Stage.VISIT: "clerk",
            Stage.VILLAGE_REVIEW: "clerk",
            Stage.TOWNSHIP_CHECK: "township",
            Stage.COUNTY_APPROVAL: "county",
        }[self.stage]

    def roles(self) -> frozenset[str]:
        """Who may act now: the step's owner, and the level an overdue step went to."""
        return frozenset(r for r in (self.owner, self.escalated_to) if r)


def step_due(case: Case, reached_on: date) -> date | None:
    """When the step the case waits for is due, reached on ``reached_on``."""
    if case.status != Status.OPEN:
        return None
    if case.notice_running:
        return case.notice_ends
    return min(reached_on + timedelta(days=STEP_DAYS[case.stage]), case.decide_by)


def _refusal(case: Case, action: Action, role: str, on: date) -> ProcedureError | None:
    if case.status != Status.OPEN:
        return ProcedureError("decided", {"status": case.status})
    if action == Action.REJECT:
        pass
    elif (case.stage, action) not in _FORWARD:
        return ProcedureError("not_allowed_now", {"stage": case.stage, "action": action})
    elif action == Action.START_NOTICE and case.notice_running:
        return ProcedureError("not_allowed_now", {"stage": case.stage, "action": action})
    elif action == Action.CLOSE_NOTICE and not case.notice_running:
        return ProcedureError("notice_not_started", {})
    if role not in case.roles():
        return ProcedureError(
            "wrong_role", {"action": action, "role": role, "allowed": sorted(case.roles())}
        )
    if action == Action.CLOSE_NOTICE and on < case.notice_ends:
        return ProcedureError("notice_not_over", {"ends": case.notice_ends})
    if on < case.opened_on:
        return ProcedureError("before_opened", {"opened": case.opened_on})
    return None


def apply(case: Case, action: Action, *, role: str, on: date, comment: str = "") -> Case:
    """Take one step; return the new Case or raise ProcedureError.

    Codes, checked in this order: decided, not_allowed_now, notice_not_started, wrong_role,
    notice_not_over, before_opened, comment_required.
    """
    action = Action(action)
    refusal = _refusal(case, action, role, on)
    if refusal is not None:
        raise refusal
    if action == Action.REJECT:
        if not comment.strip():
            raise ProcedureError("comment_required", {"action": action})
        return replace(case, status=Status.REJECTED, decided_on=on, escalated_to="")
    stage, _owner = _FORWARD[case.stage, action]
    if stage is None:
        return replace(case, status=Status.APPROVED, decided_on=on, escalated_to="")
    started = on if action == Action.START_NOTICE else case.notice_started
    return replace(case, stage=stage, notice_started=started, escalated_to="")


def allowed_actions(case: Case, role: str, today: date) -> list[Action]:
    """What ``role`` may do to ``case`` today (the reason of a rejection aside), for the UI."""
    return [action for action in Action if _refusal(case, action, role, today) is None]


def notice_due(case: Case, today: date) -> bool:
    """Whether the daily job closes the case's notice today (its days have passed)."""
    return case.status == Status.OPEN and case.notice_running and today >= case.notice_ends


def escalation(case: Case, due: date | None, today: date) -> str:
    """The level an overdue step goes to ("" if it is not overdue or already went there)."""
    if case.status != Status.OPEN or due is None or due >= today:
        return ""
    level = NEXT_LEVEL.get(case.owner, "")
    return "" if level == case.escalated_to else level


def waits_for(case: Case, role: str) -> bool:
    """Whether an open case waits for a step of ``role`` (its owner or the escalated level)."""
    return case.status == Status.OPEN and role in case.roles()
