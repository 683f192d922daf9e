"""The need state machine: every status with every action, every review configuration walked
to publication, rejection at each level, bad configurations, and the claim figures."""

from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.needs.lifecycle import (
    CLAIMABLE,
    IN_REVIEW,
    LEVELS,
    OPEN,
    PUBLIC,
    TERMINAL,
    Refused,
    Status,
    check_levels,
    claim_status,
    close,
    expire,
    pending_level,
    review,
    submit,
    withdraw,
)

S = Status
# Every allowed configuration: each non-empty subset of the levels, in their order.
CONFIGS = [c for n in range(1, len(LEVELS) + 1) for c in combinations(LEVELS, n)]
REASON = "the household moved away"

# Each action as a function of the status alone (reviews against all three levels), with
# the code it is refused with.
ACTIONS = {
    "submit": (submit, "not_draft"),
    "withdraw": (lambda s: withdraw(s, 0), "cannot_withdraw"),
    "withdraw_claimed": (lambda s: withdraw(s, 1), "cannot_withdraw"),
    "expire": (lambda s: expire(s, 0), "cannot_expire"),
    "expire_claimed": (lambda s: expire(s, 5), "cannot_expire"),
    "close": (close, "not_fulfilled"),
    **{
        f"approve_{lv}": (lambda s, lv=lv: review(s, lv, True, LEVELS), "not_pending_here")
        for lv in LEVELS
    },
    **{
        f"reject_{lv}": (lambda s, lv=lv: review(s, lv, False, LEVELS, REASON), "not_pending_here")
        for lv in LEVELS
    },
}
# The only (status, action) pairs that succeed, and where they lead.
ALLOWED = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    **{
        (s, "withdraw"): S.WITHDRAWN
        for s in (
            S.DRAFT,
            S.SUBMITTED,
            S.TOWNSHIP_REVIEWED,
            S.COUNTY_REVIEWED,
            S.PUBLISHED,
            S.PARTLY_CLAIMED,
        )
    },
    (S.PUBLISHED, "expire"): S.EXPIRED,
    (S.FULFILLED, "close"): S.CLOSED,
    (S.SUBMITTED, "approve_township"): S.TOWNSHIP_REVIEWED,
    (S.TOWNSHIP_REVIEWED, "approve_county"): S.COUNTY_REVIEWED,
    (S.COUNTY_REVIEWED, "approve_city"): S.PUBLISHED,
    (S.SUBMITTED, "reject_township"): S.REJECTED,
    (S.TOWNSHIP_REVIEWED, "reject_county"): S.REJECTED,
    (S.COUNTY_REVIEWED, "reject_city"): S.REJECTED,
}


def refused(code, step, *args, **kwargs):
    with pytest.raises(Refused) as info:
        step(*args, **kwargs)
    assert info.value.code == code
    assert str(info.value) == code
    return info.value


@pytest.mark.parametrize(("status", "action"), list(product(Status, ACTIONS)))
def test_every_status_with_every_action(status, action):
    step, code = ACTIONS[action]
    if (status, action) in ALLOWED:
        after = step(status)
        assert after == ALLOWED[status, action] and type(after) is Status
        assert step(status.value) == after  # plain strings, as stored, work alike
    else:
        refused(code, step, status)
        refused(code, step, status.value)


def test_the_allowed_table_names_real_actions():
    assert {action for _, action in ALLOWED} <= set(ACTIONS)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_unknown_statuses_are_refused(action):
    step, code = ACTIONS[action]
    for status in ("", "bogus", "PUBLISHED", "city_reviewed"):
        refused(code, step, status)


@pytest.mark.parametrize("status", sorted(TERMINAL))
def test_terminal_statuses_allow_nothing(status):
    assert not [a for s, a in ALLOWED if s == status]
    for config in CONFIGS:
        assert pending_level(status, config) is None


def test_status_groups():
    assert IN_REVIEW == {S.SUBMITTED, S.TOWNSHIP_REVIEWED, S.COUNTY_REVIEWED}
    assert CLAIMABLE == {S.PUBLISHED, S.PARTLY_CLAIMED}
    assert CLAIMABLE <= PUBLIC & OPEN
    assert not PUBLIC & IN_REVIEW and not PUBLIC & {S.DRAFT, S.REJECTED, S.WITHDRAWN, S.EXPIRED}
    assert not OPEN & TERMINAL
    # Every status is open, terminal, or fulfilled (help given, not yet closed).
    assert OPEN | TERMINAL | {S.FULFILLED} == set(Status)
    assert len(OPEN) + len(TERMINAL) + 1 == len(Status)


def test_configurations_are_the_seven_ordered_subsets():
    assert len(CONFIGS) == 7
    assert ("township", "county", "city") in CONFIGS and ("county", "township") not in CONFIGS


