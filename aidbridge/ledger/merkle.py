"""Merkle tree of the tamper-evident ledger, hashed as in RFC 9162 (Certificate Transparency 2.0).

The hashing is that of RFC 9162 §2.1.1, unchanged from RFC 6962 §2.1, with SHA-256:

* leaf hash ``SHA-256(0x00 || entry)``, node hash ``SHA-256(0x01 || left || right)``;
* the root (MTH) of no leaves is ``SHA-256("")``, of one leaf its leaf hash, and of n > 1 leaves
  the node hash of the MTHs of D[0:k] and D[k:n], k the largest power of two smaller than n.

Hashing neighbours level by level and carrying an unpaired last node up unchanged gives the same
root as that split; :func:`root_of` does so for a whole list of leaf hashes.

:class:`MerkleTree` keeps every complete node: level h is one ``bytearray`` of the 32-byte roots
of the perfect subtrees D[i*2**h:(i+1)*2**h] that lie within the leaves appended so far, under
2n hashes in all (64 MB for a million leaves). The root of any size m <= n folds the frontier of
m (the perfect subtrees given by the one bits of m, its "compact range"), and every subtree a
proof needs is stored or such a fold, so roots and proofs cost O(log n) hashes.

The same arithmetic serves a tree kept in the database (ledger/selectors.py): a proof is the
MTHs of the leaf ranges :func:`inclusion_ranges` or :func:`consistency_ranges` list, each the
:func:`fold` of its :func:`perfect_subtrees`; a :class:`Frontier` (the compact range alone)
takes appended leaves and reports the perfect subtrees they complete, for the store to keep.

Inclusion proofs (audit paths) are those of §2.1.3.1, consistency proofs those of §2.1.4.1,
listed leaf side first; :func:`verify_inclusion` and :func:`verify_consistency` are the
algorithms of §2.1.3.2 and §2.1.4.2 and raise :class:`ProofError` saying why a proof fails.

In JSON, a hash is standard padded base64 (RFC 4648 §4), the encoding of the root line of a
C2SP tlog-checkpoint (see checkpoint.py), and a proof is a list of such strings.
"""

import base64
import binascii
import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


class ProofError(ValueError):
    """A proof that does not verify, or arguments no valid proof can match."""


def leaf_hash(data: bytes) -> bytes:
    """The hash of one ledger entry: SHA-256(0x00 || data)."""
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def root_of(leaf_hashes: Iterable[bytes]) -> bytes:
    """MTH of the leaves with these hashes, computed level by level."""
    level = _joined(leaf_hashes)
    if not level:
        return EMPTY_ROOT
    while len(level) > HASH_SIZE:
        paired = len(level) - len(level) % (2 * HASH_SIZE)
        level = _parents(level[:paired]) + level[paired:]
    return level


