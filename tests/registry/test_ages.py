"""Ages against relation to the head: the pure core (registry.ages), its configuration, and
its problems through registration and the import, by row and field."""

from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput
from aidbridge.regions.models import Region
from aidbridge.registry import ages, demo, idcard
from aidbridge.registry.importer import import_households
from aidbridge.registry.models import Household
from aidbridge.registry.services import household_register

from .test_import_households import as_csv, row

TODAY = date(2026, 6, 15)
RULES = ages.Rules(marriage={"male": 22, "female": 20}, independent=16, adult=18)


def born(years: int, days: int = 0) -> date:
    """The birth date of someone ``years`` old today, ``days`` from a birthday."""
    return TODAY.replace(year=TODAY.year - years) - timedelta(days=days)


def codes(*people: tuple[str, str, date | None]) -> list[tuple[int, str]]:
    found = ages.check([ages.Person(*p) for p in people], RULES, TODAY)
    return [(index, code) for index, code, _params in found]


def test_married_members_are_of_marriage_age_by_their_sex():
    assert codes(("head", "male", born(22)), ("spouse", "female", born(20))) == []
    assert codes(("head", "male", born(22, -1)), ("spouse", "female", born(20, -1))) == [
        (0, "under_marriage_age"),
        (1, "under_marriage_age"),
    ]
    assert codes(("head", "female", born(21)), ("spouse", "male", born(21))) == [
        (1, "under_marriage_age")
    ]
    # Unmarried, a head of 19 is fine; a child-in-law is married.
    assert codes(("head", "male", born(19)), ("sibling", "female", born(17))) == []
    assert codes(
        ("head", "male", born(50)),
        ("child", "male", born(23)),
        ("child_in_law", "female", born(19)),
    ) == [(2, "under_marriage_age")]


def test_generations_are_not_reversed():
    head = ("head", "male", born(40))
    assert codes(head, ("parent", "female", born(39))) == [(1, "born_after_head")]
    assert codes(head, ("grandparent", "female", born(39))) == [(1, "born_after_head")]
    assert codes(head, ("child", "female", born(41))) == [(1, "born_before_head")]
    assert codes(head, ("child", "female", born(70))) == [(1, "born_before_head")]
    assert codes(head, ("grandchild", "male", born(41))) == [(1, "born_before_head")]
    # Siblings and other relatives may be of any age; a young mother is unusual, not wrong.
    assert codes(head, ("sibling", "male", born(60)), ("other", "male", born(1))) == []
    assert codes(head, ("parent", "female", born(53))) == []


def test_a_young_head_needs_an_adult():
    assert codes(("head", "female", born(15))) == [(0, "head_without_adult")]
    assert codes(("head", "female", born(15)), ("sibling", "male", born(17))) == [
        (0, "head_without_adult")
    ]
    assert codes(("head", "female", born(15)), ("grandparent", "male", born(70))) == []
    assert codes(("head", "female", born(16))) == []


def test_unknown_birth_dates_and_head_counts_are_left_to_the_other_checks():
    assert codes(("head", "male", None), ("parent", "male", born(1))) == []
    assert codes(("head", "male", born(10)), ("sibling", "male", None)) == []
    assert codes(("head", "male", born(40)), ("head", "male", born(10))) == []
    assert codes(("spouse", "male", born(10))) == []


adult_age = st.integers(min_value=22, max_value=90)


@given(
    head_age=adult_age,
    spouse=st.none() | adult_age,
    elders=st.lists(st.integers(1, 40), max_size=3),
    young=st.lists(st.integers(1, 40), max_size=5),
    birthday=st.integers(0, 364),
)
def test_a_household_in_generation_order_and_of_age_has_no_problems(
    head_age, spouse, elders, young, birthday
):
    head = ages.Person("head", "male", born(head_age, birthday))
    people = [head]
    if spouse is not None:
        people.append(ages.Person("spouse", "female", born(spouse)))
    people += [
        ages.Person("parent", "female", head.birth_date - timedelta(days=1 + 300 * d))
        for d in elders
    ]
    people += [
        ages.Person("child", "male", head.birth_date + timedelta(days=1 + 300 * d))
        for d in young
        if head.birth_date + timedelta(days=1 + 300 * d) <= TODAY
    ]
    assert ages.check(people, RULES, TODAY) == []


