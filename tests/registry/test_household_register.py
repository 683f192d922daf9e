"""Registering households: validation by field, privacy of resident IDs, scope."""

from datetime import date

import pytest

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.regions.models import Region
from aidbridge.registry import idcard
from aidbridge.registry.id_search import resident_id_search
from aidbridge.registry.models import Household, Member
from aidbridge.registry.privacy import id_decrypt, id_digest
from aidbridge.registry.selectors import household_search
from aidbridge.registry.services import household_register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def person(relation, sex, born, seq, name, region="513422"):
    return {
        "name": name,
        "relation": relation,
        "labour": "normal",
        "schooling": "primary",
        "resident_id": idcard.generate(region_code=region, birth_date=born, sex=sex, sequence=seq),
    }


def family(seq=1):
    return [
        person("head", "male", date(1975, 3, 2), seq, "扎西"),
        person("spouse", "female", date(1978, 8, 9), seq, "卓玛"),
        person("child", "female", date(2010, 1, 20), seq, "拉姆"),
    ]


def register(by="clerk-513422100001", village="513422100001", number="H-1", members=None):
    return household_register(
        by=User.objects.get(username=by),
        village=Region.objects.get(code=village),
        data={
            "number": number,
            "main_cause": "illness",
            "per_capita_income": 3120,
            "income_year": 2025,
            "status": "poor",
        },
        members=family() if members is None else members,
    )


def test_it_registers_a_household_and_keeps_ids_private():
    members = family()
    household = register(members=[dict(m) for m in members])
    assert household.size == 3 and household.head_name == "扎西"
    assert household.region_path == "/510000/513400/513422/513422100/513422100001/"
    head = household.members.get(relation="head")
    number = members[0]["resident_id"]
    assert head.id_masked == "*" * 16 + number[-2:]
    assert id_decrypt(head.id_cipher) == number
    assert bytes(head.id_digest) == id_digest(number) and len(head.id_digest) == 32
    assert number.encode() not in bytes(head.id_cipher)
    assert head.sex == "male" and head.birth_date == date(1975, 3, 2)
    assert household.incomes.get().per_capita_income == 3120


def test_search_by_resident_id_name_and_number():
    register()
    county = User.objects.get(username="county-513422")
    number = family()[1]["resident_id"]
    assert [h.number for h in resident_id_search(by=county, number=number)] == ["H-1"]
    assert [h.number for h in resident_id_search(by=county, number=number.lower())] == ["H-1"]
    assert [h.number for h in household_search(county, q="卓玛")] == ["H-1"]
    assert [h.number for h in household_search(county, q="H-")] == ["H-1"]
    assert resident_id_search(by=county, number=family(seq=9)[0]["resident_id"]) == []
    assert list(household_search(county, q=number)) == []  # only through the logged search


def test_every_problem_names_its_field_and_nothing_is_written():
    members = family()
    members[0]["resident_id"] = members[0]["resident_id"][:17] + (
        "0" if members[0]["resident_id"][17] != "0" else "1"
    )  # wrong check character
    members[1]["sex"] = "male"  # ID says female
    members[2]["relation"] = "head"  # a second head
    members.append(dict(members[1], relation="sibling", sex=None))  # same person twice
    with pytest.raises(InvalidInput) as caught:
        register(members=members)
    fields = {e["field"] for e in caught.value.errors}
    assert fields == {
        "members[1].resident_id",
        "members[2].sex",
        "members",
        "members[4].resident_id",
    }
    assert not Household.objects.exists() and not Member.objects.exists()


def test_one_person_lives_in_one_household_only():
    register()
    with pytest.raises(InvalidInput) as caught:
        register(number="H-2", members=[family()[0] | {"name": "另一户"}])
    assert caught.value.errors == [
        {
            "field": "members[1].resident_id",
            "message": "this person is already registered in another household",
        }
    ]


def test_messages_speak_the_users_language(settings):
    from django.utils import translation

    members = family()
    members[0]["resident_id"] = "12345"
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as caught:
        register(members=members)
    assert caught.value.errors[0]["message"] == "必须为 18 位"


def test_only_registrars_of_the_village_may_register():
    with pytest.raises(NotAllowed):
        register(by="township-513422101")  # a sibling township
    with pytest.raises(NotAllowed):
        register(by="supervisor-513400")  # supervisors inspect, they do not register
    assert register(by="county-513422").number == "H-1"


def test_households_belong_to_villages():
    with pytest.raises(InvalidInput) as caught:
        register(by="county-513422", village="513422100")
    assert {"field": "village", "message": "households belong to a village"} in caught.value.errors


@pytest.mark.parametrize("year", [-5, 1999, date.today().year + 1, 40000])
@pytest.mark.parametrize("field", ["identified_year", "income_year"])
def test_years_outside_the_registrys_are_refused(field, year):
    with pytest.raises(InvalidInput) as caught:
        household_register(
            by=User.objects.get(username="clerk-513422100001"),
            village=Region.objects.get(code="513422100001"),
            members=family(),
            data={"number": "H-1", "main_cause": "illness", field: year},
        )
    assert [e["field"] for e in caught.value.errors] == [field]
    assert caught.value.errors[0]["message"].startswith("must be a year from 2000 to ")
    assert not Household.objects.exists()
