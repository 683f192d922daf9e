"""Household pages for every role: who sees which household, and who sees full IDs."""

from datetime import date

import pytest

from aidbridge.accounts.models import Role, User
from aidbridge.regions.models import Region
from aidbridge.registry import idcard
from aidbridge.registry.privacy import id_decrypt

pytestmark = pytest.mark.django_db

ROLES = [
    "admin",
    "province-510000",
    "city-513400",
    "county-513422",
    "county-513401",
    "township-513422100",
    "township-513422101",
    "clerk-513422100001",
    "supervisor-513400",
    "auditor-513400",
    "social_worker-513422",
    "org-lsfund",
    "donor-demo",
]
VILLAGES = ["513422100001", "513422100200", "513422101200", "513401001003"]
PERSONAL = {"clerk", "township", "county", "social_worker", "admin"}


@pytest.fixture
def households(make_household):
    return {
        code: make_household(
            f"H-{code}",
            code,
            name=f"户主{n}",
            born=date(1970, 1, n),
            sequence=n,
            per_capita_income=3000 + n,
        )
        for n, code in enumerate(VILLAGES, start=1)
    }


def sees(user, village_code) -> bool:
    village = Region.objects.get(code=village_code)
    return user.role == Role.ADMIN or (
        user.region is not None and village.path.startswith(user.region.path)
    )


@pytest.mark.parametrize("username", ROLES)
def test_each_role_sees_exactly_the_households_in_its_scope(client, households, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    listing = client.get("/households/")
    for code, household in households.items():
        visible = sees(user, code)
        if listing.status_code == 200:
            assert (household.number in listing.content.decode()) == visible, code
        else:
            assert listing.status_code == 404 and not visible
        page = client.get(f"/households/{household.public_id}/")
        assert page.status_code == (200 if visible else 404), code
        if visible:
            member = household.members.get()
            full, html = id_decrypt(member.id_cipher), page.content.decode()
            born = member.birth_date.isoformat()
            if user.role in PERSONAL:
                assert full in html and born in html
            else:
                assert full not in html and member.id_masked in html
                assert born not in html and f"<td>{member.birth_date.year}</td>" in html


def test_a_resident_id_search_goes_to_the_household_without_touching_a_url(client, households):
    client.force_login(User.objects.get(username="county-513422"))
    household = households["513422100200"]
    number = idcard.generate(
        region_code="513422", birth_date=date(1970, 1, 2), sex="male", sequence=2
    )
    response = client.post("/households/", {"q": number})
    assert response.status_code == 302
    assert response.url == f"/households/{household.public_id}/"
    assert number not in response.url
    # An ID from another county is not found, and says so.
    other = idcard.generate(
        region_code="513422", birth_date=date(1970, 1, 4), sex="male", sequence=4
    )
    response = client.post("/households/", {"q": other}, follow=True)
    assert response.redirect_chain == []
    assert "H-513401001003" not in response.content.decode()


def test_filters_narrow_the_list(client, households):
    client.force_login(User.objects.get(username="admin"))
    response = client.post("/households/", {"region": "513422100", "band": "2300_4000"})
    assert response.url == "/households/?region=513422100&band=2300_4000"
    html = client.get(response.url).content.decode()
    assert "H-513422100001" in html and "H-513422100200" in html
    assert "H-513422101200" not in html
    html = client.get("/households/?status=lifted").content.decode()
    assert "H-513422100001" not in html
    assert client.get("/households/?region=999").status_code == 404


def export(client, username, query=""):
    client.force_login(User.objects.get(username=username))
    client.cookies.load({"django_language": "en"})
    response = client.get(f"/households/export.csv{query}")
    if response.status_code == 404:
        return None
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def test_exports_keep_to_scope_and_mask_ids(client, households):
    from aidbridge.registry.importer import import_households

    clerk = export(client, "clerk-513422100001")
    assert clerk[0].startswith("household_number,village_code")
    assert [line.split(",")[0] for line in clerk[1:]] == ["H-513422100001"]
    member = households["513422100001"].members.get()
    assert id_decrypt(member.id_cipher) in clerk[1]
    city = export(client, "supervisor-513400")
    assert len(city) == 5 and member.id_masked in "".join(city)
    assert id_decrypt(member.id_cipher) not in "".join(city)
    assert [line.split(",")[0] for line in export(client, "township-513422101")[1:]] == [
        "H-513422101200"
    ]
    assert [line.split(",")[0] for line in export(client, "admin", "?region=513422100")[1:]] == [
        "H-513422100001",
        "H-513422100200",
    ]
    # A clerk's export imports again without creating anything.
    result = import_households(
        by=User.objects.get(username="clerk-513422100001"),
        data="\n".join(clerk).encode(),
        filename="export.csv",
    )
    assert (result["households"], result["unchanged"], result["errors"]) == (0, 1, [])
    assert export(client, "org-lsfund") is None
