"""Benchmark of the ledger (issue goals: "at least 5,000 entries/s appended on PostgreSQL, a full
verify of 1,000,000 entries in at most 10 s, proofs of O(log n) size"; a receipt and a
consistency proof in at most 50 ms at 10,000,000 entries).

    .venv/bin/python -m bench.ledger --entries N [--database sqlite|postgres] [--batch B]
                                     [--checkpoints C] [--seed S]

1. A scratch database: SQLite in a temp dir, or (--database postgres) a database
   aidbridge_bench_<pid> created on the server of DATABASE_URL and dropped at the end;
   `aidbridge migrate` runs as a subprocess. 10,000 accounts (donors, organizations,
   households, a county fund, the outside world) are bulk-inserted, untimed.
2. Timed: N generated entries appended through ``entries_append`` in batches of B (the whole
   service: validation, account look-up, canonical encoding, leaf hashes, inserts), with
   ``checkpoint_make`` after every N / C entries. After each checkpoint, timed: R receipts of
   random entries through ``entry_receipt`` (stored tree nodes and one block of leaves read,
   the receipt verified before it is given out) and the consistency proofs from the previous
   and from the first checkpoint (``checkpoint_consistency``); so one run of 10,000,000 with
   10 checkpoints reports them at 1M, 2M, ... 10M entries. About half are money donations, a quarter
   disbursements to households, the rest donations in kind (quantities), government purchases
   and disbursements split between three households.
3. Timed: ``ledger_verify`` (every entry re-encoded and re-hashed, the tree rebuilt, every
   checkpoint and consecutive consistency checked), in wall-clock seconds and in CPU seconds of
   this process (the database server works in parallel, on the other core).
4. Timed: 1,000 receipts of random entries through ``entry_receipt`` and verified offline
   (``receipt_verify``), and consistency proofs between consecutive checkpoints.

--no-verify leaves step 3 out (a full verify of 10M entries holds about 2 GB in memory).
"""

import argparse
import json
import os
import random
import resource
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.scratch import aidbridge, postgres_drop, postgres_scratch

GOAL = (
    "goals: >= 5,000 entries/s appended on PostgreSQL, verify of 1,000,000 in <= 10 s, "
    "receipt and consistency proof <= 50 ms at 10,000,000"
)


def chart() -> dict[str, list[str]]:
    """Bulk-insert the accounts; returns their codes by kind."""
    from aidbridge.ledger.models import Account

    sizes = {"donor": 4_000, "organization": 100, "household": 5_898, "government_fund": 1,
             "external": 1}  # fmt: skip
    codes = {kind: [f"{kind}-{i}" for i in range(n)] for kind, n in sizes.items()}
    Account.objects.bulk_create(
        [Account(kind=kind, code=code, name_zh=code) for kind, cs in codes.items() for code in cs],
        batch_size=5_000,
    )
    return codes


def generate(n: int, codes: dict[str, list[str]], rng: random.Random) -> list[dict]:
    today = date.today()
    entries = []
    for _ in range(n):
        day = today - timedelta(days=rng.randrange(1, 700))
        pick = rng.random()
        amount = rng.randrange(100, 10_000_000)
        org = rng.choice(codes["organization"])
        if pick < 0.5:
            kind, postings = "donation", [(rng.choice(codes["donor"]), -amount), (org, amount)]
        elif pick < 0.75:
            kind, postings = (
                "disbursement",
                [(org, -amount), (rng.choice(codes["household"]), amount)],
            )
        elif pick < 0.85:
            bags = rng.randrange(1, 500)
            kind, postings = (
                "donation",
                [(rng.choice(codes["donor"]), -amount, -bags, "袋"), (org, amount, bags, "袋")],
            )
        elif pick < 0.95:
            kind, postings = (
                "service_purchase",
                [(codes["government_fund"][0], -amount), (org, amount)],
            )
        else:
            kind = "disbursement"
            postings = [(org, -3 * amount)] + [
                (h, amount) for h in rng.sample(codes["household"], 3)
            ]
        entries.append({
            "kind": kind, "date": day, "memo": f"bench {kind} {rng.randrange(10**6)}",
            "postings": [dict(zip(("account", "amount", "quantity", "unit"), p, strict=False))
                         for p in postings],
        })  # fmt: skip
    return entries


