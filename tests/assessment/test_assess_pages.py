"""The assessment pages, reports, command and API: the province sets the scorecard and
computes, a second person reviews, the province publishes, the portal shows it without
household numbers; scope answers 404."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from aidbridge.assessment import services
from aidbridge.assessment.models import Assessment, Status

YEAR = 2026


def _scorecard_post(**extra):
    data = {
        "pass_score": "50",
        "on_helpers_mobilised": "on",
        "weight_helpers_mobilised": "50",
        "direction_helpers_mobilised": "at_least",
        "threshold_helpers_mobilised": "0",
        "on_manual_1": "on",
        "label_manual_1": "贫困发生率",
        "weight_manual_1": "50",
        "direction_manual_1": "at_most",
        "threshold_manual_1": "2",
        "veto_manual_1": "on",
    }
    return data | extra


def test_the_province_sets_a_scorecard_on_its_page(client, login):
    login("province-510000")
    page = client.get(reverse("assessment:scorecard"), {"year": YEAR})
    assert page.status_code == 200 and "wrong_exit" in page.content.decode()
    bad = client.post(
        reverse("assessment:scorecard") + f"?year={YEAR}",
        _scorecard_post(label_manual_1="", weight_helpers_mobilised="10"),
    )
    assert bad.status_code == 200  # refused, with the problems on the form
    assert "error-summary" in bad.content.decode()
    done = client.post(reverse("assessment:scorecard") + f"?year={YEAR}", _scorecard_post())
    assert done.status_code == 302
    login("county-513422")
    assert client.get(reverse("assessment:scorecard"), {"year": YEAR}).status_code == 404


@pytest.fixture
def computed(client, login, user, region):
    login("province-510000")
    client.post(reverse("assessment:scorecard") + f"?year={YEAR}", _scorecard_post())
    services.manual_value_set(
        user=user("province-510000"),
        county=region("513422"),
        year=YEAR,
        key="manual_1",
        value="5",
        note="统计局年报",
    )
    answer = client.post(reverse("assessment:compute"), {"county": "513422", "year": YEAR})
    assert answer.status_code == 302
    return Assessment.objects.get(county__code="513422", year=YEAR)


def test_compute_review_publish_through_the_pages(client, login, computed):
    page = client.get(reverse("assessment:detail", args=[computed.public_id])).content.decode()
    assert "贫困发生率" in page and 'data-key="manual_1"' in page
    assert computed.vetoed_by == ["manual_1"] and computed.passed is False
    assert 'action="/assessment/' in page and "/review/" not in page  # not one's own review
    login("supervisor-513400")
    client.post(reverse("assessment:review", args=[computed.public_id]), {"note": "核对"})
    computed.refresh_from_db()
    assert computed.status == Status.REVIEWED
    login("province-510000")
    client.post(reverse("assessment:publish", args=[computed.public_id]))
    computed.refresh_from_db()
    assert computed.status == Status.PUBLISHED
    client.logout()
    listing = client.get(reverse("assessment_public:list")).content.decode()
    assert "木里藏族自治县" in listing
    public = client.get(reverse("assessment_public:detail", args=[computed.public_id]))
    assert public.status_code == 200 and "贫困发生率" in public.content.decode()


def test_unpublished_assessments_are_not_public(client, computed):
    client.logout()
    assert (
        client.get(reverse("assessment_public:detail", args=[computed.public_id])).status_code
        == 404
    )
    assert "木里" not in client.get(reverse("assessment_public:list")).content.decode()


@pytest.mark.parametrize(
    "username, status",
    [
        ("county-513422", 200),
        ("city-513400", 200),
        ("auditor-513400", 200),
        ("township-513422100", 404),
        ("clerk-513422100001", 404),
        ("org-lsfund", 404),
    ],
)
def test_who_reads_a_county_assessment(client, login, computed, username, status):
    login(username)
    assert client.get(reverse("assessment:detail", args=[computed.public_id])).status_code == status


def test_reports_as_pdf_and_xlsx(client, computed, tmp_path):
    pdf = client.get(reverse("assessment:report_pdf", args=[computed.public_id]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("assessment:report_xlsx", args=[computed.public_id]))
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [c for row in book["scorecard"].iter_rows(values_only=True) for c in row]
    assert "贫困发生率" in cells and "513422" in cells
    out = tmp_path / "r.xlsx"
    call_command("assessment", "report", "--county", "513422", "--year", str(YEAR), "-o", str(out))
    assert load_workbook(out)["visits"].max_row >= 1
    text = io.StringIO()
    call_command(
        "assessment",
        "compute",
        "--county",
        "513422",
        "--year",
        str(YEAR),
        "--as",
        "province-510000",
        stdout=text,
    )
    assert "vetoed by manual_1" in text.getvalue()


def test_the_api_sets_computes_and_reads(api, computed):
    got = api("province-510000", "get", f"/assessment/scorecards/510000/{YEAR}")
    assert got.status_code == 200 and got.json()["indicators"][1]["veto"] is True
    listed = api("province-510000", "get", "/assessment")
    assert [a["county"] for a in listed.json()["items"]] == ["513422"]
    body = {"county": "513422", "year": YEAR}
    again = api("province-510000", "post", "/assessment/compute", body)
    assert again.status_code == 200 and again.json()["vetoed_by"] == ["manual_1"]
    line = {"key": "nope", "weight": 1, "direction": "at_least", "threshold": 1}
    refused = api(
        "province-510000",
        "put",
        f"/assessment/scorecards/510000/{YEAR}",
        {"pass_score": 10, "indicators": [line]},
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "key"
    assert api("county-513422", "post", "/assessment/compute", body).status_code == 404
    assert api("county-513422", "get", f"/assessment/{computed.public_id}").status_code == 200
    assert api("township-513422100", "get", f"/assessment/{computed.public_id}").status_code == 404


def test_the_lists_ask_the_same_number_of_queries_for_one_row_and_for_three(client, user, region):
    """The staff list, the API list and the portal's list load their rows' county with them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = user("admin")
    province = user("province-510000")
    line = {"key": "projects_completed", "weight": 1, "direction": "at_least", "threshold": 0}

    def add(year):
        services.scorecard_set(
            user=admin, province=region("510000"), year=year, pass_score=0, lines=[line]
        )
        done = services.assessment_compute(user=admin, county=region("513422"), year=year)
        done = services.assessment_review(user=province, assessment=done)
        services.assessment_publish(user=admin, assessment=done)

    def counts():
        found = []
        for path, who in (
            ("/assessment/", province),
            ("/api/v1/assessment", province),
            ("/portal/assessment/", None),
        ):
            client.logout()
            if who:
                client.force_login(who)
            client.get(path)
            with CaptureQueriesContext(connection) as seen:
                assert client.get(path).status_code == 200
            found.append(len(seen))
        return found

    add(2024)
    one = counts()
    add(2025)
    add(2026)
    assert counts() == one


def test_the_commands_refuse_clearly(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no county of that code"):
        call_command("assessment", "compute", "--county", "999999", "--year", str(YEAR))
    with pytest.raises(CommandError, match="no assessment of 513422"):
        call_command("assessment", "report", "--county", "513422", "--year", "1999", "-o", "x.pdf")
    with pytest.raises(CommandError, match="^year: "):  # the service's refusal, its field named
        call_command("assessment", "compute", "--county", "513422", "--year", "2030")
