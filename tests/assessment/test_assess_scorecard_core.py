"""The assessment's pure core: the Wilson interval, the exit rates from visit answers, the
threshold judgement and the score with its one-vote veto (no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aidbridge.assessment import scorecard
from aidbridge.assessment.scorecard import AT_LEAST, AT_MOST, Item, Rate


@given(st.integers(0, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_holds_the_share_within_zero_and_one(kn):
    k, n = kn
    low, high = scorecard.wilson(k, n)
    assert 0 <= low <= high <= 1
    if n:
        assert low - 1e-12 <= k / n <= high + 1e-12
        assert high - low > 0  # a sample never makes the share certain


@given(st.integers(1, 400), st.integers(2, 20))
def test_wilson_narrows_as_the_sample_grows(n, factor):
    k = n // 3
    low, high = scorecard.wilson(k, n)
    wide_low, wide_high = scorecard.wilson(k * factor, n * factor)
    assert wide_high - wide_low < high - low


def test_wilson_known_values():
    # 1 of 50: the textbook Wilson interval is 0.35% .. 10.50%.
    low, high = scorecard.wilson(1, 50)
    assert round(low, 4) == 0.0035 and round(high, 4) == 0.1050
    assert scorecard.wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        scorecard.wilson(3, 2)


def test_exit_rates_count_people_and_households():
    households = [
        {"people": 4, "exit": "wrong", "satisfied": True},
        {"people": 3, "exit": "right", "satisfied": False},
        {"people": 5, "exit": "na", "satisfied": True},
        {"people": 2, "exit": "right", "satisfied": None},  # not surveyed
        {"people": True, "exit": "right"},  # a bool is no number of people
        {},
    ]
    villages = [
        {"people_checked": 100, "people_missed": 1},
        {"people_checked": 50, "people_missed": 80},  # never more missed than checked
        {"people_checked": "x"},
    ]
    rates = scorecard.exit_rates(households, villages)
    assert rates["wrong_exit"] == Rate(4, 9)
    assert rates["satisfaction"] == Rate(2, 3)
    assert rates["omission"] == Rate(51, 150)
    assert rates["wrong_exit"].value == Decimal("44.44")
    low, high = rates["wrong_exit"].interval
    assert low < Decimal("44.44") < high
    assert scorecard.exit_rates([], [])["omission"].value is None


answers = st.fixed_dictionaries(
    {
        "people": st.integers(0, 12),
        "exit": st.sampled_from(["right", "wrong", "na"]),
        "satisfied": st.sampled_from([True, False, None]),
    }
)


@given(st.lists(answers, max_size=40))
def test_exit_rates_are_shares(households):
    for rate in scorecard.exit_rates(households, []).values():
        assert 0 <= rate.numerator <= rate.denominator
        if rate.denominator:
            assert Decimal(0) <= rate.value <= Decimal(100)
            low, high = rate.interval
            assert low <= rate.value <= high


def test_judge_on_the_point_estimate():
    assert scorecard.judge(Decimal("1.99"), AT_MOST, Decimal(2))
    assert scorecard.judge(Decimal("2"), AT_MOST, Decimal(2))
    assert not scorecard.judge(Decimal("2.01"), AT_MOST, Decimal(2))
    assert scorecard.judge(Decimal("90"), AT_LEAST, Decimal(90))
    assert scorecard.judge(None, AT_LEAST, Decimal(90)) is None
    assert scorecard.uncertain((Decimal("0.5"), Decimal("6")), AT_MOST, Decimal(2))
    assert not scorecard.uncertain((Decimal("0.1"), Decimal("1.5")), AT_MOST, Decimal(2))
    with pytest.raises(ValueError):
        scorecard.judge(Decimal(1), "about", Decimal(2))


def _item(key, value, *, veto=False, weight=10, direction=AT_LEAST, threshold=50):
    return Item(key, Decimal(weight), direction, Decimal(threshold), veto, value)


def test_score_sums_the_weights_of_what_is_met():
    verdict = scorecard.score(
        [_item("a", Decimal(60)), _item("b", Decimal(40), weight=30), _item("c", None)],
        Decimal(10),
    )
    assert verdict.points == {"a": Decimal(10), "b": Decimal(0), "c": Decimal(0)}
    assert verdict.total == Decimal(10) and verdict.maximum == Decimal(50)
    assert verdict.passed and verdict.vetoed_by == []


@given(
    st.lists(st.integers(0, 100), min_size=1, max_size=8),
    st.integers(0, 100),
    st.sampled_from([Decimal("2.5"), None]),
)
def test_a_failed_veto_item_fails_whatever_the_score(values, weight, veto_value):
    items = [_item(f"k{i}", Decimal(v), weight=weight) for i, v in enumerate(values)]
    items.append(
        _item("wrong_exit", veto_value, veto=True, direction=AT_MOST, threshold=2, weight=0)
    )
    verdict = scorecard.score(items, Decimal(0))
    assert not verdict.passed
    assert verdict.vetoed_by == ["wrong_exit"]


@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 50)), min_size=1, max_size=8))
def test_without_veto_passing_is_reaching_the_pass_score(lines):
    items = [_item(f"k{i}", Decimal(v), weight=w) for i, (v, w) in enumerate(lines)]
    verdict = scorecard.score(items, Decimal(60))
    assert verdict.total == sum(w for v, w in lines if v >= 50)
    assert verdict.passed == (verdict.total >= 60)
    assert Decimal(0) <= verdict.total <= verdict.maximum
