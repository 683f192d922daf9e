"""Benchmark of screening department data (issue 16 goal: "5 million department records
against a registry of 1 million households in at most 60 s on PostgreSQL").

    .venv/bin/python -m bench.monitoring_screen --households N --records M
                                                [--database sqlite|postgres] [--profile]

1. A scratch database (SQLite in a temp dir, or aidbridge_bench_<pid> on the server of
   DATABASE_URL, dropped at the end): `aidbridge migrate`, `aidbridge demo --households 1`
   (regions and accounts), then N households of 1-6 members written straight into the
   registry's tables (registry/bulk.py; their IDs' digests as the import stores them, a dummy
   cipher): the registry, not timed.
2. A department CSV of M records: 98% of known members (a few of them planted shocks that
   meet the rules), 1% of IDs nobody has, 1% malformed rows, IDs written with dashes and
   spaces now and then.
3. Timed: monitoring.department.screen_file(data=<CSV bytes>), the code path of
   `aidbridge monitoring screen` and of the upload job; then the same file again (a
   re-import, which must create nothing).
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.scratch import aidbridge, postgres_drop, postgres_scratch

GOAL = "goal: 5,000,000 records against 1,000,000 households in <= 60 s on PostgreSQL"
TODAY = date(2026, 6, 30)
EVENTS = [
    ("medical", "out_of_pocket", 0.40),
    ("civil_affairs", "allowance_granted", 0.10),
    ("education", "enrolled", 0.15),
    ("education", "fees", 0.10),
    ("employment", "returned", 0.10),
    ("disaster", "crops_lost", 0.10),
    ("disability", "certificate_changed", 0.01),
    ("civil_affairs", "allowance_stopped", 0.01),
    ("education", "dropout", 0.005),
    ("employment", "job_lost", 0.005),
    ("housing", "unsafe_house", 0.005),
    ("disaster", "house_damaged", 0.005),
]


def resident_id(k: int) -> str:
    """The k-th of 25 million distinct valid IDs."""
    from aidbridge.registry.idcard import generate

    born = date(1940, 1, 1) + timedelta(days=k // 1000)
    return generate(
        region_code="659001",  # a code the demo's households do not use
        birth_date=born,
        sex="male" if (k // 500) % 2 else "female",
        sequence=k % 500,
    )


def load_registry(n: int, rng: random.Random) -> int:
    """N households with 1-6 members each; returns the number of members."""
    from django.db import transaction
    from django.utils import timezone

    from aidbridge.regions.models import Region
    from aidbridge.registry import bulk
    from aidbridge.registry.models import Household, Member
    from aidbridge.registry.privacy import _keys, id_digest

    keys = _keys()
    villages = list(Region.objects.filter(level="village").values_list("pk", "path"))
    now = timezone.now()
    k = 0
    for start in range(0, n, 50_000):
        households, sizes = [], []
        for h in range(start, min(n, start + 50_000)):
            village, path = villages[h % len(villages)]
            size = rng.choice((1, 2, 3, 3, 4, 4, 5, 6))
            sizes.append(size)
            households.append(
                (
                    os.urandom(16).hex(),
                    village,
                    f"B{h:08d}",
                    path,
                    "",
                    "户主",
                    size,
                    "illness",
                    "[]",
                    "lifted",
                    2016,
                    2025,
                    rng.randrange(4000, 30000),
                    2020,
                    now,
                    now,
                )
            )
        columns = (
            "public_id village_id number region_path address head_name size main_cause "
            "secondary_causes status identified_year income_year per_capita_income exit_year "
            "created updated"
        ).split()
        with transaction.atomic():
            ids = bulk.insert_with_ids(Household, columns, households)
            members = []
            for household, size in zip(ids, sizes, strict=True):
                for m in range(size):
                    number = resident_id(k)
                    k += 1
                    members.append(
                        (
                            household,
                            "成员",
                            id_digest(number, keys),
                            b"-",
                            "*" * 16 + number[-2:],
                            "male",
                            date(1980, 1, 1),
                            "head" if m == 0 else "child",
                            "normal",
                            "healthy",
                            None,
                            "primary",
                            True,
                            None,
                            "",
                        )
                    )
            bulk.insert(
                Member,
                (
                    "household_id name id_digest id_cipher id_masked sex birth_date relation "
                    "labour health disability_grade schooling medical_insurance left_on "
                    "left_reason"
                ).split(),
                members,
            )
        print(f"  registry: {start + len(households):,} households", file=sys.stderr, flush=True)
    return k


def department_csv(records: int, members: int, rng: random.Random) -> bytes:
    lines = ["source,resident_id,event,amount_yuan,date,note"]
    names = [(s, e) for s, e, _w in EVENTS]
    weights = [w for _s, _e, w in EVENTS]
    for i in range(records):
        roll = rng.random()
        if roll < 0.01:
            lines.append(f"medical,{resident_id(members + i)},out_of_pocket,120.50,2026-03-01,")
            continue
        if roll < 0.02:
            lines.append("medicine,12345,out_of_pocket,-1,2026-02-30,")
            continue
        number = resident_id(rng.randrange(members))
        if roll < 0.05:
            number = f"{number[:6]}-{number[6:14]} {number[14:].lower()}"
        source, event = rng.choices(names, weights)[0]
        amount = f"{rng.randrange(0, 50000) / 100:.2f}" if rng.random() < 0.9 else ""
        if event in ("out_of_pocket", "fees", "crops_lost") and not amount:
            amount = "10.00"
        on = TODAY - timedelta(days=rng.randrange(0, 500))
        lines.append(f"{source},{number},{event},{amount},{on.isoformat()},")
    return ("\n".join(lines) + "\n").encode()


def run(args, tmp: Path) -> None:
    rng = random.Random(args.seed)
    start = time.perf_counter()
    aidbridge("migrate", "--no-input", "-v", "0")
    aidbridge("demo", "--households", "1", "--seed", "1")
    import django

    django.setup()
    members = load_registry(args.households, rng)
    print(f"Registry: {args.households:,} households, {members:,} members", flush=True)
    data = department_csv(args.records, members, rng)
    print(
        f"Department file: {args.records:,} records, {len(data) / 2**20:.0f} MiB; prepared in "
        f"{time.perf_counter() - start:.0f} s",
        flush=True,
    )
    from django.db import connection

    from aidbridge.monitoring.department import screen_file

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def progress(done, total):
        print(f"  {done:,} / {total:,} rows, {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    result = screen_file(data=data, filename="department.csv", today=TODAY, progress=progress)
    first = time.perf_counter() - t0
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    t0 = time.perf_counter()
    again = screen_file(data=data, filename="department.csv", today=TODAY)
    second = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = ", ".join(f"{k} {v:,}" for k, v in result.items() if k != "errors")
    print(f"\nFirst screening:  {first:.1f} s: {counts}")
    print(
        f"Second screening: {second:.1f} s: new records {again['new_records']:,}, "
        f"leads opened {again['leads_opened']:,}"
    )
    load = os.getloadavg()[0]
    print(
        f"\nSUMMARY: {args.records:,} records against {args.households:,} households on "
        f"{args.database}: {first:.1f} s ({args.records / first:,.0f} records/s), again "
        f"{second:.1f} s; peak RSS {peak:,.0f} MiB [{os.cpu_count()} CPUs, load {load:.1f}; "
        f"{GOAL}]"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, required=True, metavar="N")
    parser.add_argument("--records", type=int, required=True, metavar="M")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
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
        run(args, tmp)
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            postgres_drop(server, name)


if __name__ == "__main__":
    main()