@given(
    head_age=st.integers(0, 100),
    other_age=st.integers(0, 100),
    relation=st.sampled_from(["parent", "grandparent", "child", "grandchild"]),
)
def test_a_reversed_generation_is_one_problem_of_that_member(head_age, other_age, relation):
    people = [
        ages.Person("head", "male", born(max(head_age, 16))),
        ages.Person(relation, "female", born(other_age, 1)),
    ]
    elder = relation in ages.ELDERS
    reversed_ = (
        (people[1].birth_date > people[0].birth_date)
        if elder
        else (people[1].birth_date < people[0].birth_date)
    )
    expected = [(1, "born_after_head" if elder else "born_before_head")] if reversed_ else []
    assert [(i, c) for i, c, _p in ages.check(people, RULES, TODAY)] == expected


@given(seed=st.integers(0, 10**6))
def test_demo_households_keep_the_rules(seed):
    villages = [("513422100001", "513422")]
    rules = ages.Rules(**django_settings.REGISTRY_AGES)
    for _household, members in demo.generate(villages=villages, n=30, seed=seed):
        people = [ages.Person(m["relation"], m["sex"], m["birth_date"]) for m in members]
        assert ages.check(people, rules, date(demo.YEAR, 1, 1)) == []


def rid(birth_date: date, sex: str, seq: int = 7) -> str:
    return idcard.generate(region_code="513422", birth_date=birth_date, sex=sex, sequence=seq)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_registration_names_the_members_relation(english):
    head = {
        "name": "甲",
        "resident_id": rid(date(1980, 5, 1), "male"),
        "relation": "head",
        "labour": "normal",
        "schooling": "primary",
    }
    child = {
        "name": "乙",
        "resident_id": rid(date(1950, 5, 1), "female"),
        "relation": "child",
        "labour": "normal",
        "schooling": "primary",
    }
    young = date(date.today().year - 19, 1, 1)  # 19 all this year
    spouse = {
        "name": "丙",
        "resident_id": rid(young, "female"),
        "relation": "spouse",
        "labour": "normal",
        "schooling": "primary",
    }
    with pytest.raises(InvalidInput) as caught:
        household_register(
            by=User.objects.get(username="clerk-513422100001"),
            village=Region.objects.get(code="513422100001"),
            data={"number": "H-1", "main_cause": "illness"},
            members=[head, child, spouse],
        )
    assert caught.value.errors == [
        {
            "field": "members[2].relation",
            "message": "born 1950-05-01, before "
            "the head of household (1980-05-01): cannot be the head's child",
        },
        {
            "field": "members[3].relation",
            "message": "is recorded as married but is 19, under the legal age of marriage (20)",
        },
    ]
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_the_import_reports_the_row_and_imports_the_others(english, settings):
    data = as_csv(
        [
            row("A", "甲", rid(date(1980, 5, 1), "male")),
            row("A", "乙", rid(date(1990, 5, 1), "female"), relation="parent"),
            row("B", "丙", rid(date(1981, 5, 1), "male", 8)),
            row("B", "丁", rid(date(2000, 5, 1), "female", 8), relation="spouse"),
        ]
    )
    county = User.objects.get(username="county-513422")
    result = import_households(by=county, data=data, filename="h.csv")
    assert result["errors"] == [
        {
            "row": 3,
            "field": "relation",
            "message": "born 1990-05-01, "
            "after the head of household (1980-05-01): cannot be the "
            "head's parent",
        }
    ]
    assert list(Household.objects.values_list("number", flat=True)) == ["B"]
    # The ages are configuration: with marriage at 30 for women, B's spouse is too young.
    settings.REGISTRY_AGES = {**settings.REGISTRY_AGES, "marriage": {"male": 22, "female": 30}}
    Household.objects.all().delete()
    result = import_households(by=county, data=data, filename="h.csv")
    assert [(e["row"], e["field"]) for e in result["errors"]] == [(3, "relation"), (5, "relation")]
