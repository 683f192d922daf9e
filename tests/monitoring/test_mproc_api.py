"""The monitoring procedure's API: a lead's steps taken by the roles they name, a plan's
measures, and clear refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aidbridge.monitoring.models import Lead, MonitoredHousehold
from aidbridge.monitoring.services import lead_open

pytestmark = pytest.mark.django_db


def test_the_township_and_county_take_their_steps_through_the_api(api, make_household):
    lead, _ = lead_open(
        channel="department", household=make_household("A-1", status="lifted"), rule="dropout"
    )
    today = timezone.localdate()
    Lead.objects.filter(pk=lead.pk).update(
        stage="notice", notice_started=today - timedelta(days=5), step_due=today
    )
    path = f"/monitoring/leads/{lead.public_id}"
    seen = api("township-513422100", "get", path).json()
    assert seen["allowed"] == ["close_notice", "reject"] and seen["rule"] == "dropout"
    refused = api("clerk-513422100001", "post", f"{path}/steps", {"action": "close_notice"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "action"
    for action in ("close_notice", "check"):
        done = api("township-513422100", "post", f"{path}/steps", {"action": action})
        assert done.status_code == 201, done.content
    no_kind = api("county-513422", "post", f"{path}/steps", {"action": "approve"})
    assert no_kind.status_code == 422 and no_kind.json()["errors"][0]["field"] == "kind"
    approved = api(
        "county-513422", "post", f"{path}/steps", {"action": "approve", "kind": "marginal"}
    ).json()
    assert approved["status"] == "approved" and approved["monitored_id"]
    assert [s["action"] for s in approved["steps"]] == ["close_notice", "check", "approve"]
    monitored = MonitoredHousehold.objects.get(lead=lead)
    plan = f"/monitoring/monitored/{monitored.public_id}"
    added = api(
        "clerk-513422100001",
        "post",
        f"{plan}/measures",
        {"kind": "employment", "description": "公益岗位", "responsible": "村委会"},
    )
    assert added.status_code == 201
    measure = added.json()["measures"][0]
    assert measure["status"] == "planned"
    updated = api(
        "township-513422100",
        "post",
        f"{plan}/measures/status",
        {"measure": measure["id"], "status": "done"},
    )
    assert updated.json()["measures"][0]["status"] == "done"
    assert api("org-lsfund", "get", plan).status_code == 404
    assert api("supervisor-513400", "get", plan).status_code == 200
    refused = api(
        "supervisor-513400",
        "post",
        f"{plan}/measures",
        {"kind": "employment", "description": "x", "responsible": "y"},
    )
    assert refused.status_code == 403
