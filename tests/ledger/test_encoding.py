"""The canonical encoding of an entry: the documented bytes, every field in the hash, and text
that reads one way only."""

import pytest

from aidbridge.ledger import encoding
from aidbridge.ledger.encoding import encode_entry
from aidbridge.ledger.merkle import leaf_hash

ENTRY = {
    "seq": 42,
    "kind": "donation",
    "date": "2026-11-24",
    "memo": "Spring appeal",
    "reverses": None,
    "postings": [
        ("donor-zhang", -620000, None, ""),
        ("org-lsfund", 500000, None, ""),
        ("org-lsfund", 120000, 100, "bag"),
    ],
}


def encode(**changes) -> bytes:
    return encode_entry(**{**ENTRY, **changes})


def test_it_is_the_documented_text():
    documented = encoding.__doc__.split("::\n\n")[1].split("\n\n")[0]
    assert encode().decode() == "\n".join(line[4:] for line in documented.split("\n")) + "\n"


@pytest.mark.parametrize(
    "changes",
    [
        {"seq": 43},
        {"kind": "transfer"},
        {"date": "2026-11-25"},
        {"memo": "Spring appeal."},
        {"memo": ""},
        {"reverses": 41},
        {"postings": ENTRY["postings"][:2]},
        {"postings": [ENTRY["postings"][1], ENTRY["postings"][0], ENTRY["postings"][2]]},
        {"postings": [("donor-li", -620000, None, ""), *ENTRY["postings"][1:]]},
        {"postings": [("donor-zhang", -620001, None, ""), *ENTRY["postings"][1:]]},
        {"postings": [*ENTRY["postings"][:2], ("org-lsfund", 120000, 101, "bag")]},
        {"postings": [*ENTRY["postings"][:2], ("org-lsfund", 120000, 100, "kg")]},
        {"postings": [*ENTRY["postings"][:2], ("org-lsfund", 120000, None, "")]},
    ],
)
def test_every_field_changes_the_leaf_hash(changes):
    assert leaf_hash(encode(**changes)) != leaf_hash(encode())


def test_a_memo_cannot_pass_for_postings():
    forged = encode(memo="Spring appeal\nposting org-lsfund 1", postings=ENTRY["postings"][:1])
    assert forged != encode()
    assert b"memo 34 Spring appeal\nposting org-lsfund 1\nposting donor-zhang" in forged


@pytest.mark.parametrize(
    "changes",
    [
        {"postings": [("org lsfund", 1, None, ""), ("b", -1, None, "")]},
        {"postings": [("a", 1, 1, "kg\nposting b -1"), ("b", -1, -1, "kg")]},
        {"postings": [("a", 1, 1, "big bag"), ("b", -1, -1, "kg")]},
        {"kind": "donation\nseq 1"},
        {"date": "2026-11-24\nreverses 3"},
    ],
)
def test_spaces_or_newlines_where_they_would_read_two_ways_are_refused(changes):
    with pytest.raises(ValueError):
        encode(**changes)
