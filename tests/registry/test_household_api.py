"""The households API: scope, masking, registration, ID search by POST, import jobs."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aidbridge.accounts.models import ApiToken, User
from aidbridge.jobs.models import Job
from aidbridge.registry import idcard
from aidbridge.registry.importer import template_csv

pytestmark = pytest.mark.django_db


def headers(username):
    _token, raw = ApiToken.issue(User.objects.get(username=username))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def rid(day, sex="male"):
    return idcard.generate(region_code="513422", birth_date=date(1981, 2, day), sex=sex, sequence=3)


def body(number="API-1", village="513422100001"):
    return {
        "number": number,
        "village_code": village,
        "main_cause": "disability",
        "per_capita_income": 3600,
        "income_year": 2025,
        "members": [
            {
                "name": "阿呷",
                "resident_id": rid(1),
                "relation": "head",
                "labour": "weak",
                "schooling": "primary",
                "health": "disabled",
                "disability_grade": 2,
            },
            {
                "name": "吉克",
                "resident_id": rid(2, "female"),
                "relation": "spouse",
                "labour": "normal",
                "schooling": "illiterate",
            },
        ],
    }


def register(client, username="clerk-513422100001", **kwargs):
    return client.post(
        "/api/v1/households", body(**kwargs), content_type="application/json", **headers(username)
    )


def test_a_clerk_registers_and_sees_full_ids_a_supervisor_sees_masks(client):
    response = register(client)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["members"][0]["resident_id"] == rid(1)
    assert created["members"][0]["disability_grade"] == 2
    supervisor = client.get(
        f"/api/v1/households/{created['id']}", **headers("supervisor-513400")
    ).json()
    assert supervisor["members"][0]["resident_id"] == idcard.mask(rid(1))
    assert supervisor["members"][0]["health"] is None
    assert supervisor["members"][0]["disability_grade"] is None
    assert supervisor["members"][0]["birth_date"] is None  # with the village, it rebuilds the ID
    assert supervisor["members"][0]["birth_year"] == created["members"][0]["birth_year"] == 1981
    assert created["members"][0]["birth_date"] == "1981-02-01"


def test_errors_name_the_member_field(client):
    data = body()
    data["members"][1]["resident_id"] = "51342219810202000"
    response = client.post(
        "/api/v1/households", data, content_type="application/json", **headers("clerk-513422100001")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "members[2].resident_id"


def test_out_of_scope_households_and_villages_are_refused(client):
    created = register(client).json()
    assert (
        client.get(
            f"/api/v1/households/{created['id']}", **headers("township-513422101")
        ).status_code
        == 404
    )
    listed = client.get("/api/v1/households", **headers("township-513422101")).json()
    assert listed["count"] == 0
    assert register(client, "township-513422101", number="API-2").status_code == 403
    assert client.get("/api/v1/households", **headers("org-lsfund")).json()["count"] == 0


def test_resident_ids_are_searched_by_post_never_in_urls(client):
    register(client)
    found = client.post(
        "/api/v1/households/search",
        {"resident_id": rid(2, "female")},
        content_type="application/json",
        **headers("county-513422"),
    ).json()
    assert [h["number"] for h in found] == ["API-1"]
    refused = client.get(f"/api/v1/households?q={rid(1)}", **headers("county-513422"))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "q"


def test_a_search_too_broad_to_list_is_refused(client, make_household, monkeypatch):
    make_household("API-1", sequence=1)
    make_household("API-2", sequence=2)
    monkeypatch.setattr("aidbridge.registry.selectors.SEARCH_LIMIT", 1)
    monkeypatch.setattr("aidbridge.registry.api.SEARCH_LIMIT", 1)
    refused = client.get(
        "/api/v1/households?q=API", HTTP_ACCEPT_LANGUAGE="en", **headers("county-513422")
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0] == {
        "field": "q",
        "message": "more than 1 households match: search with more characters or filters",
    }
    listed = client.get("/api/v1/households?q=API-2", **headers("county-513422")).json()
    assert [h["number"] for h in listed["items"]] == ["API-2"]


def test_list_filters_and_history(client):
    created = register(client).json()
    listed = client.get(
        "/api/v1/households?status=poor&band=2300_4000&region=513422100", **headers("county-513422")
    ).json()
    assert [h["number"] for h in listed["items"]] == ["API-1"]
    history = client.get(
        f"/api/v1/households/{created['id']}/history", **headers("county-513422")
    ).json()
    assert history[0]["who"] == "clerk-513422100001"


def test_import_through_the_api_is_a_job(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/households/import",
            {"file": SimpleUploadedFile("t.csv", template_csv().encode())},
            **headers("county-513422"),
        )
    assert response.status_code == 202
    job = client.get(f"/api/v1/jobs/{response.json()['job_id']}", **headers("county-513422")).json()
    assert job["status"] == "succeeded" and job["result"]["households"] == 1
    assert Job.objects.get().created_by.username == "county-513422"
    assert (
        client.post(
            "/api/v1/households/import",
            {"file": SimpleUploadedFile("t.csv", b"x")},
            **headers("supervisor-513400"),
        ).status_code
        == 403
    )


def test_assessments_through_the_api(client):
    created = register(client).json()
    url = f"/api/v1/households/{created['id']}/assessments"
    indicators = {k: True for k in ("food", "clothing", "education", "medical", "housing", "water")}
    response = client.post(
        url,
        {"assessed_on": "2025-05-01", "per_capita_income": 3000, "indicators": indicators},
        content_type="application/json",
        **headers("clerk-513422100001"),
    )
    assert response.status_code == 201, response.content
    assert response.json()["suggested_status"] == "poor"
    listed = client.get(url, **headers("county-513422"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert listed[0]["explanation"] == "income 3,000 below the poverty line 4,000"
    assert (
        client.post(
            url,
            {"assessed_on": "2025-05-01", "per_capita_income": 3000, "indicators": indicators},
            content_type="application/json",
            **headers("supervisor-513400"),
        ).status_code
        == 403
    )
    assert client.get(url, **headers("township-513422101")).status_code == 404
