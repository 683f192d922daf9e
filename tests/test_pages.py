"""Pages: dashboard counts, both languages, audit history, account management."""

import pytest

from aidbridge.accounts.models import User

pytestmark = pytest.mark.django_db


def test_login_lands_on_the_users_region_dashboard(client, password):
    response = client.post(
        "/accounts/login/", {"username": "county-513422", "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/regions/513422/"
    children = response.context["children"]
    assert [c.code for c in children] == ["513422100", "513422101"]
    assert [c.villages for c in children] == [2, 1]
    assert [c.accounts for c in children] == [2, 1]  # township officer + clerk; one officer
    assert [n for _label, n in response.context["level_totals"]] == [2, 3]  # townships, villages


def test_chinese_is_the_default_and_english_is_a_switch_away(client, login):
    login("county-513422")
    page = client.get("/regions/513422/").content.decode()
    assert "木里藏族自治县" in page and "下级地区" in page and "退出" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/regions/513422/"})
    page = client.get("/regions/513422/").content.decode()
    assert "Muli Tibetan Autonomous County" in page and "Log out" in page
    assert "Qiaowa Town" in page


def test_region_history_shows_who_changed_what(client, login):
    from aidbridge.regions.services import read_region_csv, regions_load

    regions_load(
        rows=read_region_csv(
            "code,parent_code,level,name_zh,name_en\n"
            "513422100,513422,township,乔瓦镇,Qiaowa (new)\n"
        )
    )
    login("county-513422")
    client.cookies.load({"django_language": "en"})
    html = client.get("/regions/513422100/history/").content.decode()
    assert "Qiaowa Town" in html and "Qiaowa (new)" in html and "changed" in html


def test_a_township_officer_creates_and_disables_a_clerk(client, login):
    officer = login("township-513422100")
    response = client.post(
        "/accounts/new/",
        {
            "username": "clerk-new",
            "role": "clerk",
            "region": "513422100200",
            "password": "Zx9!long-pass",
            "display_name": "扎西",
        },
    )
    clerk = User.objects.get(username="clerk-new")
    assert response.url == f"/accounts/{clerk.pk}/"
    client.post(f"/accounts/{clerk.pk}/active/", {"active": "0"})
    clerk.refresh_from_db()
    assert not clerk.is_active
    record = clerk.history.first()
    assert record.history_user == officer and record.is_active is False
    page = client.get(f"/accounts/{clerk.pk}/").content.decode()
    assert "township-513422100" in page  # the history names who did it


def test_the_account_form_names_the_bad_field(client, login):
    login("township-513422100")
    client.cookies.load({"django_language": "en"})
    response = client.post(
        "/accounts/new/",
        {"username": "x", "role": "clerk", "region": "513401001003", "password": "Zx9!long-pass"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["region"] == [
        "Region 513401001003 is outside your area."
    ]
    assert not User.objects.filter(username="x").exists()


def test_account_search_and_paging(client, login):
    login("admin")
    html = client.get("/accounts/?q=township").content.decode()
    assert "township-513422100" in html and "county-513422" not in html
    assert "clerk-513422100001" in client.get("/accounts/?role=clerk").content.decode()


def test_org_staff_and_donors_get_a_home_page(client, login):
    login("org-lsfund")
    page = client.get("/").content.decode()
    assert "凉山乡村振兴公益基金会" in page


def test_styles_and_scripts_ship_with_the_project(client):
    for path in (
        "/static/aidbridge/app.css",
        "/static/aidbridge/vendor/htmx.min.js",
        "/static/aidbridge/logo.svg",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"".join(response.streaming_content)
    assert "//" not in client.get("/accounts/login/").content.decode().split("<body")[0].replace(
        "http://www.w3.org", ""
    )  # no external assets in the head


def test_chinese_numbers_are_grouped_by_thousands(client, login, make_household):
    household = make_household("N-1", sequence=40, per_capita_income=12345)
    login("county-513422")
    assert "12,345" in client.get(f"/households/{household.public_id}/").content.decode()
