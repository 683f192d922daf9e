"""Each officer's worklist: procedure cases at their step, notices whose days have passed,
needs to review, helpers to verify, rounds to send and proposals to answer; its count in the
menu, in a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.insights.worklist import worklist, worklist_count
from aidbridge.matching import services as matching
from aidbridge.matching.models import Proposal, ProposalStatus, Round, RoundStatus
from aidbridge.needs.services import need_submit
from aidbridge.regions.models import Region
from aidbridge.registry.cases import case_act, case_start
from aidbridge.registry.models import ProcedureCase

pytestmark = pytest.mark.django_db

CLERK, TOWNSHIP, COUNTY = "clerk-513422100001", "township-513422100", "county-513422"


def keys(username):
    return {part.key: part.count for part in worklist(User.objects.get(username=username))}


@pytest.fixture
def case(make_household):
    """An entry case applied for by the clerk."""
    household = make_household("W-1", name="阿说", sequence=21, status="marginal")
    return case_start(
        by=User.objects.get(username=CLERK), household=household, kind="entry", on=date.today()
    )


def step(case, action, username=CLERK):
    return case_act(
        by=User.objects.get(username=username), case=case, action=action, on=date.today()
    )


def test_it_lists_a_case_for_the_role_whose_step_it_is(case):
    assert keys(CLERK) == {"cases": 1}
    assert "cases" not in keys(TOWNSHIP) and "cases" not in keys(COUNTY)
    step(case, "record_appraisal")
    step(case, "start_first_notice")
    assert "cases" not in keys(CLERK)
    assert keys(TOWNSHIP) == {}  # the notice runs


def test_it_lists_notices_whose_days_have_passed_and_paused_ones(case):
    step(case, "record_appraisal")
    step(case, "start_first_notice")
    ProcedureCase.objects.filter(pk=case.pk).update(
        notice_started=timezone.localdate() - timedelta(days=6)
    )
    assert keys(TOWNSHIP) == {}
    ProcedureCase.objects.filter(pk=case.pk).update(
        notice_started=timezone.localdate() - timedelta(days=7)
    )
    assert keys(TOWNSHIP) == {"notices": 1}
    assert keys("township-513422101") == {}  # another township
    ProcedureCase.objects.filter(pk=case.pk).update(
        notice_started=timezone.localdate(), paused=True, notice_days=3
    )
    assert keys(TOWNSHIP) == {"notices": 1}
    assert "notices" not in keys(CLERK) and "notices" not in keys(COUNTY)


def test_it_lists_needs_at_the_officers_review_level(file_need):
    need = file_need(household_number="W-2")
    need_submit(by=need.created_by, need=need)
    assert keys(TOWNSHIP) == {"needs": 1}
    assert "needs" not in keys(COUNTY) and "needs" not in keys(CLERK)


def test_it_lists_helpers_to_verify_for_the_verifiers_of_their_region():
    Organization.objects.create(
        code="w-coop",
        name_zh="木里合作社",
        name_en="Muli Cooperative",
        kind=OrganizationKind.ENTERPRISE,
        region=Region.objects.get(code="513422100"),
    )
    assert keys(COUNTY)["helpers"] >= 1
    assert "helpers" not in keys(TOWNSHIP)  # townships do not verify helpers
    before = keys("county-513401").get("helpers", 0)  # Xichang: not its region
    assert worklist_count(User.objects.get(username="county-513401")) == before


def test_it_lists_rounds_to_send_and_proposals_to_answer(helper_staff, file_need):
    county = User.objects.get(username=COUNTY)
    muli = Region.objects.get(code="513422")
    found = Round.objects.create(
        region=muli, region_path=muli.path, status=RoundStatus.PROPOSED, created_by=county
    )
    assert keys(COUNTY)["rounds"] == 1
    assert "rounds" not in keys("county-513401")
    offer = matching.offer_create(
        by=helper_staff,
        data={"title": "基金", "capacity": 9000, "categories": ["health"], "regions": [muli]},
    )
    need = file_need(household_number="W-3", publish=True)
    Proposal.objects.create(
        round=found, offer=offer, need=need, amount=100, weight=1, status=ProposalStatus.SENT
    )
    assert keys(helper_staff.username) == {"proposals": 1}
    assert worklist_count(helper_staff) == 1


@pytest.mark.parametrize("username", [CLERK, TOWNSHIP, COUNTY, "admin", "org-lsfund"])
def test_the_page_and_the_menus_count_take_a_fixed_number_of_queries(
    client, case, django_assert_max_num_queries, username
):
    user = User.objects.get(username=username)
    client.force_login(user)
    # A count per part of the worklist for the page and one for the menu's badge, whatever
    # the number of rows (the monitoring parts brought it from 25 to 28 for a township, the
    # inspection parts, three counts on the page and three in the menu, to 36; grievances
    # and assessments to review, six more).
    with django_assert_max_num_queries(44):
        response = client.get("/work/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    labels = [str(item["label"]) for item in response.context["nav"]]
    with translation.override("en"):
        if username == CLERK:
            assert any("My work" in label and ">1</span>" in label for label in labels)
            assert "阿说" in response.content.decode()
        else:
            assert "阿说" not in response.content.decode()


@pytest.mark.parametrize(
    "username", ["supervisor-513400", "auditor-513400", "social_worker-513422"]
)
def test_roles_without_steps_have_no_worklist(client, username):
    client.force_login(User.objects.get(username=username))
    assert client.get("/work/").status_code == 404
    assert "/work/" not in [item["url"] for item in client.get("/needs/").context["nav"]]


def test_the_count_takes_as_many_queries_for_one_case_as_for_five(
    make_household, django_assert_num_queries
):
    clerk = User.objects.get(username=CLERK)

    def start(n):
        household = make_household(f"Q-{n}", name="阿说", sequence=50 + n, status="marginal")
        case_start(by=clerk, household=household, kind="entry", on=date.today())

    start(0)
    with CaptureQueriesContext(connection) as one:
        assert worklist_count(clerk) == 1
        worklist(clerk)
    for n in range(1, 5):
        start(n)
    with django_assert_num_queries(len(one.captured_queries)):
        assert worklist_count(clerk) == 5
        assert [p.count for p in worklist(clerk)] == [5]


def test_the_officers_own_region_page_says_what_waits_for_them(case, client):
    client.force_login(User.objects.get(username=CLERK))
    own = client.get("/regions/513422100001/").content.decode()
    assert 'id="my-work"' in own and "/work/#work-cases" in own
    client.force_login(User.objects.get(username=TOWNSHIP))
    assert 'id="my-work"' not in client.get("/regions/513422100/").content.decode()  # nothing
    client.force_login(User.objects.get(username=COUNTY))
    assert 'id="my-work"' not in client.get("/regions/513422100001/").content.decode()  # not own


def test_an_inspector_with_visits_has_a_worklist_of_them(client, user, region, make_household):
    from tests.supervision.inspect_setup import drawn_plan

    drawn_plan(user, region, make_household)
    client.force_login(user("auditor-513400"))
    page = client.get("/work/")
    assert page.status_code == 200
    assert 'id="work-inspection_visits"' in page.content.decode()
    assert "/supervision/visits/" in page.content.decode()
