"""The API keeps its contract: schemathesis generates requests from /api/v1/openapi.json
(valid and invalid ones) and sends them to the app in-process, as the admin and as a
township officer. No answer may be a server error or break the documented schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from aidbridge.accounts.models import ApiToken, User
from aidbridge.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [schemathesis.checks.not_a_server_error,
          schemathesis.checks.response_schema_conformance,
          schemathesis.checks.status_code_conformance,
          schemathesis.checks.content_type_conformance]


@pytest.fixture
def token(db):
    """Bearer tokens of the demo accounts; requests stay in the test's transaction (the
    handler must not close its connection between requests, as Django's test client)."""
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
