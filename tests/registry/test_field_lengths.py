"""Text longer than its column holds is reported by row and field, through the import and
through registration, and nothing of that household is written (on PostgreSQL an over-long
value would otherwise stop the import partway with a DataError)."""

from datetime import date

import pytest
from django.utils import translation

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput
from aidbridge.regions.models import Region
from aidbridge.registry import idcard
from aidbridge.registry.importer import import_households
from aidbridge.registry.models import Household, Member
from aidbridge.registry.services import household_register, max_lengths

from .test_import_households import as_csv, row

pytestmark = pytest.mark.django_db

# Every text field people write, by model: (template column, member row or None for a
# household column); head_name is the head's name.
FIELDS = {
    ("household", "number"): ("household_number", None),
    ("household", "address"): ("address", None),
    ("household", "head_name"): ("name", 0),
    ("member", "name"): ("name", 1),
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rid(day, sex="male"):
    return idcard.generate(region_code="513422", birth_date=date(1980, 3, day), sex=sex, sequence=5)


def limit(model: str, field: str) -> int:
    return max_lengths({"household": Household, "member": Member}[model])[field]


def message(model: str, field: str) -> str:
    n = limit(model, field)
    return f"must have at most {n} characters, not {n + 1}"


def test_the_cases_cover_every_text_field_people_write():
    assert set(FIELDS) == {("household", f) for f in max_lengths(Household)} | {
        ("member", f) for f in max_lengths(Member)
    }


@pytest.mark.parametrize(("model", "field"), FIELDS)
def test_an_over_long_value_rejects_its_household_in_the_import(model, field):
    column, member = FIELDS[model, field]
    long = "户" * (limit(model, field) + 1)
    bad = {"household_number": "BAD", column: long}
    if member is None:
        rows = [
            row(**{"number": "BAD", "name": "甲", "resident_id": rid(1)} | bad),
            row(
                **{
                    "number": "BAD",
                    "name": "乙",
                    "resident_id": rid(2, "female"),
                    "relation": "spouse",
                }
                | bad
            ),
        ]
    else:
        names = ["甲", "乙"]
        names[member] = long
        rows = [
            row("BAD", names[0], rid(1)),
            row("BAD", names[1], rid(2, "female"), relation="spouse"),
        ]
    rows.append(row("GOOD", "丙", rid(3)))
    result = import_households(
        by=User.objects.get(username="county-513422"), data=as_csv(rows), filename="h.csv"
    )
    assert result["errors"] == [
        {"row": 2 + (member or 0), "field": column, "message": message(model, field)}
    ]
    assert (result["households"], result["rejected"]) == (1, 1)
    assert list(Household.objects.values_list("number", flat=True)) == ["GOOD"]
    assert Member.objects.count() == 1


def register(number="H-1", address="", names=("甲", "乙")):
    return household_register(
        by=User.objects.get(username="clerk-513422100001"),
        village=Region.objects.get(code="513422100001"),
        data={"number": number, "address": address, "main_cause": "illness"},
        members=[
            {
                "name": names[0],
                "resident_id": rid(1),
                "relation": "head",
                "labour": "normal",
                "schooling": "primary",
            },
            {
                "name": names[1],
                "resident_id": rid(2, "female"),
                "relation": "spouse",
                "labour": "normal",
                "schooling": "primary",
            },
        ],
    )


@pytest.mark.parametrize(("model", "field"), FIELDS)
def test_an_over_long_value_is_refused_at_registration(model, field):
    long = "户" * (limit(model, field) + 1)
    member = FIELDS[model, field][1]
    if member is None:
        kwargs = {field: long}
        expected = field
    else:
        names = ["甲", "乙"]
        names[member] = long
        kwargs = {"names": names}
        expected = f"members[{member + 1}].name"
    with pytest.raises(InvalidInput) as caught:
        register(**kwargs)
    assert caught.value.errors == [{"field": expected, "message": message(model, field)}]
    assert not Household.objects.exists() and not Member.objects.exists()


def test_values_at_the_limit_are_stored_whole():
    household = register(
        number="H" * limit("household", "number"),
        address=" " + "址" * limit("household", "address") + " ",
        names=("甲" * limit("household", "head_name"), "乙" * limit("member", "name")),
    )
    household.refresh_from_db()
    assert len(household.address) == limit("household", "address")
    assert sorted(len(name) for name in household.members.values_list("name", flat=True)) == sorted(
        [limit("household", "head_name"), limit("member", "name")]
    )


def test_the_api_and_the_page_name_the_field(api, client):
    body = {
        "number": "H-1",
        "village_code": "513422100001",
        "main_cause": "illness",
        "address": "址" * (limit("household", "address") + 1),
        "members": [
            {
                "name": "甲",
                "resident_id": rid(1),
                "relation": "head",
                "labour": "normal",
                "schooling": "primary",
            }
        ],
    }
    response = api("clerk-513422100001", "post", "/households", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["address"]
    client.force_login(User.objects.get(username="clerk-513422100001"))
    page = client.get("/households/new/").content.decode()
    assert f'maxlength="{limit("household", "address")}"' in page
    assert f'maxlength="{limit("member", "name")}"' in page
