"""What the benchmarks share: the aidbridge command and scratch PostgreSQL databases."""

import os
import subprocess
import sys
from pathlib import Path


def aidbridge(*args: str) -> None:
    cli = Path(sys.executable).with_name("aidbridge")
    subprocess.run([str(cli), *args], check=True, stdout=subprocess.DEVNULL)


def postgres_scratch(url: str) -> tuple[str, str]:
    """Create aidbridge_bench_<pid> on the server of ``url``; return (its URL, its name)."""
    import psycopg

    name = f"aidbridge_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _slash, _db = url.partition("?")[0].rpartition("/")
    return f"{base}/{name}", name


def postgres_drop(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
