"""The pure risk core: the rules' points and scores, the model's fit and explanations, the
held-out split and the evaluation (no database)."""

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aidbridge.monitoring import history_demo, scoring


def _features(n, **given_columns):
    base = {name: np.zeros(n) for name in scoring.FEATURES}
    base["income_ratio"] = np.full(n, 2.0)
    base["size"] = np.full(n, 3.0)
    for name, value in given_columns.items():
        base[name] = np.asarray(value, dtype=float)
    return base


household = st.fixed_dictionaries(
    {
        "income_ratio": st.one_of(st.floats(0, 5), st.just(float("nan"))),
        "income_change": st.one_of(st.floats(-1, 3), st.just(float("nan"))),
        "below_before": st.integers(0, 1),
        "illness": st.integers(0, 1),
        "disabled": st.integers(0, 4),
        "no_labour": st.integers(0, 1),
        "dependants": st.floats(0, 1),
        "size": st.integers(1, 9),
        "shocks": st.integers(0, 5),
    }
)


@given(st.lists(household, min_size=1, max_size=30))
def test_rule_scores_are_0_to_100_and_the_factors_add_up(rows):
    features = {name: np.array([r[name] for r in rows], dtype=float) for name in scoring.FEATURES}
    scores, points = scoring.rule_scores(features)
    assert ((scores >= 0) & (scores <= 100)).all()
    assert np.allclose(points.sum(axis=1).round(), scores)
    texts = scoring.top_factors(points, tuple(scoring.RULES))
    for row, factors in zip(points, map(json.loads, texts.tolist()), strict=True):
        weights = [w for _name, w in factors]
        assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
        assert len(factors) <= scoring.TOP
        assert len(factors) >= min(scoring.TOP, int((row >= 0.1).sum()))


@given(household, st.floats(0, 5), st.floats(0, 5))
def test_a_lower_income_never_lowers_the_rule_score(row, low, high):
    low, high = sorted((low, high))
    features = {name: np.array([row[name]] * 2, dtype=float) for name in scoring.FEATURES}
    features["income_ratio"] = np.array([low, high])
    scores, _points = scoring.rule_scores(features)
    assert scores[0] >= scores[1]


def test_the_rules_give_their_full_weights():
    scores, points = scoring.rule_scores(
        _features(
            2,
            income_ratio=[0.9, 3.0],
            income_change=[-0.5, 0.1],
            below_before=[1, 0],
            illness=[1, 0],
            disabled=[1, 0],
            no_labour=[1, 0],
            dependants=[0.8, 0],
            shocks=[3, 0],
        )
    )
    assert scores.tolist() == [100, 0]
    factors = [json.loads(t) for t in scoring.top_factors(points, tuple(scoring.RULES))]
    assert factors[0] == [["income_near_line", 30.0], ["income_falling", 15.0], ["shocks", 15.0]]
    assert factors[1] == []


def _planted(n=4000, seed=3):
    """Households whose relapse depends on illness and an income near the line."""
    rng = np.random.default_rng(seed)
    illness = rng.integers(0, 2, n)
    ratio = rng.uniform(1.0, 3.0, n)
    chance = 0.02 + 0.4 * illness * (ratio < 1.6)
    relapsed = rng.random(n) < chance
    return _features(n, income_ratio=ratio, illness=illness), relapsed


def test_the_model_learns_a_planted_risk_and_names_it():
    features, relapsed = _planted()
    model = scoring.model_train(features, relapsed)
    again = scoring.Model.from_dict(model.as_dict())
    assert again == model
    scores, weights = scoring.model_scores(
        model, _features(2, illness=[1, 0], income_ratio=[1.1, 2.9])
    )
    assert scores[0] > 20 > scores[1]
    names = [name for name, _w in json.loads(scoring.top_factors(weights, scoring.FACTORS)[0])]
    assert names[0] == "illness"
    test = scoring.held_out(np.arange(len(relapsed)))
    probability, _c = model.predict({k: v[test] for k, v in features.items()})
    result = scoring.evaluation(probability, relapsed[test], probability)
    assert result["auc"] > 0.75
    assert sum(d["households"] for d in result["deciles"]) == test.sum()
    assert result["deciles"][-1]["observed"] > result["deciles"][0]["observed"]


def test_a_model_of_other_inputs_or_nothing_to_learn_is_refused():
    features, relapsed = _planted(200)
    stored = scoring.model_train(features, relapsed).as_dict()
    stored["inputs"] = ["near"]
    with pytest.raises(ValueError):
        scoring.Model.from_dict(stored)
    with pytest.raises(ValueError):
        scoring.model_train(features, np.zeros(200, dtype=bool))
    with pytest.raises(ValueError):
        scoring.evaluation(np.arange(5), np.array([1, 0, 1, 0, 1]), None)


def test_the_model_replaces_the_rules_only_when_better_on_both_counts():
    rules = {"auc": 0.70, "precision_top_decile": 0.30}
    assert scoring.better({"auc": 0.76, "precision_top_decile": 0.31}, rules)
    assert not scoring.better({"auc": 0.76, "precision_top_decile": 0.29}, rules)
    assert not scoring.better({"auc": 0.702, "precision_top_decile": 0.40}, rules)


def test_the_held_out_households_are_a_fixed_share():
    ids = np.arange(1, 20001)
    test = scoring.held_out(ids)
    assert 0.27 < test.mean() < 0.33
    assert (scoring.held_out(ids[::-1])[::-1] == test).all()


def test_demo_histories_are_deterministic_anchored_and_relapse_some():
    profiles = [
        history_demo.Profile(i, 7000, illness=i % 2, disabled=0, no_labour=i % 3 == 0, dependants=0)
        for i in range(1, 401)
    ]
    years = range(2019, 2027)
    rows = list(history_demo.incomes(profiles, years=years, anchor=2025, seed=1))
    assert rows == list(history_demo.incomes(profiles, years=years, anchor=2025, seed=1))
    assert len(rows) == 400 * 7 and all(year != 2025 for _h, year, _i in rows)
    after = {h: income for h, year, income in rows if year == 2026}
    fell = [h for h, income in after.items() if income < 6000]
    assert 0 < len(fell) < 200
    ill = sum(1 for h in fell if h % 2) / max(1, len(fell))
    assert ill > 0.5  # illness makes a fall likelier
    with pytest.raises(ValueError):
        list(history_demo.incomes(profiles, years=years, anchor=2030, seed=1))
