"""The pages of the monitoring procedure: the clerk's visit form, the steps as buttons, the
village's public notice (no personal detail beyond the head's name), the worklists and the
plan."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from upload_files import image_bytes

from aidbridge.monitoring.models import Lead, MonitoredHousehold
from aidbridge.monitoring.services import lead_open

pytestmark = pytest.mark.django_db


def test_the_clerk_visits_reviews_and_notices_and_the_township_finds_it(
    client, login, make_household
):
    household = make_household("PG-1", name="吉克阿依", status="marginal")
    lead, _ = lead_open(
        channel="department", household=household, rule="medical_share", source="medical"
    )
    login("clerk-513422100001")
    page = client.get(f"/monitoring/leads/{lead.public_id}/")
    assert page.status_code == 200 and page.context["can_visit"]
    assert client.get("/work/").context["parts"][0].key == "leads"
    form = {
        "kind": "hardship",
        "visited_on": timezone.localdate().isoformat(),
        "per_capita_income": "3200",
        "shocks": ["illness"],
        "note": "住院",
        **dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), "on"),
    }
    refused = client.post(f"/monitoring/leads/{lead.public_id}/visit/", form)
    assert refused.status_code == 200 and refused.context["form"].errors["consent"]
    consent = SimpleUploadedFile("consent.jpg", image_bytes(), content_type="image/jpeg")
    done = client.post(f"/monitoring/leads/{lead.public_id}/visit/", {**form, "consent": consent})
    assert done.status_code == 302
    for action in ("review", "start_notice"):
        client.post(f"/monitoring/leads/{lead.public_id}/step/", {"action": action})
    lead.refresh_from_db()
    assert lead.stage == "notice" and lead.notice_started == timezone.localdate()
    assert lead.kind == "hardship"
    board = client.get("/portal/notices/513422100001/").content.decode()
    assert "吉克阿依" in board and "medical" not in board and household.number not in board
    Lead.objects.filter(pk=lead.pk).update(
        notice_started=timezone.localdate() - timedelta(days=5), step_due=timezone.localdate()
    )
    login("township-513422100")
    assert [p.key for p in client.get("/work/").context["parts"]] == ["leads"]
    client.post(f"/monitoring/leads/{lead.public_id}/step/", {"action": "close_notice"})
    client.post(f"/monitoring/leads/{lead.public_id}/step/", {"action": "check"})
    login("county-513422")
    page = client.get(f"/monitoring/leads/{lead.public_id}/")
    assert [a for a, _label in page.context["actions"]] == ["approve", "reject"]
    client.post(f"/monitoring/leads/{lead.public_id}/step/", {"action": "approve"})
    monitored = MonitoredHousehold.objects.get(lead=lead)
    added = client.post(
        f"/monitoring/monitored/{monitored.public_id}/measures/",
        {"kind": "medical", "description": "医疗救助", "responsible": "县医保局"},
    )
    assert added.status_code == 302
    page = client.get(f"/monitoring/monitored/{monitored.public_id}/").content.decode()
    assert "医疗救助" in page and "县医保局" in page


def test_a_rejection_without_a_reason_is_refused_on_the_page(client, login, make_household):
    lead, _ = lead_open(channel="department", household=make_household("PG-2"), rule="dropout")
    login("clerk-513422100001")
    response = client.post(
        f"/monitoring/leads/{lead.public_id}/step/", {"action": "reject"}, follow=True
    )
    assert "reason" in response.content.decode() or "理由" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == "open"


def test_the_review_minutes_are_served_to_who_sees_the_lead_only(client, login, make_household):
    from aidbridge.monitoring.models import Step

    lead, _ = lead_open(channel="department", household=make_household("PG-3"), rule="dropout")
    Lead.objects.filter(pk=lead.pk).update(stage="village_review")
    login("clerk-513422100001")
    minutes = SimpleUploadedFile("minutes.jpg", image_bytes(), content_type="image/jpeg")
    client.post(
        f"/monitoring/leads/{lead.public_id}/step/", {"action": "review", "attachment": minutes}
    )
    step = Step.objects.get(lead=lead)
    assert step.attachment and step.action == "review"
    assert client.get(f"/monitoring/steps/{step.pk}/attachment/").status_code == 200
    login("township-513422101")
    assert client.get(f"/monitoring/steps/{step.pk}/attachment/").status_code == 404


def test_the_county_chooses_the_kind_when_no_visit_set_it(client, login, make_household):
    lead, _ = lead_open(
        channel="department", household=make_household("PG-9", status="marginal"), rule="dropout"
    )
    Lead.objects.filter(pk=lead.pk).update(stage="county_approval")  # its steps are elsewhere
    login("county-513422")
    page = client.get(f"/monitoring/leads/{lead.public_id}/").content.decode()
    assert '<option value="" selected>' in page  # no kind picked for the county
    client.post(f"/monitoring/leads/{lead.public_id}/step/", {"action": "approve", "kind": ""})
    assert not MonitoredHousehold.objects.filter(lead=lead).exists()
    client.post(
        f"/monitoring/leads/{lead.public_id}/step/", {"action": "approve", "kind": "marginal"}
    )
    assert MonitoredHousehold.objects.get(lead=lead).kind == "marginal"
