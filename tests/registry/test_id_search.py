"""The search by full resident ID is logged (who, when, a keyed digest, how many found; never
the number) and limited per user, on the page and in the API, in both languages."""

from datetime import date, timedelta

import pytest

from aidbridge.accounts.models import ApiToken, User
from aidbridge.registry import idcard
from aidbridge.registry.models import IdSearch
from aidbridge.registry.privacy import id_digest, search_digest

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/households/search"


def rid(day: int) -> str:
    return idcard.generate(
        region_code="513422", birth_date=date(1970, 1, day), sex="male", sequence=day
    )


@pytest.fixture
def limited(settings, make_household):
    settings.ID_SEARCH_LIMIT = 3
    settings.ID_SEARCH_WINDOW = 3600
    return make_household("H-1", born=date(1970, 1, 1), sequence=1)


def api_search(client, number, username="county-513422", language="en"):
    _token, raw = ApiToken.issue(User.objects.get(username=username))
    return client.post(
        SEARCH,
        {"resident_id": number},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_each_search_is_logged_without_the_number(client, limited):
    assert [h["number"] for h in api_search(client, rid(1)).json()] == ["H-1"]
    assert api_search(client, rid(2)).json() == []
    county = User.objects.get(username="county-513422")
    logged = list(IdSearch.objects.order_by("at", "pk"))
    assert [(s.user, s.results) for s in logged] == [(county, 1), (county, 0)]
    assert [bytes(s.digest) for s in logged] == [search_digest(rid(1)), search_digest(rid(2))]
    assert bytes(logged[0].digest) != id_digest(rid(1))  # not joinable to the members
    stored = " ".join(str(v) for row in IdSearch.objects.values_list() for v in row)
    assert rid(1) not in stored and rid(2) not in stored


def test_past_the_limit_the_api_answers_429_with_retry_after(client, limited):
    for day in (1, 2, 3):
        assert api_search(client, rid(day)).status_code == 200
    refused = api_search(client, rid(1))
    assert refused.status_code == 429 and 3000 < int(refused["Retry-After"]) <= 3601
    assert "You have searched by resident ID 3 times" in refused.json()["errors"][0]["message"]
    assert "3 次" in api_search(client, rid(1), language="zh-hans").json()["errors"][0]["message"]
    assert IdSearch.objects.count() == 3  # refused searches do not run
    # Another user has a limit of their own; the window passes.
    assert api_search(client, rid(1), username="admin").status_code == 200
    IdSearch.objects.update(at=IdSearch.objects.order_by("at").first().at - timedelta(hours=1))
    assert api_search(client, rid(1)).status_code == 200


def test_past_the_limit_the_page_says_so(client, limited):
    client.force_login(User.objects.get(username="county-513422"))
    for day in (2, 3, 4):
        assert client.post("/households/", {"q": rid(day)}).status_code == 200
    refused = client.post("/households/", {"q": rid(1)})
    assert refused.status_code == 429
    assert "您在限定时间内已按身份证号查询 3 次" in refused.content.decode()
    client.cookies.load({"django_language": "en"})
    assert "try again in 60 minutes" in client.post("/households/", {"q": rid(1)}).content.decode()


def test_an_id_in_a_url_finds_nothing_and_is_not_a_search(client, limited):
    client.force_login(User.objects.get(username="county-513422"))
    page = client.get(f"/households/?q={rid(1)}").content.decode()
    assert "H-1" not in page and IdSearch.objects.count() == 0
