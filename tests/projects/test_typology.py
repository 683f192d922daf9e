"""The typology and participation form of a project from plain facts:
every model and every form from a table, the boundaries between them, and properties over
random facts checked against the rules restated independently."""

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.projects.typology import (
    Facts,
    Form,
    Funder,
    Initiator,
    Partner,
    Pledge,
    Role,
    Typology,
    participation_form,
    typology,
)

GOV, ORG = Initiator.GOVERNMENT, Initiator.ORGANIZATION
SIGNED = date(2026, 3, 1)


def facts(initiator, partners=(), pledges=()) -> Facts:
    return Facts(
        initiator=initiator,
        initiator_name="发起方",
        partners=tuple(partners),
        pledges=tuple(pledges),
    )


def partner(role, name=None, signed=None) -> Partner:
    return Partner(role=role, name=name or f"{role}-partner", agreement_on=signed)


def pledge(funder, name=None) -> Pledge:
    return Pledge(funder=funder, name=name or f"{funder}-funder")


TYPOLOGIES = [
    # Government initiators
    (GOV, [], [], Typology.ADMINISTRATIVE_PROVIDING),
    (GOV, [partner(Role.ORGANIZATION)], [], Typology.ADMINISTRATIVE_PROVIDING),
    (GOV, [partner(Role.ORGANIZATION, signed=SIGNED)], [], Typology.ADMINISTRATIVE_LED),
    (GOV, [partner(Role.SOCIAL_WORKER, signed=SIGNED)], [], Typology.ADMINISTRATIVE_LED),
    (GOV, [partner(Role.ORGANIZATION)], [pledge(Funder.GOVERNMENT)], Typology.ADMINISTRATIVE_LED),
    # a government partner's agreement ties government to government, not to an organization
    (
        GOV,
        [partner(Role.GOVERNMENT, signed=SIGNED), partner(Role.ORGANIZATION)],
        [],
        Typology.ADMINISTRATIVE_PROVIDING,
    ),
    # government money with no organization executing
    (GOV, [partner(Role.EXPERT)], [pledge(Funder.GOVERNMENT)], Typology.ADMINISTRATIVE_PROVIDING),
    # an enterprise is not a social organization
    (
        GOV,
        [partner(Role.ENTERPRISE, signed=SIGNED)],
        [pledge(Funder.ORGANIZATION)],
        Typology.ADMINISTRATIVE_PROVIDING,
    ),
    # Organization initiators
    (ORG, [], [], Typology.ORGANIZATION_PROVIDING),
    (ORG, [partner(Role.GOVERNMENT)], [], Typology.ORGANIZATION_PROVIDING),
    (ORG, [partner(Role.GOVERNMENT, signed=SIGNED)], [], Typology.ORGANIZATION_DRIVEN),
    (ORG, [], [pledge(Funder.GOVERNMENT)], Typology.ORGANIZATION_DRIVEN),
    (
        ORG,
        [partner(Role.ORGANIZATION, signed=SIGNED)],
        [pledge(Funder.ENTERPRISE)],
        Typology.ORGANIZATION_PROVIDING,
    ),
]


@pytest.mark.parametrize(("initiator", "partners", "pledges", "expected"), TYPOLOGIES)
def test_every_model_from_the_table(initiator, partners, pledges, expected):
    assert typology(facts(initiator, partners, pledges)).value == expected


def test_all_four_models_are_reached():
    assert {row[-1] for row in TYPOLOGIES} == set(Typology)


def test_the_reasons_name_the_deciding_facts():
    found = typology(
        facts(
            ORG,
            [
                partner(Role.GOVERNMENT, "木里县教育局", SIGNED),
                partner(Role.BENEFICIARY, "家长代表"),
            ],
            [pledge(Funder.GOVERNMENT, "佛山市"), pledge(Funder.GOVERNMENT, "佛山市")],
        )
    )
    assert found.value == Typology.ORGANIZATION_DRIVEN
    assert found.reasons == (
        ("initiated_by_organization", {"name": "发起方"}),
        ("government_agreement", {"name": "木里县教育局", "date": "2026-03-01"}),
        ("government_pledge", {"names": "佛山市"}),
        ("organization_executes", {"names": "发起方"}),
    )
    low = typology(facts(GOV))
    assert low.value == Typology.ADMINISTRATIVE_PROVIDING
    assert low.reasons == (
        ("initiated_by_government", {"name": "发起方"}),
        ("no_government_tie", {}),
        ("no_organization_executes", {}),
    )
    signed = typology(facts(GOV, [partner(Role.SOCIAL_WORKER, "社工站", SIGNED)]))
    assert signed.reasons[1:] == (
        ("organization_agreement", {"name": "社工站", "date": "2026-03-01"}),
        ("organization_executes", {"names": "社工站"}),
    )


