"""The matching engine against an exact LP on the explicit x(o, n) formulation."""

import math
import random
from collections import defaultdict
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from aidbridge.matching import baselines
from aidbridge.matching.engine_data import DEFAULT_WEIGHTS, Need, Offer, RegionTree, Weights
from aidbridge.matching.solver import solve

CATEGORIES = ["food", "school", "health"]
TREE = {"city": None, "k1": "city", "k2": "city", "t1": "k1", "v1": "t1", "v2": "t1", "v3": "k2"}
APP = {  # province > prefecture > county > township > village, as in the application
    "51": None,
    "5134": "51",
    "513422": "5134",
    "513422100": "513422",
    "513422100001": "513422100",
    "513422100002": "513422100",
    "513422101": "513422",
    "513422101001": "513422101",
}


def chain(regions, code):
    while code is not None:
        yield code
        code = regions[code]


def compatible(offer, need, regions):
    return need.category in offer.categories and bool(
        set(offer.regions) & set(chain(regions, need.region))
    )


def weight(offer, need, regions, w=DEFAULT_WEIGHTS):
    paired = bool(set(offer.paired_regions) & set(chain(regions, need.region)))
    return w.urgency * need.urgency + w.not_aided * (not need.aided) + w.paired * paired


def deepest(regions):
    return max((len(list(chain(regions, code))) - 1 for code in regions), default=0)


def village(regions, code, depth):
    """The ancestor of ``code`` (or itself) at ``depth``; None if ``code`` is above it."""
    from_root = list(chain(regions, code))[::-1]
    return from_root[depth] if depth < len(from_root) else None


def village_sums(allocations, needs, regions, depth):
    """(offer id, village) -> amount given, for needs in or below a village."""
    region = {n.id: n.region for n in needs}
    sums = defaultdict(int)
    for a in allocations:
        v = village(regions, region[a.need_id], depth)
        if v is not None:
            sums[(a.offer_id, v)] += a.amount
    return sums


def lp_optimum(needs, offers, regions, w=DEFAULT_WEIGHTS, cap=None, share=None, depth=None):
    """Optimum of the LP over x(o, n); with ``share``, sum of x(o, n) over the needs in or
    below one village (region at ``depth``, default the deepest) <= floor(share * c_o)."""
    pairs = [
        (i, j)
        for i, o in enumerate(offers)
        for j, n in enumerate(needs)
        if compatible(o, n, regions)
    ]
    if not pairs:
        return 0
    rows = [np.zeros(len(pairs)) for _ in range(len(offers) + len(needs))]
    for col, (i, j) in enumerate(pairs):
        rows[i][col] = rows[len(offers) + j][col] = 1
    limits = [o.capacity for o in offers] + [n.amount for n in needs]
    if share is not None:
        depth = deepest(regions) if depth is None else depth
        groups = defaultdict(list)
        for col, (i, j) in enumerate(pairs):
            v = village(regions, needs[j].region, depth)
            if v is not None:
                groups[(i, v)].append(col)
        for (i, _), cols in sorted(groups.items()):
            rows.append(np.zeros(len(pairs)))
            rows[-1][cols] = 1
            limits.append(math.floor(share * offers[i].capacity))
    res = linprog(
        c=[-weight(offers[i], needs[j], regions, w) for i, j in pairs],
        A_ub=np.array(rows),
        b_ub=limits,
        bounds=(0, cap),
        method="highs",
    )
    assert res.status == 0
    return round(-res.fun)


def greedy(needs, offers, regions):
    """Largest weight first; ties by offer id, need id."""
    cap = {o.id: o.capacity for o in offers}
    left = {n.id: n.amount for n in needs}
    pairs = sorted(
        (-weight(o, n, regions), o.id, n.id, weight(o, n, regions))
        for o in offers
        for n in needs
        if compatible(o, n, regions)
    )
    total = 0
    for _, o, n, w in pairs:
        step = min(cap[o], left[n])
        cap[o] -= step
        left[n] -= step
        total += step * w
    return total