def ms(seconds: list[float]) -> str:
    """Median and maximum of timings, in milliseconds."""
    ordered = sorted(seconds)
    return f"median {ordered[len(ordered) // 2] * 1e3:.1f} ms, max {ordered[-1] * 1e3:.1f} ms"


def timed(step, *args, **kwargs):
    start = time.perf_counter()
    result = step(*args, **kwargs)
    return result, time.perf_counter() - start


def proofs_at(size: int, receipts: int, rng: random.Random) -> str:
    """Time receipts of random entries and the consistency proofs that end at `size`."""
    from aidbridge.ledger.models import Checkpoint
    from aidbridge.ledger.selectors import checkpoint_consistency, entry_receipt

    receipt_s = [timed(entry_receipt, seq=rng.randint(1, size))[1] for _ in range(receipts)]
    sizes = list(Checkpoint.objects.filter(size__lt=size).values_list("size", flat=True))
    olds = sorted({sizes[0], sizes[-1]}) if sizes else []
    consistency_s = [timed(checkpoint_consistency, old_size=old, new_size=size)[1] for old in olds]
    line = f"receipts {ms(receipt_s)}"
    if consistency_s:
        line += f"; consistency from {', '.join(f'{o:,}' for o in olds)}: {ms(consistency_s)}"
    return line


