"""Item 5 of issue #14: each account's language (its pages after login, its
notifications), one msgid per meaning (contexts), 元 for money, names in the active
language joined as it writes them, and the error pages in the site's frame."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext_lazy

from aidbridge.accounts.models import User
from aidbridge.accounts.services import user_set_language
from aidbridge.errors import InvalidInput
from aidbridge.notifications.models import Notification
from aidbridge.notifications.services import notify
from aidbridge.regions.models import Region
from aidbridge.regions.words import enumeration, place
from aidbridge.registry.models import Health
from aidbridge.urls import urlpatterns as site

pytestmark = pytest.mark.django_db
CLERK, TOWNSHIP = "clerk-513422100001", "township-513422100"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def test_accounts_follow_the_browser_until_their_user_chooses(client, login, password):
    user = login(CLERK)
    assert user.language == ""
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.post("/accounts/login/", {"username": CLERK, "password": password})
    assert (
        COOKIE not in english.cookies
        and 'lang="en"' in english.get("/", follow=True).content.decode()
    )
    page = client.get("/accounts/me/")
    assert 'name="language"' in page.content.decode() and "语言" in page.content.decode()
    response = client.post("/accounts/me/language/", {"language": "en"})
    assert response.status_code == 302 and response.cookies[COOKIE].value == "en"
    user.refresh_from_db()
    assert user.language == "en"
    assert user.history.first().language == "en"  # in the account's history
    assert "Your language is saved." in client.get("/accounts/me/").content.decode()


def test_a_language_the_platform_lacks_is_refused(client, login):
    user = login(CLERK)
    with pytest.raises(InvalidInput) as refused:
        user_set_language(user=user, language="fr")
    assert refused.value.errors[0]["field"] == "language"
    client.post("/accounts/me/language/", {"language": "fr"})
    user.refresh_from_db()
    assert user.language == ""


def test_the_pages_follow_the_account_language_after_login(password):
    User.objects.filter(username=TOWNSHIP).update(language="en")
    client = Client()
    client.cookies[COOKIE] = "zh-hans"  # chosen before logging in
    response = client.post(
        "/accounts/login/", {"username": TOWNSHIP, "password": password}, follow=True
    )
    assert client.cookies[COOKIE].value == "en"
    assert response.status_code == 200 and 'lang="en"' in response.content.decode()


def test_each_notification_is_written_in_its_recipients_language():
    clerk = User.objects.get(username=CLERK)
    township = User.objects.get(username=TOWNSHIP)
    User.objects.filter(pk=township.pk).update(language="en")
    township.refresh_from_db()
    with translation.override("en"):  # the language of whoever acts does not matter
        notify(
            users=[clerk, township],
            subject=gettext_lazy("A need waits for your review: %(title)s"),
            body=gettext_lazy("Reason: %(reason)s"),
            params={"title": "医疗费用", "reason": "…"},
        )
    by_user = {n.user.username: n for n in Notification.objects.all()}
    assert "审核" in by_user[CLERK].subject and "医疗费用" in by_user[CLERK].subject
    assert by_user[CLERK].body.startswith("理由")
    assert by_user[TOWNSHIP].subject == "A need waits for your review: 医疗费用"


def test_a_claim_tells_the_clerk_its_amount_in_yuan_in_the_clerks_language(file_need, helper_staff):
    from aidbridge.needs.claims import claim_create

    need = file_need(kind="village", publish=True, amount=5000)
    claim_create(
        by=helper_staff,
        need=need,
        kind="money",
        amount=1200,
        deliver_by=date.today() + timedelta(days=9),
    )
    note = Notification.objects.get(user=need.created_by)
    assert "1200 元" in note.subject and "yuan" not in note.subject


def test_a_disability_and_a_disabled_account_read_differently():
    with translation.override("zh-hans"):
        assert str(Health.DISABLED.label) == "残疾"
        assert translation.pgettext("account", "Disabled") == "已停用"
    with translation.override("en"):
        assert str(Health.DISABLED.label) == "Disabled"


def test_the_need_form_offers_yuan_as_yuan_in_chinese(client, login):
    login(CLERK)
    page = client.get("/needs/new/").content.decode()
    assert 'name="unit" value="元"' in page


def test_names_and_places_are_written_as_each_language_writes_them(region):
    village = region("513422100001")
    with translation.override("zh-hans"):
        assert place(village) == "乔瓦镇达吉林社区"
        assert enumeration(["乔瓦镇", "瓦厂镇"]) == "乔瓦镇、瓦厂镇"
    with translation.override("en"):
        assert place(village) == "Dajilin Community, Qiaowa Town"
        assert enumeration(["Qiaowa Town", "Wachang Town"]) == "Qiaowa Town, Wachang Town"
    root = Region.objects.get(code="510000")
    with translation.override("zh-hans"):
        assert place(root) == "四川省"


def test_a_chinese_region_page_shows_no_english_names(client, login):
    login("county-513422")
    page = client.get("/regions/513422/").content.decode()
    assert "木里藏族自治县" in page and "乔瓦镇" in page
    assert "Muli" not in page and "Qiaowa" not in page


def test_the_404_page_is_in_the_site_frame_with_the_menu_and_translated(client, login):
    login(CLERK)
    response = client.get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and 'class="mainnav"' in page and "退出" in page
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/no/such/page/").content.decode()
    assert "Page not found" in english and 'class="topbar"' in english


def test_an_object_out_of_scope_answers_the_same_404_page(client, login, file_need):
    need = file_need(kind="village")
    login("township-513422101")  # Wachang: a draft need of a Qiaowa village is not theirs
    response = client.get(need.get_absolute_url())
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def boom(request):
    raise RuntimeError("a bug")


def forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


urlpatterns = [path("boom/", boom), path("forbidden/", forbidden), *site]
handler403 = "aidbridge.pages.permission_denied"
handler404 = "aidbridge.pages.page_not_found"
handler500 = "aidbridge.pages.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_the_403_page_is_styled_and_translated(login):
    client = Client()
    client.force_login(User.objects.get(username=CLERK))
    response = client.get("/forbidden/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问" in page and 'class="mainnav"' in page


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_is_styled_and_translated():
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=CLERK))
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "出错了" in page and 'class="mainnav"' in page and "a bug" not in page


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_still_answers_when_the_database_is_down(monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=CLERK))

    def down(*args, **kwargs):
        raise connection.features.connection.Database.OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", down)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "出错了" in page and 'class="topbar"' in page and 'class="mainnav"' not in page


def test_the_api_shows_and_sets_ones_language(api):
    assert api(CLERK, "get", "/users/me").json()["language"] == ""
    response = api(CLERK, "patch", "/users/me", {"language": "en"})
    assert response.status_code == 200 and response.json()["language"] == "en"
    refused = api(CLERK, "patch", "/users/me", {"language": "xx"})
    assert refused.status_code in (400, 422)
    assert refused.json()["errors"][0]["field"] == "language"
    assert User.objects.get(username=CLERK).language == "en"
