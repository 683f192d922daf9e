"""The pure screening core: which rules a household's department records meet."""

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from aidbridge.monitoring.criteria import Criteria
from aidbridge.monitoring.screening import EVENTS, RULES, Record, screen

TODAY = date(2026, 6, 30)
records = st.lists(
    st.builds(
        Record,
        key=st.uuids(),
        source=st.sampled_from(sorted(EVENTS)),
        event=st.sampled_from(sorted({e for events in EVENTS.values() for e in events})),
        amount=st.integers(0, 10**9),
        on=st.dates(TODAY - timedelta(days=800), TODAY + timedelta(days=30)),
    ),
    max_size=12,
)
criterias = st.builds(
    Criteria,
    medical_share=st.sampled_from([0.1, 0.3, 0.5, 1.0, 2.5]),
    education_share=st.sampled_from([0.2, 0.3, 0.75]),
    disaster_share=st.sampled_from([0.3, 0.45]),
    window_days=st.integers(1, 730),
)
incomes = st.one_of(st.none(), st.integers(0, 10**9))


def expected(found, income, criteria):
    """The rules' definition written out again, naively, with exact fractions."""
    window = [r for r in found if TODAY - timedelta(days=criteria.window_days) < r.on <= TODAY]
    rules = {}
    for rule, (source, events, share) in RULES.items():
        behind = [r for r in window if r.source == source and r.event in events]
        total = sum(r.amount for r in behind)
        if behind and (
            share is None
            or total > Fraction(str(getattr(criteria, share))) * (income or 0)
            and total > 0
        ):
            rules[rule] = {r.key for r in behind}
    return rules


@given(records, incomes, criterias)
def test_it_meets_exactly_the_rules_as_defined(found, income, criteria):
    hits = screen(found, income, criteria, TODAY)
    assert {h.rule: set(h.records) for h in hits} == expected(found, income, criteria)
    assert all(h.source == RULES[h.rule][0] for h in hits)


@given(records, incomes, criterias, st.randoms())
def test_the_order_of_the_records_does_not_matter(found, income, criteria, random):
    shuffled = list(found)
    random.shuffle(shuffled)
    assert screen(found, income, criteria, TODAY) == screen(shuffled, income, criteria, TODAY)


def test_a_share_is_strictly_above_and_old_records_do_not_count():
    criteria = Criteria(medical_share=0.5, window_days=365)
    at = [Record(1, "medical", "out_of_pocket", 500_000, date(2026, 3, 1))]
    above = [*at, Record(2, "medical", "out_of_pocket", 1, date(2026, 3, 2))]
    old = [*at, Record(3, "medical", "out_of_pocket", 10**8, date(2025, 6, 30))]
    assert screen(at, 1_000_000, criteria, TODAY) == []
    assert [h.records for h in screen(above, 1_000_000, criteria, TODAY)] == [(1, 2)]
    assert screen(old, 1_000_000, criteria, TODAY) == []
    assert [h.rule for h in screen(at, None, criteria, TODAY)] == ["medical_share"]


def test_a_damaged_house_meets_its_rule_whatever_the_amount():
    damaged = [Record("a", "disaster", "house_damaged", 0, date(2026, 5, 1))]
    assert [h.rule for h in screen(damaged, 10**7, Criteria(), TODAY)] == ["house_damaged"]
    granted = [Record("b", "civil_affairs", "allowance_granted", 0, date(2026, 5, 1))]
    assert screen(granted, 0, Criteria(), TODAY) == []