def run(args) -> None:
    aidbridge("migrate", "--no-input", "-v", "0")

    import django

    django.setup()
    from aidbridge.ledger import proofs
    from aidbridge.ledger.keys import ledger_signer
    from aidbridge.ledger.models import Checkpoint, TreeNode
    from aidbridge.ledger.selectors import checkpoint_consistency, entry_receipt
    from aidbridge.ledger.services import checkpoint_make, entries_append
    from aidbridge.ledger.verification import ledger_verify

    rng = random.Random(args.seed)
    codes = chart()
    every = max(args.entries // args.checkpoints, 1)
    print(f"Appending {args.entries:,} entries in batches of {args.batch:,} on "
          f"{args.database}, a checkpoint every {every:,} ...", flush=True)  # fmt: skip
    append_s = checkpoint_s = 0.0
    done = 0
    at_sizes = []
    while done < args.entries:
        batch = generate(min(args.batch, args.entries - done), codes, rng)
        start = time.perf_counter()
        entries_append(by=None, entries=batch)
        append_s += time.perf_counter() - start
        done += len(batch)
        if done % every < len(batch) or done == args.entries:
            start = time.perf_counter()
            checkpoint_make()
            made_s = time.perf_counter() - start
            checkpoint_s += made_s
            line = proofs_at(done, args.receipts, rng)
            at_sizes.append(f"{done:,}: {line}")
            print(f"  {done:,} entries, {done / append_s:,.0f} entries/s so far; checkpoint "
                  f"{made_s:.2f} s; {line}", flush=True)  # fmt: skip
    checkpoints = Checkpoint.objects.count()
    nodes = TreeNode.objects.count()

    verify_line = "Verify:  left out (--no-verify)"
    if args.verify:
        start, cpu = time.perf_counter(), time.process_time()
        report = ledger_verify()
        verify_s, verify_cpu = time.perf_counter() - start, time.process_time() - cpu
        assert report.ok, report.problems
        verify_line = (
            f"Verify:  {verify_s:.2f} s for {report.entries:,} entries, {report.checkpoints} "
            f"checkpoints and {report.nodes:,} stored tree nodes ({report.entries / verify_s:,.0f} "
            f"entries/s; {verify_cpu:.2f} s of CPU in this process, the rest is the database "
            f"and other processes)"
        )

    vkey = ledger_signer().verifier.vkey
    seqs = [rng.randint(1, done) for _ in range(1_000)]
    receipt_s, receipts = [], []
    for seq in seqs:
        receipt, seconds = timed(entry_receipt, seq=seq)
        receipts.append(receipt)
        receipt_s.append(seconds)
    start = time.perf_counter()
    for receipt in receipts:
        proofs.receipt_verify(receipt, trusted_key=vkey)
    check_s = time.perf_counter() - start
    proof_lengths = [len(r["inclusion_proof"]) for r in receipts]
    receipt_bytes = [len(json.dumps(r, ensure_ascii=False).encode()) for r in receipts]
    sizes = list(Checkpoint.objects.values_list("size", flat=True))
    consistency, consistency_s = [], []
    for a, b in zip(sizes, sizes[1:], strict=False):
        proof, seconds = timed(checkpoint_consistency, old_size=a, new_size=b)
        consistency.append(proof)
        consistency_s.append(seconds)
    for proof in consistency:
        proofs.consistency_verify(proof, trusted_key=vkey)
    consistency_lengths = [len(p["proof"]) for p in consistency] or [0]

    n, peak = args.entries, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nAppend:  {append_s:.1f} s = {n / append_s:,.0f} entries/s "
        f"({checkpoints} checkpoints: {checkpoint_s:.1f} s more; {nodes:,} tree nodes stored)"
    )
    print(verify_line)
    print(
        f"Receipt: 1,000 through the database, {ms(receipt_s)}; verified offline in "
        f"{check_s * 1e3:.0f} ms; inclusion proofs {sum(proof_lengths) / 1000:.1f} hashes on "
        f"average (max {max(proof_lengths)}), receipts {sum(receipt_bytes) / 1000:,.0f} bytes "
        f"of JSON"
    )
    if consistency_s:
        print(
            f"Consistency: {len(consistency)} proofs between consecutive checkpoints, "
            f"{ms(consistency_s)}, {max(consistency_lengths)} hashes at most"
        )
    print("At each checkpoint:\n  " + "\n  ".join(at_sizes))
    load = os.getloadavg()[0]
    verified = f"verify {verify_s:.1f} s ({verify_cpu:.1f} s CPU), " if args.verify else ""
    print(
        f"\nSUMMARY: {n:,} entries on {args.database}: append {n / append_s:,.0f} entries/s, "
        f"{verified}receipt {ms(receipt_s)}, inclusion proof "
        f"{max(proof_lengths)} hashes at most, "
        f"peak RSS {peak:,.0f} MiB [{os.cpu_count()} CPUs, load {load:.1f}; {GOAL}]"
    )
    env = "DATABASE_URL=postgres://USER@HOST:PORT/DB " if args.database == "postgres" else ""
    print(
        f"Reproduce: {env}.venv/bin/python -m bench.ledger --entries {n} --database "
        f"{args.database} --batch {args.batch} --checkpoints {args.checkpoints} "
        f"--receipts {args.receipts} --seed {args.seed}" + ("" if args.verify else " --no-verify")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, required=True, metavar="N")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--batch", type=int, default=10_000, metavar="B")
    parser.add_argument("--checkpoints", type=int, default=10, metavar="C")
    parser.add_argument("--receipts", type=int, default=20, metavar="R")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-verify", dest="verify", action="store_false")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="aidbridge-bench-"))
    os.environ["AIDBRIDGE_HOME"] = str(tmp / "var")
    os.environ["DJANGO_SETTINGS_MODULE"] = "aidbridge.settings"
    server = os.environ.get("DATABASE_URL", "")
    name = None
    try:
        if args.database == "postgres":
            if not server.startswith(("postgres://", "postgresql://")):
                parser.error("--database postgres needs DATABASE_URL=postgres://...")
            url, name = postgres_scratch(server)
        else:
            url = f"sqlite:///{tmp / 'aidbridge.sqlite3'}"
        os.environ["DATABASE_URL"] = url
        run(args)
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            postgres_drop(server, name)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
