"""The API keeps its contract: schemathesis generates requests from /api/v1/openapi.json
(valid and invalid ones) and sends them to the app in-process, as the admin and as a
township officer. No answer may be a server error, break the documented schema, or have an
undocumented status code or content type. Path ids are drawn half the time from real
records (a household, a published need and its claim, an account, a helper, a region), so
that the handlers behind the lookups are reached too."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from ninja import Schema

from aidbridge.accounts.models import ApiToken, Role, User
from aidbridge.api import ERRORS, NUL_MESSAGE, api
from aidbridge.needs.claims import claim_create
from aidbridge.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
]
REAL: dict[str, str] = {}  # path parameter -> the id of a real record, for this test


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    real = {name: REAL[name] for name in path_parameters or () if name in REAL}
    return (
        st.sampled_from([path_parameters, {**path_parameters, **real}])
        if real
        else st.just(path_parameters)
    )


def _drawn_plan():
    """A drawn inspection plan of Muli's villages, for the plans' endpoints."""
    from datetime import date

    from aidbridge.regions.models import Region
    from aidbridge.supervision.services import plan_create, plan_draw, plan_publish

    admin = User.objects.get(username="admin")
    plan = plan_create(
        by=admin,
        title="contract",
        year=2026,
        region=Region.objects.get(code="513422"),
        kind="village",
        strata="none",
        size=1,
        visit_by=date(2026, 12, 20),
        inspectors=[
            (User.objects.get(username=u), None) for u in ("supervisor-513400", "auditor-513400")
        ],
        public_source="China Welfare Lottery, issue 2026141",
    )
    plan = plan_publish(plan=plan, by=admin)
    return plan_draw(plan=plan, by=admin, public_value="03 08 14")


@pytest.fixture
def records(make_household, file_need, helper_staff):
    household = make_household("H-API", status="poor")
    need = file_need(household_number="H-API", amount=900, publish=True)
    claim = claim_create(
        by=helper_staff, need=need, kind="money", amount=300, deliver_by=need.deadline
    )
    REAL.update(
        household_id=str(household.public_id),
        need_id=str(need.public_id),
        claim_id=str(claim.public_id),
        helper_id=str(helper_staff.organization_id),
        user_id=str(User.objects.get(username="clerk-513422100001").pk),
        code="513422100",
        plan_id=str(_drawn_plan().public_id),
    )
    yield
    REAL.clear()


@pytest.fixture
def token(records):
    """Bearer tokens of the demo accounts. Requests stay in the test's transaction, rolled
    back at its end: the handler keeps its connection between requests, as in Django's test
    client."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield lambda username: ApiToken.issue(User.objects.get(username=username))[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("username", ["admin", "township-513422100"])
@schema.parametrize()
@settings(max_examples=5, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_keeps_its_contract(case, token, username):
    case.call_and_validate(headers={"Authorization": f"Bearer {token(username)}"}, checks=CHECKS)


def test_schema_names_are_unique():
    """Two schemas of one name would share one OpenAPI component, and one of them would
    then document the other's answers."""
    found = {}
    pending = list(Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith("aidbridge."):
            found.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {name: modules for name, modules in found.items() if len(modules) > 1} == {}


# What schemathesis found before the validation layer, each as a named case.


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("get", "/users?q=a%00b", None, "q"),
        ("get", "/needs?q=x&status=%00", None, "status"),
        ("get", "/regions/5134%0022", None, "code"),
        (
            "post",
            "/users",
            {
                "username": "nul",
                "password": "Zx9!long-pw",
                "role": "township",
                "region_code": "513422100",
                "display_name": "a\u0000b",
            },
            "display_name",
        ),
        ("post", "/households/search", {"resident_ids": ["5134\u0000"]}, "resident_ids.0"),
        ("post", "/users", {"user\u0000name": "x"}, "username"),
    ],
)
def test_nul_characters_are_refused_with_the_field(api_call, method, path, body, field):
    response = api_call("admin", method, path, body)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "invalid input",
        "errors": [{"field": field, "message": str(NUL_MESSAGE)}],
    }
    assert not User.objects.filter(username="nul").exists()


def test_a_raw_nul_byte_in_a_json_body_is_refused(client, db):
    _token, raw = ApiToken.issue(User.objects.get(username="admin"))
    response = client.post(
        "/api/v1/users",
        b'{"username": "a\x00"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body"


@pytest.mark.parametrize("query", ["page=9223372036854775808", "page=0", "page=-1", "page=1000001"])
def test_page_numbers_are_bounded(api_call, query):
    response = api_call("admin", "get", f"/users?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"
    assert api_call("admin", "get", "/portal/needs?" + query).status_code == 422


def test_a_huge_page_size_gives_the_largest_page(api_call):
    response = api_call("admin", "get", "/regions?page_size=9223372036854775808")
    assert response.status_code == 200 and len(response.json()["items"]) == 11


def test_null_in_a_patch_keeps_the_value(api_call):
    clerk = User.objects.get(username="clerk-513422100001")
    response = api_call(
        "admin",
        "patch",
        f"/users/{clerk.pk}",
        {"role": None, "display_name": None, "phone": "0834-1"},
    )
    assert response.status_code == 200, response.content
    clerk.refresh_from_db()
    assert (clerk.role, clerk.phone) == (Role.CLERK, "0834-1")


@pytest.mark.parametrize("body", [{"role": "superuser"}, {"role": ""}, {"role": None}])
def test_roles_are_checked(api_call, body):
    data = {"username": "sudo", "password": "Zx9!long-pw", "region_code": "513422", **body}
    response = api_call("admin", "post", "/users", data)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"
    assert not User.objects.filter(username="sudo").exists()
    clerk = User.objects.get(username="clerk-513422100001")
    assert (
        api_call("admin", "patch", f"/users/{clerk.pk}", {"role": "superuser"}).status_code == 422
    )


@pytest.mark.parametrize(
    "path",
    ["/needs/not-a-uuid", "/claims/1/cancel", "/nowhere", "/households/null,null/helpers/0/end"],
)
def test_paths_that_match_no_operation_get_a_json_404(api_call, path):
    for method in ("get", "post"):
        response = api_call("admin", method, path)
        assert response.status_code == 404
        assert response.json() == {"detail": "not found", "errors": []}


def test_every_operation_documents_its_error_answers():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = {int(code) for code in operation["responses"]}
            assert set(ERRORS) <= documented, (method, path)
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail", "errors"]


@pytest.fixture
def api_call(api):
    return api
