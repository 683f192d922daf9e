"""The random inspection's draw (双随机): which objects are inspected and by whom, computed
from public inputs so that anyone can re-draw it. Pure: no Django.

- A **frame** is a list of strata, each a key, a sample size and the ids of its objects in
  canonical order (sorted by code point; no duplicates, no tab or newline in keys and ids).
- The **frame's SHA-256** is that of the UTF-8 text with one line ``key<TAB>size<TAB>id`` per
  object, strata in key order (``frame_text``). It is published with the plan, before the
  seed exists.
- The **seed** is ``SHA-256(frame_sha256 + "," + public_value)`` (hex), where the public value
  is one nobody on the platform controls, named when the plan is published and known only
  later (an official lottery's result of a given issue). Binding the frame's hash into the
  seed means a changed frame changes the seed.
- The **sample** of a stratum is its ``size`` ids whose ``SHA-256(seed + "," + id)`` (hex of
  the UTF-8 bytes, compared as hex strings) is smallest, in that order.
- **Inspectors** are assigned to each sampled id the same way: the ``per_visit`` pool members
  (by pseudonym) whose ``SHA-256(seed + "," + id + "," + pseudonym)`` is smallest, among those
  not recused (no one inspects their own region or their own work; which ones were recused
  is published with the assignment).

``verify`` re-computes a published draw document (``document``) and lists what does not hold.
"""

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ALGORITHM = "sha256-smallest"
_FORBIDDEN = ("\t", "\n", "\r")


class DrawError(ValueError):
    """Inputs a draw cannot be made from (duplicate ids, a stratum too small for its
    inspectors, a bad character)."""


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Stratum:
    key: str
    size: int
    frame: tuple[str, ...]  # canonical order
    sample: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assignment:
    object_id: str
    inspectors: tuple[str, ...]
    recused: tuple[str, ...] = field(default=())


def canonical(ids: Iterable[str]) -> tuple[str, ...]:
    """The frame's canonical order: sorted by code point. Refuses duplicates and ids with a
    tab or a line break (they would break ``frame_text``)."""
    ordered = sorted(ids)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before == after:
            raise DrawError(f"duplicate id in the frame: {after}")
    for object_id in ordered:
        _check_text(object_id, "id")
    return tuple(ordered)


def _check_text(text: str, what: str) -> None:
    if not text or any(c in text for c in _FORBIDDEN):
        raise DrawError(f"{what} must be non-empty without tabs or line breaks: {text!r}")


def frame_text(strata: Sequence[Stratum]) -> str:
    lines = []
    for stratum in sorted(strata, key=lambda s: s.key):
        _check_text(stratum.key, "stratum key")
        lines.extend(f"{stratum.key}\t{stratum.size}\t{oid}\n" for oid in stratum.frame)
    return "".join(lines)


def frame_sha256(strata: Sequence[Stratum]) -> str:
    return sha256_hex(frame_text(strata))


def seed_from(frame_hash: str, public_value: str) -> str:
    value = public_value.strip()
    if not value:
        raise DrawError("the public value is empty")
    return sha256_hex(f"{frame_hash},{value}")


def rank(seed: str, object_id: str) -> str:
    return sha256_hex(f"{seed},{object_id}")


def sample(seed: str, frame: Sequence[str], size: int) -> tuple[str, ...]:
    """The ``size`` ids of ``frame`` whose rank is smallest, smallest first."""
    if size < 0:
        raise DrawError("a sample size cannot be negative")
    return tuple(sorted(frame, key=lambda oid: (rank(seed, oid), oid))[:size])


def size_for(frame_len: int, *, size: int | None = None, rate_percent=None) -> int:
    """A stratum's sample size: ``size`` (at most the frame), or ``rate_percent`` of the
    frame rounded up."""
    if rate_percent is not None:
        return min(frame_len, math.ceil(Decimal(frame_len) * Decimal(rate_percent) / 100))
    return min(frame_len, max(size or 0, 0))


def draw(seed: str, strata: Sequence[Stratum]) -> list[Stratum]:
    """Every stratum with its sample, in key order."""
    return [
        Stratum(s.key, s.size, s.frame, sample(seed, s.frame, s.size))
        for s in sorted(strata, key=lambda s: s.key)
    ]


