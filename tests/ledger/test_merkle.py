"""The RFC 9162 Merkle tree against a naive reference written from the RFC's definitions, against
published known answers, and hypothesis properties of its proofs."""

import hashlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.ledger.merkle import (
    EMPTY_ROOT,
    Frontier,
    MerkleTree,
    ProofError,
    consistency_ranges,
    decode_hash,
    decode_proof,
    encode_hash,
    encode_proof,
    fold,
    inclusion_ranges,
    leaf_hash,
    perfect_subtrees,
    root_of,
    verify_consistency,
    verify_inclusion,
)


# The reference: RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1 (PROOF, SUBPROOF), literally.
def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def split(n: int) -> int:
    k = 1
    while 2 * k < n:
        k *= 2
    return k


def ref_mth(d: list[bytes]) -> bytes:
    if not d:
        return sha256(b"")
    if len(d) == 1:
        return sha256(b"\x00" + d[0])
    k = split(len(d))
    return sha256(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:]))


def ref_path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = split(len(d))
    if m < k:
        return ref_path(m, d[:k]) + [ref_mth(d[k:])]
    return ref_path(m - k, d[k:]) + [ref_mth(d[:k])]


def ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [ref_mth(d)]
    k = split(len(d))
    if m <= k:
        return ref_subproof(m, d[:k], b) + [ref_mth(d[k:])]
    return ref_subproof(m - k, d[k:], False) + [ref_mth(d[:k])]


ENTRIES = [b"entry %d " % i * (i % 7) for i in range(3000)]
TREE = MerkleTree(leaf_hash(e) for e in ENTRIES)
sizes = st.integers(1, len(ENTRIES))


def flip(digest: bytes, at: int) -> bytes:
    return digest[:at] + bytes([digest[at] ^ 0x01]) + digest[at + 1 :]


def fails(check, *args) -> bool:
    try:
        check(*args)
    except ProofError:
        return True
    return False


