from datetime import date

import pytest

from aidbridge.accounts.models import User
from aidbridge.regions.models import Region
from aidbridge.registry import idcard
from aidbridge.registry.services import household_register


@pytest.fixture
def make_household(db):
    """Register a one-person household as the admin: make_household(number, village, ...)."""

    def make(number, village="513422100001", *, name="户主", born=date(1970, 1, 1),
             sequence=1, **data):
        head = {"name": name, "relation": "head", "labour": "normal", "schooling": "primary",
                "resident_id": idcard.generate(region_code="513422", birth_date=born,
                                               sex="male", sequence=sequence)}
        return household_register(by=User.objects.get(username="admin"),
                                  village=Region.objects.get(code=village),
                                  data={"number": number, "main_cause": "illness", **data},
                                  members=[head])

    return make
