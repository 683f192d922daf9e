"""The household list at scale: counts are capped, and a name search is three index lookups
that still find heads, numbers and members."""

import pytest
from django.db import connection

from aidbridge.pages import CappedPaginator
from aidbridge.registry import selectors
from aidbridge.registry.models import Household, HouseholdIncome, Member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_the_count_stops_at_the_cap(client, login, make_household, monkeypatch):
    for n in range(1, 4):
        make_household(f"S-{n}", sequence=n)
    login("county-513422")
    assert "3 households" in client.get("/households/").content.decode()
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    page = client.get("/households/").content.decode()
    assert "More than 2 households: narrow the filters" in page


def test_a_search_finds_heads_numbers_and_members_in_scope(
    client, login, make_household, monkeypatch
):
    make_household("S-10", name="阿依莫", sequence=10)
    make_household("S-11", "513401001003", name="阿依布", sequence=11)  # Xichang
    make_household("Q-12", name="吉克", sequence=12)
    county = login("county-513422")
    numbers = {h.number for h in selectors.household_search(county, q="阿依")}
    assert numbers == {"S-10"}
    assert {h.number for h in selectors.household_search(county, q="Q-")} == {"Q-12"}
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 1)
    make_household("S-13", name="阿依色", sequence=13)
    broad = selectors.household_search(county, q="阿依")
    assert len(broad) == 2 and selectors.search_too_broad(broad)  # one more than listed
    assert not selectors.search_too_broad(selectors.household_search(county, q="吉克"))


def test_a_broad_search_lists_some_and_says_there_are_more(
    client, login, make_household, monkeypatch
):
    for n in range(1, 4):
        make_household(f"S-{n}", name=f"阿依{n}", sequence=n)
    monkeypatch.setattr("aidbridge.registry.views.SEARCH_LIMIT", 2)
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 2)
    login("county-513422")
    page = client.get("/households/?q=阿依").content.decode()
    assert "More than 2 households: narrow the filters" in page
    assert "3 households" in client.get("/households/").content.decode()  # no cap unsearched
    assert "1 household" in client.get("/households/?q=阿依2").content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
def test_scopes_and_searches_by_a_start_are_index_ranges(make_household):
    """A scope (LIKE '/.../%') walks the same index as the list's order (region_path has the
    C collation), and names and numbers are found from indexes of their own, whatever the
    database's collation; a household's incomes from the index of one income a year."""
    household = make_household("S-1", name="阿依莫", sequence=1)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: make the plan show
    # Searches without the models' default order: with a single row the planner may as well
    # walk the order's index and filter, which says nothing about the search's own index.
    for query, index in [
        (
            Household.objects.filter(region_path__startswith="/510000/513400/513422/").order_by(
                "region_path", "number"
            ),
            "household_scope_status",
        ),
        (
            Household.objects.filter(head_name__startswith="阿依").order_by(),
            "household_head_prefix",
        ),
        (Member.objects.filter(name__startswith="阿依").order_by(), "member_name_prefix"),
        (Household.objects.filter(number__startswith="S-").order_by(), "household_number_unique"),
        (Household.objects.filter(number__in=["S-1", "S-2"]).order_by(), "household_number_unique"),
        (HouseholdIncome.objects.filter(household=household).order_by(), "one_income_per_year"),
    ]:
        plan = query.explain()
        assert index in plan and "Index Cond" in plan, plan
