"""PATCH /households/{id}: a birth, a death and a new income through the API."""

from datetime import date

import pytest

from aidbridge.registry import idcard
from aidbridge.registry.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(make_household):
    return make_household("P-1", born=date(1960, 1, 1), per_capita_income=3000, income_year=2024)


def newborn(seq=5):
    return {
        "name": "小卓玛",
        "resident_id": idcard.generate(
            region_code="513422", birth_date=date(2026, 2, 1), sex="female", sequence=seq
        ),
        "relation": "grandchild",
        "labour": "none",
        "schooling": "preschool",
    }


def test_patch_adds_a_member_and_a_new_income(api, household):
    path = f"/households/{household.public_id}"
    response = api(
        "clerk-513422100001",
        "patch",
        path,
        {"per_capita_income": 4100, "income_year": 2025, "members": [newborn()]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["size"], body["per_capita_income"], body["income_year"]) == (2, 4100, 2025)
    baby = next(m for m in body["members"] if m["name"] == "小卓玛")
    assert baby["birth_date"] == "2026-02-01" and baby["left_on"] is None
    history = api("clerk-513422100001", "get", f"{path}/history").json()
    assert {c["field"] for c in history[0]["changes"]} >= {"人均纯收入（元）", "家庭成员"}
    assert history[0]["who"] == "clerk-513422100001"


def test_patch_member_leaves_and_null_keeps_values(api, household):
    path = f"/households/{household.public_id}"
    api("clerk-513422100001", "patch", path, {"members": [newborn()]})
    baby = household.members.get(name="小卓玛")
    response = api(
        "county-513422",
        "patch",
        path,
        {
            "address": None,
            "members": [{"id": baby.pk, "left_on": "2026-11-01", "left_reason": "moved_out"}],
        },
    )
    assert response.status_code == 200, response.content
    shown = {m["name"]: m for m in response.json()["members"]}
    assert shown["小卓玛"]["left_reason"] == "moved_out" and response.json()["size"] == 1
    assert Member.objects.get(pk=baby.pk).history.first().history_user.username == "county-513422"


def test_patch_problems_name_the_member_and_write_nothing(api, household):
    head = household.members.get()
    response = api(
        "clerk-513422100001",
        "patch",
        f"/households/{household.public_id}",
        {
            "per_capita_income": 5000,
            "members": [{"id": head.pk, "relation": "child"}, {**newborn(), "resident_id": "1"}],
        },
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"members", "members[2].resident_id"} <= fields
    household.refresh_from_db()
    assert household.per_capita_income == 3000 and household.members.get().relation == "head"


def test_patch_refuses_bad_choices_and_masks_ids(api, household):
    path = f"/households/{household.public_id}"
    assert api("clerk-513422100001", "patch", path, {"main_cause": "luck"}).status_code == 422
    response = api("city-513400", "patch", path, {"address": "x"})
    assert response.status_code == 403
    shown = api("city-513400", "get", path).json()["members"][0]
    assert "*" in shown["resident_id"] and shown["birth_date"] is None
