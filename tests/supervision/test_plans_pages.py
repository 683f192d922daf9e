"""The plans' staff pages: the supervision home, a new plan with its pool, the plan's page
through publication, the draw and closing; who sees names behind the pseudonyms; forms that
name the bad field and write nothing."""

import pytest

from aidbridge.supervision.models import Plan, PlanInspector, PlanStatus
from aidbridge.supervision.services import plan_draw, plan_publish
from tests.supervision.inspect_setup import household_plan

pytestmark = pytest.mark.django_db

LOTTERY = "2026141: 03 08 14 21 27 30 + 11"


@pytest.fixture
def households(make_household):
    made = [make_household(f"P-{n}", sequence=n) for n in range(1, 7)]
    made += [make_household(f"Q-{n}", "513422101200", sequence=20 + n) for n in range(1, 4)]
    return made


def draft(user, region, title="2026 household visits"):
    return household_plan(user, region, size=2, title=title)


def form_data(user, **changes):
    data = {
        "title": "Visits to lifted-out households",
        "year": "2026",
        "region": "513422",
        "kind": "household",
        "statuses": [],
        "strata": "township",
        "size": "2",
        "rate_percent": "",
        "inspectors_per_visit": "2",
        "visit_by": "2026-12-20",
        "public_source": "China Welfare Lottery, issue 2026141",
    }
    for username, home in (
        ("supervisor-513400", ""),
        ("auditor-513400", ""),
        ("township-513422100", "513422100"),
    ):
        member = user(username)
        data[f"pool-pick_{member.pk}"] = "on"
        data[f"pool-home_{member.pk}"] = home
    return data | changes


def test_the_home_lists_nothing_yet_and_offers_a_plan_to_planners(client, login):
    login("supervisor-513400")
    page = client.get("/supervision/")
    assert page.status_code == 200
    assert "/supervision/plans/new/" in page.content.decode()
    assert not page.context["page"].object_list
    login("township-513422100")
    page = client.get("/supervision/")
    assert page.status_code == 200 and "/supervision/plans/new/" not in page.content.decode()
    assert client.get("/supervision/plans/new/").status_code == 404
    login("clerk-513422100001")
    assert client.get("/supervision/").status_code == 404


def test_the_home_pages_and_filters_plans(client, login, user, region):
    for n in range(27):
        draft(user, region, title=f"plan {n:02d}")
    login("supervisor-513400")
    first = client.get("/supervision/")
    assert len(first.context["page"].object_list) == 25
    second = client.get("/supervision/?page=2")
    assert len(second.context["page"].object_list) == 2
    assert not client.get("/supervision/?status=drawn").context["page"].object_list


def test_a_supervisor_drafts_a_plan_with_a_pool(client, login, user, households):
    login("supervisor-513400")
    form = client.get("/supervision/plans/new/")
    assert form.status_code == 200
    offered = {u.username for u in form.context["pool"].candidates}
    # In the supervisor's area or above it, and allowed to inspect: no clerk, no helper.
    assert {"supervisor-513400", "auditor-513400", "township-513422100"} <= offered
    assert {"province-510000", "county-513422"} <= offered
    assert not offered & {"clerk-513422100001", "org-lsfund", "social_worker-513422"}
    response = client.post("/supervision/plans/new/", form_data(user))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == f"/supervision/plans/{plan.public_id}/"
    assert plan.status == PlanStatus.DRAFT and plan.created_by.username == "supervisor-513400"
    pool = list(PlanInspector.objects.filter(plan=plan).values_list("pseudonym", "home__code"))
    assert pool == [("I01", None), ("I02", None), ("I03", "513422100")]
    page = client.get(response.url)
    strata = {s.key: s.frame for s in page.context["strata"]}
    assert strata == {"513422100": 6, "513422101": 3}
    assert "/publish/" in page.content.decode()


def test_bad_input_names_its_field_and_writes_nothing(client, login, user):
    login("supervisor-513400")
    page = client.post("/supervision/plans/new/", form_data(user, size=""))
    assert page.status_code == 200 and "size" in page.context["form"].errors
    lonely = {k: v for k, v in form_data(user).items() if "pick_" not in k}
    lonely[f"pool-pick_{user('auditor-513400').pk}"] = "on"
    page = client.post("/supervision/plans/new/", lonely)
    assert page.context["pool"].non_field_errors()
    page = client.post("/supervision/plans/new/", form_data(user, region="999999"))
    assert "region" in page.context["form"].errors
    home = f"pool-home_{user('township-513422100').pk}"
    page = client.post("/supervision/plans/new/", form_data(user, **{home: "nowhere"}))
    assert page.context["pool"].errors
    assert not Plan.objects.exists()


def test_a_county_officer_may_not_plan_for_the_prefecture(client, login, user):
    login("county-513422")
    page = client.post("/supervision/plans/new/", form_data(user, region="513400"))
    assert "region" in page.context["form"].errors and not Plan.objects.exists()


def test_publish_draw_and_close_on_the_page(client, login, user, region, households):
    plan = draft(user, region)
    login("supervisor-513400")
    url = f"/supervision/plans/{plan.public_id}/"
    assert client.post(f"{url}draw/", {"public_value": LOTTERY}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT  # refused: not published yet
    client.post(f"{url}publish/", {"public_source": "China Welfare Lottery, issue 2026142"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.public_source == "China Welfare Lottery, issue 2026142"
    page = client.get(url).content.decode()
    assert plan.frame_sha256 in page and 'name="public_value"' in page
    client.post(f"{url}draw/", {"public_value": LOTTERY})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAWN and plan.seed
    page = client.get(url)
    body = page.content.decode()
    assert plan.seed in body and "aidbridge supervision verify" in body
    sampled = list(page.context["page"])
    assert len(sampled) == 4 and all(len(e.team) == 2 for e in sampled)
    assert "auditor-513400" in body  # the planner sees the names
    assert f"/portal/supervision/plans/{plan.public_id}/draw.json" in body
    client.post(f"{url}close/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED


def test_others_see_pseudonyms_and_may_not_act(client, login, user, region, households):
    plan = plan_publish(plan=draft(user, region), by=user("supervisor-513400"))
    plan = plan_draw(plan=plan, by=plan.created_by, public_value=LOTTERY)
    login("township-513422100")  # in the pool, not a planner
    url = f"/supervision/plans/{plan.public_id}/"
    page = client.get(url)
    assert page.status_code == 200 and not page.context["names"]
    body = page.content.decode()
    assert "I01" in body and "supervisor-513400" not in body and "auditor-513400" not in body
    assert "/close/" not in body
    assert client.post(f"{url}close/").status_code == 404
    login("township-513422101")  # not in the pool, outside the plan's region
    assert client.get(url).status_code == 404
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAWN


def test_the_supervisors_home_and_menu_lead_to_the_plans(client, login):
    login("supervisor-513400")
    page = client.get("/")
    assert "/supervision/" in page.content.decode()
    assert any(item["url"] == "/supervision/" for item in page.context["nav"])