@pytest.mark.parametrize("levels", CONFIGS, ids="-".join)
def test_every_configuration_walks_from_submitted_to_published(levels):
    status = submit(S.DRAFT)
    visited = [status]
    for n, level in enumerate(levels):
        assert status in IN_REVIEW
        assert pending_level(status, levels) == level
        assert pending_level(status.value, list(levels)) == level
        for other in set(LEVELS) - {level}:
            refused("not_pending_here", review, status, other, True, levels)
            refused("not_pending_here", review, status, other, False, levels, REASON)
        status = review(status, level, True, levels)
        last = n == len(levels) - 1
        assert status == (S.PUBLISHED if last else S(f"{level}_reviewed"))
        visited.append(status)
    assert status == S.PUBLISHED and status in CLAIMABLE
    assert pending_level(status, levels) is None
    for level in LEVELS:
        refused("not_pending_here", review, status, level, True, levels)
    assert len(visited) == len(levels) + 1 and len(set(visited)) == len(visited)
    # The walk never passes through a level's status that is not configured.
    assert {s for s in visited if s.endswith("_reviewed")} == {
        S(f"{lv}_reviewed") for lv in levels[:-1]
    }


def _walk_to(levels, n):
    """The status of a need the first ``n`` configured levels approved."""
    status = submit(S.DRAFT)
    for level in levels[:n]:
        status = review(status, level, True, levels)
    return status


@pytest.mark.parametrize(
    ("levels", "n"),
    [(c, n) for c in CONFIGS for n in range(len(c))],
    ids=lambda v: "-".join(v) if isinstance(v, tuple) else str(v),
)
def test_rejection_at_every_pending_level_needs_a_reason(levels, n):
    status, level = _walk_to(levels, n), levels[n]
    assert pending_level(status, levels) == level
    for blank in ("", " ", "\n\t  "):
        refused("reason_required", review, status, level, False, levels, blank)
    refused("reason_required", review, status, level, False, levels)  # default reason
    # The level is checked first: the wrong level is refused as such, reason or not.
    for other in set(LEVELS) - {level}:
        refused("not_pending_here", review, status, other, False, levels, "")
    assert review(status, level, False, levels, REASON) == S.REJECTED
    assert review(status, level, False, levels, "  x  ") == S.REJECTED
    # Approval needs no reason.
    assert review(status, level, True, levels, "") != S.REJECTED


@pytest.mark.parametrize("levels", CONFIGS, ids="-".join)
@pytest.mark.parametrize("status", sorted(set(Status) - IN_REVIEW))
def test_nothing_is_pending_outside_review(levels, status):
    assert pending_level(status, levels) is None
    for level in (*LEVELS, None, ""):
        refused("not_pending_here", review, status, level, True, levels)
        refused("not_pending_here", review, status, level, False, levels, REASON)


@pytest.mark.parametrize("status", sorted(IN_REVIEW))
def test_a_missing_level_is_never_pending(status):
    for levels in CONFIGS:
        for approve in (True, False):
            refused("not_pending_here", review, status, None, approve, levels, REASON)


@pytest.mark.parametrize("levels", CONFIGS, ids="-".join)
def test_pending_level_after_each_review_status(levels):
    """A need reviewed at a level waits for the next configured level after it (also when
    the configuration changed under it)."""
    for done in ("township", "county"):
        later = [lv for lv in levels if LEVELS.index(lv) > LEVELS.index(done)]
        expected = later[0] if later else None
        assert pending_level(S(f"{done}_reviewed"), levels) == expected
        if expected is None:
            for level in LEVELS:
                refused("not_pending_here", review, S(f"{done}_reviewed"), level, True, levels)
    assert pending_level(S.SUBMITTED, levels) == levels[0]


def test_check_levels_accepts_exactly_the_ordered_subsets():
    words = (*LEVELS, "village")
    for n in range(len(words) + 1):
        for levels in product(words, repeat=n):
            if levels in CONFIGS:
                assert check_levels(levels) == levels
                assert check_levels(list(levels)) == levels
                assert check_levels(iter(levels)) == levels
            else:
                with pytest.raises(ValueError, match="ordered subset"):
                    check_levels(levels)


@pytest.mark.parametrize(
    "levels",
    [
        (),
        [],
        ("township", "township"),
        ("county", "township"),
        ("city", "county", "township"),
        ("township", "city", "county"),
        ("village",),
        ("Township",),
        ("township", "province"),
        "township",
        ("township", "county", "city", "city"),
        (None,),
    ],
)
def test_check_levels_refuses_bad_configurations(levels):
    with pytest.raises(ValueError, match="ordered subset"):
        check_levels(levels)
    with pytest.raises(ValueError):
        pending_level(S.SUBMITTED, levels)
    with pytest.raises(ValueError):
        review(S.SUBMITTED, "township", True, levels)


# Claim figures -------------------------------------------------------------------------------

ORDER = [S.PUBLISHED, S.PARTLY_CLAIMED, S.FULLY_CLAIMED, S.IN_DELIVERY, S.FULFILLED]


