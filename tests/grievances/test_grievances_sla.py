"""The grievance clock (grievances.sla), without a database."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aidbridge.grievances import sla

starts = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1))
working = st.builds(sla.Limit, st.integers(1, 30), st.just(sla.WORKING_DAYS))
hours = st.builds(sla.Limit, st.integers(1, 500), st.just(sla.HOURS))


def test_defaults_as_practised():
    assert sla.limit_for("other", "critical") == sla.Limit(24, sla.HOURS)
    assert sla.limit_for("other", "high") == sla.Limit(3, sla.WORKING_DAYS)
    assert sla.limit_for("other", "medium") == sla.Limit(7, sla.WORKING_DAYS)
    assert sla.limit_for("other", "low") == sla.Limit(14, sla.WORKING_DAYS)


def test_a_category_may_set_its_own_limit():
    own = {"misuse_of_funds": {"high": sla.Limit(2, sla.WORKING_DAYS)}}
    assert sla.limit_for("misuse_of_funds", "high", None, own) == sla.Limit(2, sla.WORKING_DAYS)
    assert sla.limit_for("misuse_of_funds", "low", None, own) == sla.Limit(14, sla.WORKING_DAYS)
    assert sla.limit_for("other", "high", None, own) == sla.Limit(3, sla.WORKING_DAYS)


def test_three_working_days_from_a_friday_end_on_wednesday():
    friday = datetime(2026, 12, 4, 10, 0)
    assert sla.due_at(friday, sla.Limit(3, sla.WORKING_DAYS)) == datetime(2026, 12, 9, 10, 0)


def test_a_weekend_start_counts_from_monday():
    saturday = datetime(2026, 12, 5, 15, 0)
    assert sla.due_at(saturday, sla.Limit(1, sla.WORKING_DAYS)) == datetime(2026, 12, 8, 0, 0)


def test_limits_parse_and_refuse():
    assert sla.parse_limit("24h") == sla.Limit(24, sla.HOURS)
    assert sla.parse_limit(" 3D ") == sla.Limit(3, sla.WORKING_DAYS)
    for bad in ("", "3", "h", "0d", "-1h", "3w"):
        with pytest.raises(ValueError):
            sla.parse_limit(bad)


@given(starts, working)
def test_working_days_skip_weekends(start, limit):
    due = sla.due_at(start, limit)
    assert sla.is_working_day(due)
    days = (due.date() - start.date()).days
    if sla.is_working_day(start):  # the same time of day, that many working days later
        after = range(1, days + 1)
        assert due.time() == start.time()
    else:  # whole working days from the next Monday on: due at the midnight after the last
        after = range(1, days)
        assert due.time() == datetime.min.time()
    counted = sum(sla.is_working_day(start.date() + timedelta(days=d)) for d in after)
    assert counted == limit.amount
    # never shorter than the limit in calendar days, never more than two weekends a week longer
    assert limit.amount <= days <= limit.amount + 2 * (limit.amount // 5 + 1) + 1


@given(starts, hours)
def test_hours_are_on_the_clock(start, limit):
    assert sla.due_at(start, limit) - start == timedelta(hours=limit.amount)


@given(starts, st.one_of(hours, working), st.floats(0, 1))
def test_the_clock_moves_ok_then_at_risk_then_overdue(start, limit, share):
    due = sla.due_at(start, limit)
    now = start + (due - start) * share
    state = sla.clock(start, due, now)
    if now >= due:
        assert state == sla.Clock.OVERDUE
    elif due - now < (due - start) / 4:
        assert state == sla.Clock.AT_RISK
    else:
        assert state == sla.Clock.OK
    assert sla.clock(start, due, due) == sla.Clock.OVERDUE
    assert sla.clock(start, due, start) == sla.Clock.OK


@given(st.sampled_from(["child_abuse", "violence"]), starts)
def test_abuse_of_a_child_and_violence_escalate_at_once(category, now):
    assert sla.escalates_at_once(category, [], now)


@given(
    starts,
    st.lists(st.integers(0, 400), max_size=6),
)
def test_the_third_complaint_within_six_months_escalates(now, days_ago):
    earlier = [now - timedelta(days=d) for d in days_ago]
    recent = sum(d <= sla.REPEAT_DAYS for d in days_ago)
    assert sla.escalates_at_once("other", earlier, now) == (recent >= 2)
