"""The honour roll is public text: the name a donor typed loses phone and ID numbers and the
names of the registered members of the project it was given to."""

import pytest

from aidbridge.donations.services import donation_offer, donation_receive
from aidbridge.redact import MASK
from aidbridge.registry.models import Household


@pytest.fixture
def typed(project, staff, helpers, make_household):
    """A received donation whose honour name names a member of the project's household and
    gives a phone, and one with an innocent name."""
    household = make_household("H-HONOUR", name="曲比阿木")
    project.households.add(household)
    assert Household.objects.get(number="H-HONOUR").members.get().name == "曲比阿木"
    for value, name in ((300, "曲比阿木家 139-1234-5678"), (200, "一位老师")):
        offer = donation_offer(
            by=staff,
            target=project.money,
            recipient=staff.organization,
            value=value,
            donor=helpers["ls-yi-embroidery"],
            honour=True,
            honour_name=name,
        )
        donation_receive(by=staff, donation=offer)
    return project


def test_the_project_roll_hides_members_and_phones(client, typed):
    page = client.get(f"/portal/honour/?project={typed.public_id}").content.decode()
    api = client.get(f"/api/v1/portal/honour?project={typed.public_id}").json()
    assert [row["name"] for row in api] == [f"{MASK}家 {MASK}", "一位老师"]
    assert f"{MASK}家 {MASK}" in page and "一位老师" in page
    for text in (page, str(api)):
        assert "曲比阿木" not in text and "5678" not in text


def test_the_whole_roll_hides_them_too(client, typed):
    names = [row["name"] for row in client.get("/api/v1/portal/honour").json()]
    assert names == [f"{MASK}家 {MASK}", "一位老师"]
