"""The dashboards' village tallies: kept by the registry's writers, summed per child region,
and rebuilt from the households when something changed them outside the application."""

import pytest
from django.core.management import call_command

from aidbridge.insights.models import VillageTally
from aidbridge.insights.tally import region_figures, tally_rebuild, tally_villages
from aidbridge.regions.models import Region
from aidbridge.registry.models import Household

pytestmark = pytest.mark.django_db


def test_registering_counts_the_household_in_its_village(make_household):
    make_household("T-1", "513422100001", status="poor", sequence=1)
    make_household("T-2", "513422100200", status="monitored", sequence=2)
    make_household("T-3", "513422101200", status="not_poor", sequence=3)
    totals, children = region_figures(Region.objects.get(code="513422"))
    assert totals == {"households": 3, "people": 3, "poor": 1, "poor_people": 1, "monitored": 1}
    assert children["513422100"] == {
        "households": 2,
        "people": 2,
        "poor": 1,
        "poor_people": 1,
        "monitored": 1,
    }
    assert children["513422101"]["households"] == 1
    assert region_figures(Region.objects.get(code="513401"))[0]["households"] == 0


def test_a_recount_follows_the_households(make_household):
    household = make_household("T-4", status="poor", sequence=4)
    Household.objects.filter(pk=household.pk).update(status="lifted", size=5)
    county = Region.objects.get(code="513422")
    assert region_figures(county)[0]["poor"] == 1  # changed behind the writers' back
    tally_villages([household.village_id])
    assert region_figures(county)[0] == {
        "households": 1,
        "people": 5,
        "poor": 0,
        "poor_people": 0,
        "monitored": 0,
    }
    Household.objects.filter(pk=household.pk).delete()
    VillageTally.objects.filter(village_id=household.village_id).update(households=7)
    assert tally_rebuild() == 1
    assert region_figures(county)[0]["households"] == 0


def test_the_rebuild_command(make_household, capsys):
    make_household("T-5", sequence=5)
    VillageTally.objects.all().delete()
    call_command("tallies", "rebuild")
    assert "Recounted 1 villages" in capsys.readouterr().out
    assert VillageTally.objects.get().households == 1


def test_an_import_and_the_demo_are_counted(make_household):
    from aidbridge.accounts.models import User
    from aidbridge.registry import demo
    from aidbridge.registry.importer import import_households, template_csv

    result = import_households(
        by=User.objects.get(username="admin"), data=template_csv().encode(), filename="t.csv"
    )
    assert result["households"] == 1
    totals = region_figures(Region.objects.get(code="513422"))[0]
    assert (totals["households"], totals["people"]) == (1, 2)
    created = demo.load(n=20, seed=4)
    assert region_figures(Region.objects.get(code="510000"))[0]["households"] == 1 + created