@st.composite
def instances(draw):
    parents, depth = {"r0": None}, {"r0": 0}
    for i in range(1, draw(st.integers(1, 12))):
        parent = draw(st.sampled_from([None] + [r for r in parents if depth[r] < 4]))
        parents[f"r{i}"] = parent
        depth[f"r{i}"] = 0 if parent is None else depth[parent] + 1
    codes = sorted(parents)
    needs = [
        Need(f"n{j}", region, category, amount, urgency, aided)
        for j, (region, category, amount, urgency, aided) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(codes),
                        st.sampled_from(CATEGORIES),
                        st.integers(0, 30),
                        st.integers(1, 5),
                        st.booleans(),
                    ),
                    max_size=15,
                )
            )
        )
    ]
    some = st.sets(st.sampled_from(codes), min_size=1, max_size=3).map(lambda s: tuple(sorted(s)))
    offers = [
        Offer(f"o{i}", capacity, tuple(sorted(categories)), accepted, tuple(sorted(paired)))
        for i, (capacity, categories, accepted, paired) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        st.integers(0, 60),
                        st.sets(st.sampled_from(CATEGORIES), min_size=1),
                        some,
                        st.sets(st.sampled_from(codes), max_size=2),
                    ),
                    max_size=8,
                )
            )
        )
    ]
    return needs, offers, parents


def check_feasible(
    result, needs, offers, regions, w=DEFAULT_WEIGHTS, cap=None, share=None, depth=None
):
    if share is not None:
        depth = deepest(regions) if depth is None else depth
        capacity = {o.id: o.capacity for o in offers}
        for (o, _), amount in village_sums(result.allocations, needs, regions, depth).items():
            assert amount <= math.floor(share * capacity[o])
    need = {n.id: n for n in needs}
    offer = {o.id: o for o in offers}
    given_to, taken_from = defaultdict(int), defaultdict(int)
    objective = 0
    for a in result.allocations:
        assert 0 < a.amount <= (cap or a.amount)
        assert compatible(offer[a.offer_id], need[a.need_id], regions)
        given_to[a.need_id] += a.amount
        taken_from[a.offer_id] += a.amount
        objective += a.amount * weight(offer[a.offer_id], need[a.need_id], regions, w)
    assert all(given_to[n] <= need[n].amount for n in given_to)
    assert all(taken_from[o] <= offer[o].capacity for o in taken_from)
    assert result.objective == objective
    assert result.allocated == sum(given_to.values())
    keys = [(a.offer_id, a.need_id) for a in result.allocations]
    assert keys == sorted(set(keys))


@settings(max_examples=200, deadline=None)
@given(instances())
def test_optimal_and_feasible(instance):
    needs, offers, regions = instance
    result = solve(needs, offers, regions)
    check_feasible(result, needs, offers, regions)
    assert result.objective == lp_optimum(needs, offers, regions)


@settings(max_examples=100, deadline=None)
@given(instances(), st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)))
def test_optimal_with_other_weights(instance, coefficients):
    needs, offers, regions = instance
    w = Weights(*coefficients)
    result = solve(needs, offers, regions, w)
    check_feasible(result, needs, offers, regions, w)
    assert result.objective == lp_optimum(needs, offers, regions, w)


@settings(max_examples=150, deadline=None)
@given(instances(), st.integers(1, 25))
def test_optimal_with_cap_per_need_and_offer(instance, cap):
    needs, offers, regions = instance
    result = solve(needs, offers, regions, max_per_pair=cap)
    check_feasible(result, needs, offers, regions, cap=cap)
    assert result.objective == lp_optimum(needs, offers, regions, cap=cap)


SHARES = st.fractions(min_value=Fraction(1, 20), max_value=1, max_denominator=20)
DEPTHS = st.none() | st.integers(0, 4)


