"""The grievance pages and API: the portal's complaint, tracking and appeal (nothing
personal shows), the staff's list, detail, steps and dashboard, the command and the demo."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from aidbridge.grievances import demo, services
from aidbridge.grievances.models import Grievance, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def portal_file(client, **given):
    data = {
        "category": "aid_not_received",
        "region": "513422100001",
        "description": "补助没有发到我家，联系电话13800001234",
        "anonymous": "on",
        "phone": "13800001234",
        **given,
    }
    return client.post("/portal/grievances/", data)


def test_the_portal_files_anonymously_and_shows_the_code_once(client):
    response = portal_file(client)
    assert response.status_code == 302 and response.url == "/portal/grievances/filed/"
    grievance = Grievance.objects.get()
    assert grievance.anonymous and grievance.complainant_phone == ""
    page = client.get("/portal/grievances/filed/").content.decode()
    assert grievance.tracking_code in page and grievance.tracking_code not in response.url
    assert client.get("/portal/grievances/filed/").status_code == 302  # shown once


def test_the_portal_names_what_is_wrong(client):
    response = portal_file(client, category="", region="nowhere", description="")
    assert response.status_code == 200
    form = response.context["form"]
    assert {"category", "description"} <= set(form.errors)
    response = portal_file(client, region="nowhere")
    assert "region" in response.context["form"].errors
    assert Grievance.objects.count() == 0


def test_tracking_shows_nothing_personal_and_appeal_follows_the_decision(client, user):
    portal_file(client, anonymous="", name="张三")
    grievance = Grievance.objects.get()
    assert grievance.complainant_name == "张三"
    page = client.post("/portal/grievances/track/", {"code": grievance.tracking_code})
    text = page.content.decode()
    assert grievance.number in text and "乔瓦镇" in text
    for personal in ("张三", "13800001234", "补助没有发到我家"):
        assert personal not in text
    assert 'id="appeal"' not in text
    services.grievance_decide(
        by=user("township-513422100"),
        grievance=grievance,
        decision="rejected",
        reply="经核实已发放，请联系张三 13800001234",
    )
    text = client.post("/portal/grievances/track/", {"code": grievance.tracking_code}).content
    text = text.decode()
    assert "经核实已发放" in text and "13800001234" not in text
    assert 'id="appeal"' in text
    response = client.post(
        "/portal/grievances/appeal/", {"code": grievance.tracking_code, "reason": "我没收到"}
    )
    assert response.url == "/portal/grievances/filed/"
    appeal = Grievance.objects.get(appeal_of=grievance)
    assert appeal.level_region.code == "513422"
    assert appeal.tracking_code in client.get("/portal/grievances/filed/").content.decode()
    text = client.post("/portal/grievances/track/", {"code": grievance.tracking_code}).content
    assert appeal.number in text.decode()


def test_an_unknown_code_is_said_so(client):
    page = client.post("/portal/grievances/track/", {"code": "GNOTACODE"})
    assert "code" in page.context["form"].errors


def test_staff_list_detail_steps_and_dashboard(client, login, user):
    portal_file(client, anonymous="", name="张三")
    grievance = Grievance.objects.get()
    login("county-513422")
    listed = client.get("/grievances/").content.decode()
    assert f'id="grievance-{grievance.number}"' in listed
    page = client.get(f"/grievances/{grievance.public_id}/").content.decode()
    assert 'id="steps"' not in page and "张三" not in page  # the county is not its level
    assert "补助没有发到我家" in page
    assert (
        f'id="grievance-{grievance.number}"'
        not in client.get("/grievances/?status=decided").content.decode()
    )
    login("township-513422100")
    page = client.get(f"/grievances/{grievance.public_id}/").content.decode()
    assert 'id="steps"' in page and "张三" in page
    client.post(f"/grievances/{grievance.public_id}/take-up/")
    client.post(f"/grievances/{grievance.public_id}/decide/", {"decision": "upheld", "reply": ""})
    grievance.refresh_from_db()
    assert grievance.status == Status.IN_PROGRESS  # a decision needs a reply
    client.post(
        f"/grievances/{grievance.public_id}/decide/",
        {"decision": "upheld", "reply": "已补发"},
    )
    grievance.refresh_from_db()
    assert grievance.status == Status.DECIDED and grievance.decided_by == user("township-513422100")
    board = client.get("/grievances/dashboard/?region=513422100")
    assert board.status_code == 200 and board.context["board"].compliance == 100.0
    assert client.get("/grievances/dashboard/?region=513422101").status_code == 404
    work = client.get("/work/").content.decode()
    assert 'id="work-grievances"' not in work  # decided: nothing waits


def test_a_clerk_records_a_call_and_the_township_finds_it_waiting(client, login):
    login("clerk-513422100001")
    response = client.post(
        "/grievances/new/",
        {
            "channel": "phone",
            "category": "officer_misconduct",
            "region": "513422100001",
            "description": "来电：村干部优亲厚友",
            "name": "李四",
            "phone": "13900001111",
        },
    )
    grievance = Grievance.objects.get()
    assert response.status_code == 302 and grievance.channel == "phone"
    assert grievance.sensitivity == "sensitive" and grievance.complainant_name == "李四"
    login("township-513422100")
    work = client.get("/work/").content.decode()
    assert 'id="work-grievances"' in work and grievance.number in work
    login("county-513422")  # sensitive: only its level's officers
    assert client.get(f"/grievances/{grievance.public_id}/").status_code == 404
    login("supervisor-513400")
    assert client.get(f"/grievances/{grievance.public_id}/").status_code == 200


def test_the_api_files_tracks_lists_and_decides(client, api):
    response = client.post(
        "/api/v1/portal/grievances",
        {"region": "513422100001", "category": "violence", "description": "打人"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    code = response.json()["tracking_code"]
    tracked = client.post(
        "/api/v1/portal/grievances/track", {"code": code}, content_type="application/json"
    ).json()
    assert tracked["status"] == "new" and [m["kind"] for m in tracked["timeline"]] == [
        "filed",
        "escalated",
    ]
    assert "description" not in tracked
    listed = api("county-513422", "get", "/grievances?status=open").json()
    assert [g["tracking_code"] for g in listed["items"]] == [code]
    grievance_id = listed["items"][0]["id"]
    refused = api(
        "county-513422", "post", f"/grievances/{grievance_id}/decide", {"decision": "upheld"}
    )
    assert refused.status_code == 422
    decided = api(
        "county-513422",
        "post",
        f"/grievances/{grievance_id}/decide",
        {"decision": "referred", "reply": "x"},
    )
    assert decided.status_code == 422 and decided.json()["errors"][0]["field"] == "decision"
    decided = api(
        "county-513422",
        "post",
        f"/grievances/{grievance_id}/decide",
        {"decision": "case", "reply": "已转公安和妇联", "reference": "CASE-17"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "decided"
    made = api(
        "clerk-513422100001",
        "post",
        "/grievances",
        {
            "region": "513422100001",
            "category": "other",
            "description": "电话投诉",
            "anonymous": False,
            "name": "王五",
            "phone": "13700001111",
        },
    )
    assert made.status_code == 201 and made.json()["channel"] == "api"
    township = api("township-513422100", "get", f"/grievances/{made.json()['id']}").json()
    assert township["complainant_phone"] == "13700001111"
    supervisor = api("supervisor-513400", "get", f"/grievances/{made.json()['id']}").json()
    assert supervisor["complainant_name"] == "" and "*" in supervisor["complainant_phone"]


def test_the_daily_command_escalates(client):
    services.grievance_file(
        channel="portal",
        region_code="513422100001",
        category="other",
        description="x",
    )
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    from io import StringIO

    out = StringIO()
    call_command("grievances", "daily", f"--today={later}", stdout=out)
    assert re.match(r"escalated: 1, at risk: 0", out.getvalue())
    assert Grievance.objects.get().level_region.code == "513422"


def test_the_demo_makes_its_grievances_once():
    made = demo.load()
    assert made == {"grievances": 5, "escalated": 1}
    assert Grievance.objects.filter(status=Status.DECIDED).count() == 1
    assert Grievance.objects.filter(level_region__code="513422").count() == 2
    assert demo.load() == {}


def test_a_logged_in_persons_third_complaint_escalates_without_a_phone(client, login):
    login("donor-demo")
    for _ in range(3):
        portal_file(client, phone="")
    escalations = list(Grievance.objects.order_by("pk").values_list("escalations", flat=True))
    assert escalations == [0, 0, 1]
    client.logout()
    portal_file(client, phone="")  # an anonymous visitor without a phone is no one's third
    assert Grievance.objects.order_by("-pk").first().escalations == 0


def test_one_address_files_at_most_five_complaints_an_hour(client):
    from aidbridge.ratelimit import LIMITS

    client.post("/portal/monitoring/report/", {"village": "513422100001", "description": "遭灾"})
    for _ in range(LIMITS["grievances.file"]):
        assert portal_file(client).status_code == 302  # monitoring's report used none of these
    refused = portal_file(client)
    assert refused.status_code == 429 and Grievance.objects.count() == LIMITS["grievances.file"]
    response = client.post(
        "/api/v1/portal/grievances",
        {"region": "513422100001", "category": "other", "description": "x"},
        content_type="application/json",
    )
    assert response.status_code == 429 and response["Retry-After"] == "3600"
