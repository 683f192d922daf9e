"""The resident ID core: check character, parsing and its errors, consistency, masking."""

import pickle
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aidbridge.registry.idcard import (
    PROVINCES,
    InvalidResidentId,
    ResidentId,
    check_character,
    generate,
    mask,
    parse,
    validate_against,
)

TODAY = date(2026, 1, 1)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
DIGITS = "0123456789"
# Sequence 0 and 3 of a man from Muli county born on 1 January 1990.
MAN = "513422199001010010"
MAN_X = "51342219900101007X"

digits17 = st.text(DIGITS, min_size=17, max_size=17)
regions = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(sorted(PROVINCES)),
    st.text(DIGITS, min_size=4, max_size=4),
)
births = st.dates(min_value=date(1896, 1, 1), max_value=TODAY)
sexes = st.sampled_from(["male", "female"])
sequences = st.integers(min_value=0, max_value=499)


def generated(region_code="513422", birth_date=date(1990, 1, 1), sex="male", sequence=0):
    return generate(region_code=region_code, birth_date=birth_date, sex=sex, sequence=sequence)


def error(number, today=TODAY) -> InvalidResidentId:
    with pytest.raises(InvalidResidentId) as caught:
        parse(number, today=today)
    return caught.value


# Check character


@given(digits17)
def test_check_character_is_the_weighted_sum_mod_11(first17):
    remainder = sum(w * int(d) for w, d in zip(WEIGHTS, first17, strict=True)) % 11
    assert check_character(first17) == "10X98765432"[remainder]


@pytest.mark.parametrize(
    "first17", ["", "1" * 16, "1" * 18, "1" * 16 + "a", "１" * 17, " " + "1" * 16, "+" + "1" * 16]
)
def test_check_character_takes_only_17_ascii_digits(first17):
    with pytest.raises(ValueError):
        check_character(first17)


# Generation and parsing


def test_known_numbers():
    # The worked example of GB 11643-1999 itself, rebuilt from its parts.
    assert generated("110105", date(1949, 12, 31), "female", 1) == "11010519491231002X"
    assert [generated(sequence=s) for s in range(4)] == [
        MAN,
        "513422199001010037",
        "513422199001010053",
        MAN_X,
    ]
    assert parse(MAN, today=TODAY) == ResidentId(MAN, "513422", date(1990, 1, 1), "male")
    assert parse("11010519491231002X", today=TODAY).sex == "female"


@given(regions, births, sexes, sequences)
def test_every_generated_number_parses_back(region_code, birth_date, sex, sequence):
    number = generated(region_code, birth_date, sex, sequence)
    assert parse(number, today=TODAY) == ResidentId(number, region_code, birth_date, sex)


def test_generate_gives_500_numbers_per_region_birth_date_and_sex():
    assert len({generated(sequence=s) for s in range(500)}) == 500
    assert generated(sequence=500) == generated(sequence=0)
    assert generated(sex="female", sequence=3) != generated(sex="male", sequence=3)


@pytest.mark.parametrize(
    "kwargs", [{"sex": "M"}, {"region_code": "51342"}, {"region_code": "51342a"}]
)
def test_generate_refuses_bad_parts(kwargs):
    with pytest.raises(ValueError):
        generated(**kwargs)


@given(regions, births, sexes, sequences)
def test_every_single_character_substitution_is_caught(region_code, birth_date, sex, sequence):
    number = generated(region_code, birth_date, sex, sequence)
    for position in range(18):
        for replacement in set(DIGITS + "X") - {number[position]}:
            changed = number[:position] + replacement + number[position + 1 :]
            if changed[:17].isdigit():  # the check character alone detects it
                assert check_character(changed[:17]) != changed[17]
            with pytest.raises(InvalidResidentId):
                parse(changed, today=TODAY)


def test_a_lower_case_x_and_surrounding_whitespace_are_accepted():
    assert parse(MAN_X.lower(), today=TODAY).number == MAN_X
    assert parse(f" \t{MAN}\n\u3000", today=TODAY).number == MAN