def within_tree(depth, regions):
    return depth if depth is None else min(depth, deepest(regions))


@settings(max_examples=200, deadline=None)
@given(instances(), SHARES, DEPTHS)
def test_optimal_with_village_share(instance, share, depth):
    needs, offers, regions = instance
    depth = within_tree(depth, regions)
    result = solve(needs, offers, regions, village_share=share, village_depth=depth)
    check_feasible(result, needs, offers, regions, share=share, depth=depth)
    assert result.objective == lp_optimum(needs, offers, regions, share=share, depth=depth)


@settings(max_examples=150, deadline=None)
@given(instances(), st.integers(1, 25), SHARES, DEPTHS)
def test_optimal_with_both_caps(instance, cap, share, depth):
    needs, offers, regions = instance
    depth = within_tree(depth, regions)
    options = {"village_share": share, "village_depth": depth}
    result = solve(needs, offers, regions, max_per_pair=cap, **options)
    check_feasible(result, needs, offers, regions, cap=cap, share=share, depth=depth)
    assert result.objective == lp_optimum(needs, offers, regions, cap=cap, share=share, depth=depth)


@settings(max_examples=100, deadline=None)
@given(
    instances(),
    st.randoms(use_true_random=False),
    st.sampled_from([{}, {"village_share": Fraction(1, 3), "max_per_pair": 10}]),
)
def test_deterministic_and_independent_of_input_order(instance, rnd, options):
    needs, offers, regions = instance
    first = solve(needs, offers, regions, **options)
    assert solve(needs, offers, regions, **options).allocations == first.allocations
    needs, offers = needs[:], offers[:]
    rnd.shuffle(needs)
    rnd.shuffle(offers)
    shuffled = solve(needs, offers, dict(reversed(regions.items())), **options)
    assert shuffled.allocations == first.allocations


@settings(max_examples=100, deadline=None)
@given(instances())
def test_greedy_never_beats_the_engine(instance):
    needs, offers, regions = instance
    best = solve(needs, offers, regions).objective
    assert greedy(needs, offers, regions) <= best
    tree = RegionTree(regions)
    limit = min(sum(n.amount for n in needs), sum(o.capacity for o in offers))
    for baseline in (baselines.greedy, baselines.first_come):
        objective, allocated = baseline(needs, offers, tree)
        assert objective <= best and allocated <= limit


def allocated(result):
    return {(a.offer_id, a.need_id): a.amount for a in result.allocations}


def test_pairing_bonus_decides():
    needs = [Need("a", "v1", "food", 100, 3, True), Need("b", "v3", "food", 100, 3, True)]
    offer = Offer("o", 100, ("food",), ("city",), ("k2",))
    result = solve(needs, [offer], TREE)
    assert allocated(result) == {("o", "b"): 100}
    assert result.objective == 100 * (3 + 0 + 1)


def test_aided_penalty_outweighs_one_urgency_level():
    needs = [Need("aided", "v1", "food", 50, 4, True), Need("fresh", "v2", "food", 50, 3, False)]
    result = solve(needs, [Offer("o", 70, ("food",), ("k1",))], TREE)
    assert allocated(result) == {("o", "fresh"): 50, ("o", "aided"): 20}
    assert result.objective == 50 * 5 + 20 * 4


def test_paired_region_outside_accepted_region_earns_nothing():
    needs = [Need("a", "v1", "food", 10, 1, True), Need("b", "v3", "food", 10, 5, False)]
    result = solve(needs, [Offer("o", 30, ("food",), ("t1",), ("k2",))], TREE)
    assert allocated(result) == {("o", "a"): 10}


def test_accepted_region_below_paired_region_earns_bonus():
    needs = [Need("a", "v1", "food", 10, 1, True)]
    result = solve(needs, [Offer("o", 30, ("food",), ("t1",), ("city",))], TREE)
    assert result.objective == 10 * 2