def expected_status(amount, claimed, delivered, confirmed):
    if confirmed == amount:
        return S.FULFILLED
    if claimed == 0:
        return S.PUBLISHED
    if claimed < amount:
        return S.PARTLY_CLAIMED
    return S.IN_DELIVERY if delivered else S.FULLY_CLAIMED


def test_claim_status_for_every_small_combination():
    seen = set()
    for amount, claimed, delivered, confirmed in product(range(-1, 5), repeat=4):
        figures = (amount, claimed, delivered, confirmed)
        if amount > 0 and 0 <= confirmed <= delivered <= claimed <= amount:
            status = claim_status(*figures)
            assert status == expected_status(*figures), figures
            seen.add(status)
        else:
            with pytest.raises(ValueError, match="out of order"):
                claim_status(*figures)
    assert seen == set(ORDER)


@pytest.mark.parametrize(
    ("figures", "status"),
    [
        ((10, 0, 0, 0), S.PUBLISHED),
        ((10, 1, 0, 0), S.PARTLY_CLAIMED),
        ((10, 9, 9, 9), S.PARTLY_CLAIMED),  # delivered and confirmed, but still open to claims
        ((10, 10, 0, 0), S.FULLY_CLAIMED),
        ((10, 10, 1, 0), S.IN_DELIVERY),
        ((10, 10, 10, 9), S.IN_DELIVERY),
        ((10, 10, 10, 10), S.FULFILLED),
        ((1, 1, 1, 1), S.FULFILLED),
    ],
)
def test_claim_status_examples(figures, status):
    assert claim_status(*figures) == status


@pytest.mark.parametrize(
    "figures",
    [
        (0, 0, 0, 0),
        (-5, 0, 0, 0),
        (10, 11, 0, 0),
        (10, 5, 6, 0),
        (10, 5, 5, 6),
        (10, -1, 0, 0),
        (10, 5, -1, 0),
        (10, 5, 5, -1),
        (10, 10, 10, 11),
    ],
)
def test_claim_status_refuses_figures_out_of_order(figures):
    with pytest.raises(ValueError, match="out of order"):
        claim_status(*figures)


@st.composite
def ordered_figures(draw):
    amount = draw(st.integers(1, 10**7))
    claimed = draw(st.integers(0, amount) | st.sampled_from([0, amount]))
    delivered = draw(st.integers(0, claimed) | st.sampled_from([0, claimed]))
    confirmed = draw(st.integers(0, delivered) | st.sampled_from([0, delivered]))
    return amount, claimed, delivered, confirmed


@settings(max_examples=500)
@given(ordered_figures())
def test_claim_status_properties(figures):
    amount, claimed, delivered, confirmed = figures
    status = claim_status(*figures)
    assert status in ORDER and status in PUBLIC and status not in TERMINAL
    assert (status == S.FULFILLED) == (confirmed == amount)
    if claimed < amount:
        assert status in CLAIMABLE
    else:
        assert status not in CLAIMABLE
    assert (status == S.PUBLISHED) == (claimed == 0)
    assert (status == S.IN_DELIVERY) == (claimed == amount and delivered > 0 and confirmed < amount)
    assert status == expected_status(*figures)


@settings(max_examples=500)
@given(
    ordered_figures(), st.sampled_from(["claimed", "delivered", "confirmed"]), st.integers(1, 10**7)
)
def test_claim_status_never_goes_back_as_figures_grow(figures, which, more):
    """Raising a figure (the others raised as needed to stay in order) never moves the need
    back along published -> partly -> fully -> in delivery -> fulfilled."""
    amount, claimed, delivered, confirmed = figures
    if which == "confirmed":
        confirmed = min(amount, confirmed + more)
        delivered, claimed = max(delivered, confirmed), max(claimed, confirmed)
    elif which == "delivered":
        delivered = min(amount, delivered + more)
        claimed = max(claimed, delivered)
    else:
        claimed = min(amount, claimed + more)
    after = claim_status(amount, claimed, delivered, confirmed)
    assert ORDER.index(after) >= ORDER.index(claim_status(*figures))


@settings(max_examples=500)
@given(st.lists(st.integers(-3, 30), min_size=4, max_size=4))
def test_claim_status_raises_exactly_when_figures_are_out_of_order(figures):
    amount, claimed, delivered, confirmed = figures
    if amount > 0 and 0 <= confirmed <= delivered <= claimed <= amount:
        assert claim_status(*figures) == expected_status(*figures)
    else:
        with pytest.raises(ValueError):
            claim_status(*figures)


@given(ordered_figures())
def test_claimed_needs_cannot_be_withdrawn_or_expire(figures):
    status = claim_status(*figures)
    claimed = figures[1]
    if claimed:
        refused("cannot_withdraw", withdraw, status, claimed)
        refused("cannot_expire", expire, status, claimed)
    else:
        assert withdraw(status, 0) == S.WITHDRAWN
        assert expire(status, 0) == S.EXPIRED
