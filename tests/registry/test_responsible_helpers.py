"""Responsible helpers (帮扶责任人) of households: assigned and ended with history by whoever
may edit the household, listed on its page and in the API with phones masked for roles that
do not need them, and given by the demo to poor and monitored households."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.helpers.models import Organization
from aidbridge.registry import demo
from aidbridge.registry.models import Household, HouseholdStatus, ResponsibleHelper
from aidbridge.registry.responsible import responsible_helper_assign, responsible_helper_end
from aidbridge.registry.services import max_lengths

pytestmark = pytest.mark.django_db

PHONE, MASKED = "13812345678", "138****5678"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def household(make_household):
    return make_household("H-1", "513422100001")


@pytest.fixture
def assign(user):
    """assign(household, by="clerk-513422100001", **data): a responsible helper, 张三."""

    def make(household, by="clerk-513422100001", **data):
        fields = {
            "name": "张三",
            "work_unit": "乔瓦镇人民政府",
            "phone": PHONE,
            "since": date(2024, 3, 1),
        } | data
        return responsible_helper_assign(by=user(by), household=household, **fields)

    return make


def test_it_assigns_and_ends_with_audit_history(household, user, assign):
    helper = assign(
        household, helper=Organization.objects.get(code="lsfund"), user=user("clerk-513422100001")
    )
    assert list(household.responsible_helpers.all()) == [helper]
    assert (helper.name, helper.work_unit, helper.phone, helper.until) == (
        "张三",
        "乔瓦镇人民政府",
        PHONE,
        None,
    )
    today = timezone.localdate()
    responsible_helper_end(by=user("township-513422100"), assignment=helper, until=today)
    helper.refresh_from_db()
    assert helper.until == today
    history = list(helper.history.order_by("history_date"))
    assert [(h.history_type, h.history_user.username) for h in history] == [
        ("+", "clerk-513422100001"),
        ("~", "township-513422100"),
    ]


def test_every_problem_names_its_field_and_nothing_is_written(household, assign):
    lengths = max_lengths(ResponsibleHelper)
    with pytest.raises(InvalidInput) as caught:
        assign(
            household,
            name=" ",
            work_unit="单" * (lengths["work_unit"] + 1),
            phone="call me",
            since=timezone.localdate() + timedelta(days=1),
        )
    assert {e["field"]: e["message"] for e in caught.value.errors} == {
        "name": "is empty",
        "phone": "is not a phone number",
        "since": "is in the future",
        "work_unit": f"must have at most {lengths['work_unit']} characters, "
        f"not {lengths['work_unit'] + 1}",
    }
    with pytest.raises(InvalidInput) as caught:
        assign(household, name="张" * (lengths["name"] + 1))
    assert [e["field"] for e in caught.value.errors] == ["name"]
    assert not ResponsibleHelper.objects.exists()


def test_one_person_is_responsible_once_at_a_time_and_may_come_back(household, user, assign):
    first = assign(household)
    with pytest.raises(InvalidInput) as caught:
        assign(household, since=date(2024, 5, 1))
    assert caught.value.errors == [
        {"field": "name", "message": "is responsible for this household already"}
    ]
    assign(household, name="李四")  # several at once
    responsible_helper_end(by=user("clerk-513422100001"), assignment=first, until=date(2024, 6, 1))
    assign(household, since=date(2024, 7, 1))
    assert household.responsible_helpers.filter(name="张三").count() == 2


def test_an_end_is_after_the_start_and_only_once(household, user, assign):
    helper = assign(household)
    with pytest.raises(InvalidInput) as caught:
        responsible_helper_end(
            by=user("clerk-513422100001"), assignment=helper, until=date(2024, 2, 1)
        )
    assert caught.value.errors[0]["field"] == "until"
    responsible_helper_end(by=user("clerk-513422100001"), assignment=helper, until=date(2024, 4, 1))
    with pytest.raises(InvalidInput) as caught:
        responsible_helper_end(
            by=user("clerk-513422100001"), assignment=helper, until=date(2024, 5, 1)
        )
    assert caught.value.errors == [
        {"field": "until", "message": "this responsibility has ended already"}
    ]


@pytest.mark.parametrize(
    "username",
    [
        "township-513422101",
        "supervisor-513400",
        "social_worker-513422",
        "city-513400",
        "org-lsfund",
    ],
)
def test_only_those_who_may_edit_the_household_assign_and_end(household, username, user, assign):
    helper = assign(household)
    with pytest.raises(NotAllowed):
        assign(household, by=username, name="李四")
    with pytest.raises(NotAllowed):
        responsible_helper_end(by=user(username), assignment=helper, until=date(2024, 4, 1))


def test_a_linked_account_is_one_the_assigner_may_see(household, user, assign):
    assign(household, user=user("clerk-513422100001"))  # a clerk links themselves
    with pytest.raises(InvalidInput) as caught:
        assign(household, name="李四", user=user("county-513422"))
    assert caught.value.errors == [{"field": "user", "message": "no such account in your area"}]
    assign(household, by="township-513422100", name="李四", user=user("clerk-513422100001"))


@pytest.mark.parametrize(
    ("username", "phone"),
    [
        ("clerk-513422100001", PHONE),
        ("county-513422", PHONE),
        ("social_worker-513422", PHONE),
        ("admin", PHONE),
        ("supervisor-513400", MASKED),
        ("city-513400", MASKED),
        ("township-513422101", None),
        ("org-lsfund", None),
    ],
)
def test_the_household_page_lists_them_with_phones_for_those_who_need_them(
    client, household, username, phone, user, assign
):
    assign(household)
    client.force_login(user(username))
    page = client.get(f"/households/{household.public_id}/")
    assert page.status_code == (404 if phone is None else 200)
    if phone:
        html = page.content.decode()
        assert "张三" in html and "乔瓦镇人民政府" in html and phone in html
        assert phone == PHONE or PHONE not in html
        editor = username in ("clerk-513422100001", "county-513422", "admin")
        assert (f"/households/{household.public_id}/helpers/new/" in html) == editor


def test_assigning_and_ending_on_the_pages(client, household, user):
    client.force_login(user("clerk-513422100001"))
    client.cookies.load({"django_language": "en"})
    url = f"/households/{household.public_id}/helpers/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "张三", "phone": "not a phone", "since": "2024-03-01"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"phone": ["is not a phone number"]}
    response = client.post(
        url,
        {
            "name": "张三",
            "work_unit": "乔瓦镇人民政府",
            "phone": PHONE,
            "helper": "lsfund",
            "user": "clerk-513422100001",
            "since": "2024-03-01",
        },
    )
    assert response.url == f"/households/{household.public_id}/#helpers"
    helper = household.responsible_helpers.get()
    assert (helper.helper.code, helper.user.username) == ("lsfund", "clerk-513422100001")
    response = client.post(url, {"name": "李四", "user": "county-513422", "since": "2024-03-01"})
    assert "user" in response.context["form"].errors  # not an account the clerk may see
    response = client.post(f"/households/{household.public_id}/helpers/{helper.pk}/end/")
    assert response.url == f"/households/{household.public_id}/#helpers"
    helper.refresh_from_db()
    assert helper.until == timezone.localdate()


@pytest.mark.parametrize("username", ["township-513422101", "supervisor-513400"])
def test_the_pages_are_not_there_for_others(client, household, username, user, assign):
    helper = assign(household)
    client.force_login(user(username))
    assert client.get(f"/households/{household.public_id}/helpers/new/").status_code == 404
    assert (
        client.post(
            f"/households/{household.public_id}/helpers/{helper.pk}/end/",
        ).status_code
        == 404
    )
    helper.refresh_from_db()
    assert helper.until is None


def test_the_api(api, household):
    path = f"/households/{household.public_id}"
    response = api(
        "clerk-513422100001",
        "post",
        f"{path}/helpers",
        {
            "name": "张三",
            "work_unit": "乔瓦镇人民政府",
            "phone": PHONE,
            "helper": "lsfund",
            "since": "2024-03-01",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["phone"], created["helper_code"], created["until"]) == (PHONE, "lsfund", None)
    listed = api("supervisor-513400", "get", path).json()["responsible_helpers"]
    assert [(h["name"], h["phone"]) for h in listed] == [("张三", MASKED)]
    assert api("county-513422", "get", path).json()["responsible_helpers"][0]["phone"] == PHONE
    bad = api(
        "clerk-513422100001",
        "post",
        f"{path}/helpers",
        {"name": "李四", "helper": "nobody", "since": "2024-03-01"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "helper"
    bad = api(
        "clerk-513422100001",
        "post",
        f"{path}/helpers",
        {"name": "李四", "user": "county-513422", "since": "2024-03-01"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "user"
    assert (
        api(
            "supervisor-513400", "post", f"{path}/helpers", {"name": "李四", "since": "2024-03-01"}
        ).status_code
        == 403
    )
    assert (
        api(
            "township-513422101", "post", f"{path}/helpers", {"name": "李四", "since": "2024-03-01"}
        ).status_code
        == 404
    )
    end = f"{path}/helpers/{created['id']}/end"
    assert api("supervisor-513400", "post", end, {}).status_code == 403
    ended = api("township-513422100", "post", end, {"until": "2024-09-30"})
    assert ended.status_code == 200 and ended.json()["until"] == "2024-09-30"
    assert api("township-513422100", "post", f"{path}/helpers/999999/end", {}).status_code == 404


def test_the_demo_gives_poor_and_monitored_households_responsible_helpers():
    assert demo.load(n=400, seed=7) == 400
    helped = Household.objects.filter(status__in=demo.HELPED)
    assert helped.exists()
    assert set(ResponsibleHelper.objects.values_list("household__status", flat=True)) == set(
        demo.HELPED
    )
    current = ResponsibleHelper.objects.filter(until__isnull=True)
    assert sorted(current.values_list("household_id", flat=True)) == sorted(
        helped.values_list("pk", flat=True)
    )  # one each
    former = ResponsibleHelper.objects.exclude(until__isnull=True)
    assert 0 < former.count() < current.count() // 2
    assert all(f.since < f.until for f in former)
    lengths = max_lengths(ResponsibleHelper)
    for helper in ResponsibleHelper.objects.select_related("household__village"):
        assert helper.work_unit.endswith(("人民政府", *demo.BUREAUS))
        assert len(helper.phone) == 11 and helper.phone[0] == "1"
        assert all(len(getattr(helper, f)) <= n for f, n in lengths.items())
        assert helper.since <= date(demo.YEAR, 12, 31)
    # A cadre answers for several households.
    assert current.values("phone").distinct().count() < current.count()
    assert (
        Household.objects.exclude(status__in=demo.HELPED)
        .filter(responsible_helpers__isnull=False)
        .count()
        == 0
    )
    assert HouseholdStatus.POOR in demo.HELPED