def test_today_defaults_to_the_real_date():
    assert parse(MAN).birth_date == date(1990, 1, 1)
    tomorrow = date.today() + timedelta(days=1)
    assert error(generated(birth_date=tomorrow), today=None).code == "future_birth"


def test_ages_up_to_130_are_accepted():
    assert parse(generated(birth_date=TODAY), today=TODAY).birth_date == TODAY
    assert parse(generated(birth_date=date(1895, 1, 2)), today=TODAY)  # 130 years old


# Errors


@pytest.mark.parametrize(
    ("number", "code", "params"),
    [
        ("", "length", {"expected": 18, "found": 0}),
        (MAN[:17], "length", {"expected": 18, "found": 17}),
        (MAN + "0", "length", {"expected": 18, "found": 19}),
        (MAN[:6] + "O" + MAN[7:], "characters", {"position": 7, "found": "O"}),
        ("X" + MAN[1:], "characters", {"position": 1, "found": "X"}),
        (MAN[:17] + "Y", "characters", {"position": 18, "found": "Y"}),
        (MAN[:10] + "１" + MAN[11:], "characters", {"position": 11, "found": "１"}),
        ("00" + MAN[2:], "region", {"found": "00"}),
        ("72" + MAN[2:], "region", {"found": "72"}),
        (MAN[:6] + "19900230" + MAN[14:], "birth_date", {"found": "19900230"}),
        (MAN[:6] + "19901301" + MAN[14:], "birth_date", {"found": "19901301"}),
        (MAN[:6] + "00000101" + MAN[14:], "birth_date", {"found": "00000101"}),
        (
            generated(birth_date=date(2026, 1, 2)),
            "future_birth",
            {"birth_date": "2026-01-02", "today": "2026-01-01"},
        ),
        (
            generated(birth_date=date(1895, 1, 1)),
            "too_old",
            {"birth_date": "1895-01-01", "max_age": 130},
        ),
        (MAN[:17] + "1", "check_character", {"expected": "0", "found": "1"}),
        (MAN_X[:17] + "0", "check_character", {"expected": "X", "found": "0"}),
    ],
)
def test_each_problem_has_a_code_params_and_an_english_message(number, code, params):
    caught = error(number)
    assert isinstance(caught, ValueError)
    assert (caught.code, caught.params) == (code, params)
    assert str(caught) and code not in str(caught) and "%" not in str(caught)


def test_messages_say_what_is_wrong():
    assert str(error(MAN[:17] + "1")) == "check character should be 0, not 1"
    assert str(error("")) == "must have 18 characters, not 0"


def test_errors_survive_pickling():
    caught = pickle.loads(pickle.dumps(error("00" + MAN[2:])))
    assert (caught.code, caught.params, str(caught)) == (
        "region",
        {"found": "00"},
        "does not begin with a province code: 00",
    )


# Consistency with recorded birth date and sex


def test_validate_against_reports_each_mismatch():
    rid = parse(MAN, today=TODAY)
    assert validate_against(rid) == []
    assert validate_against(rid, birth_date=date(1990, 1, 1), sex="male") == []
    assert validate_against(rid, birth_date="", sex="") == []
    assert validate_against(rid, birth_date=date(1990, 1, 2), sex="female") == [
        ("birth_date_mismatch", {"expected": "1990-01-01", "found": "1990-01-02"}),
        ("sex_mismatch", {"expected": "male", "found": "female"}),
    ]
    assert validate_against(rid, sex="female") == [
        ("sex_mismatch", {"expected": "male", "found": "female"})
    ]


# Masking


def test_mask_example():
    assert mask("513422199001011234") == "****************34"


@given(st.text(max_size=30))
def test_mask_keeps_the_length_and_never_shows_the_middle(number):
    masked = mask(number)
    assert len(masked) == len(number)
    if len(number) == 18:
        assert masked == "*" * 16 + number[16:]
    else:
        assert set(masked) <= {"*"}
