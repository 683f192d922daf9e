"""The canonical bytes of a ledger entry; its Merkle leaf hash is leaf_hash(encode_entry(...)).

Version 1 is UTF-8 text, one field per line, every line ending in LF (0x0A)::

    aidbridge-ledger-entry v1
    seq 42
    kind donation
    date 2026-11-24
    reverses -
    memo 13 Spring appeal
    posting donor-zhang -620000
    posting org-lsfund 500000
    posting org-lsfund 120000 100 bag

- ``seq``: the entry's sequence number (1, 2, 3, ...; its leaf index is seq - 1).
- ``kind``: the stored value of the entry's kind (donation, transfer, reversal, ...).
- ``date``: the date of the movement, ISO 8601 ``YYYY-MM-DD``.
- ``reverses``: the seq of the entry this one reverses, or ``-``.
- ``memo``: the number of UTF-8 bytes of the memo, a space, then the memo itself, which may hold
  any character, newlines included: the count says where it ends.
- one ``posting`` line per posting, in the entry's order: the account's code, the amount in
  fen (negative for what the account gives, positive for what it receives) and, for
  materials, the quantity (signed like the amount) and its unit.

Integers are decimal without leading zeros or a plus sign. Account codes and units never hold
a space or a newline, nor do kinds and dates a newline, so the text reads one way only: two
different entries never share their bytes. Everything that says what moved, between whom,
when and why is in. Who typed the entry and when it was stored are not: receipts given to
donors carry the encoded fields, and they should not carry staff identities.
"""

from collections.abc import Sequence

VERSION_LINE = "aidbridge-ledger-entry v1"
# What the models allow (stricter than the encoding needs): account codes such as org-lsfund or
# need-<uuid>, and units such as kg, bag or 箱.
CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,79}"
UNIT_PATTERN = r"[^\s\x00-\x1f]{1,20}"

Posting = tuple[str, int, int | None, str]  # account code, amount (fen), quantity, unit


def encode_entry(
    seq: int, kind: str, date: str, memo: str, reverses: int | None, postings: Sequence[Posting]
) -> bytes:
    """The canonical bytes of one entry; `date` is ISO 8601 and `unit` is "" without quantity."""
    if "\n" in kind or "\n" in date:
        raise ValueError("a kind or date holds a newline")
    lines = "".join([
        f"posting {code} {amount}\n" if quantity is None
        else f"posting {code} {amount} {quantity} {unit}\n"
        for code, amount, quantity, unit in postings
    ])  # fmt: skip
    with_quantity = sum(quantity is not None for _code, _amount, quantity, _unit in postings)
    if lines.count(" ") != 2 * (len(postings) + with_quantity) or lines.count("\n") != len(
        postings
    ):
        raise ValueError("an account code or unit holds a space or newline")
    memo_bytes = memo.encode()
    head = (
        f"{VERSION_LINE}\nseq {seq}\nkind {kind}\ndate {date}\n"
        f"reverses {'-' if reverses is None else reverses}\nmemo {len(memo_bytes)} "
    )
    return b"".join((head.encode(), memo_bytes, b"\n", lines.encode()))
