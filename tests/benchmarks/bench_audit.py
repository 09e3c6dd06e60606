"""Benchmark: what logging a consultation (DPA 2018 s.62) adds to a page open or a command.

A page shown for a ward, or a command that reads one, first appends one entry to the hash-chained
log in a short write transaction of its own (:func:`rpdesk.services.audit.consulted`). Measured on
an SQLite file (WAL, synchronous=NORMAL, as rpdesk opens it) holding one demo ward, with its log as
the demo leaves it and again after 100,000 more entries (the cost must not grow with the log: the
chain head is one row).

Floor, measured in the same run: the smallest unit of work a page open makes, a read transaction
of one query. Target: a consultation adds at most 5 ms (median) to a page open.

Run: ``.venv/bin/python tests/benchmarks/bench_audit.py [--runs 300]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _times(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds, of ``runs`` calls (after 10 warm-up calls)."""
    for _ in range(10):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    from sqlalchemy import func, select

    from rpdesk.db.changelog import Activity, append
    from rpdesk.db.database import open_database
    from rpdesk.db.models import ChangeLog, Ward
    from rpdesk.demo import build_demo
    from rpdesk.services import audit

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        build_demo(db, wards=1, years=1, seed=7, today=dt.date(2026, 10, 31))
        with db.session() as s:
            code = s.scalar(select(Ward.code))

        def floor() -> None:
            with db.session() as s:
                s.scalar(select(Ward.id).where(Ward.code == code))

        def consult() -> None:
            audit.consulted(db, code, {"channel": "gui", "page": "Partner actions"})

        results = {}
        for label in ("demo log", "+100,000 entries"):
            if label != "demo log":
                with db.session() as s:
                    entry = {"activity": Activity.CONSULTATION, "table_name": "ward", "operation": "read"}
                    append(s.connection(), [{**entry, "changes": {"n": i}} for i in range(100_000)])
            with db.session() as s:
                held = s.scalar(select(func.count()).select_from(ChangeLog))
            results[label] = (held, _times(floor, args.runs), _times(consult, args.runs))
        with db.session() as s:
            t0 = time.perf_counter()
            verdict = audit.verify(s)
            verify_s = time.perf_counter() - t0
        db.dispose()

    for label, (held, (f_med, f_p95), (c_med, c_p95)) in results.items():
        print(
            f"{label} ({held:,} entries): floor read transaction {f_med:.2f} ms (p95 {f_p95:.2f}); "
            f"consultation logged {c_med:.2f} ms (p95 {c_p95:.2f})"
        )
    print(f"audit verify: {verdict.checked:,} entries in {verify_s:.2f} s ({'intact' if verdict.ok else 'BROKEN'})")


if __name__ == "__main__":
    main()