FORMS = [
    # (initiator, partners, pledges, form, last reason code)
    (ORG, [], [], Form.UNDETERMINED, "missing_pledges"),
    (
        GOV,
        [partner(Role.EXPERT)],
        [pledge(Funder.GOVERNMENT)],
        Form.UNDETERMINED,
        "missing_organization",
    ),
    (
        ORG,
        [],
        [pledge(Funder.GOVERNMENT), pledge(Funder.ORGANIZATION)],
        Form.GOV_AND_ORG_INVEST,
        "funds_organization",
    ),
    (
        GOV,
        [],
        [pledge(Funder.GOVERNMENT), pledge(Funder.ORGANIZATION), pledge(Funder.ENTERPRISE)],
        Form.GOV_AND_ORG_INVEST,
        "funds_organization",
    ),
    (ORG, [], [pledge(Funder.GOVERNMENT)], Form.UNDETERMINED, "missing_organization_funds"),
    (
        ORG,
        [partner(Role.GOVERNMENT)],
        [pledge(Funder.GOVERNMENT), pledge(Funder.ENTERPRISE)],
        Form.UNDETERMINED,
        "missing_organization_funds",
    ),
    (
        ORG,
        [partner(Role.EXPERT)],
        [pledge(Funder.ORGANIZATION), pledge(Funder.ENTERPRISE)],
        Form.ORG_ENTERPRISE_WITH_EXPERTS,
        "experts_assist",
    ),
    # experts and joint funding win over government coordination
    (
        ORG,
        [partner(Role.EXPERT), partner(Role.GOVERNMENT)],
        [pledge(Funder.ORGANIZATION), pledge(Funder.ENTERPRISE)],
        Form.ORG_ENTERPRISE_WITH_EXPERTS,
        "experts_assist",
    ),
    (
        ORG,
        [partner(Role.GOVERNMENT)],
        [pledge(Funder.ENTERPRISE)],
        Form.ENTERPRISE_FUNDED_COORDINATED,
        "government_coordinates",
    ),
    (
        GOV,
        [partner(Role.ORGANIZATION)],
        [pledge(Funder.ENTERPRISE)],
        Form.ENTERPRISE_FUNDED_COORDINATED,
        "government_coordinates",
    ),
    (
        ORG,
        [partner(Role.GOVERNMENT)],
        [pledge(Funder.ENTERPRISE), pledge(Funder.ORGANIZATION)],
        Form.ENTERPRISE_FUNDED_COORDINATED,
        "government_coordinates",
    ),
    (
        ORG,
        [],
        [pledge(Funder.ENTERPRISE), pledge(Funder.ORGANIZATION)],
        Form.UNDETERMINED,
        "missing_coordination_or_experts",
    ),
    (
        ORG,
        [partner(Role.EXPERT)],
        [pledge(Funder.ENTERPRISE)],
        Form.UNDETERMINED,
        "missing_coordination_or_experts",
    ),
    (
        ORG,
        [partner(Role.BENEFICIARY)],
        [pledge(Funder.ORGANIZATION)],
        Form.SELF_FUNDED_WITH_BENEFICIARIES,
        "beneficiaries_take_part",
    ),
    (
        ORG,
        [partner(Role.BENEFICIARY)],
        [pledge(Funder.INDIVIDUAL)],
        Form.SELF_FUNDED_WITH_BENEFICIARIES,
        "beneficiaries_take_part",
    ),
    (
        GOV,
        [partner(Role.ORGANIZATION), partner(Role.BENEFICIARY)],
        [pledge(Funder.ORGANIZATION), pledge(Funder.INDIVIDUAL)],
        Form.SELF_FUNDED_WITH_BENEFICIARIES,
        "beneficiaries_take_part",
    ),
    (
        ORG,
        [partner(Role.EXPERT)],
        [pledge(Funder.ORGANIZATION)],
        Form.UNDETERMINED,
        "missing_beneficiaries",
    ),
]


@pytest.mark.parametrize(("initiator", "partners", "pledges", "expected", "last"), FORMS)
def test_every_form_from_the_table(initiator, partners, pledges, expected, last):
    found = participation_form(facts(initiator, partners, pledges))
    assert found.value == expected
    assert found.reasons[-1][0] == last


def test_all_four_forms_and_undetermined_are_reached():
    assert {row[3] for row in FORMS} == set(Form)


