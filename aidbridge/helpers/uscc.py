"""The unified social credit code of an organization (GB 32100-2015). No Django here.

18 characters of a 31-letter alphabet (digits and capitals without I, O, Z, S, V): the
registering authority, the kind of organization, the 6-digit region code, the 9-character
organization code, and a mod-31 check character over the first 17.
"""

import re

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(3**i % 31 for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, ...
LENGTH = 18
_FORM = re.compile(f"[{CHARS}]{{{LENGTH}}}")


def check_character(first17: str) -> str:
    """The check character of the code's first 17 characters (all in ``CHARS``)."""
    total = sum(CHARS.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARS[-total % 31]


def is_valid(code: str) -> bool:
    """Whether ``code`` (upper case, no spaces) is a well-formed USCC whose check
    character matches."""
    return bool(_FORM.fullmatch(code)) and check_character(code[:17]) == code[17]