def test_offer_prefers_needs_the_other_offer_cannot_reach():
    needs = [Need("near", "v1", "food", 10, 5, False), Need("far", "v3", "food", 10, 1, True)]
    offers = [Offer("wide", 10, ("food",), ("city",)), Offer("narrow", 10, ("food",), ("v1",))]
    result = solve(needs, offers, TREE)
    assert allocated(result) == {("narrow", "near"): 10, ("wide", "far"): 10}


def test_needs_of_one_class_are_served_by_urgency_then_id():
    needs = [
        Need(i, "v1", "food", 10, u, a)
        for i, u, a in [("n3", 3, False), ("n1", 5, True), ("n2", 3, False)]
    ]  # all weigh 5
    result = solve(needs, [Offer("o", 15, ("food",), ("city",))], TREE)
    assert allocated(result) == {("o", "n1"): 10, ("o", "n2"): 5}


def test_cap_spreads_a_large_need_over_offers():
    needs = [Need("big", "v1", "food", 100, 5, False), Need("small", "v1", "food", 30, 1, True)]
    offers = [Offer("a", 60, ("food",), ("city",)), Offer("b", 60, ("food",), ("k1",))]
    got = allocated(solve(needs, offers, TREE, max_per_pair=40))
    assert got[("a", "big")] == got[("b", "big")] == 40
    assert got.get(("a", "small"), 0) + got.get(("b", "small"), 0) == 30


def test_village_share_caps_even_the_most_urgent_village():
    needs = [
        Need("urgent", "513422100001", "food", 1000, 5, False),
        Need("calm", "513422101001", "food", 1000, 1, True),
    ]
    offer = Offer("o", 1000, ("food",), ("513422",))
    assert allocated(solve(needs, [offer], APP)) == {("o", "urgent"): 1000}
    result = solve(needs, [offer], APP, village_share=0.5)
    assert allocated(result) == {("o", "urgent"): 500, ("o", "calm"): 500}
    assert result.objective == 500 * 7 + 500 * 1
    assert result.stats["offer_villages"] == 2


def test_village_share_leaves_needs_above_villages_uncapped():
    needs = [
        Need("township", "513422100", "food", 1000, 5, False),
        Need("village", "513422100001", "food", 1000, 1, True),
    ]
    offers = [Offer("o", 1000, ("food",), ("513422",)), Offer("tiny", 1, ("food",), ("51",))]
    result = solve(needs, offers, APP, village_share=Fraction(1, 2))
    # tiny may give 0 yuan to a village (half of 1, rounded down) but all of it to the township
    assert allocated(result) == {
        ("o", "township"): 999,
        ("o", "village"): 1,
        ("tiny", "township"): 1,
    }
    assert result.stats["offer_villages"] == 1


def test_village_depth_chooses_the_level_capped():
    needs = [
        Need("a", "513422100001", "food", 400, 5, False),
        Need("b", "513422100002", "food", 400, 5, False),
        Need("c", "513422101001", "food", 1000, 1, True),
    ]
    offer = Offer("o", 1000, ("food",), ("513422",))
    by_village = allocated(solve(needs, [offer], APP, village_share=0.5))
    assert by_village == {("o", "a"): 400, ("o", "b"): 400, ("o", "c"): 200}
    by_township = solve(needs, [offer], APP, village_share=0.5, village_depth=3)
    assert village_sums(by_township.allocations, needs, APP, 3) == {
        ("o", "513422100"): 500,
        ("o", "513422101"): 500,
    }


def test_village_share_is_exact_and_rounds_down():
    needs = [Need("n", "513422100001", "food", 1000, 1, False)]
    offers = [Offer("a", 100, ("food",), ("51",)), Offer("b", 100, ("school", "food"), ("51",))]
    got = allocated(solve(needs, offers[:1], APP, village_share=0.29))
    assert got == {("a", "n"): 29}  # float arithmetic would give 28
    got = allocated(solve(needs, offers, APP, village_share=Fraction(1, 3)))
    assert got == {("a", "n"): 33, ("b", "n"): 33}


