"""Poverty incidence on the region dashboard: poor people over the rural registered
population, where the population is known; the demo sets plausible populations."""

import pytest

from aidbridge.insights import demo as insights_demo
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_incidence_where_the_population_is_known(client, login, make_household):
    make_household("I-1", "513422100001", status="poor", sequence=1)
    make_household("I-2", "513422101200", status="not_poor", sequence=2)
    Region.objects.filter(code="513422100").update(population=40)
    Region.objects.filter(code="513422").update(population=200)
    login("county-513422")
    client.cookies.load({"django_language": "en"})
    page = client.get("/regions/513422/").content.decode()
    assert "0.5%" in page  # 1 poor person of 200 in the county
    assert "2.5%" in page  # 1 of 40 in Qiaowa
    row = page[page.index("Wachang Town") :]
    assert "—" in row[: row.index("</tr>")]  # Wachang's population is unknown


def test_demo_populations_hold_the_registered_people_and_add_up(make_household):
    make_household("I-3", "513422100001", sequence=3)
    make_household("I-4", "513422100200", sequence=4)
    assert insights_demo.populate(seed=1) == 6  # two villages and the four regions above
    village, other, township = (
        Region.objects.get(code=c).population for c in ("513422100001", "513422100200", "513422100")
    )
    assert village >= 1 and other >= 1 and township == village + other
    assert Region.objects.get(code="513401").population is None
