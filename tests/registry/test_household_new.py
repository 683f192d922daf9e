"""Registering a household on the page: numbered automatically, problems beside their field,
empty member rows ignored, villages limited to the clerk's own."""

from datetime import date

import pytest

from aidbridge.accounts.models import User
from aidbridge.regions.models import Region
from aidbridge.registry import idcard
from aidbridge.registry.models import Household

pytestmark = pytest.mark.django_db


def management(total=4):
    return {
        "m-TOTAL_FORMS": str(total),
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "12",
    }


def member(i, name, resident_id, relation):
    return {
        f"m-{i}-name": name,
        f"m-{i}-resident_id": resident_id,
        f"m-{i}-relation": relation,
        f"m-{i}-labour": "normal",
        f"m-{i}-schooling": "primary",
        f"m-{i}-medical_insurance": "yes",
    }


def household_fields():
    village = Region.objects.get(code="513422100001")
    return {
        "village": village.pk,
        "main_cause": "illness",
        "secondary_causes": ["skills"],
        "status": "marginal",
        "income_year": "2025",
        "per_capita_income": "4300",
    }


def rid(day, sex):
    return idcard.generate(
        region_code="513422", birth_date=date(1985, 6, day), sex=sex, sequence=21
    )


def test_a_clerk_registers_a_household_on_the_page(client):
    client.force_login(User.objects.get(username="clerk-513422100001"))
    page = client.get("/households/new/")
    assert list(page.context["form"].fields["village"].queryset.values_list("code", flat=True)) == [
        "513422100001"
    ]
    data = {
        **household_fields(),
        **management(),
        **member(0, "阿苏", rid(1, "male"), "head"),
        **member(1, "吉克", rid(2, "female"), "spouse"),
        "m-2-relation": "",
        "m-3-relation": "",
    }
    response = client.post("/households/new/", data)
    household = Household.objects.get()
    assert response.url == f"/households/{household.public_id}/"
    assert household.number == "5134221000010001" and household.size == 2
    assert household.secondary_causes == ["skills"] and household.status == "marginal"


def test_problems_are_shown_beside_their_member_field(client):
    client.force_login(User.objects.get(username="clerk-513422100001"))
    client.cookies.load({"django_language": "en"})
    bad = rid(2, "female")[:17] + ("0" if rid(2, "female")[17] != "0" else "1")
    data = {
        **household_fields(),
        **management(),
        **member(0, "阿苏", rid(1, "male"), "head"),
        **member(1, "吉克", bad, "spouse"),
    }
    response = client.post("/households/new/", data)
    assert response.status_code == 200
    errors = response.context["members"].forms[1].errors
    assert list(errors) == ["resident_id"] and "check character" in errors["resident_id"][0]
    assert not Household.objects.exists()


def test_a_village_outside_the_clerks_area_is_not_offered(client):
    client.force_login(User.objects.get(username="clerk-513422100001"))
    data = {
        **household_fields(),
        **management(),
        **member(0, "阿苏", rid(1, "male"), "head"),
        "village": Region.objects.get(code="513422101200").pk,
    }
    response = client.post("/households/new/", data)
    assert "village" in response.context["form"].errors
    assert not Household.objects.exists()
    client.force_login(User.objects.get(username="supervisor-513400"))
    assert client.get("/households/new/").status_code == 404
