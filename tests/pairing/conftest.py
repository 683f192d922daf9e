"""Pairing fixtures: poor villages in Muli and Xichang, a paired city's government unit, and
a helper that fills a village's posts."""

from datetime import date

import pytest

from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization, OrganizationKind, PairingRole
from aidbridge.pairing.services import pairing_post_set
from aidbridge.regions.models import Region

MULI_POOR, MULI_MONITORED, MULI_NOT_POOR = "513422100001", "513422100200", "513422101200"
XICHANG_POOR = "513401001003"


@pytest.fixture
def poor_villages(make_household):
    """One household in each of four villages: two poor, one monitored, one not poor."""
    for n, (village, status) in enumerate(
        [
            (MULI_POOR, "poor"),
            (MULI_MONITORED, "monitored"),
            (MULI_NOT_POOR, "not_poor"),
            (XICHANG_POOR, "poor"),
        ],
        start=1,
    ):
        make_household(f"PAIR-{n}", village, sequence=n, status=status)


@pytest.fixture
def staff(db):
    """staff(village_code, roles=all five): give the roles to people from 2025-01-01."""

    def fill(village, roles=tuple(PairingRole), by="county-513422"):
        return [
            pairing_post_set(
                by=User.objects.get(username=by),
                village=Region.objects.get(code=village),
                role=role,
                holder=f"{PairingRole(role).label} 甲",
                since=date(2025, 1, 1),
            )
            for role in roles
        ]

    return fill


@pytest.fixture
def gov(db):
    """Hangzhou's government unit, the paired city of Liangshan's counties."""
    return Organization.objects.create(
        code="hangzhou-gov",
        name_zh="杭州市人民政府",
        name_en="Hangzhou Municipal Government",
        kind=OrganizationKind.GOVERNMENT,
    )
