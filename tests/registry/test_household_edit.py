"""Editing households: births, deaths and moves, a new income, checked as a whole, in one
transaction, in the audit history, by those who may register in the village."""

from datetime import date

import pytest
from django.utils import translation

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.regions.models import Region
from aidbridge.registry import idcard
from aidbridge.registry.models import HouseholdIncome, Member
from aidbridge.registry.privacy import id_decrypt
from aidbridge.registry.services import household_edit, household_register

pytestmark = pytest.mark.django_db
CLERK = "clerk-513422100001"
TODAY = date(2026, 12, 4)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rid(born, sex, seq=1):
    return idcard.generate(region_code="513422", birth_date=born, sex=sex, sequence=seq)


def person(relation, sex, born, name, seq=1):
    return {
        "name": name,
        "relation": relation,
        "labour": "normal",
        "schooling": "primary",
        "resident_id": rid(born, sex, seq),
    }


@pytest.fixture
def household():
    return household_register(
        by=User.objects.get(username=CLERK),
        village=Region.objects.get(code="513422100001"),
        data={
            "number": "E-1",
            "main_cause": "illness",
            "income_year": 2024,
            "per_capita_income": 3000,
        },
        members=[
            person("head", "male", date(1950, 3, 2), "老扎西"),
            person("child", "male", date(1975, 3, 2), "扎西"),
            person("child_in_law", "female", date(1978, 8, 9), "卓玛"),
        ],
    )


def edit(household, data=None, members=(), by=CLERK):
    return household_edit(
        by=User.objects.get(username=by),
        household=household,
        data=data or {},
        members=list(members),
        today=TODAY,
    )


def ids(household):
    return {m.name: m.pk for m in household.members.all()}


def test_birth_death_and_new_income_in_one_edit(household):
    """The head dies, his son becomes head, a grandchild is born, the income is new."""
    pk = ids(household)
    edit(
        household,
        {"income_year": 2025, "per_capita_income": 5200, "address": " 新村 3 组 "},
        [
            {"id": pk["老扎西"], "left_on": date(2026, 5, 1), "left_reason": "died"},
            {"id": pk["扎西"], "relation": "head"},
            {"id": pk["卓玛"], "relation": "spouse", "health": "chronic"},
            {
                **person("child", "female", date(2026, 6, 1), "拉姆"),
                "labour": "none",
                "schooling": "preschool",
            },
        ],
    )
    household.refresh_from_db()
    assert (household.size, household.head_name, household.address) == (3, "扎西", "新村 3 组")
    assert household.per_capita_income == 5200
    assert dict(
        HouseholdIncome.objects.filter(household=household).values_list("year", "per_capita_income")
    ) == {2024: 3000, 2025: 5200}
    gone = Member.objects.get(pk=pk["老扎西"])
    assert (gone.left_on, gone.left_reason, gone.relation) == (date(2026, 5, 1), "died", "head")
    born = household.members.get(name="拉姆")
    assert born.birth_date == date(2026, 6, 1) and born.id_masked != id_decrypt(born.id_cipher)
    # Every change is in the audit history, as the clerk's.
    assert household.history.first().history_user.username == CLERK
    latest = household.history.first().diff_against(household.history.all()[1])
    assert {"head_name", "per_capita_income", "income_year", "address"} <= {
        c.field for c in latest.changes
    }
    assert gone.history.first().history_user.username == CLERK
    assert gone.history.first().left_reason == "died"
    assert born.history.first().history_type == "+"
    assert Member.objects.get(pk=pk["卓玛"]).history.first().health == "chronic"


def test_a_problem_writes_nothing_and_names_the_entry(household):
    pk = ids(household)
    before = household.history.count()
    with pytest.raises(InvalidInput) as raised:
        edit(
            household,
            {"per_capita_income": 3500},
            [
                {"id": pk["卓玛"], "health": "chronic"},
                {"id": pk["老扎西"], "left_on": date(2027, 1, 1), "left_reason": "died"},
                {**person("child", "male", date(2020, 1, 1), "", seq=7)},
            ],
        )
    fields = {e["field"]: e["message"] for e in raised.value.errors}
    assert fields["members[2].left_on"] == "is in the future"
    assert fields["members[3].name"] == "is empty"
    assert Member.objects.get(pk=pk["卓玛"]).health == "healthy"
    household.refresh_from_db()
    assert household.per_capita_income == 3000 and household.history.count() == before


def test_the_household_keeps_one_head(household):
    pk = ids(household)
    with pytest.raises(InvalidInput) as raised:
        edit(
            household,
            members=[{"id": pk["老扎西"], "left_on": date(2026, 5, 1), "left_reason": "died"}],
        )
    assert raised.value.errors == [
        {"field": "members", "message": "needs exactly one head of household, found 0"}
    ]


def test_leaving_needs_a_reason_and_other_fields_are_refused(household):
    pk = ids(household)
    with pytest.raises(InvalidInput) as raised:
        edit(
            household,
            {"status": "poor", "number": "X"},
            [{"id": pk["卓玛"], "left_on": date(2026, 5, 1)}, {"id": 999999, "name": "x"}],
        )
    fields = {e["field"] for e in raised.value.errors}
    assert fields == {"status", "number", "members[1].left_reason", "members[2].id"}


def test_a_person_is_in_one_household_only(household, make_household):
    other = make_household("E-2", sequence=9)
    elsewhere = id_decrypt(other.members.get().id_cipher)
    with pytest.raises(InvalidInput) as raised:
        edit(
            household,
            members=[{**person("child", "male", date(2020, 1, 1), "小"), "resident_id": elsewhere}],
        )
    assert raised.value.errors[-1]["field"] == "members[1].resident_id"
    assert "already registered" in raised.value.errors[-1]["message"]


def test_a_moved_member_stays_in_the_record(household):
    pk = ids(household)
    edit(
        household,
        members=[{"id": pk["卓玛"], "left_on": date(2026, 1, 1), "left_reason": "moved_out"}],
    )
    household.refresh_from_db()
    assert household.size == 2 and household.members.count() == 3


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        (CLERK, True),
        ("township-513422100", True),
        ("county-513422", True),
        ("admin", True),
        ("city-513400", False),
        ("county-513401", False),
        ("social_worker-513422", False),
    ],
)
def test_who_may_edit(household, username, allowed):
    if not User.objects.filter(username=username).exists():
        pytest.skip("no such demo user")
    if allowed:
        edit(household, {"address": "新址"}, by=username)
        household.refresh_from_db()
        assert household.address == "新址"
    else:
        with pytest.raises(NotAllowed):
            edit(household, {"address": "新址"}, by=username)