def assign(
    seed: str,
    object_id: str,
    pool: Sequence[str],
    recused: Iterable[str],
    per_visit: int,
) -> Assignment:
    """The ``per_visit`` inspectors of ``pool`` not recused whose rank for ``object_id`` is
    smallest. Raises DrawError when too few are left."""
    out = set(recused)
    eligible = [p for p in pool if p not in out]
    if len(eligible) < per_visit:
        raise DrawError(
            f"{object_id}: {len(eligible)} inspectors left after recusal, {per_visit} needed"
        )
    chosen = sorted(eligible, key=lambda p: (rank(seed, f"{object_id},{p}"), p))[:per_visit]
    return Assignment(object_id, tuple(chosen), tuple(sorted(out & set(pool))))


def document(
    *,
    seed: str,
    public_value: str,
    frame_hash: str,
    strata: Sequence[Stratum],
    pool: Sequence[str],
    per_visit: int,
    assignments: Sequence[Assignment],
    plan: Mapping | None = None,
) -> dict:
    """The published draw as a JSON-ready dict."""
    return {
        "algorithm": ALGORITHM,
        "plan": dict(plan or {}),
        "frame_sha256": frame_hash,
        "public_value": public_value,
        "seed": seed,
        "strata": [
            {"key": s.key, "size": s.size, "frame": list(s.frame), "sample": list(s.sample)}
            for s in strata
        ],
        "inspectors": list(pool),
        "inspectors_per_visit": per_visit,
        "assignments": [
            {"object": a.object_id, "inspectors": list(a.inspectors), "recused": list(a.recused)}
            for a in assignments
        ],
    }


def verify(doc: Mapping) -> list[str]:
    """What does not hold in a published draw (empty: it holds). Re-computes the frame's
    hash, the seed from it and the public value, every stratum's sample and every
    assignment."""
    try:
        return _verify(doc)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return [f"malformed draw document: {exc!r}"]


def _verify(doc: Mapping) -> list[str]:
    problems = []
    if doc.get("algorithm") != ALGORITHM:
        problems.append(f"algorithm is {doc.get('algorithm')!r}, expected {ALGORITHM!r}")
    strata = [
        Stratum(str(s["key"]), int(s["size"]), tuple(s["frame"]), tuple(s["sample"]))
        for s in doc["strata"]
    ]
    for s in strata:
        try:
            if canonical(s.frame) != s.frame:
                problems.append(f"stratum {s.key}: the frame is not in canonical order")
        except DrawError as exc:
            problems.append(f"stratum {s.key}: {exc}")
    frame_hash = frame_sha256(strata)
    if "frame_sha256" in doc and doc["frame_sha256"] != frame_hash:
        problems.append(
            f"the frame's SHA-256 is {frame_hash}, the published one {doc['frame_sha256']}"
        )
    seed = doc["seed"]
    if "public_value" in doc:
        expected = seed_from(doc.get("frame_sha256", frame_hash), str(doc["public_value"]))
        if expected != seed:
            problems.append(f"the seed should be {expected} (frame hash and public value)")
    for s in strata:
        expected = sample(seed, s.frame, s.size)
        if expected != s.sample:
            problems.append(f"stratum {s.key}: the sample should be {list(expected)}")
    pool = list(doc.get("inspectors", []))
    per_visit = int(doc.get("inspectors_per_visit", 0))
    sampled = {oid for s in strata for oid in s.sample}
    assigned = set()
    for a in doc.get("assignments", []):
        oid = str(a["object"])
        assigned.add(oid)
        if oid not in sampled:
            problems.append(f"{oid} is assigned but not in any sample")
        try:
            expected = assign(seed, oid, pool, a.get("recused", []), per_visit)
        except DrawError as exc:
            problems.append(str(exc))
            continue
        if list(expected.inspectors) != list(a["inspectors"]):
            problems.append(f"{oid}: the inspectors should be {list(expected.inspectors)}")
    if pool and sampled - assigned:
        problems.append(f"sampled but not assigned: {sorted(sampled - assigned)}")
    return problems


def dumps(doc: Mapping) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1)
