"""Benchmark: ring-fence figures at force scale on SQLite and PostgreSQL.

Force scale: 650 wards, 2,000 officers, 5 years of daily duty records (about 3.65 million officer-days
and 10% of rostered days abstracted), written straight into the tables with ``bulk_insert`` rather than
the demo generator. Timed (best of several runs, after one warm-up):

- the supervisor view for one month across every ward (target <= 2 s);
- one ward's officers for that month (``summary(ward=...)``, target <= 100 ms);
- the monthly abstraction return for that month (rows only, no file).

The floor, measured in the same run on the same data, is the database alone answering the core
question: one raw SQL ``SUM ... GROUP BY officer, ward`` of rostered hours over the same month (for
all wards, and for the one ward). The ratio says what rpdesk adds on top of the engine (the second
query for abstracted hours, officer and posting look-ups, Python objects).

Run: ``.venv/bin/python tests/benchmarks/bench_abstractions.py [--wards 650] [--officers 2000] [--years 5]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rpdesk.db.bulk import bulk_insert  # noqa: E402
from rpdesk.db.database import Database, open_database  # noqa: E402
from rpdesk.db.models import Abstraction, DutyRecord, Officer, Posting, Ward  # noqa: E402
from rpdesk.domain.vocabulary import AbstractionReason  # noqa: E402
from rpdesk.services import abstractions  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402

END = dt.date(2026, 10, 31)
MONTH = dt.date(2026, 6, 1)
MONTH_END = dt.date(2026, 6, 30)
REASONS = [r.value for r in AbstractionReason]
WEIGHTS = [30, 6, 8, 6, 8, 5, 7, 2, 12, 8, 4, 4]


def generate(db: Database, wards: int, officers: int, years: int, seed: int = 1) -> tuple[int, int]:
    """Wards, officers posted one to a ward team, and every officer-day of ``years`` years; returns row counts."""
    rng = random.Random(seed)
    start = END - dt.timedelta(days=round(365.25 * years) - 1)
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range((END - start).days + 1)]
    taken: list[tuple[Any, ...]] = []

    def duty_rows() -> Iterator[tuple[Any, ...]]:
        duty_id = 0
        for officer in range(1, officers + 1):
            ward = (officer - 1) % wards + 1
            offset = rng.randrange(7)
            pressure = rng.uniform(0.02, 0.25)
            hours = rng.choice((8.0, 10.0))
            for d, day in enumerate(days):
                duty_id += 1
                if (d + offset) % 7 in (5, 6):
                    yield (duty_id, officer, ward, day, 0.0, "rest_day", 1)
                    continue
                if rng.random() < 0.06:
                    yield (duty_id, officer, ward, day, 0.0, "annual_leave", 1)
                    continue
                yield (duty_id, officer, ward, day, hours, None, 1)
                if rng.random() < pressure:
                    reason = rng.choices(REASONS, WEIGHTS)[0]
                    taken.append((duty_id, float(rng.randint(2, int(hours))), reason, "PS Bench", None, 1))

    with db.session() as s:
        bulk_insert(
            s,
            Ward,
            ("id", "code", "name", "neighbourhood", "language", "created_at", "version"),
            (
                (w, f"E05{900000 + w:06d}", f"Ward {w}", f"Team {(w - 1) // 3 + 1}", "en", dt.datetime(2026, 1, 1), 1)
                for w in range(1, wards + 1)
            ),
        )
        bulk_insert(
            s,
            Officer,
            ("id", "collar", "name", "role", "ring_fenced", "version"),
            ((o, f"PC{o:05d}", f"Officer {o}", "PC", True, 1) for o in range(1, officers + 1)),
        )
        bulk_insert(
            s,
            Posting,
            ("officer_id", "ward_id", "team", "start_date", "version"),
            (
                (o, (o - 1) % wards + 1, f"Team {((o - 1) % wards) // 3 + 1}", days[0], 1)
                for o in range(1, officers + 1)
            ),
        )
        n_duty = bulk_insert(
            s,
            DutyRecord,
            ("id", "officer_id", "ward_id", "date", "rostered_hours", "absence", "version"),
            duty_rows(),
        )
        n_taken = bulk_insert(s, Abstraction, ("duty_id", "hours", "reason", "authorised_by", "note", "version"), taken)
    with db.engine.begin() as con:
        con.exec_driver_sql("ANALYZE")
    return n_duty, n_taken


def best(fn: Callable[[], Any], runs: int = 5) -> float:
    """Best wall time of ``runs`` calls after one warm-up (the first call fills the OS and database caches)."""
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def _ms(seconds: float) -> str:
    """Milliseconds with a decimal below 10 ms, where a rounded 0 would hide the floor."""
    ms = seconds * 1000
    return f"{ms:.1f} ms" if ms < 10 else f"{ms:.0f} ms"


def floor_query(db: Database, ward_id: int | None) -> Callable[[], Any]:
    where = " AND ward_id = :ward" if ward_id is not None else ""
    sql = text(
        "SELECT officer_id, ward_id, SUM(rostered_hours) FROM duty_record "
        f"WHERE date >= :start AND date <= :end AND absence IS NULL{where} GROUP BY officer_id, ward_id"
    )
    params = {"start": MONTH, "end": MONTH_END, "ward": ward_id}
    if db.is_sqlite:
        params = {**params, "start": MONTH.isoformat(), "end": MONTH_END.isoformat()}

    def run() -> Any:
        with db.engine.connect() as con:
            return con.execute(sql, params).all()

    return run


def measure(db: Database, label: str) -> list[tuple[str, str, float, float, float | None]]:
    ward_code = "E05900001"
    results: list[tuple[str, str, float, float, float | None]] = []

    def supervisor() -> Any:
        with db.session() as s:
            view = abstractions.supervisor_view(s, MONTH, MONTH_END, target=0.8)
            assert len(view.wards) > 0
            return view

    def one_ward() -> Any:
        with db.session() as s:
            return abstractions.summary(s, ward=ward_code, start=MONTH, end=MONTH_END, target=0.8)

    def monthly_return() -> Any:
        with db.session() as s:
            return abstractions.monthly_return(s, MONTH, target=0.8)

    all_floor = best(floor_query(db, None))
    ward_floor = best(floor_query(db, 1))
    results.append((label, "supervisor view, one month, all wards", best(supervisor), all_floor, 2.0))
    results.append((label, "one ward's officers, one month", best(one_ward), ward_floor, 0.1))
    results.append((label, "monthly return rows, all wards", best(monthly_return, 3), all_floor, None))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wards", type=int, default=650)
    parser.add_argument("--officers", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str, float, float, float | None]] = []
    loads: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = tmp
        os.environ["XDG_CONFIG_HOME"] = tmp
        backends: list[tuple[str, Callable[[], str]]] = [("SQLite", lambda: f"sqlite:///{Path(tmp) / 'force.sqlite'}")]
        server: PostgresServer | None = None
        if not args.skip_postgres:
            server = PostgresServer.start()

            def pg_url() -> str:
                assert server is not None
                engine = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
                with engine.connect() as con:
                    con.execute(text("CREATE DATABASE bench"))
                engine.dispose()
                return server.url("bench")

            backends.append(("PostgreSQL", pg_url))
        try:
            for label, url in backends:
                db = open_database(url())
                started = time.perf_counter()
                n_duty, n_taken = generate(db, args.wards, args.officers, args.years)
                loads.append(
                    f"{label}: {n_duty:,} duty rows, {n_taken:,} abstractions loaded in "
                    f"{time.perf_counter() - started:.0f} s"
                )
                rows.extend(measure(db, label))
                db.dispose()
        finally:
            if server is not None:
                server.stop()
    print(f"{args.wards} wards, {args.officers} officers, {args.years} years of daily duty; month {MONTH:%Y-%m}\n")
    for line in loads:
        print(f"- {line}")
    print("\n| backend | task | time | floor (one raw SUM … GROUP BY) | ratio | target |")
    print("|---|---|---|---|---|---|")
    for backend, task, seconds, floor, target in rows:
        goal = f"≤ {target * 1000:.0f} ms" if target is not None else "—"
        ratio = seconds / floor
        print(f"| {backend} | {task} | {_ms(seconds)} | {_ms(floor)} | {ratio:.1f}× | {goal} |")


if __name__ == "__main__":
    main()
