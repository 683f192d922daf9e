"""What a masked-ID viewer can rebuild: a member's village (its county code), birth year, sex
and mask leave over a thousand IDs that fit, so the mask does not single anyone out. (Each
candidate would have to be tried against the ID search, which is logged and rate-limited.)"""

from datetime import date, timedelta

from aidbridge.registry import idcard


def candidates(region: str, year: int, sex: str, masked: str) -> int:
    """IDs of people of ``sex`` born in ``year`` in ``region`` whose mask is ``masked``."""
    day, found = date(year, 1, 1), 0
    while day.year == year:
        for sequence in range(500):
            number = idcard.generate(region_code=region, birth_date=day, sex=sex, sequence=sequence)
            found += idcard.mask(number) == masked
        day += timedelta(days=1)
    return found


def test_village_birth_year_sex_and_mask_leave_many_candidates():
    number = idcard.generate(
        region_code="513422", birth_date=date(1970, 6, 15), sex="male", sequence=123
    )
    masked = idcard.mask(number)
    assert masked.startswith("*" * 16) and "513422" not in masked
    assert candidates("513422", 1970, "male", masked) > 1000
