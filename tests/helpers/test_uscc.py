"""The unified social credit code (GB 32100-2015): its check character, without Django."""

import pytest

from aidbridge.helpers import uscc

# Real codes, published by their organizations (their check characters are theirs, not ours).
KNOWN_VALID = ["91350100M000100Y43", "91110000600037341L", "91110108551385082Q"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_codes_check(code):
    assert uscc.is_valid(code)
    assert uscc.check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # wrong check character
        "91110000600037341X",  # wrong check character
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y433",  # 19 characters
        "91350100M0001O0Y43",  # O is not in the alphabet
        "91350100m000100Y43",  # lower case
        "",
    ],
)
def test_invalid_codes_do_not(code):
    assert not uscc.is_valid(code)


def test_a_changed_character_is_always_caught():
    code = KNOWN_VALID[0]
    for position in range(17):
        for char in uscc.CHARS:
            if char != code[position]:
                changed = code[:position] + char + code[position + 1 :]
                assert not uscc.is_valid(changed), changed
