"""Phone numbers people write: digits with the usual separators, as offices write them, and
the mask shown to those whose work does not need the number."""

import re

PHONE = re.compile(r"[0-9+\-() ]{3,30}")


def mask_phone(phone: str) -> str:
    """Every digit starred but the last four, and the first three of a number of 11 digits or
    more (a mobile): 138****5678, ****-4321."""
    digits = sum(c.isdigit() for c in phone)
    keep_first = 3 if digits >= 11 else 0
    out, seen = [], 0
    for c in phone:
        if c.isdigit():
            seen += 1
            if keep_first < seen <= digits - 4:
                c = "*"
        out.append(c)
    return "".join(out)
