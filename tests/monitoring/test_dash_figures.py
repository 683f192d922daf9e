"""The dashboards' arithmetic (monitoring.figures): counts summed per child region, and the
days from a lead to its decision."""

import statistics

from hypothesis import given
from hypothesis import strategies as st

from aidbridge.monitoring.figures import child_of, durations, roll_up


def test_rows_are_summed_per_child_and_in_total():
    rows = [
        ("/51/5134/513422/513422100/513422100001/", {"open": 2, "overdue": 1}),
        ("/51/5134/513422/513422100/513422100200/", {"open": 1}),
        ("/51/5134/513422/513422101/513422101200/", {"open": 4}),
        ("/51/5134/513422/", {"open": 7}),  # the region itself: in the total only
    ]
    totals, children = roll_up(rows, depth=3)
    assert totals == {"open": 14, "overdue": 1}
    assert children == {"513422100": {"open": 3, "overdue": 1}, "513422101": {"open": 4}}
    assert child_of("/51/5134/", 2) is None and child_of("/51/5134/", 1) == "5134"


def test_no_decision_gives_no_mean_or_median():
    found = durations([])
    assert (found.count, found.mean, found.median, found.within_share) == (0, None, None, None)


def test_days_are_counted_per_lead_and_a_decision_before_its_lead_is_zero_days():
    found = durations([(10, 3), (20, 1), (-2, 1)], deadline_days=15)
    assert found.count == 5 and found.within == 4
    assert found.mean == (30 + 20 + 0) / 5 and found.median == 10


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 4)), min_size=1, max_size=30))
def test_mean_and_median_match_the_listed_days(spans):
    days = [d for d, n in spans for _ in range(n)]
    found = durations(spans)
    assert found.count == len(days)
    assert abs(found.mean - statistics.mean(days)) < 1e-9
    assert found.median == statistics.median(days)
    assert found.within == sum(1 for d in days if d <= 15)