# Known answers from transparency-dev/merkle (the Go library of Certificate Transparency),
# testonly/constants.go at 582a6ad190b6848f1d26f8bf08ddef29955d9db1 (LeafInputs, RootHashes) and
# proof/verify_test.go at 02194e9afb6c1d95b5381350007963aa70fff472 (inclusionProofs, whose leaf
# numbers are 1-based there, and consistencyProofs).
KAT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f"]  # fmt: skip
KAT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
KAT_INCLUSION = {  # (leaf index, tree size): audit path
    (0, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (5, 8): ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
    (2, 3): ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    (1, 5): ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
}  # fmt: skip
KAT_CONSISTENCY = {  # (first size, second size): consistency proof
    (1, 1): [],
    (1, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (6, 8): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
    (2, 5): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
    (6, 7): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}  # fmt: skip
KAT_TREE = MerkleTree(leaf_hash(bytes.fromhex(x)) for x in KAT_LEAVES)


def hexes(proof: list[bytes]) -> list[str]:
    return [h.hex() for h in proof]


@pytest.mark.parametrize("size", range(len(KAT_ROOTS)))
def test_published_roots(size):
    leaves = [bytes.fromhex(x) for x in KAT_LEAVES[:size]]
    assert KAT_TREE.root(size).hex() == KAT_ROOTS[size]
    assert root_of(leaf_hash(e) for e in leaves).hex() == KAT_ROOTS[size]
    assert ref_mth(leaves).hex() == KAT_ROOTS[size]
    assert EMPTY_ROOT.hex() == KAT_ROOTS[0]


@pytest.mark.parametrize(("index", "size"), KAT_INCLUSION)
def test_published_inclusion_proofs(index, size):
    proof = KAT_TREE.inclusion_proof(index, size)
    assert hexes(proof) == KAT_INCLUSION[index, size]
    leaf = leaf_hash(bytes.fromhex(KAT_LEAVES[index]))
    verify_inclusion(index, size, leaf, proof, bytes.fromhex(KAT_ROOTS[size]))


@pytest.mark.parametrize(("size1", "size2"), KAT_CONSISTENCY)
def test_published_consistency_proofs(size1, size2):
    proof = KAT_TREE.consistency_proof(size1, size2)
    assert hexes(proof) == KAT_CONSISTENCY[size1, size2]
    root1, root2 = bytes.fromhex(KAT_ROOTS[size1]), bytes.fromhex(KAT_ROOTS[size2])
    verify_consistency(size1, size2, root1, root2, proof)


def test_roots_of_every_size_to_70_match_the_reference():
    appended = MerkleTree()
    for n in range(71):
        expected = ref_mth(ENTRIES[:n])
        leaves = [leaf_hash(e) for e in ENTRIES[:n]]
        assert appended.root() == expected, n
        assert root_of(leaves) == expected, n
        assert MerkleTree(leaves).root() == expected, n
        assert all(appended.root(m) == ref_mth(ENTRIES[:m]) for m in range(n + 1)), n
        assert appended.append(leaf_hash(ENTRIES[n])) == n


def test_extending_in_chunks_equals_appending():
    chunked = MerkleTree()
    for start, end in [(0, 1), (1, 2), (2, 7), (7, 8), (8, 100), (100, 101), (101, 3000)]:
        chunked.extend(leaf_hash(e) for e in ENTRIES[start:end])
        assert len(chunked) == end
        assert chunked.root() == TREE.root(end)
    assert all(chunked.root(m) == TREE.root(m) for m in range(len(ENTRIES) + 1))
    assert all(chunked.inclusion_proof(i) == TREE.inclusion_proof(i) for i in range(0, 3000, 7))


@pytest.mark.parametrize("size", range(1, 41))
def test_proofs_up_to_40_match_the_reference(size):
    d = ENTRIES[:size]
    for m in range(size):
        assert TREE.inclusion_proof(m, size) == ref_path(m, d), m
    for m in range(1, size):
        assert TREE.consistency_proof(m, size) == ref_subproof(m, d, True), m


@settings(max_examples=60, deadline=None)
@given(size=sizes, data=st.data())
def test_larger_trees_match_the_reference(size, data):
    d = ENTRIES[:size]
    assert TREE.root(size) == ref_mth(d) == root_of(leaf_hash(e) for e in d)
    index = data.draw(st.integers(0, size - 1))
    assert TREE.inclusion_proof(index, size) == ref_path(index, d)
    old = data.draw(st.integers(1, size))
    assert TREE.consistency_proof(old, size) == ref_subproof(old, d, True)
    assert TREE.leaf(index) == leaf_hash(d[index])


def test_every_inclusion_proof_to_64_verifies_and_every_tampering_fails():
    for size in range(1, 65):
        root = TREE.root(size)
        for index in range(size):
            leaf, proof = TREE.leaf(index), TREE.inclusion_proof(index, size)
            verify_inclusion(index, size, leaf, proof, root)
            assert len(proof) <= math.ceil(math.log2(size))
            for i in range(len(proof)):
                for at in (0, 31):
                    bad = proof[:i] + [flip(proof[i], at)] + proof[i + 1 :]
                    assert fails(verify_inclusion, index, size, leaf, bad, root)
            for other in range(size + 2):
                if other != index:
                    assert fails(verify_inclusion, other, size, leaf, proof, root)
            for other in range(1, size + 3):
                if other != size:
                    assert fails(verify_inclusion, index, other, leaf, proof, TREE.root(other))
            assert fails(verify_inclusion, index, size, flip(leaf, 5), proof, root)
            assert fails(verify_inclusion, index, size, leaf, proof, flip(root, 5))
            assert fails(verify_inclusion, index, size, leaf, proof + [root], root)
            if proof:
                assert fails(verify_inclusion, index, size, leaf, proof[:-1], root)


def test_every_consistency_proof_to_64_verifies_and_every_tampering_fails():
    for size2 in range(1, 65):
        root2 = TREE.root(size2)
        for size1 in range(1, size2 + 1):
            root1, proof = TREE.root(size1), TREE.consistency_proof(size1, size2)
            verify_consistency(size1, size2, root1, root2, proof)
            assert len(proof) <= math.ceil(math.log2(size2)) + 1
            for i in range(len(proof)):
                for at in (0, 31):
                    bad = proof[:i] + [flip(proof[i], at)] + proof[i + 1 :]
                    assert fails(verify_consistency, size1, size2, root1, root2, bad)
            for other in range(1, size2 + 3):
                if other != size1:
                    root = TREE.root(other)
                    assert fails(verify_consistency, other, size2, root, root2, proof)
                if other != size2:
                    root = TREE.root(other)
                    assert fails(verify_consistency, size1, other, root1, root, proof)
            assert fails(verify_consistency, size1, size2, flip(root1, 5), root2, proof)
            assert fails(verify_consistency, size1, size2, root1, flip(root2, 5), proof)
            assert fails(verify_consistency, size1, size2, root1, root2, proof + [root2])
            if proof:
                assert fails(verify_consistency, size1, size2, root2, root1, proof)
                assert fails(verify_consistency, size1, size2, root1, root2, proof[:-1])


@settings(max_examples=300, deadline=None)
@given(size=sizes, data=st.data())
def test_inclusion_proofs_verify_and_tampering_fails(size, data):
    index = data.draw(st.integers(0, size - 1))
    leaf, root, proof = TREE.leaf(index), TREE.root(size), TREE.inclusion_proof(index, size)
    verify_inclusion(index, size, leaf, proof, root)
    assert len(proof) <= math.ceil(math.log2(size))
    if proof:
        i, at = data.draw(st.integers(0, len(proof) - 1)), data.draw(st.integers(0, 31))
        bad = proof[:i] + [flip(proof[i], at)] + proof[i + 1 :]
        assert fails(verify_inclusion, index, size, leaf, bad, root)
    other = data.draw(st.integers(0, len(ENTRIES)).filter(lambda x: x != index))
    assert fails(verify_inclusion, other, size, leaf, proof, root)
    other = data.draw(st.integers(1, len(ENTRIES)).filter(lambda x: x != size))
    assert fails(verify_inclusion, index, other, leaf, proof, TREE.root(other))
    assert fails(
        verify_inclusion, index, size, flip(leaf, data.draw(st.integers(0, 31))), proof, root
    )
    assert fails(
        verify_inclusion, index, size, leaf, proof, flip(root, data.draw(st.integers(0, 31)))
    )


@settings(max_examples=300, deadline=None)
@given(size2=sizes, data=st.data())
def test_consistency_proofs_verify_and_tampering_fails(size2, data):
    size1 = data.draw(st.integers(1, size2))
    root1, root2 = TREE.root(size1), TREE.root(size2)
    proof = TREE.consistency_proof(size1, size2)
    verify_consistency(size1, size2, root1, root2, proof)
    assert len(proof) <= math.ceil(math.log2(size2)) + 1
    if proof:
        i, at = data.draw(st.integers(0, len(proof) - 1)), data.draw(st.integers(0, 31))
        bad = proof[:i] + [flip(proof[i], at)] + proof[i + 1 :]
        assert fails(verify_consistency, size1, size2, root1, root2, bad)
    other = data.draw(st.integers(1, size2).filter(lambda x: x != size1))  # empty when size2 is 1
    assert fails(verify_consistency, other, size2, TREE.root(other), root2, proof)
    other = data.draw(st.integers(1, len(ENTRIES)).filter(lambda x: x != size2))
    assert fails(verify_consistency, size1, other, root1, TREE.root(other), proof)
    at = data.draw(st.integers(0, 31))
    assert fails(verify_consistency, size1, size2, flip(root1, at), root2, proof)
    assert fails(verify_consistency, size1, size2, root1, flip(root2, at), proof)


def test_the_size_is_bound_by_the_root_only():
    # RFC 9162 hashes no tree size: the audit path of leaf 0 in 3 leaves has the shape of one in 4,
    # so it "verifies" for size 4 with the size-3 root. A signed checkpoint pairs size and root.
    proof = TREE.inclusion_proof(0, 3)
    verify_inclusion(0, 4, TREE.leaf(0), proof, TREE.root(3))
    assert fails(verify_inclusion, 0, 4, TREE.leaf(0), proof, TREE.root(4))


def test_trivial_consistency():
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    verify_consistency(0, 5, EMPTY_ROOT, TREE.root(5), [])
    verify_consistency(5, 5, TREE.root(5), TREE.root(5), [])
    assert TREE.consistency_proof(0, 5) == TREE.consistency_proof(5, 5) == []
    with pytest.raises(ProofError, match="not that of the empty tree"):
        verify_consistency(0, 5, TREE.root(5), TREE.root(5), [])
    with pytest.raises(ProofError, match="two different roots"):
        verify_consistency(5, 5, TREE.root(5), TREE.root(4), [])
    with pytest.raises(ProofError, match="must be empty"):
        verify_consistency(5, 5, TREE.root(5), TREE.root(5), [TREE.root(5)])
    with pytest.raises(ProofError, match="is empty"):
        verify_consistency(4, 5, TREE.root(4), TREE.root(5), [])
    with pytest.raises(ProofError, match="not between 0 and second size"):
        verify_consistency(6, 5, TREE.root(6), TREE.root(5), [])


def test_bad_arguments():
    root, leaf = TREE.root(8), TREE.leaf(3)
    proof = TREE.inclusion_proof(3, 8)
    with pytest.raises(ProofError, match="outside a tree of size 8"):
        verify_inclusion(8, 8, leaf, proof, root)
    with pytest.raises(ProofError, match="outside a tree of size 0"):
        verify_inclusion(0, 0, leaf, [], EMPTY_ROOT)
    with pytest.raises(ProofError, match="leaf is not a 32-byte hash"):
        verify_inclusion(3, 8, leaf.hex(), proof, root)
    with pytest.raises(ProofError, match="root is not a 32-byte hash"):
        verify_inclusion(3, 8, leaf, proof, root[:31])
    with pytest.raises(ProofError, match="proof hashes must be 32 bytes"):
        verify_inclusion(3, 8, leaf, [*proof[:2], b""], root)
    with pytest.raises(ProofError, match="root2 is not a 32-byte hash"):
        verify_consistency(3, 8, TREE.root(3), None, proof)
    with pytest.raises(IndexError, match="leaf index 3000 is outside"):
        TREE.leaf(3000)
    with pytest.raises(IndexError, match="leaf index 5 is outside a tree of size 5"):
        TREE.inclusion_proof(5, 5)
    with pytest.raises(ValueError, match="size 3001 is not between 0 and the 3000 leaves"):
        TREE.root(3001)
    with pytest.raises(ValueError, match="first size 9 is not between 0 and second size 8"):
        TREE.consistency_proof(9, 8)
    with pytest.raises(ValueError, match="leaf hashes must be 32 bytes"):
        MerkleTree([leaf, leaf[:31]])
    with pytest.raises(ValueError, match="leaf hashes must be 32 bytes"):
        root_of([b"short"])
    assert MerkleTree().root() == root_of([]) == EMPTY_ROOT


EMPTY_B64 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="  # the base64 of KAT_ROOTS[0]


@pytest.mark.parametrize(
    "bad",
    [
        "",
        EMPTY_B64[:-1],  # no padding
        EMPTY_B64[:28],  # 21 bytes
        EMPTY_B64[:-2] + "V=",  # non-zero trailing bits: not canonical
        EMPTY_B64.replace("+/", "-_"),  # URL-safe alphabet
        " " + EMPTY_B64,
        "é",
    ],
)
def test_base64_decoding_rejects(bad):
    with pytest.raises(ValueError, match="base64"):
        decode_hash(bad)


def test_base64_encoding():
    proof = TREE.inclusion_proof(1234, 3000)
    encoded = encode_proof(proof)
    assert encoded[0] == encode_hash(proof[0]) and len(encoded[0]) == 44
    assert decode_proof(encoded) == proof
    assert encode_hash(EMPTY_ROOT) == EMPTY_B64
    assert decode_hash(EMPTY_B64) == EMPTY_ROOT


@settings(max_examples=60, deadline=None)
@given(size=st.integers(0, len(ENTRIES)), cuts=st.lists(st.integers(0, len(ENTRIES))))
def test_a_frontier_extended_in_any_chunks_completes_every_node_once(size, cuts):
    """What the ledger stores with each append: the nodes a Frontier reports are exactly the
    complete nodes of the tree, with the tree's hashes, whatever the batches."""
    frontier, completed = Frontier(), []
    leaves = [leaf_hash(e) for e in ENTRIES[:size]]
    bounds = sorted({0, size, *(c for c in cuts if c <= size)})
    for start, end in zip(bounds, bounds[1:], strict=False):
        completed += frontier.extend(leaves[start:end], min_height=3)
        assert frontier.size == end and frontier.root() == TREE.root(end)
    expected = [(h, i) for h in range(3, max(size.bit_length(), 1)) for i in range(size >> h)]
    assert sorted((h, i) for h, i, _x in completed) == sorted(expected)
    assert all(x == TREE.node(h, i) for h, i, x in completed)


@settings(max_examples=60, deadline=None)
@given(size=sizes, data=st.data())
def test_a_frontier_rebuilt_from_its_nodes_goes_on_like_the_tree(size, data):
    keys = perfect_subtrees(0, size)
    frontier = Frontier(size, [TREE.node(h, i) for h, i in keys])
    assert frontier.root() == TREE.root(size)
    more = data.draw(st.integers(0, len(ENTRIES) - size))
    frontier.extend(leaf_hash(e) for e in ENTRIES[size : size + more])
    assert frontier.root() == TREE.root(size + more)


@settings(max_examples=60, deadline=None)
@given(size=sizes, data=st.data())
def test_proofs_are_folds_of_perfect_subtrees(size, data):
    """The ranges a proof is made of, folded from their perfect subtrees (as the stored tree
    gives them), are the proof."""

    def mth(start, end):
        return fold([TREE.node(h, i) for h, i in perfect_subtrees(start, end)])

    index = data.draw(st.integers(0, size - 1))
    path = [mth(*r) for r in inclusion_ranges(index, size)]
    assert path == TREE.inclusion_proof(index, size)
    old = data.draw(st.integers(0, size))
    assert [mth(*r) for r in consistency_ranges(old, size)] == TREE.consistency_proof(old, size)
    assert mth(0, size) == TREE.root(size)


def test_tree_nodes_outside_the_leaves_and_short_leaves_are_refused():
    with pytest.raises(IndexError):
        TREE.node(1, len(ENTRIES) // 2)
    with pytest.raises(IndexError):
        TREE.node(40, 0)
    with pytest.raises(ValueError):
        Frontier().extend([b"short"])
    assert fold([]) == EMPTY_ROOT and Frontier().root() == EMPTY_ROOT
