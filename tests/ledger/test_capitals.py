"""Amounts in Chinese capital numerals read back to the same amount."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aidbridge.ledger.capitals import DIGITS, capitals


def read_back(words: str) -> int:
    """Parse 人民币…元…角…分 back to fen (the inverse the receipt's reader applies)."""
    words = words.removeprefix("人民币").removesuffix("整")
    total, group, section, number = 0, 0, 0, 0
    for char in words:
        if char in DIGITS:
            number = DIGITS.index(char)
        elif char in "拾佰仟":
            section += number * {"拾": 10, "佰": 100, "仟": 1000}[char]
            number = 0
        elif char == "万":
            group = (
                (group + section + number) * 10_000
                if group < 10**8
                else (group + (section + number) * 10_000)
            )
            section = number = 0
        elif char == "亿":
            total += (group + section + number) * 10**8
            group = section = number = 0
        elif char == "元":
            total = (total + group + section + number) * 100
            group = section = number = 0
        elif char == "角":
            total += number * 10
            number = 0
        elif char == "分":
            total += number
            number = 0
    return total


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (0, "人民币零元整"),
        (5, "人民币伍分"),
        (50, "人民币伍角整"),
        (105, "人民币壹元零伍分"),
        (1000, "人民币壹拾元整"),
        (1000500, "人民币壹万零伍元整"),
        (1234567, "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),
        (100010000, "人民币壹佰万零壹佰元整"),
        (100001000000, "人民币壹拾亿零壹万元整"),
        (1000000005, "人民币壹仟万元零伍分"),
    ],
)
def test_amounts_are_written_as_receipts_write_them(fen, words):
    assert capitals(fen) == words


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_every_amount_reads_back_and_never_doubles_a_zero(fen):
    words = capitals(fen)
    assert read_back(words) == fen
    assert "零零" not in words and not words.removeprefix("人民币").startswith(
        "零" if fen >= 100 else "x"
    )


@pytest.mark.parametrize("bad", [-1, 10**18, 1.5, True, "100"])
def test_anything_but_whole_fen_in_range_is_refused(bad):
    with pytest.raises(ValueError):
        capitals(bad)
