"""China's 18-character resident identity number (GB 11643-1999). No Django here.

Layout: 6-digit region code, 8-digit birth date (YYYYMMDD), 3-digit sequence (odd for men,
even for women), and an ISO 7064 MOD 11-2 check character (a digit or X).

Only the province (the first two digits) is checked against a list: county codes change
over time and old numbers keep their old codes.

Problems are reported as a machine-readable code plus JSON-friendly params, so callers can
word them in the user's language.
"""

from datetime import date
from typing import NamedTuple

# Province-level codes: Beijing 11 ... Xinjiang 65, Taiwan 71, Hong Kong 81, Macao 82,
# and 83 on the residence permits of Taiwan residents (since 2018).
PROVINCES = frozenset(
    str(n)
    for first, last in (
        (11, 15),
        (21, 23),
        (31, 37),
        (41, 46),
        (50, 54),
        (61, 65),
        (71, 71),
        (81, 83),
    )
    for n in range(first, last + 1)
)
MAX_AGE = 130
CHECK_CHARACTERS = "10X98765432"

MESSAGES = {
    "length": "must have %(expected)s characters, not %(found)s",
    "characters": "must be 17 digits followed by a digit or X; character %(position)s is %(found)r",
    "region": "does not begin with a province code: %(found)s",
    "birth_date": "contains a birth date that does not exist: %(found)s",
    "future_birth": "has a birth date after %(today)s: %(birth_date)s",
    "too_old": "gives an age over %(max_age)s years: born %(birth_date)s",
    "check_character": "check character should be %(expected)s, not %(found)s",
}


class InvalidResidentId(ValueError):
    """A number that is not a valid resident ID; `code` says why (see MESSAGES)."""

    def __init__(self, code: str, params: dict | None = None):
        self.code, self.params = code, params or {}
        super().__init__(code, self.params)

    def __str__(self):
        return MESSAGES[self.code] % self.params


class ResidentId(NamedTuple):  # a NamedTuple: made twice as fast as a frozen dataclass
    number: str  # normalised: 18 characters, upper-case X
    region_code: str
    birth_date: date
    sex: str  # "male" or "female"


def check_character(first17: str) -> str:
    """The MOD 11-2 check character of the first 17 digits. Raises ValueError on others."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("need exactly 17 ASCII digits")
    # The weights 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 are 2**(17 - k) % 11
    # for digit k. As 13 % 11 == 2, int(first17, 13) is sum(d[k] * 2**(16 - k)) modulo 11:
    # half the weighted sum, computed in C rather than in a Python loop (5-10x faster).
    return CHECK_CHARACTERS[2 * int(first17, 13) % 11]


def parse(id_number: str, *, today: date | None = None) -> ResidentId:
    """Normalise (strip whitespace, upper-case a final x) and validate; raise
    InvalidResidentId on the first problem.

    Checked in order: length, characters, province, birth date (exists, not after `today`,
    at most MAX_AGE years before it), check character.
    """
    number = id_number.strip()
    if number[-1:] == "x":
        number = number[:-1] + "X"
    if len(number) != 18:
        raise InvalidResidentId("length", {"expected": 18, "found": len(number)})
    first17 = number[:17]
    if not (number.isascii() and first17.isdigit() and number[17] in "0123456789X"):
        bad = next(
            i for i, c in enumerate(number) if c not in ("0123456789X" if i == 17 else "0123456789")
        )
        raise InvalidResidentId("characters", {"position": bad + 1, "found": number[bad]})
    if number[:2] not in PROVINCES:
        raise InvalidResidentId("region", {"found": number[:2]})
    try:
        born = date.fromisoformat(number[6:14])  # YYYYMMDD; 8 digits can mean nothing else
    except ValueError:
        raise InvalidResidentId("birth_date", {"found": number[6:14]}) from None
    today = today or date.today()
    if born > today:
        raise InvalidResidentId(
            "future_birth", {"birth_date": born.isoformat(), "today": today.isoformat()}
        )
    if today.year - born.year - ((today.month, today.day) < (born.month, born.day)) > MAX_AGE:
        raise InvalidResidentId("too_old", {"birth_date": born.isoformat(), "max_age": MAX_AGE})
    expected = CHECK_CHARACTERS[2 * int(first17, 13) % 11]  # check_character(first17)
    if number[17] != expected:
        raise InvalidResidentId("check_character", {"expected": expected, "found": number[17]})
    return ResidentId(number, number[:6], born, "male" if number[16] in "13579" else "female")


def validate_against(
    rid: ResidentId, *, birth_date: date | None = None, sex: str | None = None
) -> list[tuple[str, dict]]:
    """Disagreements between the ID and a separately recorded birth date and sex, as
    (code, params) pairs; a value not recorded (None or empty) is not compared."""
    problems = []
    if birth_date and birth_date != rid.birth_date:
        problems.append(
            (
                "birth_date_mismatch",
                {"expected": rid.birth_date.isoformat(), "found": str(birth_date)},
            )
        )
    if sex and sex != rid.sex:
        problems.append(("sex_mismatch", {"expected": rid.sex, "found": sex}))
    return problems


MASK_SHOWN = 2  # characters of an 18-character ID a mask keeps: the last two


def mask(id_number: str) -> str:
    """Keep the last 2 of 18 characters (the sequence's last digit and the check character);
    anything else becomes all stars. Not the region prefix: the village shows it anyway, and
    with the birth date and the last 4 it rebuilt IDs whole (docs/privacy.md)."""
    if len(id_number) != 18:
        return "*" * len(id_number)
    return "*" * (18 - MASK_SHOWN) + id_number[-MASK_SHOWN:]


def generate(*, region_code: str, birth_date: date, sex: str, sequence: int) -> str:
    """A valid ID for demo data. The 3-digit sequence field is 2 * sequence, plus 1 for a
    man, modulo 1000: only 500 different IDs per region, birth date and sex."""
    if sex not in ("male", "female"):
        raise ValueError(f"sex must be 'male' or 'female', not {sex!r}")
    if len(region_code) != 6 or not (region_code.isascii() and region_code.isdigit()):
        raise ValueError("region_code must be 6 digits")
    born = birth_date.isoformat().replace("-", "")  # strftime("%Y") may not pad to 4
    serial = (2 * sequence + (1 if sex == "male" else 0)) % 1000
    first17 = f"{region_code}{born}{serial:03d}"
    return first17 + check_character(first17)
