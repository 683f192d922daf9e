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

from aidbridge.accounts.models import ApiToken, User
from aidbridge.needs.claims import claim_create
from aidbridge.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [schemathesis.checks.not_a_server_error,
          schemathesis.checks.response_schema_conformance,
          schemathesis.checks.status_code_conformance,
          schemathesis.checks.content_type_conformance]
REAL: dict[str, str] = {}  # path parameter -> the id of a real record, for this test


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    real = {name: REAL[name] for name in path_parameters or () if name in REAL}
    return st.sampled_from([path_parameters, {**path_parameters, **real}]) if real \
        else st.just(path_parameters)


@pytest.fixture
def records(make_household, file_need, helper_staff):
    household = make_household("H-API", status="poor")
    need = file_need(household_number="H-API", amount=900, publish=True)
    claim = claim_create(by=helper_staff, need=need, kind="money", amount=300,
                         deliver_by=need.deadline)
    REAL.update(household_id=str(household.public_id), need_id=str(need.public_id),
                claim_id=str(claim.public_id), helper_id=str(helper_staff.organization_id),
                user_id=str(User.objects.get(username="clerk-513422100001").pk),
                code="513422100")
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
@settings(max_examples=5, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_keeps_its_contract(case, token, username):
    case.call_and_validate(headers={"Authorization": f"Bearer {token(username)}"},
                           checks=CHECKS)


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

