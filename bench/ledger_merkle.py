"""Benchmark of the ledger's RFC 9162 Merkle tree (aidbridge.ledger.merkle).

    .venv/bin/python -m bench.ledger_merkle [--entries N] [--seed S]

N synthetic entries of about 200 bytes (JSON-like ledger lines, generated untimed). Timed:

1. hashing every entry into its leaf hash, SHA-256(0x00 || entry);
2. root_of over the leaf hashes (level by level, nothing kept);
3. MerkleTree(leaf hashes): every complete node kept, then its root (a frontier fold);
4. 1,000 inclusion proofs of random leaves in trees of random sizes <= N, made then verified;
5. 100 consistency proofs between random sizes m <= n <= N, made then verified.

Proof lengths are in hashes and sizes in bytes of their JSON (a list of base64 strings). Peak
memory is ru_maxrss of the process, entries included.
"""

import argparse
import json
import random
import resource
import time

from aidbridge.ledger.merkle import (
    HASH_SIZE,
    MerkleTree,
    encode_proof,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

KINDS = ["donation", "disbursement", "pledge", "refund", "transfer"]


def entries(n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    return [
        json.dumps({
            "seq": i,
            "kind": rng.choice(KINDS),
            "amount_fen": rng.randrange(100, 10_000_000),
            "from": f"helper:{rng.randrange(10**6):06d}",
            "to": f"need:513422{rng.randrange(10**6):06d}",
            "at": f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T08:00:00+08:00",
            "memo": "x" * rng.randrange(30, 60),
        }).encode()
        for i in range(n)
    ]  # fmt: skip


def timed(step, *args):
    start = time.perf_counter()
    result = step(*args)
    return result, time.perf_counter() - start


def report(name: str, cases: list[tuple], make, verify) -> None:
    """Make a proof for each case, then verify each; print times, lengths and JSON sizes."""
    start = time.perf_counter()
    made = [make(*case) for case in cases]
    make_s = time.perf_counter() - start
    start = time.perf_counter()
    for case, proof in zip(cases, made, strict=True):
        verify(*case, proof)
    verify_s = time.perf_counter() - start
    lengths = [len(proof) for proof in made]
    sizes = [len(json.dumps(encode_proof(proof))) for proof in made]
    print(f"  {len(cases):,} {name} proofs: made in {make_s * 1e3:.1f} ms, verified in "
          f"{verify_s * 1e3:.1f} ms; {sum(lengths) / len(cases):.1f} hashes on average "
          f"(max {max(lengths)}), JSON {sum(sizes) / len(cases):.0f} bytes on average "
          f"(max {max(sizes)})")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    data = entries(args.entries, args.seed)
    mean = sum(map(len, data)) / len(data)
    print(f"{args.entries:,} entries of {mean:.0f} bytes on average, seed {args.seed}")
    leaves, hash_s = timed(lambda: [leaf_hash(e) for e in data])
    root, root_of_s = timed(root_of, leaves)
    tree, build_s = timed(MerkleTree, leaves)
    tree_root, tree_root_s = timed(tree.root)
    assert tree_root == root, "root_of and MerkleTree disagree"
    stored = sum(len(level) for level in tree._levels) // HASH_SIZE
    print(f"  leaf hashes          {hash_s:8.2f} s")
    print(f"  root_of              {root_of_s:8.2f} s   (hashing + root_of: "
          f"{hash_s + root_of_s:.2f} s)")  # fmt: skip
    print(f"  MerkleTree build     {build_s:8.2f} s   ({stored:,} hashes kept, "
          f"{stored * HASH_SIZE / 2**20:.0f} MiB)")  # fmt: skip
    print(f"  root from the tree   {tree_root_s * 1e6:8.0f} µs  {root.hex()}")

    rng = random.Random(args.seed)
    sizes = [rng.randint(1, len(tree)) for _ in range(1_000)]
    leaves_at = [(rng.randrange(size), size) for size in sizes]
    cases = [(i, size, tree.leaf(i), tree.root(size)) for i, size in leaves_at]
    report(
        "inclusion",
        cases,
        lambda i, size, leaf, root: tree.inclusion_proof(i, size),
        lambda i, size, leaf, root, proof: verify_inclusion(i, size, leaf, proof, root),
    )
    pairs = [sorted((rng.randint(1, len(tree)), rng.randint(1, len(tree)))) for _ in range(100)]
    report(
        "consistency",
        [(m, n, tree.root(m), tree.root(n)) for m, n in pairs],
        lambda m, n, root1, root2: tree.consistency_proof(m, n),
        verify_consistency,
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory          {peak:8.0f} MiB (entries included)")


if __name__ == "__main__":
    main()
