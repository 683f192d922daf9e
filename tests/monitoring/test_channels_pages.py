"""The pages of the leads from people: the portal's report and tracking (rate-limited), the
household page's monitoring section, the visit form, the call form, linking a report and a
helper's households to visit."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from upload_files import image_bytes

from aidbridge import ratelimit
from aidbridge.monitoring.models import Lead, Visit
from aidbridge.registry.identification import INDICATORS
from aidbridge.registry.responsible import responsible_helper_assign

pytestmark = pytest.mark.django_db
CLERK = "clerk-513422100001"


@pytest.fixture(autouse=True)
def _no_counts():
    cache.clear()
    yield
    cache.clear()


def _report(client, **data):
    return client.post(
        "/portal/monitoring/report/",
        {
            "village": "513422100001",
            "description": "父亲住院，无力支付",
            "reporter_name": "",
            "reporter_phone": "",
            **data,
        },
    )


def test_a_resident_reports_and_tracks_the_code_without_personal_data(client):
    assert client.get("/portal/monitoring/report/").status_code == 200
    response = _report(client, reporter_name="王某", reporter_phone="13800001111")
    assert response.status_code == 302
    done = client.get(response["Location"])
    lead = Lead.objects.get()
    assert lead.tracking_code in done.content.decode()
    assert client.get(response["Location"]).status_code == 302  # shown once
    tracked = client.post("/portal/monitoring/track/", {"code": lead.tracking_code.lower()})
    page = tracked.content.decode()
    assert 'id="tracked"' in page and timezone.localdate().isoformat() in page
    for personal in ("王某", "13800001111", "住院", "达吉林"):
        assert personal not in page
    missing = client.post("/portal/monitoring/track/", {"code": "MAAAAAAAAAA"})
    assert 'id="tracked"' not in missing.content.decode()


def test_a_bad_report_is_shown_by_field_and_writes_nothing(client):
    response = _report(client, village="", description="")
    assert response.status_code == 200 and not Lead.objects.exists()
    assert response.content.decode().count('class="error"') == 2


def test_reports_and_look_ups_are_limited_per_address(client, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "monitoring.report", 2)
    monkeypatch.setitem(ratelimit.LIMITS, "monitoring.track", 3)
    assert [_report(client).status_code for _ in range(3)] == [302, 302, 429]
    assert Lead.objects.count() == 2
    codes = [client.post("/portal/monitoring/track/", {"code": "M"}).status_code for _ in "abcd"]
    assert codes == [200, 200, 200, 429]
    other = client.post("/portal/monitoring/report/", {}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another address is counted on its own


def test_the_clerk_sees_the_section_and_records_a_visit_that_opens_a_lead(
    client, login, make_household
):
    household = make_household("P-1")
    login(CLERK)
    page = client.get(f"/households/{household.public_id}/").content.decode()
    assert (
        'id="monitoring"' in page and f"/monitoring/households/{household.public_id}/visit/" in page
    )
    form = {f"g_{name}": "yes" for name in INDICATORS}
    photo = SimpleUploadedFile("h.png", image_bytes("PNG"), content_type="image/png")
    response = client.post(
        f"/monitoring/households/{household.public_id}/visit/",
        {
            **form,
            "g_water": "no",
            "visited_on": timezone.localdate().isoformat(),
            "per_capita_income": "9000",
            "note": "水管坏了",
            "photos": [photo],
        },
        follow=True,
    )
    lead = Lead.objects.get()
    assert lead.channel == "visit" and lead.rule == "visit_guarantee"
    assert lead.tracking_code in response.content.decode()
    visit = Visit.objects.get()
    assert visit.photos.count() == 1 and visit.indicators["water"] is False
    photo_url = f"/monitoring/visit-photos/{visit.photos.get().pk}/"
    assert client.get(photo_url).status_code == 200
    login("org-lsfund")
    assert client.get(photo_url).status_code == 404


def test_an_unanswered_guarantee_is_named_and_nothing_written(client, login, make_household):
    household = make_household("P-2")
    login(CLERK)
    response = client.post(
        f"/monitoring/households/{household.public_id}/visit/",
        {"visited_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200 and not Visit.objects.exists()
    assert response.content.decode().count('class="error"') == len(INDICATORS)


def test_the_clerk_records_a_call_and_links_a_portal_report(client, login, make_household):
    household = make_household("P-3")
    login(CLERK)
    response = client.post(
        f"/monitoring/households/{household.public_id}/call/",
        {"description": "户主来电：孩子辍学", "reporter_name": "户主", "reporter_phone": ""},
        follow=True,
    )
    call = Lead.objects.get()
    assert call.household == household and call.channel == "self_report"
    assert call.tracking_code in response.content.decode()
    _report(client, description="邻居反映房屋倒塌")
    report = Lead.objects.get(household__isnull=True)
    listed = client.get("/monitoring/self-reports/").content.decode()
    assert f'id="report-{report.tracking_code}"' in listed and "房屋倒塌" in listed
    other = make_household("P-4", sequence=2)
    client.post(
        f"/monitoring/self-reports/{report.public_id}/link/",
        {"household_number": "P-4", "village": ""},
    )
    report.refresh_from_db()
    assert report.household == other
    after = client.get("/monitoring/self-reports/").content.decode()
    assert f'id="report-{report.tracking_code}"' not in after


def test_others_may_not_record_calls_or_link(client, login, make_household):
    household = make_household("P-5")
    _report(client)
    report = Lead.objects.get()
    login("supervisor-513400")
    assert client.get(f"/monitoring/households/{household.public_id}/call/").status_code == 404
    assert client.get(f"/monitoring/households/{household.public_id}/visit/").status_code == 404
    response = client.post(
        f"/monitoring/self-reports/{report.public_id}/link/", {"household_number": "P-5"}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.household is None


def test_a_helpers_staff_lists_its_households_and_visits_one(client, login, make_household, user):
    household = make_household("P-6")
    make_household("P-7", sequence=2)
    staff = login("org-lsfund")
    responsible_helper_assign(
        by=user("admin"),
        household=household,
        name="帮扶人",
        helper=staff.organization,
        since=date(2026, 1, 1),
    )
    listed = client.get("/monitoring/my-households/").content.decode()
    assert "P-6" in listed and "P-7" not in listed
    form = {f"g_{name}": "yes" for name in INDICATORS}
    client.post(
        f"/monitoring/households/{household.public_id}/visit/",
        {**form, "visited_on": timezone.localdate().isoformat(), "shocks": ["job_loss"]},
    )
    assert Lead.objects.get().rule == "visit_shock"
    login(CLERK)
    assert client.get("/monitoring/my-households/").status_code == 404


def test_worklists_hold_reports_to_link_and_households_due_a_visit(
    client, login, make_household, user
):
    household = make_household("W-1")
    _report(client)
    report = Lead.objects.get()
    login(CLERK)
    work = client.get("/work/").content.decode()
    assert 'id="work-self_reports"' in work and report.tracking_code in work
    login("province-510000")  # sees the report, but links nothing
    province_work = client.get("/work/")
    assert province_work.status_code == 200
    assert report.tracking_code not in province_work.content.decode()
    staff = login("org-lsfund")
    responsible_helper_assign(
        by=user("admin"),
        household=household,
        name="帮扶人",
        helper=staff.organization,
        since=date(2026, 1, 1),
    )
    work = client.get("/work/").content.decode()
    assert 'id="work-visits"' in work and f"/monitoring/households/{household.public_id}/" in work
    Visit.objects.create(
        household=household,
        visited_on=timezone.localdate(),
        visited_by=staff,
        indicators=dict.fromkeys(INDICATORS, True),
    )
    assert 'id="work-visits"' not in client.get("/work/").content.decode()
