"""Benchmark: ``rpdesk-cli demo --wards 50 --years 5`` on SQLite and PostgreSQL.

Measures wall time, database size and the peak memory of the demo process. The floor, measured in
the same run, is the database engine alone writing the same rows: every table of the finished demo
copied into an empty database by ``INSERT ... SELECT`` (no Python per row). The ratio says how much
the generator adds on top of the storage engine.

Run: ``.venv/bin/python tests/benchmarks/bench_demo.py [--wards 50] [--years 5]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rpdesk.db.models import Base  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402

TABLES = [t.name for t in Base.metadata.sorted_tables]


def run_demo(url: str, wards: int, years: int) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of a demo run in its own process."""
    args = ["demo", "--db", url, "--wards", str(wards), "--years", str(years), "--seed", "1", "--today", "2026-10-31"]
    code = (
        "import resource, sys\n"
        "from rpdesk.cli import main\n"
        f"rc = main({args!r})\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, int(result.stderr.strip().splitlines()[-1]) / 1024


def sqlite_floor(path: Path) -> float:
    """The engine copying every table of the demo into an empty copy of the schema."""
    target = path.with_name("floor.sqlite")
    engine = create_engine(f"sqlite:///{target}")
    Base.metadata.create_all(engine)  # the bare tables: no seeded catalogue, no triggers to slow the copy
    started = time.perf_counter()
    with engine.begin() as con:
        con.exec_driver_sql("PRAGMA foreign_keys=OFF")
        con.exec_driver_sql(f"ATTACH DATABASE '{path}' AS src")
        for table in Base.metadata.sorted_tables:  # by name: migrations add columns in another order
            cols = ", ".join(f'"{c.name}"' for c in table.columns)
            con.exec_driver_sql(f'INSERT INTO main."{table.name}" ({cols}) SELECT {cols} FROM src."{table.name}"')
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def postgres_floor(url: str) -> float:
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as con:
        for table in TABLES:
            con.execute(text(f'CREATE TABLE "floor_{table}" AS SELECT * FROM "{table}"'))
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def postgres_size(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as con:
        size = int(con.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    engine.dispose()
    return size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wards", type=int, default=50)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = tmp
        path = Path(tmp) / "demo.sqlite"
        seconds, peak = run_demo(f"sqlite:///{path}", args.wards, args.years)
        floor = sqlite_floor(path)
        size = sum(p.stat().st_size for p in path.parent.glob("demo.sqlite*"))
        rows.append(("SQLite", seconds, floor, size, peak))
        server = PostgresServer.start()
        try:
            engine = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
            with engine.connect() as con:
                con.execute(text("CREATE DATABASE bench"))
            engine.dispose()
            url = server.url("bench")
            seconds, peak = run_demo(url, args.wards, args.years)
            size = postgres_size(url)
            floor = postgres_floor(url)
            rows.append(("PostgreSQL", seconds, floor, size, peak))
        finally:
            server.stop()
    print(f"demo --wards {args.wards} --years {args.years}\n")
    print("| backend | demo time | floor (engine copies the same rows) | ratio | database size | peak memory |")
    print("|---|---|---|---|---|---|")
    for backend, seconds, floor, size, peak in rows:
        print(
            f"| {backend} | {seconds:.1f} s | {floor:.1f} s | {seconds / floor:.1f}× | {size / 2**20:.0f} MiB "
            f"| {peak:.0f} MiB |"
        )


if __name__ == "__main__":
    main()
