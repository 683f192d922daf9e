"""The identification rules engine: statuses, reasons, boundaries, configuration, properties."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.registry.identification import (
    INDICATORS,
    Assessment,
    Reason,
    Rules,
    Status,
    suggest,
)

RULES = Rules(poverty_line=4000)  # monitoring line 6,000
ALL_MET = dict.fromkeys(INDICATORS, True)
SEVERITY = {Status.NOT_POOR: 0, Status.MARGINAL: 1, Status.MONITORED: 1, Status.POOR: 2}


def assess(income, unmet=(), previously_poor=False, rules=RULES):
    indicators = {**ALL_MET, **dict.fromkeys(unmet, False)}
    return suggest(Assessment(income, indicators, previously_poor), rules)


def codes(suggestion):
    return [r.code for r in suggestion.reasons]


# Examples: each status and each reason.


def test_poor_by_income():
    s = assess(3120)
    assert s.status == Status.POOR
    assert s.reasons == (Reason("income_below_line", {"income": 3120, "line": 4000}),)
    assert s.af_score == 0
    assert s.explain_en() == "income 3,120 < line 4,000"


def test_poor_by_income_and_housing():
    s = assess(3120, unmet=["housing"])
    assert codes(s) == ["income_below_line", "guarantee_not_met"]
    assert s.reasons[1].params == {"indicator": "housing"}
    assert s.explain_en() == "income 3,120 < line 4,000; housing unsafe"


def test_poor_by_guarantee_despite_high_income():
    s = assess(10_000, unmet=["water"])
    assert s.status == Status.POOR
    assert codes(s) == ["income_above_lines", "guarantee_not_met"]
    assert s.explain_en() == "income 10,000 >= monitoring line 6,000; drinking water unsafe"


def test_every_guarantee_has_an_english_phrase():
    s = assess(5000, unmet=INDICATORS)
    assert s.explain_en() == (
        "income 5,000 < monitoring line 6,000; not enough food; not enough clothing; "
        "compulsory education not guaranteed; basic medical care not guaranteed; "
        "housing unsafe; drinking water unsafe; deprivation score 1.00 >= cutoff 0.33"
    )


def test_poor_by_af_score_alone():
    # Only food and clothing are guarantees here; the others count through the score.
    rules = Rules(poverty_line=4000, guarantees=("food", "clothing"))
    s = assess(8000, unmet=["education", "water"], rules=rules)
    assert s.status == Status.POOR
    assert codes(s) == ["income_above_lines", "af_poor"]
    assert s.reasons[1].params == {"score": pytest.approx(1 / 3), "cutoff": 1 / 3}
    assert s.explain_en().endswith("deprivation score 0.33 >= cutoff 0.33")


def test_af_score_below_cutoff_is_no_reason():
    rules = Rules(poverty_line=4000, guarantees=())
    s = assess(8000, unmet=["water"], rules=rules)
    assert s.status == Status.NOT_POOR
    assert s.af_score == pytest.approx(1 / 6)
    assert codes(s) == ["income_above_lines"]


def test_monitored_if_lifted_out_before():
    s = assess(5000, previously_poor=True)
    assert s.status == Status.MONITORED
    assert s.reasons == (Reason("income_below_monitoring_line", {"income": 5000, "line": 6000}),)
    assert s.explain_en() == "income 5,000 < monitoring line 6,000"


def test_marginal_if_never_poor():
    assert assess(5000).status == Status.MARGINAL


def test_not_poor():
    s = assess(6500, previously_poor=True)
    assert s.status == Status.NOT_POOR
    assert s.reasons == (Reason("income_above_lines", {"income": 6500, "line": 6000}),)


# Boundaries: "below" is strict.


@pytest.mark.parametrize(
    ("income", "previously_poor", "status"),
    [
        (3999, False, Status.POOR),
        (4000, False, Status.MARGINAL),
        (4000, True, Status.MONITORED),
        (5999, False, Status.MARGINAL),
        (6000, False, Status.NOT_POOR),
        (6000, True, Status.NOT_POOR),
        (0, False, Status.POOR),
    ],
)
def test_income_boundaries(income, previously_poor, status):
    assert assess(income, previously_poor=previously_poor).status == status


def test_af_score_exactly_at_cutoff_is_poor():
    rules = Rules(
        poverty_line=4000,
        guarantees=(),
        af_weights={"food": 0.1, "water": 0.2, "housing": 0.7},
        af_cutoff=0.8,
    )
    s = assess(9000, unmet=["food", "housing"], rules=rules)
    assert s.af_score < 0.8  # 0.7999999999999999 in floating point, still at the cutoff
    assert s.status == Status.POOR
    assert assess(9000, unmet=["housing"], rules=rules).status == Status.NOT_POOR


def test_monitoring_line_is_rounded_to_whole_yuan():
    rules = Rules(poverty_line=4001, monitoring_multiple=1.5)
    assert rules.monitoring_line == 6002  # 6001.5, rounded half to even
    assert assess(6001, rules=rules).status == Status.MARGINAL


def test_missing_indicator_raises():
    with pytest.raises(ValueError, match="lacks indicators: housing, water"):
        suggest(Assessment(5000, {n: True for n in INDICATORS[:4]}), RULES)


def test_indicators_the_rules_do_not_use_are_ignored():
    rules = Rules(poverty_line=4000, guarantees=("food",), af_weights={"food": 1.0})
    s = suggest(Assessment(7000, {"food": True, "housing": False}), rules)
    assert s.status == Status.NOT_POOR


# Configuration errors.


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"poverty_line": 0}, "poverty_line must be positive"),
        ({"poverty_line": 4000.5}, "whole number"),
        ({"poverty_line": True}, "whole number"),
        ({"monitoring_multiple": 0.9}, "monitoring_multiple"),
        ({"monitoring_multiple": math.nan}, "monitoring_multiple"),
        ({"guarantees": ("food", "food")}, "repeat"),
        ({"af_weights": {}}, "at least one"),
        ({"af_weights": {"food": 0.5, "water": 0.6}}, "sum to 1"),
        ({"af_weights": {"food": 1.5, "water": -0.5}}, "positive"),
        ({"af_weights": {"food": 1.0, "water": 0.0}}, "positive"),
        ({"af_cutoff": 0}, "af_cutoff"),
        ({"af_cutoff": 1.01}, "af_cutoff"),
    ],
)
def test_bad_configuration(config, message):
    with pytest.raises(ValueError, match=message):
        Rules(**{"poverty_line": 4000, **config})


def test_weights_may_miss_one_part_in_a_billion():
    Rules(poverty_line=4000, af_weights={"food": 0.1, "water": 0.2, "housing": 0.7 + 5e-10})
    Rules(poverty_line=4000, af_cutoff=1)


# Properties.

weights = st.lists(st.integers(1, 100), min_size=6, max_size=6).map(
    lambda ws: {n: w / sum(ws) for n, w in zip(INDICATORS, ws, strict=True)}
)
rules = st.builds(
    lambda line, multiple, guarantees, ws, cutoff: Rules(
        poverty_line=line,
        monitoring_multiple=multiple,
        af_weights=ws,
        af_cutoff=cutoff,
        guarantees=tuple(n for n in INDICATORS if n in guarantees),
    ),
    st.integers(1, 10_000),
    st.floats(1, 3),
    st.sets(st.sampled_from(INDICATORS)),
    weights,
    st.floats(0.01, 1),
)
indicators = st.fixed_dictionaries({n: st.booleans() for n in INDICATORS})
incomes = st.integers(-1000, 40_000)


@settings(max_examples=300)
@given(rules, indicators, incomes, incomes, st.booleans())
def test_more_income_never_makes_it_worse(rules, indicators, a, b, previously_poor):
    low, high = sorted((a, b))
    worse = suggest(Assessment(low, indicators, previously_poor), rules).status
    better = suggest(Assessment(high, indicators, previously_poor), rules).status
    assert SEVERITY[better] <= SEVERITY[worse]


@settings(max_examples=300)
@given(rules, indicators, incomes, st.booleans(), st.sampled_from(INDICATORS))
def test_meeting_one_more_indicator_never_makes_it_worse(
    rules, indicators, income, previously_poor, name
):
    before = suggest(Assessment(income, {**indicators, name: False}, previously_poor), rules)
    after = suggest(Assessment(income, {**indicators, name: True}, previously_poor), rules)
    assert SEVERITY[after.status] <= SEVERITY[before.status]
    assert after.af_score <= before.af_score


@settings(max_examples=300)
@given(rules, indicators, incomes, st.booleans())
def test_af_score_is_the_weight_of_unmet_indicators(rules, indicators, income, previously_poor):
    s = suggest(Assessment(income, indicators, previously_poor), rules)
    assert 0 <= s.af_score <= 1
    unmet = [w for n, w in rules.af_weights.items() if not indicators[n]]
    assert s.af_score == pytest.approx(math.fsum(unmet), abs=1e-9)
    assert ("af_poor" in codes(s)) == (s.af_score >= rules.af_cutoff - 1e-9)
    assert codes(s)[0] in {
        "income_below_line",
        "income_below_monitoring_line",
        "income_above_lines",
    }
