"""The false-information filters: each finding fires exactly when it should, at its
boundaries, and not otherwise."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.needs.checks import (
    AMOUNT_RANGES,
    BURST_LIMIT,
    BURST_WINDOW_HOURS,
    COLLECTIVE_FACTOR,
    ELIGIBLE_STATUSES,
    REPEAT_DAYS,
    Facts,
    findings,
)

TODAY = date(2024, 6, 15)
KINDS = ("household", "village", "institution")
COLLECTIVE = ("village", "institution")
CLEAN = Facts(
    kind="household",
    category="health",
    amount=5000,
    unit="yuan",
    household_found=True,
    household_status="poor",
    today=TODAY,
)


def codes(facts, **kwargs):
    return [code for code, _ in findings(facts, **kwargs)]


def test_clean_facts_find_nothing():
    for kind in KINDS:
        for status in sorted(ELIGIBLE_STATUSES):
            assert findings(replace(CLEAN, kind=kind, household_status=status)) == []


def test_defaults_find_nothing_for_collectives():
    """Village and institution needs have no household: the registry is not consulted."""
    for kind in COLLECTIVE:
        facts = Facts(
            kind=kind,
            category="ecology",
            amount=1000,
            unit="yuan",
            household_found=False,
            household_status=None,
        )
        assert findings(facts) == []


def test_ranges_are_plausible():
    assert ELIGIBLE_STATUSES == {"poor", "monitored"}
    for low, high in AMOUNT_RANGES.values():
        assert 0 < low < high


# Registry ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [None, "", "poor", "monitored", "exited", "normal"])
def test_not_in_registry(status):
    facts = replace(CLEAN, household_found=False, household_status=status)
    assert findings(facts) == [("not_in_registry", {})]
    for kind in COLLECTIVE:
        assert findings(replace(facts, kind=kind)) == []


@pytest.mark.parametrize("status", [None, "", "exited", "normal", "Poor", "poor "])
def test_not_eligible(status):
    facts = replace(CLEAN, household_status=status)
    assert findings(facts) == [("not_eligible", {"status": status or ""})]
    for kind in COLLECTIVE:
        assert findings(replace(facts, kind=kind)) == []


@pytest.mark.parametrize("status", sorted(ELIGIBLE_STATUSES))
def test_eligible_households_pass(status):
    assert findings(replace(CLEAN, household_status=status)) == []


@given(
    st.sampled_from(KINDS),
    st.booleans(),
    st.none() | st.sampled_from(["poor", "monitored", "exited", "normal", ""]) | st.text(),
)
def test_not_in_registry_and_not_eligible_are_mutually_exclusive(kind, found, status):
    found_codes = codes(replace(CLEAN, kind=kind, household_found=found, household_status=status))
    registry = [c for c in found_codes if c in ("not_in_registry", "not_eligible")]
    assert len(registry) <= 1
    if kind != "household":
        assert registry == []
    elif not found:
        assert registry == ["not_in_registry"]
    elif status not in ELIGIBLE_STATUSES:
        assert registry == ["not_eligible"]
    else:
        assert registry == []


# Duplicates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("titles", "joined"),
    [
        (["医疗费用"], "医疗费用"),
        (["a", "b"], "a; b"),
        (["a", "b", "c"], "a; b; c"),
        (["a", "b", "c", "d", "e"], "a; b; c"),
    ],
)
def test_duplicate(titles, joined):
    for kind in KINDS:
        facts = replace(CLEAN, kind=kind, open_duplicates=titles)
        assert findings(facts) == [("duplicate", {"titles": joined})]


def test_no_duplicates_no_finding():
    assert findings(replace(CLEAN, open_duplicates=[])) == []


# Amounts -------------------------------------------------------------------------------------


def out_of_range(amount, low, high):
    return [("amount_out_of_range", {"amount": amount, "low": low, "high": high})]


@pytest.mark.parametrize("category", sorted(AMOUNT_RANGES))
def test_household_amount_boundaries(category):
    low, high = AMOUNT_RANGES[category]
    facts = replace(CLEAN, category=category)
    for amount in (low, low + 1, (low + high) // 2, high - 1, high):
        assert findings(replace(facts, amount=amount)) == [], amount
    for amount in (low - 1, high + 1, 0, -1, high * COLLECTIVE_FACTOR):
        assert findings(replace(facts, amount=amount)) == out_of_range(amount, low, high)


@pytest.mark.parametrize("kind", COLLECTIVE)
@pytest.mark.parametrize("category", sorted(AMOUNT_RANGES))
def test_collective_amounts_may_be_larger_by_the_factor(kind, category):
    low, high = AMOUNT_RANGES[category]
    top = high * COLLECTIVE_FACTOR
    facts = replace(CLEAN, kind=kind, category=category)
    for amount in (low, high, high + 1, top - 1, top):
        assert findings(replace(facts, amount=amount)) == [], amount
    # Only the top grows: the floor is the household one.
    for amount in (low - 1, top + 1):
        assert findings(replace(facts, amount=amount)) == out_of_range(amount, low, top)
    # The configured ranges themselves are left alone.
    assert AMOUNT_RANGES[category] == (low, high)


@pytest.mark.parametrize("unit", ["kg", "person", "day", "bag", "", "元"])
def test_other_units_skip_the_amount_check(unit):
    for kind in KINDS:
        for amount in (0, 1, 10**9):
            assert findings(replace(CLEAN, kind=kind, unit=unit, amount=amount)) == []


def test_unknown_categories_skip_the_amount_check():
    for amount in (0, 10**9):
        assert findings(replace(CLEAN, category="other", amount=amount)) == []


def test_configured_ranges_replace_the_defaults():
    ranges = {"health": (10, 20)}
    facts = replace(CLEAN, amount=21)
    assert findings(facts, ranges) == out_of_range(21, 10, 20)
    assert findings(replace(facts, amount=20), ranges=ranges) == []
    assert findings(replace(facts, amount=9), ranges=ranges) == out_of_range(9, 10, 20)
    assert findings(replace(facts, kind="village", amount=200), ranges=ranges) == []
    assert findings(replace(facts, kind="village", amount=201), ranges=ranges) == out_of_range(
        201, 10, 200
    )
    # A category the configuration leaves out is not checked, nor is anything given none.
    assert findings(replace(facts, category="housing", amount=1), ranges=ranges) == []
    assert findings(replace(facts, amount=0), ranges={}) == []
    assert ranges == {"health": (10, 20)}


# Repeat aid ----------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 1, 100, REPEAT_DAYS - 1, REPEAT_DAYS])
def test_repeat_aid_within_a_year(days):
    last = TODAY - timedelta(days=days)
    for kind in KINDS:
        facts = replace(CLEAN, kind=kind, last_fulfilled=last)
        assert findings(facts) == [("repeat_aid", {"date": last.isoformat()})]


@pytest.mark.parametrize("days", [REPEAT_DAYS + 1, REPEAT_DAYS + 2, 1000])
def test_no_repeat_aid_after_a_year(days):
    assert findings(replace(CLEAN, last_fulfilled=TODAY - timedelta(days=days))) == []


def test_repeat_boundary_is_365_vs_366_days():
    assert REPEAT_DAYS == 365
    assert codes(replace(CLEAN, last_fulfilled=date(2023, 6, 16))) == ["repeat_aid"]  # 365
    assert codes(replace(CLEAN, last_fulfilled=date(2023, 6, 15))) == []  # 366 (leap year)


def test_repeat_needs_both_dates():
    assert findings(replace(CLEAN, last_fulfilled=None)) == []
    assert findings(replace(CLEAN, today=None, last_fulfilled=TODAY)) == []


# Bursts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, BURST_LIMIT - 1, BURST_LIMIT])
def test_no_burst_up_to_the_limit(count):
    assert findings(replace(CLEAN, filed_recently=count)) == []


@pytest.mark.parametrize("count", [BURST_LIMIT + 1, BURST_LIMIT + 2, 100])
def test_burst_beyond_the_limit(count):
    for kind in KINDS:
        assert findings(replace(CLEAN, kind=kind, filed_recently=count)) == [
            ("burst", {"count": count, "hours": BURST_WINDOW_HOURS})
        ]


# Together ------------------------------------------------------------------------------------


def test_all_findings_at_once_in_order():
    facts = replace(
        CLEAN,
        household_status="exited",
        open_duplicates=["x"],
        amount=10**9,
        last_fulfilled=TODAY,
        filed_recently=BURST_LIMIT + 1,
    )
    assert codes(facts) == [
        "not_eligible",
        "duplicate",
        "amount_out_of_range",
        "repeat_aid",
        "burst",
    ]
    assert codes(replace(facts, household_found=False))[0] == "not_in_registry"


FACTS = st.builds(
    Facts,
    kind=st.sampled_from(KINDS),
    category=st.sampled_from([*AMOUNT_RANGES, "other"]),
    amount=st.integers(-10, 3_000_000),
    unit=st.sampled_from(["yuan", "yuan", "kg", "person"]),
    household_found=st.booleans(),
    household_status=st.sampled_from([None, "", "poor", "monitored", "exited"]),
    open_duplicates=st.lists(st.text(min_size=1, max_size=5), max_size=5),
    last_fulfilled=st.none() | st.dates(date(2022, 1, 1), TODAY),
    filed_recently=st.integers(0, 2 * BURST_LIMIT),
    today=st.none() | st.just(TODAY),
)


@settings(max_examples=500)
@given(FACTS)
def test_each_finding_fires_exactly_when_it_should(facts):
    found = dict(findings(facts))
    assert len(found) == len(findings(facts))  # each code at most once
    household = facts.kind == "household"
    assert ("not_in_registry" in found) == (household and not facts.household_found)
    assert ("not_eligible" in found) == (
        household and facts.household_found and facts.household_status not in {"poor", "monitored"}
    )
    assert ("duplicate" in found) == bool(facts.open_duplicates)
    if facts.unit == "yuan" and facts.category in AMOUNT_RANGES:
        low, high = AMOUNT_RANGES[facts.category]
        high *= 1 if household else COLLECTIVE_FACTOR
        assert ("amount_out_of_range" in found) == (not low <= facts.amount <= high)
    else:
        assert "amount_out_of_range" not in found
    assert ("repeat_aid" in found) == (
        facts.today is not None
        and facts.last_fulfilled is not None
        and facts.today - facts.last_fulfilled <= timedelta(days=365)
    )
    assert ("burst" in found) == (facts.filed_recently > BURST_LIMIT)
    order = [
        "not_in_registry",
        "not_eligible",
        "duplicate",
        "amount_out_of_range",
        "repeat_aid",
        "burst",
    ]
    assert list(found) == [c for c in order if c in found]
