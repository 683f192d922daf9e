"""The demo's procedures: one case announced, the others waiting for a step a newcomer can
take today, through the household page."""

import pytest

from aidbridge.accounts.models import User
from aidbridge.registry import cases_demo
from aidbridge.registry.models import Household, ProcedureCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(make_household):
    for n, status in enumerate(["poor", "poor", "not_poor", "marginal", "lifted"], start=1):
        make_household(f"D-{n}", sequence=n, status=status)


def take(client, username, household, action, comment=""):
    client.force_login(User.objects.get(username=username))
    client.cookies.load({"django_language": "en"})
    response = client.post(
        f"/households/{household.public_id}/procedure/",
        {"action": action, "comment": comment},
        follow=True,
    )
    return [str(m) for m in response.context["messages"]]


def test_the_demo_cases_stand_where_a_newcomer_can_go_on(client, village):
    assert cases_demo.load() == 4
    assert cases_demo.load() == 0  # once
    cases = {c.household.number: c for c in ProcedureCase.objects.select_related("household")}
    assert {n: (c.kind, c.stage, c.paused) for n, c in cases.items()} == {
        "D-1": ("exit", "announced", False),
        "D-2": ("exit", "second_notice", False),
        "D-3": ("entry", "first_notice", True),
        "D-4": ("entry", "applied", False),
    }
    assert Household.objects.get(number="D-1").status == "lifted"
    assert cases["D-1"].steps.count() == 9

    due = Household.objects.get(number="D-2")
    for username, action in [
        ("township-513422100", "close_notice"),
        ("county-513422", "county_approve"),
        ("county-513422", "announce"),
    ]:
        assert take(client, username, due, action) == ["Step recorded."]
    assert Household.objects.get(number="D-2").status == "lifted"
    objected = Household.objects.get(number="D-3")
    assert take(client, "township-513422100", objected, "dismiss_objection") == ["Step recorded."]
    assert take(
        client, "clerk-513422100001", Household.objects.get(number="D-4"), "record_appraisal"
    ) == ["Step recorded."]


def test_a_village_without_such_households_gets_fewer_cases(make_household):
    make_household("D-1", sequence=1, status="lifted")
    assert cases_demo.load() == 0
    make_household("D-2", sequence=2, status="poor")
    assert cases_demo.load() == 1
