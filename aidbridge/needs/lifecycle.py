"""The life of a need, as pure functions (no Django).

    draft -> submitted -> [township_reviewed] -> [county_reviewed] -> published
    published -> partly_claimed -> fully_claimed -> in_delivery -> fulfilled -> closed

Which levels review is configuration: an ordered subset of ("township", "county", "city").
After the last level approves, the need is published. Any review may reject it (with a
reason). The filer may withdraw it until someone has claimed it. A published need nobody has
claimed expires after its deadline. Once published, the status follows the claim figures
(``claim_status``): a need stays open to claims until it is fully claimed.
"""

from enum import StrEnum

LEVELS = ("township", "county", "city")


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    TOWNSHIP_REVIEWED = "township_reviewed"
    COUNTY_REVIEWED = "county_reviewed"
    PUBLISHED = "published"
    PARTLY_CLAIMED = "partly_claimed"
    FULLY_CLAIMED = "fully_claimed"
    IN_DELIVERY = "in_delivery"
    FULFILLED = "fulfilled"
    CLOSED = "closed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


IN_REVIEW = frozenset({Status.SUBMITTED, Status.TOWNSHIP_REVIEWED, Status.COUNTY_REVIEWED})
# Visible to helpers and the public.
PUBLIC = frozenset(
    {
        Status.PUBLISHED,
        Status.PARTLY_CLAIMED,
        Status.FULLY_CLAIMED,
        Status.IN_DELIVERY,
        Status.FULFILLED,
        Status.CLOSED,
    }
)
CLAIMABLE = frozenset({Status.PUBLISHED, Status.PARTLY_CLAIMED})
# Still asking for or receiving help: a second need of the same beneficiary and category is
# a duplicate while one of these is open.
OPEN = frozenset(
    {
        Status.DRAFT,
        *IN_REVIEW,
        Status.PUBLISHED,
        Status.PARTLY_CLAIMED,
        Status.FULLY_CLAIMED,
        Status.IN_DELIVERY,
    }
)
TERMINAL = frozenset({Status.CLOSED, Status.REJECTED, Status.WITHDRAWN, Status.EXPIRED})


class Refused(Exception):
    """The step is not possible; ``code`` says why."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def check_levels(levels) -> tuple[str, ...]:
    levels = tuple(levels)
    if (
        not levels
        or any(lv not in LEVELS for lv in levels)
        or list(levels) != sorted(set(levels), key=LEVELS.index)
    ):
        raise ValueError(f"review levels must be an ordered subset of {LEVELS}: {levels}")
    return levels


def pending_level(status: str, levels) -> str | None:
    """The level whose review the need waits for, or None."""
    levels = check_levels(levels)
    if status == Status.SUBMITTED:
        return levels[0]
    if status in (Status.TOWNSHIP_REVIEWED, Status.COUNTY_REVIEWED):
        done = status.removesuffix("_reviewed")
        later = [lv for lv in levels if LEVELS.index(lv) > LEVELS.index(done)]
        return later[0] if later else None
    return None


def submit(status: str) -> Status:
    if status != Status.DRAFT:
        raise Refused("not_draft")
    return Status.SUBMITTED


def review(status: str, level: str, approve: bool, levels, reason: str = "") -> Status:
    """The status after ``level`` approves or rejects."""
    pending = pending_level(status, levels)
    if pending is None or pending != level:  # None: not in review, whatever level is given
        raise Refused("not_pending_here")
    if not approve:
        if not reason.strip():
            raise Refused("reason_required")
        return Status.REJECTED
    levels = check_levels(levels)
    if level == levels[-1]:
        return Status.PUBLISHED
    return Status(f"{level}_reviewed")


def withdraw(status: str, claimed: int) -> Status:
    if status not in {Status.DRAFT, *IN_REVIEW, *CLAIMABLE} or claimed > 0:
        raise Refused("cannot_withdraw")
    return Status.WITHDRAWN


def expire(status: str, claimed: int) -> Status:
    if status != Status.PUBLISHED or claimed > 0:
        raise Refused("cannot_expire")
    return Status.EXPIRED


def close(status: str) -> Status:
    if status != Status.FULFILLED:
        raise Refused("not_fulfilled")
    return Status.CLOSED


def claim_status(amount: int, claimed: int, delivered: int, confirmed: int) -> Status:
    """The status of a published need from its figures (all in the need's unit)."""
    if not 0 <= confirmed <= delivered <= claimed <= amount or amount <= 0:
        raise ValueError("need figures out of order")
    if confirmed == amount:
        return Status.FULFILLED
    if claimed < amount:  # still open to claims, whatever has been delivered
        return Status.PARTLY_CLAIMED if claimed else Status.PUBLISHED
    return Status.IN_DELIVERY if delivered else Status.FULLY_CLAIMED
