"""Masking of personal data in free text shown on the public portal. No Django here.

A clerk's description may name a person or copy a number despite the form's advice, so the
portal shows text only after ``redact``: runs of 15 or more digits or stars ending in a digit
or X (resident IDs of 15 or 18 characters, masked ones like 5134**********123X, and
household numbers, a village code and a serial), mobile numbers (11 digits from 1, spaces or
hyphens allowed between the 3-4-4 groups) and the given names are replaced by ``MASK``.
Full-width digits count as digits.
"""

import re

MASK = "***"
_NUMBERS = re.compile(
    r"(?<![\d*＊])(?:[\d*＊]{14,}[\dXxＸｘ]"  # resident IDs (15 or 18), masked or not
    r"|[1１]\d{2}[-\s]?\d{4}[-\s]?\d{4})(?![\d*＊])")  # mobile numbers


def redact(text: str, names=()) -> str:
    """``text`` with ID-like numbers, mobile numbers and ``names`` masked. Names shorter
    than two characters are ignored: one character would blank ordinary words."""
    text = _NUMBERS.sub(MASK, text or "")
    wanted = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    if wanted:
        text = re.sub("|".join(map(re.escape, wanted)), MASK, text)
    return text