class MerkleTree:
    """An append-only tree of leaf hashes, with the root and proofs of any size so far."""

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels = [bytearray()]
        self.extend(leaf_hashes)

    def __len__(self) -> int:
        return len(self._levels[0]) // HASH_SIZE

    def leaf(self, index: int) -> bytes:
        """The hash of leaf `index`."""
        _check_index(index, len(self))
        return self._node(0, index)

    def append(self, leaf_hash: bytes) -> int:
        """Add one leaf hash; returns its index."""
        self.extend([leaf_hash])
        return len(self) - 1

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Add leaf hashes in order, with the complete nodes they make."""
        self._levels[0] += _joined(leaf_hashes)
        height = 0
        while True:
            below = self._levels[height]
            above = self._levels[height + 1] if height + 1 < len(self._levels) else bytearray()
            start = 2 * len(above)  # the first child without a parent yet, in bytes
            end = len(below) - len(below) % (2 * HASH_SIZE)
            if start == end:
                return
            if height + 1 == len(self._levels):
                self._levels.append(above)
            above += _parents(bytes(below[start:end]))
            height += 1

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (all of them by default)."""
        size = self._size(size)
        return self._subtree(0, size) if size else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, leaf side first."""
        size = self._size(size)
        _check_index(index, size)
        return [self._subtree(start, end) for start, end in inclusion_ranges(index, size)]

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        """PROOF(size1, D[0:size2]) of RFC 9162 §2.1.4.1; empty when size1 is 0 or size2."""
        size2 = self._size(size2)
        return [self._subtree(start, end) for start, end in consistency_ranges(size1, size2)]

    def node(self, height: int, index: int) -> bytes:
        """The root of the perfect subtree D[index * 2**height:(index + 1) * 2**height], which
        must lie within the leaves."""
        if not (0 <= height < len(self._levels) and 0 <= index < len(self._levels[height]) // 32):
            raise IndexError(f"no complete node {index} at height {height}")
        return self._node(height, index)

    def _size(self, size: int | None) -> int:
        if size is None:
            return len(self)
        if not 0 <= size <= len(self):
            raise ValueError(f"size {size} is not between 0 and the {len(self)} leaves of the tree")
        return size

    def _node(self, height: int, index: int) -> bytes:
        offset = index * HASH_SIZE
        return bytes(self._levels[height][offset : offset + HASH_SIZE])

    def _subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range the RFC's recursion visits (perfect_subtrees)."""
        return fold([self._node(h, i) for h, i in perfect_subtrees(start, end)])


def perfect_subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """(height, index) of the perfect subtrees that make up D[start:end], left to right, start
    being a multiple of the largest power of two <= end - start (as in every range the RFC's
    recursion visits, and in [0, size)): their fold is MTH(D[start:end])."""
    nodes = []
    while start < end:
        height = (end - start).bit_length() - 1
        nodes.append((height, start >> height))
        start += 1 << height
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """The root of adjacent perfect subtrees of decreasing size, hashed from the right."""
    if not hashes:
        return EMPTY_ROOT
    root = hashes[-1]
    for left in reversed(hashes[:-1]):
        root = node_hash(left, root)
    return root


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTHs make PATH(index, D[0:size]), leaf side first."""
    _check_index(index, size)
    ranges = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def consistency_ranges(size1: int, size2: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTHs make PROOF(size1, D[0:size2]), leaf side first."""
    if not 0 <= size1 <= size2:
        raise ValueError(f"first size {size1} is not between 0 and second size {size2}")
    if size1 in (0, size2):
        return []
    ranges = []
    start, end, old = 0, size2, size1  # old: leaves of the old tree within [start, end)
    whole = True  # D[start:start + old] is the whole old tree, whose root the verifier has
    while old != end - start:
        k = _split(end - start)
        if old <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, old, whole = start + k, old - k, False
    if not whole:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


