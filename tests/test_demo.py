"""The whole demo at a small size tells the README's story (the clerk's village with its four
procedure cases, needs in every status, something for every role), and the summary it prints
matches what is in the database."""

import re
from collections import Counter

import pytest
from django.core.management import call_command

from aidbridge import demo
from aidbridge.donations.models import Donation
from aidbridge.ledger.models import Entry
from aidbridge.matching.models import Proposal
from aidbridge.needs import demo as needs_demo
from aidbridge.needs import lifecycle
from aidbridge.needs.models import Need
from aidbridge.registry.models import Household, Member, ProcedureCase
from tests.conftest import load_shared

pytestmark = pytest.mark.django_db
VILLAGE = "513422100001"


def listed(text: str) -> dict[str, int]:
    """ "a 2, b 1" as {"a": 2, "b": 1}."""
    return {key: int(n) for key, n in re.findall(r"(\w+) (\d+)", text)}


@pytest.fixture(scope="module")
def told(django_db_setup, django_db_blocker):
    """The demo loaded once with 150 households (seed 3): the lines it printed."""
    lines = []
    with django_db_blocker.unblock():
        demo.load(say=lines.append, households=150, seed=3)
    yield "\n".join(lines)
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        load_shared()


def test_the_printed_summary_matches_the_database(told):
    households = re.search(r"Households: ([\d,]+) created \(([\d,]+) members", told)
    added = int(re.search(rf"Village {VILLAGE}: (\d+) more households", told).group(1))
    assert int(households.group(1).replace(",", "")) + added == Household.objects.count()
    assert int(households.group(2).replace(",", "")) < Member.objects.count()  # and the village's
    cases = re.search(
        rf"Procedures: (\d+) entry and exit cases in village {VILLAGE} \((.*)\)", told
    )
    assert int(cases.group(1)) == ProcedureCase.objects.count() == 4
    assert listed(cases.group(2)) == Counter(ProcedureCase.objects.values_list("stage", flat=True))
    needs = re.search(
        r"Needs: (\d+) created \((.*); (\d+) on the portal\); (\d+) planted .*, (\d+) needs", told
    )
    assert int(needs.group(1)) == Need.objects.count()
    assert listed(needs.group(2)) == Counter(Need.objects.values_list("status", flat=True))
    assert int(needs.group(3)) == Need.objects.filter(status__in=lifecycle.PUBLIC).count()
    assert int(needs.group(5)) == Need.objects.filter(flags__isnull=False).distinct().count()
    assert 0 < int(needs.group(4)) <= int(needs.group(5))
    sent = int(re.search(r"sent (\d+) proposals", told).group(1))
    assert sent == Proposal.objects.filter(status="sent").count() > 0
    projects = re.search(r"with (\d+) donations \((.*)\) .* \((\d+) entries\)", told)
    assert int(projects.group(1)) == Donation.objects.count()
    assert listed(projects.group(2)) == Counter(Donation.objects.values_list("status", flat=True))
    assert int(projects.group(3)) == Entry.objects.count()


def test_the_clerks_village_has_its_four_cases_and_needs_in_every_status(told, client):
    cases = ProcedureCase.objects.filter(household__village__code=VILLAGE)
    assert sorted((c.kind, c.stage, c.paused) for c in cases) == [
        ("entry", "applied", False),
        ("entry", "first_notice", True),
        ("exit", "announced", False),
        ("exit", "second_notice", False),
    ]
    assert set(needs_demo.SHOWN) <= set(Need.objects.values_list("status", flat=True))
    published = Need.objects.filter(status="published").first()
    assert published.title in client.get("/portal/").content.decode()


def test_every_role_has_something_to_do(told):
    assert Proposal.objects.filter(status="sent", offer__helper__code="lsfund").exists()
    assert Donation.objects.filter(status="offered").exists()  # for its recipient to confirm
    assert Household.objects.filter(village__code=VILLAGE, status="poor").count() >= 2
    assert Need.objects.filter(status="submitted", region__parent__code="513422100").exists()
    assert Need.objects.filter(status="township_reviewed").exists()  # for the county


def test_every_village_has_more_people_than_its_registered_households(told):
    """Populations are set after the clerk's village is topped up: no incidence above 100%."""
    from django.db.models import Sum

    from aidbridge.regions.models import Region

    people = Household.objects.values("village").annotate(n=Sum("size"))
    population = dict(Region.objects.values_list("pk", "population"))
    assert people and all(population[row["village"]] >= row["n"] for row in people)


def test_the_demo_spends_through_the_spending_records_and_pays_only_published_needs(told):
    from aidbridge.ledger.models import Posting
    from aidbridge.spending.models import Spending
    from aidbridge.spending.services import PAYABLE

    posted = Spending.objects.filter(status="posted")
    assert posted.filter(kind="purchase").exists() and posted.filter(kind="refund").exists()
    assert Spending.objects.filter(status="pending").count() == 1
    assert set(
        Entry.objects.filter(kind="disbursement").values_list("spending__kind", flat=True)
    ) == {"disbursement"}
    paid = Posting.objects.filter(entry__kind="disbursement", account__need__isnull=False)
    assert paid.exists()
    assert set(paid.values_list("account__need__status", flat=True)) <= {str(s) for s in PAYABLE}


def test_the_demos_spending_shows_on_the_portal_and_in_the_open_data(told, client):
    from aidbridge.projects.models import Project

    for project in Project.objects.exclude(stage="mining"):
        assert client.get(f"/portal/projects/{project.public_id}/").status_code == 200
    for fmt in ("csv", "xlsx", "hxl", "iati"):
        assert client.get(f"/portal/open-data/{fmt}/").status_code == 200, fmt


def test_monitoring_has_leads_at_every_step_plans_and_an_elimination(told):
    from aidbridge.monitoring.models import Elimination, Lead, Measure, MonitoredHousehold

    made = re.search(
        r"Monitoring: (\d+) leads .* \((\d+) overdue, escalated\), (\d+) monitored", told
    )
    from_people = re.search(r"Monitoring: (\d+) leads from people", told)
    leads = Lead.objects.filter(village__code=VILLAGE)
    assert int(made.group(1)) + int(from_people.group(1)) == leads.count()
    assert int(made.group(3)) == 3
    open_stages = set(leads.filter(status="open").values_list("stage", flat=True))
    assert open_stages == {"visit", "village_review", "notice", "township_check", "county_approval"}
    assert leads.filter(status="rejected").exclude(steps__comment="").exists()
    assert int(made.group(2)) == leads.filter(escalated_to="township").count() == 1
    assert Measure.objects.filter(monitored__household__village__code=VILLAGE).count() >= 4
    eliminated = MonitoredHousehold.objects.get(stage="eliminated")
    assert eliminated.household.status == "risk_eliminated"
    assert Elimination.objects.get().status == "approved"
