"""The entry and exit procedure: the transition table, guards, objections, random walks."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.registry.procedure import (
    NOTICES,
    ROLES,
    TERMINAL,
    TRANSITIONS,
    Action,
    Case,
    ProcedureError,
    Stage,
    allowed_actions,
    apply,
    due_transitions,
)

A, S = Action, Stage
DAY = date(2024, 3, 1)
HAPPY_PATH = [  # (action, role, days after DAY)
    (A.APPLY, "clerk", 0),
    (A.RECORD_APPRAISAL, "clerk", 3),
    (A.START_FIRST_NOTICE, "clerk", 4),
    (A.CLOSE_NOTICE, "township", 11),
    (A.TOWNSHIP_APPROVE, "township", 12),
    (A.START_SECOND_NOTICE, "township", 13),
    (A.CLOSE_NOTICE, "township", 20),
    (A.COUNTY_APPROVE, "county", 22),
    (A.ANNOUNCE, "county", 23),
]


def day(n):
    return DAY + timedelta(days=n)


def walk(case, steps):
    for action, role, n in steps:
        case = apply(case, action, role=role, on=day(n))
    return case


def refused(code, case, action, role, on=DAY, comment="because"):
    with pytest.raises(ProcedureError) as info:
        apply(case, action, role=role, on=on, comment=comment)
    assert info.value.code == code, info.value.params
    return info.value.params


def at(stage, **fields):
    """A case standing at ``stage``; a notice started on DAY."""
    return Case("entry", stage, notice_started=DAY if stage in NOTICES else None, **fields)


def ready(stage, guard):
    """A case at ``stage`` whose ``guard`` holds on day(7)."""
    return at(stage, paused=guard == "objection_pending")


@pytest.mark.parametrize("kind", ["entry", "exit"])
def test_happy_path(kind):
    case = walk(Case(kind), HAPPY_PATH)
    assert case.stage == S.ANNOUNCED and case.kind == kind
    assert [s.action for s in case.history] == [a for a, _, _ in HAPPY_PATH]
    assert case.history[3].role == "township" and case.history[3].on == day(11)
    assert case.notice_started is None and not case.paused
    assert all(allowed_actions(case, role, day(30)) == [] for role in ROLES)


def test_every_stage_but_the_terminal_ones_has_a_way_out():
    assert {stage for stage, _ in TRANSITIONS} == set(Stage) - TERMINAL


@pytest.mark.parametrize(("stage", "action"), list(TRANSITIONS))
def test_every_transition_succeeds_with_its_roles(stage, action):
    transition = TRANSITIONS[stage, action]
    assert transition.roles
    for role in transition.roles:
        case = apply(
            ready(stage, transition.guard), action, role=role, on=day(7), comment="because"
        )
        assert case.stage == transition.next
        assert case.history[-1].action == action and case.history[-1].role == role


@pytest.mark.parametrize(("stage", "action"), list(TRANSITIONS))
def test_every_transition_fails_with_every_other_role(stage, action):
    transition = TRANSITIONS[stage, action]
    for role in set(ROLES) - transition.roles:
        params = refused("wrong_role", ready(stage, transition.guard), action, role, day(7))
        assert params["allowed"] == sorted(transition.roles)


@pytest.mark.parametrize("stage", list(Stage))
def test_actions_outside_the_table_are_not_allowed_now(stage):
    for action in Action:
        if (stage, action) not in TRANSITIONS:
            for role in ROLES:
                for paused in {False, stage in NOTICES}:
                    refused("not_allowed_now", at(stage, paused=paused), action, role, day(7))


def test_admin_may_do_nothing():
    assert all("admin" not in t.roles for t in TRANSITIONS.values())


@pytest.mark.parametrize("notice", sorted(NOTICES))
def test_notice_cannot_close_before_its_days(notice):
    case = at(notice, notice_days=10)
    assert case.notice_ends == day(10)
    params = refused("notice_not_over", case, A.CLOSE_NOTICE, "township", day(9))
    assert params == {"ends": day(10)}
    assert due_transitions(case, day(9)) == []
    assert A.CLOSE_NOTICE not in allowed_actions(case, "township", day(9))
    assert due_transitions(case, day(10)) == [A.CLOSE_NOTICE]
    assert A.CLOSE_NOTICE in allowed_actions(case, "township", day(10))
    assert apply(case, A.CLOSE_NOTICE, role="township", on=day(10)).notice_started is None


def test_starting_a_notice_sets_its_first_day():
    case = walk(Case("exit"), HAPPY_PATH[:3])
    assert case.stage == S.FIRST_NOTICE and case.notice_started == day(4)
    assert case.notice_ends == day(11)
    assert due_transitions(case, day(10)) == []
    assert due_transitions(case, day(11)) == [A.CLOSE_NOTICE]


def test_no_transitions_are_due_outside_a_notice():
    for stage in set(Stage) - NOTICES:
        assert due_transitions(at(stage), day(100)) == []


@pytest.mark.parametrize("notice", sorted(NOTICES))
def test_objection_pauses_the_notice_and_blocks_closing(notice):
    case = apply(at(notice), A.OBJECT, role="province", on=day(2), comment="he owns a car")
    assert case.paused and case.stage == notice and case.notice_started == DAY
    assert case.history[-1].comment == "he owns a car"
    refused("paused", case, A.CLOSE_NOTICE, "township", day(30))
    refused("paused", case, A.OBJECT, "clerk", day(3))
    assert due_transitions(case, day(30)) == []
    assert allowed_actions(case, "township", day(30)) == [A.UPHOLD_OBJECTION, A.DISMISS_OBJECTION]
    assert allowed_actions(case, "clerk", day(30)) == [A.WITHDRAW]


def test_upheld_objection_rejects():
    case = apply(at(S.SECOND_NOTICE), A.OBJECT, role="clerk", on=day(2), comment="hidden income")
    refused("comment_required", case, A.UPHOLD_OBJECTION, "township", day(3), comment=" ")
    case = apply(case, A.UPHOLD_OBJECTION, role="township", on=day(3), comment="confirmed")
    assert case.stage == S.REJECTED and not case.paused and case.notice_started is None


def test_dismissed_objection_restarts_the_notice_for_its_full_length():
    case = apply(at(S.FIRST_NOTICE), A.OBJECT, role="county", on=day(5), comment="doubtful")
    case = apply(case, A.DISMISS_OBJECTION, role="township", on=day(9))
    assert case.stage == S.FIRST_NOTICE and not case.paused
    assert case.notice_started == day(9) and case.notice_ends == day(16)
    refused("notice_not_over", case, A.CLOSE_NOTICE, "township", day(15))
    case = apply(case, A.CLOSE_NOTICE, role="township", on=day(16))
    assert case.stage == S.TOWNSHIP_REVIEW


def test_resolving_needs_a_pending_objection():
    for action in (A.UPHOLD_OBJECTION, A.DISMISS_OBJECTION):
        refused("not_allowed_now", at(S.FIRST_NOTICE), action, "township")


@pytest.mark.parametrize(
    ("stage", "role"),
    [(S.APPLIED, "clerk"), (S.TOWNSHIP_REVIEW, "township"), (S.COUNTY_REVIEW, "county")],
)
def test_reject_needs_a_comment(stage, role):
    for blank in ("", "  \n"):
        assert refused("comment_required", at(stage), A.REJECT, role, comment=blank) == {
            "action": A.REJECT
        }
    case = apply(at(stage), A.REJECT, role=role, on=DAY, comment="income above the line")
    assert case.stage == S.REJECTED and case.history[-1].comment == "income above the line"


def test_object_needs_a_comment():
    refused("comment_required", at(S.FIRST_NOTICE), A.OBJECT, "clerk", comment="")


def test_withdrawal_only_before_county_approval():
    case, withdrawable = Case("entry"), []
    for action, role, n in HAPPY_PATH:
        withdrawable.append(A.WITHDRAW in allowed_actions(case, "clerk", day(n)))
        case = apply(case, action, role=role, on=day(n))
    assert withdrawable == [False] + [True] * 7 + [False]
    refused("not_allowed_now", at(S.APPROVED), A.WITHDRAW, "clerk")
    paused = at(S.SECOND_NOTICE, paused=True)
    case = apply(paused, A.WITHDRAW, role="clerk", on=DAY)
    assert case.stage == S.WITHDRAWN and not case.paused and case.notice_started is None


@pytest.mark.parametrize("stage", sorted(TERMINAL))
def test_terminal_stages_allow_nothing(stage):
    case = at(stage)
    assert all(allowed_actions(case, role, day(100)) == [] for role in ROLES)
    assert due_transitions(case, day(100)) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "transfer"}, "kind"),
        ({"notice_days": 0}, "notice_days"),
        ({"stage": "somewhere"}, "somewhere"),
        ({"stage": S.FIRST_NOTICE}, "notice_started"),
        ({"notice_started": DAY}, "notice_started"),
        ({"paused": True}, "paused"),
    ],
)
def test_inconsistent_cases_cannot_be_built(fields, message):
    with pytest.raises(ValueError, match=message):
        Case(**{"kind": "entry", **fields})


def test_stages_and_actions_may_be_given_as_strings():
    case = apply(Case("entry", "draft"), "apply", role="clerk", on=DAY)
    assert case.stage is S.APPLIED and case.history[-1].action is A.APPLY


# Random walks mixing three kinds of moves: anything at all, any allowed step, and an allowed
# step that does not reject or withdraw (so that walks get far).
ANYTHING, ALLOWED, PROGRESS = range(3)
moves = st.lists(
    st.tuples(
        st.sampled_from([ANYTHING, ALLOWED] + [PROGRESS] * 4),
        st.sampled_from(list(Action)),
        st.sampled_from(ROLES),
        st.integers(0, 6),
        st.sampled_from(["", "because"]),
        st.randoms(use_true_random=False),
    ),
    min_size=10,
    max_size=40,
)


def pick(rnd, options):
    """An action first, then one of its roles: else the many objectors crowd out the rest."""
    action = rnd.choice(sorted({a for a, _ in options}))
    return action, rnd.choice(sorted(r for a, r in options if a == action))


def consistent(case, previous):
    assert (case.notice_started is not None) == (case.stage in NOTICES)
    assert not case.paused or case.stage in NOTICES
    assert len(case.history) == len(previous.history) + 1
    # Without objections and their dismissals, history is a prefix of the happy path,
    # possibly ended by one terminal step.
    main = [s.action for s in case.history if s.action not in (A.OBJECT, A.DISMISS_OBJECTION)]
    happy = [a for a, _, _ in HAPPY_PATH]
    if main[-1] in (A.REJECT, A.WITHDRAW, A.UPHOLD_OBJECTION):
        main = main[:-1]
    assert main == happy[: len(main)]
    assert (case.stage == S.ANNOUNCED) == (main == happy)
    # Every notice closed no earlier than its (re)start plus its days.
    started = None
    for step in case.history:
        if step.action in (A.START_FIRST_NOTICE, A.START_SECOND_NOTICE, A.DISMISS_OBJECTION):
            started = step.on
        elif step.action == A.CLOSE_NOTICE:
            assert step.on >= started + timedelta(days=case.notice_days)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["entry", "exit"]), st.integers(1, 5), moves)
def test_random_walks_stay_consistent(kind, notice_days, moves):
    case, today = Case(kind, notice_days=notice_days), DAY
    for mode, action, role, wait, comment, rnd in moves:
        today += timedelta(days=wait)
        options = [(a, r) for r in ROLES for a in allowed_actions(case, r, today)]
        progress = [
            (a, r)
            for a, r in options
            if TRANSITIONS[case.stage, a].next not in (S.REJECTED, S.WITHDRAWN)
        ]
        if mode == ALLOWED and options:
            action, role = pick(rnd, options)
        elif mode == PROGRESS and progress:
            action, role = pick(rnd, progress)
        try:
            after = apply(case, action, role=role, on=today, comment=comment)
        except ProcedureError as error:
            assert (action, role) not in options or error.code == "comment_required"
            continue
        assert (action, role) in options
        consistent(after, case)
        case = after
    if case.stage in TERMINAL:
        assert all(allowed_actions(case, r, today) == [] for r in ROLES)
