"""The draw's pure core: samples are the smallest SHA-256 ranks, anyone re-computes them, and
a changed frame id, seed or public value makes verification fail."""

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.supervision import draw

ids = st.lists(
    st.text(alphabet="abcdef0123456789-", min_size=1, max_size=12),
    min_size=1,
    max_size=40,
    unique=True,
)


def _doc(frame_ids, size, public_value="07 12 19 23 28 31 + 09", pool=("I01", "I02", "I03")):
    strata = [draw.Stratum("513422", size, draw.canonical(frame_ids))]
    frame_hash = draw.frame_sha256(strata)
    seed = draw.seed_from(frame_hash, public_value)
    drawn = draw.draw(seed, strata)
    assignments = [draw.assign(seed, oid, list(pool), [], 2) for s in drawn for oid in s.sample]
    return draw.document(
        seed=seed,
        public_value=public_value,
        frame_hash=frame_hash,
        strata=drawn,
        pool=list(pool),
        per_visit=2,
        assignments=assignments,
    )


def test_the_sample_is_the_ids_with_the_smallest_hash_of_seed_comma_id():
    seed = "abc"
    frame = [f"h{n}" for n in range(50)]
    by_hand = sorted(frame, key=lambda i: hashlib.sha256(f"abc,{i}".encode()).hexdigest())[:5]
    assert list(draw.sample(seed, frame, 5)) == by_hand


def test_the_frame_hash_is_over_one_line_per_object_in_key_order():
    strata = [draw.Stratum("b", 1, ("x",)), draw.Stratum("a", 2, ("p", "q"))]
    text = "a\t2\tp\na\t2\tq\nb\t1\tx\n"
    assert draw.frame_sha256(strata) == hashlib.sha256(text.encode()).hexdigest()


@settings(max_examples=60, deadline=None)
@given(frame_ids=ids, size=st.integers(min_value=0, max_value=10))
def test_a_published_draw_verifies_and_a_changed_id_or_seed_does_not(frame_ids, size):
    doc = _doc(frame_ids, size)
    assert draw.verify(json.loads(json.dumps(doc))) == []
    changed = json.loads(json.dumps(doc))
    frame = changed["strata"][0]["frame"]
    frame[0] = frame[0] + "z"
    changed["strata"][0]["frame"] = sorted(frame)
    assert draw.verify(changed)
    reseeded = json.loads(json.dumps(doc))
    reseeded["seed"] = "0" * 64
    assert draw.verify(reseeded)


def test_a_changed_public_value_or_sample_fails():
    doc = _doc([f"id{n}" for n in range(20)], 4)
    other = dict(doc, public_value="01 02 03 04 05 06 + 07")
    assert any("seed" in p for p in draw.verify(other))
    swapped = json.loads(json.dumps(doc))
    swapped["strata"][0]["sample"][0] = next(
        i for i in swapped["strata"][0]["frame"] if i not in swapped["strata"][0]["sample"]
    )
    assert any("sample should be" in p for p in draw.verify(swapped))


def test_assignment_skips_the_recused_and_needs_enough_inspectors():
    pool = ["I01", "I02", "I03"]
    free = draw.assign("s", "obj", pool, [], 2)
    recused = draw.assign("s", "obj", pool, [free.inspectors[0]], 2)
    assert free.inspectors[0] not in recused.inspectors and len(recused.inspectors) == 2
    with pytest.raises(draw.DrawError):
        draw.assign("s", "obj", pool, ["I01", "I02"], 2)


def test_a_changed_assignment_fails_verification():
    doc = _doc([f"id{n}" for n in range(10)], 3)
    doc["assignments"][0]["inspectors"] = list(reversed(doc["assignments"][0]["inspectors"]))
    assert any("inspectors should be" in p for p in draw.verify(doc))


def test_the_frame_refuses_duplicates_and_sizes_round_up():
    with pytest.raises(draw.DrawError):
        draw.canonical(["a", "b", "a"])
    assert draw.size_for(41, rate_percent=10) == 5
    assert draw.size_for(40, rate_percent=10) == 4
    assert draw.size_for(3, size=10) == 3


def test_a_malformed_document_is_reported_not_raised():
    assert draw.verify({"algorithm": draw.ALGORITHM}) != []
