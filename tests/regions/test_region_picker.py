"""One region picker for every form that names a region: suggestions by code or name from
the user's own area, the code submitted; and the clerk's household picker."""

from datetime import date

import pytest
from django.test import Client

from aidbridge.accounts.models import User
from aidbridge.registry import idcard

pytestmark = pytest.mark.django_db


def picked(client, username, typed, **params):
    if username:
        client.force_login(User.objects.get(username=username))
    response = client.get("/regions/pick/", {"field": "region", "region": typed, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_it_suggests_regions_of_the_users_area_by_name_or_code(client):
    found = picked(client, "township-513422100", "瓦")
    assert 'value="513422100"' in found and "乔瓦镇 · 木里藏族自治县" in found
    assert "513422101" not in found  # 瓦厂镇: another township
    by_code = picked(client, "township-513422100", "51342210")
    assert 'value="513422100001"' in by_code and 'value="513422100200"' in by_code
    villages = picked(client, "county-513422", "5134221", levels="village")
    assert "513422100001" in villages and 'value="513422100"' not in villages
    assert picked(client, "county-513422", "  ").strip() == ""


def test_english_names_are_searched_and_shown_in_english(client):
    client.cookies.load({"django_language": "en"})
    found = picked(client, "county-513422", "qiaowa")
    assert "Qiaowa Town · Muli Tibetan Autonomous County" in found


def test_those_without_an_area_pick_from_the_whole_public_tree():
    anonymous = picked(Client(), None, "瓦厂")
    assert 'value="513422101"' in anonymous and 'value="513422101200"' in anonymous
    assert 'value="513422101"' in picked(Client(), "org-lsfund", "瓦厂")


def test_a_field_of_several_codes_completes_its_last_word(client):
    found = picked(client, "county-513422", "513422100001 瓦厂", multiple="1")
    assert 'value="513422100001 513422101"' in found


def test_the_forms_carry_the_picker(client):
    client.force_login(User.objects.get(username="clerk-513422100001"))
    page = client.get("/needs/new/").content.decode()
    assert 'list="id_village-options"' in page and '<datalist id="id_village-options">' in page
    assert 'hx-get="/regions/pick/?field=village&amp;levels=village"' in page
    assert 'hx-post="/households/pick/?field=household_number&amp;village_field=village"' in page
    assert 'value="513422100001"' in page  # the clerk's village, as its code
    anonymous = Client().get("/portal/join/").content.decode()
    assert (
        'hx-get="/regions/pick/?field=region&amp;levels=county%2Ctownship%2Cvillage"' in anonymous
    )


@pytest.fixture
def households(make_household):
    born = date(1975, 5, 5)
    make_household("513422100001-0007", name="俄木拉", born=born, sequence=41)
    make_household("513422100001-0008", name="吉克", born=born, sequence=42)
    make_household("513422101200-0001", "513422101200", name="俄木呷", born=born, sequence=43)


def pick_household(client, username, typed, village=""):
    client.force_login(User.objects.get(username=username))
    return client.post(
        "/households/pick/?field=household_number&village_field=village",
        {"household_number": typed, "village": village},
    )


def test_the_clerk_picks_households_by_number_or_masked_head(client, households):
    found = pick_household(client, "clerk-513422100001", "俄木").content.decode()
    assert 'value="513422100001-0007"' in found and "俄木* · 达吉林社区" in found
    assert "513422101200" not in found and "俄木拉" not in found  # other area; full name
    by_number = pick_household(client, "clerk-513422100001", "513422100001-000").content.decode()
    assert "俄** · 达吉林社区" in by_number and "吉* · 达吉林社区" in by_number
    county = pick_household(client, "county-513422", "俄", village="513422101200").content.decode()
    assert 'value="513422101200-0001"' in county and "0007" not in county


def test_the_household_picker_never_takes_an_id_or_a_get(client, households):
    resident_id = idcard.generate(
        region_code="513422", birth_date=date(1975, 5, 5), sex="male", sequence=41
    )
    assert pick_household(client, "clerk-513422100001", resident_id).content.strip() == b""
    assert client.get("/households/pick/?household_number=513422100001").status_code == 405
    assert pick_household(client, "org-lsfund", "5134").status_code == 404


def test_the_lists_filter_by_a_picked_region(client):
    client.force_login(User.objects.get(username="county-513422"))
    for path in ["/needs/", "/households/", "/projects/", "/pairing/", "/matching/gaps/"]:
        page = client.get(path, {"region": "513422100"}).content.decode()
        assert 'id="filter_region"' in page and 'list="filter_region-options"' in page, path
        assert 'value="513422100"' in page, path
    public = Client().get("/portal/").content.decode()
    assert 'hx-get="/regions/pick/?field=region"' in public
