"""Writers of pairing: a new holder ends the previous one, validation by field, and who may
assign posts and East-West pairings."""

from datetime import date, timedelta

import pytest

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.helpers.models import PairingPost, PairingRole, RegionPairing
from aidbridge.pairing.selectors import coverage, with_missing_roles
from aidbridge.pairing.services import (
    pairing_post_end,
    pairing_post_set,
    region_pairing_create,
    region_pairing_end,
)

pytestmark = pytest.mark.django_db
SECRETARY = PairingRole.FIRST_SECRETARY
MULI_POOR, MULI_MONITORED, XICHANG_POOR = "513422100001", "513422100200", "513401001003"


def fields(exc) -> set[str]:
    return {e["field"] for e in exc.value.errors}


def test_a_new_holder_ends_the_previous_one(user, region):
    county, village = user("county-513422"), region(MULI_POOR)
    first = pairing_post_set(
        by=county, village=village, role=SECRETARY, holder="张三", since=date(2024, 3, 1)
    )
    second = pairing_post_set(
        by=county,
        village=village,
        role=SECRETARY,
        holder="李四",
        phone="0834-1234567",
        since=date(2025, 6, 1),
    )
    first.refresh_from_db()
    assert first.until == date(2025, 6, 1) and second.until is None
    assert list(PairingPost.objects.filter(village=village, until__isnull=True)) == [second]
    assert first.history.first().history_user == county
    with pytest.raises(InvalidInput) as exc:
        pairing_post_set(
            by=county, village=village, role=SECRETARY, holder="王五", since=date(2025, 5, 1)
        )
    assert fields(exc) == {"since"}


def test_posts_are_validated_by_field(user, region):
    county = user("county-513422")
    with pytest.raises(InvalidInput) as exc:
        pairing_post_set(
            by=county,
            village=region(MULI_POOR),
            role="mayor",
            holder=" ",
            phone="call me",
            since=date.today() + timedelta(days=1),
        )
    assert fields(exc) == {"role", "holder", "phone", "since"}
    with pytest.raises(InvalidInput) as exc:
        pairing_post_set(
            by=county,
            village=region("513422100"),
            role=SECRETARY,
            holder="张三",
            since=date(2025, 1, 1),
        )
    assert fields(exc) == {"village"}


def test_ending_a_post_leaves_the_role_vacant(user, region, staff):
    post = staff(MULI_POOR, [SECRETARY])[0]
    with pytest.raises(InvalidInput):
        pairing_post_end(by=user("county-513422"), post=post, until=date(2024, 12, 31))
    pairing_post_end(by=user("township-513422100"), post=post, until=date(2025, 2, 1))
    assert post.until == date(2025, 2, 1)
    assert with_missing_roles([region(MULI_POOR)])[0].missing == list(PairingRole)
    with pytest.raises(InvalidInput):
        pairing_post_end(by=user("county-513422"), post=post, until=date(2025, 3, 1))


@pytest.mark.parametrize(
    "username, allowed",
    [
        ("admin", True),
        ("province-510000", True),
        ("city-513400", True),
        ("county-513422", True),
        ("township-513422100", True),
        ("township-513422101", False),
        ("county-513401", False),
        ("clerk-513422100001", False),
        ("supervisor-513400", False),
        ("org-lsfund", False),
        ("donor-demo", False),
    ],
)
def test_officers_in_scope_assign_posts(user, region, username, allowed):
    def assign():
        pairing_post_set(
            by=user(username),
            village=region(MULI_POOR),
            role=SECRETARY,
            holder="张三",
            since=date(2025, 1, 1),
        )

    if allowed:
        assign()
    else:
        with pytest.raises(NotAllowed):
            assign()
    assert PairingPost.objects.exists() == allowed


def test_coverage_counts_poor_and_monitored_villages(region, poor_villages, staff):
    counts, missing = coverage(region("513422"))
    assert counts == {"poor_villages": 2, "fully_staffed": 0, "missing": 2}
    assert [v.code for v in missing] == [MULI_POOR, MULI_MONITORED]
    staff(MULI_POOR)
    staff(MULI_MONITORED, [SECRETARY])
    counts, missing = coverage(region("513422"))
    assert counts == {"poor_villages": 2, "fully_staffed": 1, "missing": 1}
    [village] = with_missing_roles(missing)
    assert village.code == MULI_MONITORED and SECRETARY not in village.missing
    assert len(village.missing) == 4
    assert coverage(region("513400"))[0] == {"poor_villages": 3, "fully_staffed": 1, "missing": 2}
    assert [v.code for v in coverage(region("513401"))[1]] == [XICHANG_POOR]


def test_east_west_pairings(user, region, gov):
    county = user("county-513422")
    pairing = region_pairing_create(
        by=county, helper=gov, county=region("513422"), since=date(2024, 1, 1), note="对口支援"
    )
    with pytest.raises(InvalidInput) as exc:
        region_pairing_create(
            by=county, helper=gov, county=region("513422"), since=date(2024, 1, 1)
        )
    assert fields(exc) == {"helper"}
    with pytest.raises(InvalidInput) as exc:
        region_pairing_create(
            by=user("city-513400"),
            helper=user("org-lsfund").organization,
            county=region("513400"),
            since=date(2024, 1, 1),
        )
    assert fields(exc) == {"helper", "county"}
    for outsider in ("county-513401", "township-513422100", "clerk-513422100001"):
        with pytest.raises(NotAllowed):
            region_pairing_create(
                by=user(outsider), helper=gov, county=region("513422"), since=date(2024, 1, 1)
            )
        with pytest.raises(NotAllowed):
            region_pairing_end(by=user(outsider), pairing=pairing, until=date(2025, 1, 1))
    region_pairing_end(by=user("city-513400"), pairing=pairing, until=date(2025, 1, 1))
    assert RegionPairing.objects.get().until == date(2025, 1, 1)
    region_pairing_create(by=county, helper=gov, county=region("513422"), since=date(2025, 2, 1))
    assert RegionPairing.objects.filter(until__isnull=True).count() == 1
