"""The REST API: tokens, one error shape, pagination, OpenAPI."""

import pytest

from aidbridge.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(client, password):
    def issue(username):
        response = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": password},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    return issue


def test_it_issues_a_token_that_authenticates(client, token):
    headers = token("county-513422")
    assert client.get("/api/v1/users/me", **headers).json()["region_code"] == "513422"
    stored = ApiToken.objects.get(user__username="county-513422")
    assert headers["HTTP_AUTHORIZATION"].split()[1] not in stored.digest  # only a hash is kept
    assert stored.last_used is not None


def test_wrong_password_and_bad_token_are_refused(client):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "county-513422", "password": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "wrong username or password"
    assert client.get("/api/v1/users/me", HTTP_AUTHORIZATION="Bearer ab_forged").status_code == 401


def test_a_disabled_users_token_stops_working(client, token):
    headers = token("township-513422100")
    User.objects.filter(username="township-513422100").update(is_active=False)
    assert client.get("/api/v1/users/me", **headers).status_code == 401


def test_errors_name_the_field(client, token):
    headers = token("county-513422")
    response = client.post(
        "/api/v1/users",
        {"username": "x", "password": "short", "role": "township", "region_code": "513422100"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "invalid input"
    assert {e["field"] for e in body["errors"]} == {"password"}

    response = client.post(
        "/api/v1/users", {"username": "x"}, content_type="application/json", **headers
    )
    assert response.status_code == 422
    assert {"password", "role", "region_code"} <= {e["field"] for e in response.json()["errors"]}


def test_role_must_fit_the_region_level(client, token):
    headers = token("county-513422")
    response = client.post(
        "/api/v1/users",
        {
            "username": "wrong-level",
            "password": "Zx9!long-pw",
            "role": "township",
            "region_code": "513422100001",
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "region"
    assert not User.objects.filter(username="wrong-level").exists()


def test_lists_are_paginated(client, token):
    headers = token("admin")
    first = client.get("/api/v1/regions?page_size=4", **headers).json()
    second = client.get("/api/v1/regions?page_size=4&page=2", **headers).json()
    assert first["count"] == second["count"] == 11
    assert len(first["items"]) == 4
    assert not {r["code"] for r in first["items"]} & {r["code"] for r in second["items"]}
    assert first["items"][0] == {
        "code": "510000",
        "parent_code": None,
        "level": "province",
        "depth": 0,
        "name_zh": "四川省",
        "name_en": "Sichuan Province",
        "population": None,
    }


def test_regions_can_be_filtered(client, token):
    headers = token("county-513422")
    children = client.get("/api/v1/regions?parent=513422", **headers).json()["items"]
    assert [r["code"] for r in children] == ["513422100", "513422101"]
    assert all(r["parent_code"] == "513422" for r in children)
    found = client.get("/api/v1/regions?q=瓦厂", **headers).json()["items"]
    assert {r["code"] for r in found} == {"513422101", "513422101200"}


def test_openapi_schema_describes_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "AidBridge API"
    for path in (
        "/api/v1/regions",
        "/api/v1/regions/{code}",
        "/api/v1/users",
        "/api/v1/users/{user_id}",
        "/api/v1/auth/token",
        "/api/v1/jobs/{job_id}",
        "/api/v1/households",
        "/api/v1/households/search",
        "/api/v1/households/{household_id}",
        "/api/v1/households/import",
    ):
        assert path in schema["paths"]


def test_api_docs_load_without_a_cdn(client, login):
    login("admin")
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
