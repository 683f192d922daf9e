"""Masking of personal data in free text the public sees. No Django here.

A clerk's description may name a person or copy a number despite the form's advice, so
public text passes through ``redact`` (or ``redact_report``, which also lists what it hid,
for the reviewers' preview). It replaces with ``MASK``:

- numbers of 15 or more digits, also written in groups with spaces or hyphens: resident IDs
  (18 characters, the last maybe X, and the old 15-digit ones), bank card numbers (16-19
  digits), and household numbers (a 12-digit village code and a serial); masked IDs
  (``5134**********123X``) too;
- mobile numbers (11 digits from 13-19, groups of 3-4-4 with spaces or hyphens allowed,
  with or without +86 / 0086 / 86);
- landlines with their area code (``0834-6221234``, ``(0834)6221234``, ``0834 6221234``,
  an extension allowed);
- the ``numbers`` passed in (household numbers that do not look like numbers, e.g. H-12);
- the ``names`` passed in (the registered members of the households and villages concerned),
  longest first; names shorter than two characters are ignored (one character would blank
  ordinary words).
Full-width digits and brackets count as their ASCII forms.
"""

import re
from dataclasses import dataclass

MASK = "***"
# Full-width forms as ASCII, one character for one, so spans found in the copy fit the text.
_ASCII = str.maketrans("０１２３４５６７８９＋－（）Ｘｘ＊\u3000", "0123456789+-()Xx* ")
_SEP = r"[ \-]"
_PATTERNS = [  # (kind, pattern, a test of the match), first come first masked
    ("id_or_card", re.compile(r"(?<![\d*])[\d*]{10,}[\dXx](?![\d*])"), lambda s: "*" in s),
    (
        "mobile",
        re.compile(
            rf"(?<![\d+])(?:(?:\+|00)?86{_SEP}?)?1[3-9]\d{_SEP}?\d{{4}}{_SEP}?\d{{4}}(?!\d)"
        ),
        None,
    ),
    (
        "landline",
        re.compile(
            rf"(?<!\d)(?:\(0\d{{2,3}}\){_SEP}?|0\d{{2,3}}{_SEP})\d{{7,8}}"
            rf"(?:(?:{_SEP}|转|ext\.?\s?)\d{{1,5}})?(?!\d)"
        ),
        None,
    ),
    # digit groups, at most one separator between groups, maybe a final X: 15 digits or more
    (
        "id_or_card",
        re.compile(rf"(?<![\d*])\d+(?:{_SEP}\d+)*(?:{_SEP}?[Xx])?(?![\d*])"),
        lambda s: sum(c.isdigit() for c in s) >= 15,
    ),
]


@dataclass(frozen=True)
class Finding:
    kind: str  # "number", "id_or_card", "mobile", "landline" or "name"
    text: str  # what was hidden


def redact_report(text: str | None, names=(), numbers=()) -> tuple[str, list[Finding]]:
    """``text`` with personal data masked, and what was masked, in order of place."""
    text = text or ""
    plain = text.translate(_ASCII)
    spans: list[tuple[int, int, str]] = []
    taken = bytearray(len(text) + 1)

    def take(start, end, kind):
        if not any(taken[start:end]):
            spans.append((start, end, kind))
            taken[start:end] = b"\1" * (end - start)

    _scan(text, numbers, 3, "number", take)
    for kind, pattern, test in _PATTERNS:
        # What is masked already is no part of a later match.
        plain = "".join("\0" if taken[i] else c for i, c in enumerate(plain))
        for match in pattern.finditer(plain):
            if test is None or test(match.group()):
                take(*match.span(), kind)
    _scan(text, names, 2, "name", take)
    out, at, found = [], 0, []
    for start, end, kind in sorted(spans):
        out += [text[at:start], MASK]
        found.append(Finding(kind, text[start:end]))
        at = end
    out.append(text[at:])
    return "".join(out), found


def redact(text: str | None, names=(), numbers=()) -> str:
    """``text`` with personal data masked (see the module)."""
    return redact_report(text, names, numbers)[0]


def _scan(text: str, words, shortest: int, kind: str, take) -> None:
    """Mask ``words`` of at least ``shortest`` characters in ``text``, longest first at each
    place: a look-up of the text's pieces in a set, so thousands of words (a village's
    members) cost no more than a few."""
    wanted = {w.strip() for w in words if len(w.strip()) >= shortest}
    if not wanted:
        return
    lengths = sorted({len(w) for w in wanted}, reverse=True)
    i = 0
    while i < len(text):
        for length in lengths:
            if text[i : i + length] in wanted:
                take(i, i + length, kind)
                i += length
                break
        else:
            i += 1
