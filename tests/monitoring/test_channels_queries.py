"""The lists of the leads from people ask the database as often for one row as for three."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aidbridge.monitoring.channels import self_report_submit, visit_submit
from aidbridge.registry.identification import INDICATORS
from aidbridge.registry.responsible import responsible_helper_assign

pytestmark = pytest.mark.django_db
MET = dict.fromkeys(INDICATORS, True)


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_lists_take_as_many_queries_for_one_row_as_for_three(client, make_household, user):
    cache.clear()
    staff, clerk = user("org-lsfund"), user("clerk-513422100001")
    households = [make_household(f"Q-{n}", sequence=n + 1) for n in range(3)]
    for household in households:
        responsible_helper_assign(
            by=user("admin"),
            household=household,
            name="帮扶人",
            helper=staff.organization,
            since=date(2026, 1, 1),
        )
    first = households[0]
    pages = {
        "clerk": ["/monitoring/self-reports/", f"/households/{first.public_id}/"],
        "staff": ["/monitoring/my-households/", f"/monitoring/households/{first.public_id}/visit/"],
    }

    def counts():
        found = []
        for who, paths in pages.items():
            client.force_login(clerk if who == "clerk" else staff)
            found += [_count(client, path) for path in paths]
        return found

    def add_rows(n):
        for _ in range(n):
            self_report_submit(village_code="513422100001", description="遭灾")
            visit_submit(
                by=staff,
                household=first,
                visited_on=timezone.localdate(),
                indicators={**MET, "food": False},
                shocks=["illness"],
            )

    add_rows(1)
    one = counts()
    add_rows(2)
    assert counts() == one
