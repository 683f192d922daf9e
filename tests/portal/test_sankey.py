"""The Sankey layout core: heights proportional to throughput, what enters a node equals what
leaves it, no overlaps in a column, links within their nodes; one flow, many, none."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.portal.sankey import layout

EPS = 1e-6
SOURCES, MIDDLES, SINKS = ["s0", "s1", "s2"], ["m0", "m1", "m2", "m3"], ["t0", "t1", "t2"]


@st.composite
def conserving(draw) -> list[tuple[str, str, int]]:
    """Flows made of paths from a source through some middle nodes (in order) to a sink, so
    every middle node passes on exactly what it receives."""
    flows = []
    for _ in range(draw(st.integers(1, 8))):
        middles = draw(st.lists(st.sampled_from(MIDDLES), max_size=3, unique=True))
        path = [draw(st.sampled_from(SOURCES)), *sorted(middles), draw(st.sampled_from(SINKS))]
        value = draw(st.integers(1, 10**9))
        flows += [(a, b, value) for a, b in zip(path, path[1:], strict=False)]
    return flows


@st.composite
def acyclic(draw) -> list[tuple[str, str, int]]:
    """Any flows from lower to higher numbered nodes, repeats and zeros included."""
    pairs = st.tuples(st.integers(0, 9), st.integers(0, 9)).filter(lambda p: p[0] < p[1])
    drawn = draw(st.lists(st.tuples(pairs, st.integers(0, 10**6)), min_size=1, max_size=25))
    return [(f"n{a}", f"n{b}", value) for (a, b), value in drawn]


def totals(flows):
    into, out = {}, {}
    for source, target, value in flows:
        out[source] = out.get(source, 0) + value
        into[target] = into.get(target, 0) + value
    return into, out


@settings(max_examples=300)
@given(acyclic())
def test_nodes_are_as_tall_as_their_throughput_on_one_scale(flows):
    drawn = layout(flows)
    into, out = totals(flows)
    shown = {n.key: n for n in drawn.nodes}
    assert set(shown) == {k for k in into.keys() | out.keys() if into.get(k) or out.get(k)}
    for node in drawn.nodes:
        assert (node.value_in, node.value_out) == (into.get(node.key, 0), out.get(node.key, 0))
        assert node.height == pytest.approx(drawn.scale * node.value, rel=EPS)
    assert drawn.scale > 0 or not drawn.nodes


@settings(max_examples=300)
@given(acyclic())
def test_links_fill_their_ends_and_stay_within_their_nodes(flows):
    drawn = layout(flows)
    nodes = {n.key: n for n in drawn.nodes}
    entering, leaving = {}, {}
    for link in drawn.links:
        source, target = nodes[link.source], nodes[link.target]
        assert source.column < target.column
        assert link.x0 == source.x + source.width and link.x1 == target.x
        assert link.width == pytest.approx(drawn.scale * link.value, rel=EPS)
        assert source.y - EPS <= link.y0 and link.y0 + link.width <= source.y + source.height + EPS
        assert target.y - EPS <= link.y1 and link.y1 + link.width <= target.y + target.height + EPS
        leaving[link.source] = leaving.get(link.source, 0) + link.width
        entering[link.target] = entering.get(link.target, 0) + link.width
    for node in drawn.nodes:
        assert entering.get(node.key, 0) == pytest.approx(node.value_in * drawn.scale, rel=EPS)
        assert leaving.get(node.key, 0) == pytest.approx(node.value_out * drawn.scale, rel=EPS)
    for links in (
        [k for k in drawn.links if k.source == n.key] for n in drawn.nodes
    ):  # links leaving one node do not overlap
        spans = sorted((k.y0, k.y0 + k.width) for k in links)
        assert all(a[1] <= b[0] + EPS for a, b in zip(spans, spans[1:], strict=False))


@settings(max_examples=300)
@given(conserving())
def test_what_enters_a_node_leaves_it_except_at_sources_and_sinks(flows):
    drawn = layout(flows)
    for node in drawn.nodes:
        if node.key in MIDDLES:
            assert node.value_in == node.value_out > 0
            assert 0 < node.column < drawn.columns - 1
        elif node.key in SOURCES:
            assert node.value_in == 0 and node.column == 0
        else:
            assert node.value_out == 0 and node.column == drawn.columns - 1


@settings(max_examples=300)
@given(acyclic(), st.booleans())
def test_no_two_nodes_of_a_column_overlap_and_all_fit(flows, tall):
    drawn = layout(flows, height=2000.0 if tall else None, padding=10.0)
    for column in range(drawn.columns):
        stack = sorted((n for n in drawn.nodes if n.column == column), key=lambda n: n.y)
        assert stack, column
        assert all(
            a.y + a.height + 10.0 <= b.y + EPS for a, b in zip(stack, stack[1:], strict=False)
        )
        assert stack[0].y >= -EPS and stack[-1].y + stack[-1].height <= drawn.height + EPS
        step = (drawn.width - 12.0) / (drawn.columns - 1)
        assert {n.x for n in stack} == {column * step}


@settings(max_examples=100)
@given(acyclic(), st.randoms(use_true_random=False))
def test_the_order_of_the_flows_does_not_matter(flows, rnd: random.Random):
    shuffled = list(flows)
    rnd.shuffle(shuffled)
    assert layout(shuffled) == layout(flows)


def test_columns_are_longest_paths_and_sinks_stand_last():
    drawn = layout([("a", "b", 5), ("b", "c", 3), ("a", "c", 1), ("a", "d", 1)])
    assert {n.key: n.column for n in drawn.nodes} == {"a": 0, "b": 1, "c": 2, "d": 2}


def test_one_flow():
    drawn = layout([("donor", "project", 12_345)], width=300, height=100)
    (source, target), (link,) = drawn.nodes, drawn.links
    assert (source.x, target.x) == (0, 288)
    assert source.height == target.height == pytest.approx(100)
    assert (link.x0, link.y0, link.x1, link.y1) == (12, 0, 288, 0)
    assert link.width == pytest.approx(100)
    assert link.path == "M12.00,50.00C150.00,50.00 150.00,50.00 288.00,50.00"


def test_repeats_are_added_and_nothing_drawn_for_nothing():
    assert layout([("a", "b", 2), ("a", "b", 3)]).links[0].value == 5
    for flows in ([], [("a", "b", 0)], [("a", "b", 4), ("a", "b", -4)]):
        drawn = layout(flows)
        assert drawn.nodes == drawn.links == () and drawn.columns == 0


def test_larger_sources_come_first_and_links_avoid_crossing():
    drawn = layout([("small", "hub", 1), ("big", "hub", 9), ("hub", "low", 2), ("hub", "up", 8)])
    y = {n.key: n.y for n in drawn.nodes}
    assert y["big"] < y["small"]
    into = {k.source: k.y1 for k in drawn.links if k.target == "hub"}
    assert into["big"] < into["small"]


@pytest.mark.parametrize(
    "flows", [[("a", "b", 1), ("b", "a", 1)], [("a", "b", 1), ("b", "c", 1), ("c", "a", 1)]]
)
def test_cycles_are_refused(flows):
    with pytest.raises(ValueError, match="cycle"):
        layout(flows)


def test_a_flow_to_itself_is_refused():
    with pytest.raises(ValueError, match="itself"):
        layout([("a", "a", 1)])