def test_form_reasons_name_the_funders_and_partners():
    found = participation_form(
        facts(
            ORG,
            [partner(Role.EXPERT, "传承人工作室"), partner(Role.EXPERT, "农大")],
            [
                pledge(Funder.ENTERPRISE, "彝绣企业"),
                pledge(Funder.ORGANIZATION, "基金会"),
                pledge(Funder.ORGANIZATION, "基金会"),
                pledge(Funder.ORGANIZATION, "志愿者联合会"),
            ],
        )
    )
    assert found.reasons == (
        ("funds_enterprise", {"names": "彝绣企业"}),
        ("funds_organization", {"names": "基金会, 志愿者联合会"}),
        ("experts_assist", {"names": "传承人工作室, 农大"}),
    )
    coordinated = participation_form(
        facts(
            GOV,
            [partner(Role.GOVERNMENT, "教育局"), partner(Role.ORGANIZATION)],
            [pledge(Funder.ENTERPRISE, "企业")],
        )
    )
    assert coordinated.reasons[-1] == ("government_coordinates", {"names": "发起方, 教育局"})
    assert participation_form(facts(ORG)).reasons == (("missing_pledges", {}),)


# Properties over random facts ----------------------------------------------------------------

names = st.sampled_from(["甲", "乙", "丙", "丁"])
partners = st.builds(
    Partner, role=st.sampled_from(list(Role)), name=names, agreement_on=st.none() | st.just(SIGNED)
)
pledges = st.builds(Pledge, funder=st.sampled_from(list(Funder)), name=names)
all_facts = st.builds(
    Facts,
    initiator=st.sampled_from(list(Initiator)),
    initiator_name=names,
    partners=st.lists(partners, max_size=5).map(tuple),
    pledges=st.lists(pledges, max_size=5).map(tuple),
)
ORGANIZATIONS = {Role.ORGANIZATION, Role.SOCIAL_WORKER}


@settings(max_examples=300, deadline=None)
@given(all_facts)
def test_the_typology_follows_its_two_dimensions(f):
    government = f.initiator == GOV
    other_side = ORGANIZATIONS if government else {Role.GOVERNMENT}
    tie = any(p.role in other_side and p.agreement_on for p in f.partners) or any(
        p.funder == Funder.GOVERNMENT for p in f.pledges
    )
    executes = not government or any(p.role in ORGANIZATIONS for p in f.partners)
    expected = {
        (True, False): Typology.ADMINISTRATIVE_PROVIDING,
        (False, False): Typology.ORGANIZATION_PROVIDING,
        (True, True): Typology.ADMINISTRATIVE_LED,
        (False, True): Typology.ORGANIZATION_DRIVEN,
    }[government, tie and executes]
    found = typology(f)
    assert found.value == expected
    assert found.reasons[0] == (f"initiated_by_{f.initiator}", {"name": f.initiator_name})
    lows = {code for code, _params in found.reasons if code.startswith("no_")}
    assert (lows == set()) == (tie and executes)


@settings(max_examples=300, deadline=None)
@given(all_facts)
def test_a_determined_form_has_what_its_definition_asks(f):
    kinds = {p.funder for p in f.pledges}
    roles = {p.role for p in f.partners}
    found = participation_form(f)
    match found.value:
        case Form.GOV_AND_ORG_INVEST:
            assert {Funder.GOVERNMENT, Funder.ORGANIZATION} <= kinds
        case Form.ORG_ENTERPRISE_WITH_EXPERTS:
            assert {Funder.ORGANIZATION, Funder.ENTERPRISE} <= kinds and Role.EXPERT in roles
            assert Funder.GOVERNMENT not in kinds
        case Form.ENTERPRISE_FUNDED_COORDINATED:
            assert Funder.ENTERPRISE in kinds and Funder.GOVERNMENT not in kinds
            assert Role.GOVERNMENT in roles or f.initiator == GOV
        case Form.SELF_FUNDED_WITH_BENEFICIARIES:
            assert kinds and kinds <= {Funder.ORGANIZATION, Funder.INDIVIDUAL}
            assert Role.BENEFICIARY in roles
        case Form.UNDETERMINED:
            assert found.reasons[-1][0].startswith("missing_")
    if found.value != Form.UNDETERMINED:
        assert f.initiator == ORG or roles & ORGANIZATIONS or Funder.ORGANIZATION in kinds
        assert not any(code.startswith("missing_") for code, _params in found.reasons)
    funded = {
        code.removeprefix("funds_") for code, _params in found.reasons if code.startswith("funds_")
    }
    assert funded == {str(k) for k in kinds}


@settings(max_examples=200, deadline=None)
@given(all_facts, st.randoms(use_true_random=False))
def test_the_order_of_records_does_not_matter(f, rng: random.Random):
    shuffled = Facts(
        initiator=f.initiator,
        initiator_name=f.initiator_name,
        partners=tuple(rng.sample(f.partners, len(f.partners))),
        pledges=tuple(rng.sample(f.pledges, len(f.pledges))),
    )
    assert typology(shuffled).value == typology(f).value
    assert participation_form(shuffled).value == participation_form(f).value
