"""The demo's leads from people: made once, in the clerk's village, through the services."""

import pytest

from aidbridge.monitoring import demo_channels
from aidbridge.monitoring.models import Lead, Visit
from aidbridge.monitoring.selectors_channels import households_to_visit, self_reports_unlinked

pytestmark = pytest.mark.django_db


def test_the_demo_makes_a_report_a_call_and_visits_once(make_household, user):
    for n in range(3):
        make_household(f"D-{n}", sequence=n + 1)
    made = demo_channels.load()
    assert made == Lead.objects.count() >= 3
    assert {lead.channel for lead in Lead.objects.all()} == {"self_report", "visit"}
    assert self_reports_unlinked(user("clerk-513422100001")).count() == 1
    assert Visit.objects.count() == 2 and households_to_visit(user("org-lsfund")).count() == 2
    assert demo_channels.load() == 0 and Lead.objects.count() == made
