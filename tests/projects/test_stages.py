"""The stage rules: every stage with the facts it needs, each missing fact on its own and
together, facts of other stages ignored, and no stage skipped or left backwards."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.projects.stages import ORDER, Facts, Refused, Stage, advance, missing

S = Stage
# Everything every stage asks for.
COMPLETE = Facts(stage=S.MINING, needs=1, survey_notes=1, targets=1, partners=1, milestones=2)
ALLOWED = {S.MINING: S.RAISING, S.RAISING: S.EXECUTING, S.EXECUTING: S.CLOSED}
# Per stage: a change of the complete facts that blocks the step, and the codes it gives.
FORBIDDEN = {
    S.MINING: [
        ({"needs": 0}, ["no_beneficiary"]),
        ({"survey_notes": 0}, ["no_survey_note"]),
        ({"needs": 0, "survey_notes": 0}, ["no_beneficiary", "no_survey_note"]),
    ],
    S.RAISING: [
        ({"targets": 0}, ["no_target"]),
        ({"partners": 0}, ["no_partner"]),
        ({"uncovered": ("书包",)}, ["not_covered"]),
        (
            {"targets": 0, "partners": 0, "uncovered": ("书包",)},
            ["no_target", "no_partner", "not_covered"],
        ),
    ],
    S.EXECUTING: [
        ({"milestones": 0}, ["no_milestone"]),
        ({"unfinished": ("发放",)}, ["unfinished"]),
        ({"milestones": 0, "unfinished": ("发放",)}, ["no_milestone", "unfinished"]),
    ],
    S.CLOSED: [({}, ["closed"])],
}


def refused(facts) -> list[str]:
    with pytest.raises(Refused) as info:
        advance(facts)
    assert info.value.missing == missing(facts)
    return [code for code, _params in info.value.missing]


@pytest.mark.parametrize("stage", list(ALLOWED))
def test_each_stage_moves_to_the_next_with_what_it_needs(stage):
    after = advance(replace(COMPLETE, stage=stage))
    assert after == ALLOWED[stage] and type(after) is Stage
    assert advance(replace(COMPLETE, stage=stage.value)) == after  # stored strings work alike
    assert missing(replace(COMPLETE, stage=stage)) == []


@pytest.mark.parametrize(
    ("stage", "change", "codes"), [(s, c, k) for s, rows in FORBIDDEN.items() for c, k in rows]
)
def test_each_missing_fact_is_named(stage, change, codes):
    assert refused(replace(COMPLETE, stage=stage, **change)) == codes


def test_refusals_carry_what_is_missing():
    uncovered = missing(replace(COMPLETE, stage=S.RAISING, uncovered=("书包", "棉被")))
    assert uncovered == [("not_covered", {"targets": "书包, 棉被"})]
    unfinished = missing(replace(COMPLETE, stage=S.EXECUTING, unfinished=("采购", "发放")))
    assert unfinished == [("unfinished", {"milestones": "采购, 发放"})]
    assert str(Refused(unfinished)) == "unfinished"


def test_a_household_without_a_need_is_enough_to_mine():
    assert advance(replace(COMPLETE, needs=0, households=3)) == S.RAISING


def test_a_managers_reason_lets_a_project_execute_without_full_pledges():
    facts = replace(COMPLETE, stage=S.RAISING, uncovered=("书包",), override=True)
    assert advance(facts) == S.EXECUTING
    # the reason does not replace a target or a partner
    assert refused(replace(facts, partners=0)) == ["no_partner"]


def test_facts_of_other_stages_do_not_block():
    nothing_later = replace(COMPLETE, targets=0, partners=0, uncovered=("x",), milestones=0)
    assert advance(nothing_later) == S.RAISING
    nothing_earlier = Facts(stage=S.EXECUTING, milestones=1)
    assert advance(nothing_earlier) == S.CLOSED


def test_unknown_stages_are_errors():
    with pytest.raises(ValueError):
        missing(Facts(stage="planning"))


@settings(max_examples=300, deadline=None)
@given(
    st.builds(
        Facts,
        stage=st.sampled_from(list(Stage)),
        needs=st.integers(0, 2),
        households=st.integers(0, 2),
        survey_notes=st.integers(0, 2),
        targets=st.integers(0, 2),
        partners=st.integers(0, 2),
        uncovered=st.lists(st.sampled_from("ab"), max_size=2).map(tuple),
        override=st.booleans(),
        milestones=st.integers(0, 2),
        unfinished=st.lists(st.sampled_from("xy"), max_size=2).map(tuple),
    )
)
def test_a_project_moves_one_stage_forward_exactly_when_nothing_is_missing(facts):
    lacking = missing(facts)
    if lacking:
        with pytest.raises(Refused):
            advance(facts)
    else:
        assert ORDER.index(advance(facts)) == ORDER.index(Stage(facts.stage)) + 1
