"""Benchmark of the household import (issue goal: "1,000,000 households (~3.5 M members) with
full validation in at most 120 s on PostgreSQL, and no more than 4x the raw load time").

    .venv/bin/python -m bench.registry_import --households N [--database sqlite|postgres]
                                               [--seed S] [--keep-csv DIR] [--profile]

1. A scratch database: SQLite in a temp dir, or (--database postgres) a database
   aidbridge_bench_<pid> created on the server of DATABASE_URL and dropped at the end.
   `aidbridge migrate` and `aidbridge demo --households N --export-csv DIR` run as
   subprocesses: regions, demo accounts, and N generated households written by
   registry.demo_export.export_csv in the import template, with ~0.5% of rows wrong on purpose.
   With --keep-csv DIR the CSV is made once under DIR and reused by later runs (which then
   run `demo` with one household, only for the regions and accounts).
2. Timed: import_households(by=admin, data=<CSV bytes>, filename="households.csv"), the code
   path of the import page and `aidbridge import households`: full validation, history rows.
3. Raw baseline, also timed from the CSV bytes: parse the same rows, split them into
   households (first row of each) and members, and load them into two bare text tables with
   no checks: executemany into a separate SQLite file, or COPY into temporary tables.
Peak RSS is ru_maxrss of this process just after the import (generation runs elsewhere).
"""

import argparse
import csv
import io
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from aidbridge.registry.template import ENGLISH_HEADER, HOUSEHOLD_KEYS, MEMBER_KEYS
from bench.scratch import aidbridge, postgres_drop, postgres_scratch

GOAL = "goal: 1,000,000 households in <= 120 s on PostgreSQL, <= 4x raw load"


def split_rows(data: bytes) -> tuple[list[list[str]], list[list[str]]]:
    """The CSV as bare rows: one per household (its first row), one per member."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = next(rows)
    assert header == ENGLISH_HEADER, header
    cut = len(HOUSEHOLD_KEYS)
    households, members, seen = [], [], set()
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            households.append(row[:cut])
        members.append([row[0], *row[cut:]])
    return households, members


def raw_sqlite(data: bytes, path: Path) -> float:
    start = time.perf_counter()
    households, members = split_rows(data)
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    h_cols, m_cols = HOUSEHOLD_KEYS, ["household_number", *MEMBER_KEYS]
    db.execute(f"CREATE TABLE households ({', '.join(h_cols)})")
    db.execute(f"CREATE TABLE members ({', '.join(m_cols)})")
    with db:
        db.executemany(
            f"INSERT INTO households VALUES ({', '.join('?' * len(h_cols))})", households
        )
        db.executemany(f"INSERT INTO members VALUES ({', '.join('?' * len(m_cols))})", members)
    db.close()
    return time.perf_counter() - start


def raw_postgres(data: bytes, url: str) -> float:
    import psycopg

    with psycopg.connect(url) as conn, conn.cursor() as cur:
        start = time.perf_counter()
        households, members = split_rows(data)
        for table, cols, rows in (
            ("households", HOUSEHOLD_KEYS, households),
            ("members", ["household_number", *MEMBER_KEYS], members),
        ):
            cur.execute(
                f"CREATE TEMPORARY TABLE raw_{table} ({', '.join(c + ' text' for c in cols)})"
            )
            with cur.copy(f"COPY raw_{table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        conn.commit()
        return time.perf_counter() - start


def run(args, tmp: Path, url: str) -> None:
    csv_dir = tmp / "csv"
    if args.keep_csv:
        csv_dir = args.keep_csv / f"households-{args.households}-seed{args.seed}"
    reuse = (csv_dir / "planted_errors.csv").exists()
    print(
        f"Preparing {args.database} (regions, demo accounts) and "
        + (f"reusing {csv_dir}" if reuse else f"generating {args.households:,} households")
        + " ...",
        flush=True,
    )
    start = time.perf_counter()
    aidbridge("migrate", "--no-input", "-v", "0")
    aidbridge(
        "demo",
        "--households",
        "1" if reuse else str(args.households),
        "--seed",
        str(args.seed),
        "--export-csv",
        str(tmp / "csv" if reuse else csv_dir),
    )
    print(f"  prepared in {time.perf_counter() - start:.1f} s", flush=True)
    data = (csv_dir / "households.csv").read_bytes()
    planted = sum(1 for _ in open(csv_dir / "planted_errors.csv", encoding="utf-8")) - 1

    import django

    django.setup()
    from aidbridge.accounts.models import User
    from aidbridge.registry.importer import import_households

    admin = User.objects.get(username="admin")
    rows = data.count(b"\n") - 1
    print(
        f"Importing households.csv: {len(data) / 2**20:.1f} MiB, {rows:,} member rows, "
        f"{planted:,} planted errors",
        flush=True,
    )

    def progress(done, total):
        if done == total or done % (total // 10 or 1) < 1000:
            print(
                f"  {done:,} / {total:,} households, {time.perf_counter() - start:.1f} s",
                file=sys.stderr,
                flush=True,
            )

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    result = import_households(by=admin, data=data, filename="households.csv", progress=progress)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB (Linux)
    if profiler:
        import pstats

        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)

    from django.db import connections

    connections.close_all()
    raw = (
        raw_sqlite(data, tmp / "raw.sqlite3")
        if args.database == "sqlite"
        else raw_postgres(data, url)
    )
    n, m = result["households"], result["members"]
    print(
        f"\nImported: {n:,} households, {m:,} members; rejected {result['rejected']:,} "
        f"households ({len(result['errors']):,} problems); unchanged {result['unchanged']:,}"
    )
    print(
        f"Import:   {seconds:.1f} s = {n / seconds:,.0f} households/s, "
        f"{m / seconds:,.0f} members/s; peak RSS {peak:,.0f} MiB"
    )
    print(
        f"Raw load: {raw:.2f} s ({'executemany' if args.database == 'sqlite' else 'COPY'}, "
        f"no validation); import / raw = {seconds / raw:.1f}x"
    )
    load = os.getloadavg()[0]
    print(
        f"\nSUMMARY: {args.households:,} households ({rows:,} rows) on {args.database}: "
        f"import {seconds:.1f} s ({n / seconds:,.0f} households/s, {m / seconds:,.0f} "
        f"members/s, {result['rejected']:,} rejected), raw {raw:.1f} s, "
        f"ratio {seconds / raw:.1f}x, peak RSS {peak:,.0f} MiB "
        f"[{os.cpu_count()} CPUs, load {load:.1f}; {GOAL}]"
    )
    env = "DATABASE_URL=postgres://USER@HOST:PORT/DB " if args.database == "postgres" else ""
    print(
        f"Reproduce: {env}.venv/bin/python -m bench.registry_import "
        f"--households {args.households} --database {args.database} --seed {args.seed}"
        + (" --profile" if args.profile else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, required=True, metavar="N")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep-csv",
        type=Path,
        metavar="DIR",
        help="keep the generated CSV under DIR and reuse it on later runs with "
        "the same N and seed (a million households take minutes to make)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run the import under cProfile and print the top functions",
    )
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
        run(args, tmp, url)
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            postgres_drop(server, name)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
