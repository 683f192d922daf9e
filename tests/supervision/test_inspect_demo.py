"""The demo's random inspection: a drawn plan the command lists, recorded visits, and orders
closed with accountability, answered and open; loading it again makes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from aidbridge.supervision import demo
from aidbridge.supervision.models import Accountability, Plan, PlanStatus, RectificationOrder

pytestmark = pytest.mark.django_db


def test_the_demo_plan_is_drawn_visited_and_rectified(make_household):
    assert demo.load() is None  # no household in the county yet
    for n in range(1, 7):
        make_household(f"D-{n}", sequence=n)
    for n in range(1, 4):
        make_household(f"E-{n}", "513422101200", sequence=10 + n)
    made = demo.load()
    plan = Plan.objects.get(title=demo.TITLE)
    assert plan.status == PlanStatus.DRAWN and made["plan"] == str(plan.public_id)
    villages = Plan.objects.get(title=demo.VILLAGE_TITLE).visits.filter(status="done")
    assert made["villages"] == villages.count() == 3  # the test tree's three villages
    assert {v.answers["people_checked"] for v in villages} == {32, 27, 41}
    assert made["visits"] == 6 and made["recorded"] == 3
    states = sorted(RectificationOrder.objects.values_list("status", flat=True))
    assert states == ["answered", "closed", "open"]
    assert Accountability.objects.get().order.status == "closed"
    out = StringIO()
    call_command("supervision", "plans", stdout=out)
    assert f"{plan.public_id} drawn" in out.getvalue()
    assert demo.load() is None and Plan.objects.count() == 2