def test_empty_and_unmatched_inputs():
    assert solve([], [], {}).objective == 0
    result = solve(
        [Need("n", "v1", "food", 10, 1, False)], [Offer("o", 10, ("school",), ("city",))], TREE
    )
    assert result.allocations == [] and result.objective == 0


@pytest.mark.parametrize(
    "needs, offers, regions, options",
    [
        ([Need("n", "nowhere", "food", 1, 1, False)], [], TREE, {}),
        ([Need("n", "v1", "food", 1, 1, False)] * 2, [], TREE, {}),
        ([Need("n", "v1", "food", -1, 1, False)], [], TREE, {}),
        ([Need("n", "v1", "food", 1, 6, False)], [], TREE, {}),
        ([], [Offer("o", 1, ("food",), ("city",), ("nowhere",))], TREE, {}),
        ([], [Offer("o", -1, ("food",), ("city",))], TREE, {}),
        ([], [], {"a": "b", "b": "a"}, {}),
        ([], [], {"a": None, "b": "a"}, {"max_per_pair": 0}),
        ([], [], {"a": None}, {"weights": Weights(paired=-1)}),
        ([], [], {"a": None}, {"village_share": 0}),
        ([], [], {"a": None}, {"village_share": 1.5}),
        ([], [], {"a": None}, {"village_share": float("nan")}),
        ([], [], {"a": None}, {"village_share": "half"}),
        ([], [], {"a": None, "b": "a"}, {"village_share": 0.5, "village_depth": -1}),
        ([], [], {"a": None, "b": "a"}, {"village_share": 0.5, "village_depth": 2}),
    ],
)
def test_bad_input_raises_value_error(needs, offers, regions, options):
    with pytest.raises(ValueError):
        solve(needs, offers, regions, **options)


def test_region_tree():
    tree = RegionTree(TREE)
    assert tree.ancestors("v1") == ("v1", "t1", "k1", "city")
    assert tree.within("v1", "k1") and not tree.within("k1", "v1")
    assert tree.outermost(["v1", "k1", "v3"]) == ["k1", "v3"]
    assert tree.max_depth() == 3 and RegionTree({}).max_depth() == 0


def test_larger_random_instance_matches_lp():
    rnd = random.Random(7)
    regions = {"root": None}
    for k in range(4):
        regions[f"k{k}"] = "root"
        for t in range(3):
            regions[f"k{k}t{t}"] = f"k{k}"
            for v in range(4):
                regions[f"k{k}t{t}v{v}"] = f"k{k}t{t}"
    villages = [r for r in regions if r.count("v")]
    needs = [
        Need(
            f"n{i:03}",
            rnd.choice(villages),
            rnd.choice(CATEGORIES),
            rnd.randint(100, 3000),
            rnd.randint(1, 5),
            rnd.random() < 0.3,
        )
        for i in range(300)
    ]
    offers = [
        Offer(
            f"o{i:02}",
            rnd.randint(1000, 20000),
            tuple(rnd.sample(CATEGORIES, rnd.randint(1, 2))),
            tuple(rnd.sample(list(regions), rnd.randint(1, 3))),
            tuple(rnd.sample(list(regions), rnd.randint(0, 2))),
        )
        for i in range(40)
    ]
    result = solve(needs, offers, regions)
    check_feasible(result, needs, offers, regions)
    assert result.objective == lp_optimum(needs, offers, regions)
    assert greedy(needs, offers, regions) <= result.objective
    capped = solve(needs, offers, regions, village_share=Fraction(1, 4))
    check_feasible(capped, needs, offers, regions, share=Fraction(1, 4))
    assert capped.objective == lp_optimum(needs, offers, regions, share=Fraction(1, 4))
    assert capped.objective < result.objective
