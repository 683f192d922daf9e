"""The monitoring dashboards: a region's figures from leads, monitored households and risk
eliminations in every state, summed per child region within the user's scope; the same
tables as a page, CSV downloads and the API; the list the township works from, overdue
first. The query counts stay the same whatever the number of rows."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aidbridge.accounts.models import ApiToken
from aidbridge.monitoring.dashboard import region_dashboard
from aidbridge.monitoring.models import (
    Channel,
    Elimination,
    Lead,
    LeadStatus,
    MonitoredHousehold,
    MonitoredStage,
    ObjectKind,
    Stage,
)
from aidbridge.monitoring.rule_names import rule_name
from aidbridge.monitoring.services import lead_open

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n: int):
    return TODAY + timedelta(days=n)


@pytest.fixture
def lead(make_household):
    """lead(number, village, channel, **fields): a lead of a new household, then its fields
    set as the procedure would have set them."""
    made = iter(range(1, 1000))

    def make(number, village="513422100001", channel="department", **fields):
        household = make_household(number, village=village, sequence=next(made))
        found, _ = lead_open(channel=channel, household=household, rule=f"rule-{number}")
        Lead.objects.filter(pk=found.pk).update(**fields)
        found.refresh_from_db()
        return found

    return make


def monitor(lead, kind, stage=MonitoredStage.MONITORED):
    return MonitoredHousehold.objects.create(
        household=lead.household,
        kind=kind,
        lead=lead,
        since=lead.decided_on or lead.opened_on,
        stage=stage,
    )


@pytest.fixture
def muli(lead):
    """Leads in every state in Muli (Qiaowa's two villages and Wachang), one in Xichang."""
    approved = dict(status=LeadStatus.APPROVED, stage=Stage.COUNTY_APPROVAL)
    overdue = lead(
        "D-1",
        stage=Stage.TOWNSHIP_CHECK,
        step_due=days(-2),
        decide_by=days(5),
        escalated_to="county",
        opened_on=days(-10),
    )
    waiting = lead("D-2", channel="visit", stage=Stage.VISIT, step_due=days(3), opened_on=days(-1))
    marginal = lead(
        "D-3",
        village="513422100200",
        channel="self_report",
        opened_on=days(-20),
        decided_on=days(-8),
        **approved,
    )
    monitor(marginal, ObjectKind.MARGINAL)
    lead(
        "D-4",
        village="513422101200",
        status=LeadStatus.REJECTED,
        stage=Stage.TOWNSHIP_CHECK,
        opened_on=days(-30),
        decided_on=days(-10),
    )
    gone = lead(
        "D-5",
        village="513422101200",
        channel="visit",
        opened_on=days(-40),
        decided_on=days(-36),
        **approved,
    )
    monitor(gone, ObjectKind.HARDSHIP, MonitoredStage.ELIMINATED)
    eliminating = lead("D-6", opened_on=days(-50), decided_on=days(-45), **approved)
    Elimination.objects.create(
        monitored=monitor(eliminating, ObjectKind.UNSTABLE, MonitoredStage.ELIMINATING),
        stage=Stage.NOTICE,
        step_due=days(-1),
    )
    lead("X-1", village="513401001003", stage=Stage.VISIT, step_due=days(-9))
    return overdue, waiting


def test_the_countys_figures_count_every_state_below_it_and_nothing_outside(muli, region, user):
    board = region_dashboard(user("county-513422"), region("513422"), TODAY)
    assert (board.monitored_now, board.eliminated) == (2, 1)
    assert (board.open_leads, board.overdue, board.escalated) == (2, 2, 1)
    decisions = board.decisions  # 12, 20, 4 and 5 days
    assert (decisions.count, decisions.mean, decisions.median, decisions.within) == (
        4,
        10.25,
        8.5,
        3,
    )
    monitored = {row[0]: row[1:] for row in board.table("monitored").rows}
    assert monitored[str(ObjectKind.MARGINAL.label)] == [1, 0, 0, 1]
    assert monitored[str(ObjectKind.UNSTABLE.label)] == [0, 1, 0, 1]
    assert monitored[str(ObjectKind.HARDSHIP.label)] == [0, 0, 1, 1]
    leads = {str(row[0]): row[1:] for row in board.table("leads").rows}
    assert leads[str(Channel.DEPARTMENT.label)] == [1, 1, 1, 3]
    assert leads[str(Channel.VISIT.label)] == [1, 1, 0, 2] and leads[
        str(Channel.SELF_REPORT.label)
    ] == [0, 1, 0, 1]
    overdue = {str(row[0]): row[1:] for row in board.table("overdue").rows}
    assert overdue[str(Stage.TOWNSHIP_CHECK.label)] == [1, 0, 1]
    assert overdue[str(Stage.NOTICE.label)] == [0, 1, 1]
    assert overdue[str(Stage.VISIT.label)] == [0, 0, 0]  # Xichang's is not the county's
    regions = board.table("regions")
    assert regions.links == ["513422100", "513422101"]
    assert regions.rows[0][1:] == [2, 0, 2, 2, 2, 8.5]  # Qiaowa
    assert regions.rows[1][1:] == [0, 1, 0, 0, 2, 12.0]  # Wachang


def test_a_township_and_a_clerk_see_their_own_area(muli, region, user):
    township = region_dashboard(user("township-513422100"), region("513422100"), TODAY)
    assert (township.open_leads, township.monitored_now, township.eliminated) == (2, 2, 0)
    assert [row[0] for row in township.table("regions").rows] == ["达吉林社区", "锄头湾村"]
    clerk = region_dashboard(user("clerk-513422100001"), region("513422100001"), TODAY)
    assert (clerk.open_leads, clerk.monitored_now, clerk.overdue) == (2, 1, 2)
    assert clerk.table("regions").rows == []


def test_the_page_and_its_csv_downloads(client, muli, user):
    client.force_login(user("county-513422"))
    page = client.get("/monitoring/")
    assert page.status_code == 200 and page.context["region"].code == "513422"
    text = page.content.decode()
    for key in ("monitored", "leads", "overdue", "decisions", "regions"):
        assert f'id="figure-{key}"' in text
        assert f"/monitoring/figures/{key}.csv?region=513422" in text
    assert '/monitoring/?region=513422100"' in text  # a child region links down
    response = client.get("/monitoring/figures/regions.csv?region=513422")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["代码", "地区", "正在监测"]
    assert rows[1] == ["513422100", "乔瓦镇", "2", "0", "2", "2", "2", "8.5"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    rows = list(
        csv.reader(
            io.StringIO(client.get("/monitoring/figures/decisions.csv").content.decode("utf-8-sig"))
        )
    )
    assert rows[0] == [
        "Channel",
        "Leads decided",
        "Mean days",
        "Median days",
        "Decided within 15 days (%)",
    ]
    assert rows[-1] == ["All channels", "4", "10.2", "8.5", "75.0"]
    assert client.get("/monitoring/figures/nothing.csv").status_code == 404
    assert client.get("/monitoring/?region=513401").status_code == 404  # Xichang


def test_the_api_gives_the_pages_figures(client, muli, user):
    _token, raw = ApiToken.issue(user("township-513422100"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    found = client.get("/api/v1/monitoring/figures", **auth).json()
    assert found["region_code"] == "513422100"
    assert (found["open_leads"], found["overdue"], found["monitored_now"]) == (2, 2, 2)
    assert found["decisions"] == {
        "count": 2,
        "mean_days": 8.5,
        "median_days": 8.5,
        "within_15_days": 2,
    }
    regions = next(t for t in found["tables"] if t["key"] == "regions")
    assert regions["codes"] == ["513422100001", "513422100200"]
    assert regions["rows"] == [
        ["达吉林社区", 1, 0, 2, 2, 1, 5.0],
        ["锄头湾村", 1, 0, 0, 0, 1, 12.0],
    ]
    assert client.get("/api/v1/monitoring/figures?region=513422", **auth).status_code == 404
    work = client.get("/api/v1/monitoring/work", **auth).json()
    assert [row["household_number"] for row in work["items"]] == ["D-1", "D-2"]
    assert work["items"][0]["overdue"] and not work["items"][1]["overdue"]


def test_the_townships_list_puts_overdue_steps_first(client, muli, lead, user):
    lead("D-7", stage=Stage.VILLAGE_REVIEW, step_due=days(-5))  # overdue longest
    lead("D-8", stage=Stage.NOTICE)  # no due date yet: last
    client.force_login(user("township-513422100"))
    page = client.get("/monitoring/work/")
    numbers = [lead.household.number for lead in page.context["page"].object_list]
    assert numbers == ["D-7", "D-1", "D-2", "D-8"]
    assert page.content.decode().count('class="badge failed"') == 2
    only = client.get("/monitoring/work/?stage=village_review").context["page"].object_list
    assert [lead.household.number for lead in only] == ["D-7"]
    assert client.get("/monitoring/work/?region=513422101").status_code == 404
    village = client.get("/monitoring/work/?region=513422100001").content.decode()
    assert '<option value="513422100">↑ 乔瓦镇</option>' in village  # back up
    assert "↑" not in client.get("/monitoring/work/").content.decode()  # not above one's own


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("county-513422", "/monitoring/"),
        ("county-513422", "api:/monitoring/figures"),
        ("township-513422100", "/monitoring/work/"),
        ("township-513422100", "api:/monitoring/work"),
    ],
)
def test_the_same_number_of_queries_for_one_lead_and_for_five(client, lead, user, username, path):
    numbers = iter(range(1, 100))
    villages = ["513422100001", "513422100200", "513422101200"]

    def add(k):
        added = []
        for _ in range(k):
            n = next(numbers)
            made = lead(f"Q-{n:03}", village=villages[n % 2], stage=Stage.VISIT, step_due=days(-n))
            monitor(made, ObjectKind.MARGINAL)
            added.append(made.household.number)
        return added

    headers = {}
    if path.startswith("api:"):
        path = "/api/v1" + path[4:]
        headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user(username))[1]}"
    else:
        client.force_login(user(username))

    def fetch():
        response = client.get(path, **headers)
        assert response.status_code == 200
        return response.content.decode()

    shown = add(1)
    fetch()
    with CaptureQueriesContext(connection) as one:
        fetch()
    shown += add(4)
    with CaptureQueriesContext(connection) as five:
        text = fetch()
    assert len(five) == len(one), [q["sql"] for q in five]
    if "work" in path:
        assert all(number in text for number in shown)


def test_the_list_names_the_rules_in_words(client, lead, user):
    lead("R-1")
    client.force_login(user("township-513422100"))
    text = client.get("/monitoring/work/").content.decode()
    assert "rule-R-1" in text  # a rule without a name shows its code
    assert rule_name("medical_share") == "医疗支出超过收入的规定比例"


@pytest.mark.parametrize(
    ("username", "screens"), [("county-513422", True), ("clerk-513422100001", False)]
)
def test_the_dashboard_leads_to_the_other_monitoring_pages_its_user_may_open(
    client, user, username, screens
):
    client.force_login(user(username))
    page = client.get("/monitoring/").content.decode()
    for path in ("/monitoring/work/", "/monitoring/self-reports/", "/monitoring/risk/"):
        assert f'href="{path}' in page
        assert client.get(path).status_code == 200
    assert ('href="/monitoring/screen/"' in page) == screens