class Frontier:
    """The compact range of the first ``size`` leaves: the roots of the perfect subtrees
    ``perfect_subtrees(0, size)``, which is all an append-only tree needs to go on. Appending
    leaves reports each perfect subtree it completes, so a store can keep them."""

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        self._nodes = list(zip(perfect_subtrees(0, size), hashes, strict=True))
        self.size = size

    def extend(self, leaf_hashes: Iterable[bytes], min_height: int = 1) -> list[tuple]:
        """Append leaves; returns (height, index, hash) of every perfect subtree of at least
        `min_height` they complete, in the order completed."""
        done, nodes = [], self._nodes
        for leaf in leaf_hashes:
            if len(leaf) != HASH_SIZE:
                raise ValueError(f"leaf hashes must be {HASH_SIZE} bytes")
            nodes.append(((0, self.size), leaf))
            self.size += 1
            while len(nodes) > 1 and nodes[-1][0][0] == nodes[-2][0][0]:
                (height, index), right = nodes.pop()
                left = nodes.pop()[1]
                parent = ((height + 1, index >> 1), node_hash(left, right))
                nodes.append(parent)
                if height + 1 >= min_height:
                    done.append((height + 1, index >> 1, parent[1]))
        return done

    def root(self) -> bytes:
        """MTH of the leaves so far."""
        return fold([h for _key, h in self._nodes])


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that `leaf` is leaf `index` of the tree of `size` leaves with `root` (§2.1.3.2);
    raises ProofError if not."""
    _check_hashes(leaf=leaf, root=root, proof=proof)
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError(f"inclusion proof is longer than leaf {index} of {size} needs")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"inclusion proof is shorter than leaf {index} of {size} needs")
    if r != root:
        raise ProofError(f"inclusion proof of leaf {index} does not lead to the root of {size}")


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of `size2` leaves with `root2` extends that of `size1` with `root1`
    (§2.1.4.2, plus the trivial cases of size1 0 or size2 with an empty proof); raises
    ProofError if not."""
    _check_hashes(root1=root1, root2=root2, proof=proof)
    if not 0 <= size1 <= size2:
        raise ProofError(f"first size {size1} is not between 0 and second size {size2}")
    if size1 in (0, size2):
        if proof:
            raise ProofError(f"consistency proof from size {size1} to {size2} must be empty")
        if size1 == 0 and root1 != EMPTY_ROOT:
            raise ProofError("first root is not that of the empty tree")
        if size1 == size2 and root1 != root2:
            raise ProofError(f"two different roots for the same size {size1}")
        return
    if not proof:
        raise ProofError(f"consistency proof from size {size1} to {size2} is empty")
    path = [root1, *proof] if size1 & (size1 - 1) == 0 else list(proof)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"consistency proof is longer than {size1} to {size2} needs")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"consistency proof is shorter than {size1} to {size2} needs")
    if fr != root1:
        raise ProofError(f"consistency proof does not lead to the first root (size {size1})")
    if sr != root2:
        raise ProofError(f"consistency proof does not lead to the second root (size {size2})")


def encode_hash(digest: bytes) -> str:
    """A hash as standard padded base64."""
    return base64.b64encode(digest).decode("ascii")


def decode_hash(text: str) -> bytes:
    """The hash in `text`, which must be the canonical standard base64 of 32 bytes."""
    try:
        digest = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{text!r} is not base64") from None
    if len(digest) != HASH_SIZE or encode_hash(digest) != text:
        raise ValueError(f"{text!r} is not the base64 of a {HASH_SIZE}-byte hash")
    return digest


def encode_proof(proof: Sequence[bytes]) -> list[str]:
    """A proof as a list of base64 hashes."""
    return [encode_hash(h) for h in proof]


def decode_proof(items: Sequence[str]) -> list[bytes]:
    """The proof in a list of base64 hashes."""
    return [decode_hash(item) for item in items]


def _joined(hashes: Iterable[bytes]) -> bytes:
    hashes = list(hashes)
    if set(map(len, hashes)) - {HASH_SIZE}:
        raise ValueError(f"leaf hashes must be {HASH_SIZE} bytes")
    return b"".join(hashes)


def _parents(level: bytes) -> bytes:
    """The node hashes of the neighbouring pairs in `level`, an even number of joined hashes."""
    sha256, pair = hashlib.sha256, 2 * HASH_SIZE
    return b"".join(
        [sha256(_NODE_PREFIX + level[i : i + pair]).digest() for i in range(0, len(level), pair)]
    )


def _split(n: int) -> int:
    """The largest power of two smaller than n > 1."""
    return 1 << ((n - 1).bit_length() - 1)


def _check_index(index: int, size: int) -> None:
    if not 0 <= index < size:
        raise IndexError(f"leaf index {index} is outside a tree of size {size}")


def _check_hashes(proof: Sequence[bytes], **hashes: bytes) -> None:
    for name, digest in hashes.items():
        if not isinstance(digest, bytes) or len(digest) != HASH_SIZE:
            raise ProofError(f"{name} is not a {HASH_SIZE}-byte hash")
    if not all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in proof):
        raise ProofError(f"proof hashes must be {HASH_SIZE} bytes each")
