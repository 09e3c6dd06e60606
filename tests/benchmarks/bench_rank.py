"""Benchmark: rank one ward-period with 5,000 respondents, on SQLite and on PostgreSQL.

The database holds a force-sized slice: 20 wards, each with 8 survey rounds (one of them, the ranked
one, of 5,000 respondents; the others 1,000), every catalogue issue answered, two years of EVA
findings and police.uk rows. Timed: ``rank_signals`` for the big round (gathering, ranking,
explanations), best and median of 60 runs taken in turns with the floor after a warm-up.
Target: <= 50 ms on each backend.

The floor, in the same run and database, is the one query no ranking can skip: the per-issue
answer counts of that round (``COUNT``/``SUM ... GROUP BY issue_id`` joined to the responses, with
the round's id range given so that PostgreSQL reads the primary key rather than the whole table),
sent as raw SQL through the driver with the id range known in advance.

Run: ``.venv/bin/python tests/benchmarks/bench_rank.py [--respondents 5000] [--no-postgres]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

from rpdesk.db import models as m  # noqa: E402
from rpdesk.db.bulk import bulk_insert  # noqa: E402
from rpdesk.db.database import Database, open_database  # noqa: E402
from rpdesk.domain.catalogue import POLICE_UK_CRIME_TYPES  # noqa: E402
from rpdesk.services.signals import rank_signals  # noqa: E402
from rpdesk.services.wards import add_ward  # noqa: E402
from rpdesk.settings import Settings  # noqa: E402

SETTINGS = Settings.with_values(
    {
        "weight_prevalence": 1.0,
        "weight_effect": 1.0,
        "weight_audit": 0.5,
        "weight_recorded": 0.5,
        "small_sample": 30,
        "priorities_top_n": 3,
    }
)
WARDS, ROUNDS, OTHER_ROUND = 20, 8, 1_000
RANKED_WARD, RANKED_ROUND = "E05000001", "Round 8"
FLOOR_SQL = (
    "SELECT a.issue_id, COUNT(a.problem), SUM(CASE WHEN a.problem >= 2 THEN 1 ELSE 0 END), SUM(a.problem), "
    "COUNT(a.effect), SUM(CASE WHEN a.effect THEN 1 ELSE 0 END) FROM survey_answer a "
    "JOIN survey_response r ON r.id = a.response_id WHERE r.round_id = :round AND a.response_id BETWEEN :low AND :high "
    "GROUP BY a.issue_id"
)


def populate(db: Database, respondents: int, seed: int = 3) -> int:
    """The slice described in the module docstring; returns the ranked round's id."""
    rng = random.Random(seed)
    with db.session() as s:
        issues = s.execute(select(m.Issue.id, m.Issue.code)).all()
        ranked_id = 0
        response_id = 0
        for w in range(WARDS):
            code = f"E05{w + 1:06d}"
            ward_id = add_ward(s, code, f"Ward {w + 1}", lsoas=[f"E01{w * 10 + k:06d}" for k in range(5)]).id
            for k in range(ROUNDS):
                start = dt.date(2025, 1, 1) + dt.timedelta(days=90 * k)
                rnd = m.SurveyRound(
                    ward_id=ward_id, name=f"Round {k + 1}", start_date=start, end_date=start + dt.timedelta(days=41)
                )
                s.add(rnd)
                s.flush()
                n = respondents if (code == RANKED_WARD and k == ROUNDS - 1) else OTHER_ROUND
                if n == respondents:
                    ranked_id = rnd.id
                first = response_id + 1
                rows = [(response_id + i + 1, rnd.id, f"R{i}", start + dt.timedelta(days=i % 42)) for i in range(n)]
                response_id += n
                bulk_insert(s, m.SurveyResponse, ("id", "round_id", "respondent", "date"), rows)
                bulk_insert(
                    s,
                    m.SurveyAnswer,
                    ("response_id", "issue_id", "problem", "effect"),
                    (
                        (rid, iid, rng.choice((0, 1, 1, 2, 3)), rng.random() < 0.3)
                        for rid in range(first, first + n)
                        for iid, _ in issues
                        if rng.random() > 0.04
                    ),
                )
            for month in range(24):
                day = dt.date(2025, 1, 1) + dt.timedelta(days=30 * month)
                visit = m.AuditVisit(ward_id=ward_id, date=day, auditors="PC 1")
                visit.observations = [
                    m.AuditObservation(
                        issue_id=rng.choice(issues)[0],
                        location="X",
                        severity=rng.randint(1, 5),
                        count=rng.randint(1, 3),
                    )
                    for _ in range(6)
                ]
                s.add(visit)
                bulk_insert(
                    s,
                    m.CrimeRecord,
                    ("ward_id", "month", "crime_type", "lsoa_code"),
                    [
                        (ward_id, day.replace(day=1), rng.choice(POLICE_UK_CRIME_TYPES), f"E01{w * 10:06d}")
                        for _ in range(60)
                    ],
                )
        if db.url.get_backend_name() == "postgresql":
            s.execute(text("SELECT setval('survey_response_id_seq', :n)"), {"n": response_id})
    if db.url.get_backend_name() == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as con:
            con.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as con:
            con.exec_driver_sql("ANALYZE")
    return ranked_id


def timed(fns: dict[str, Callable[[], Any]], runs: int = 60) -> dict[str, tuple[float, float, float]]:
    """Per function: (best wall, median wall, best CPU of this process) in ms; CPU excludes a server's work.

    The functions run in turns, so that on a shared machine each sees the same passing load.
    """
    for fn in fns.values():
        fn()  # warm-up: caches, prepared plans
    walls: dict[str, list[float]] = {k: [] for k in fns}
    cpus: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start, cpu = time.perf_counter(), time.process_time()
            fn()
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(time.process_time() - cpu)
    return {k: (min(walls[k]) * 1000, statistics.median(walls[k]) * 1000, min(cpus[k]) * 1000) for k in fns}


def measure(db: Database, round_id: int) -> dict[str, tuple[float, float, float]]:
    def ours() -> None:
        with db.session() as s:
            ranking = rank_signals(s, RANKED_WARD, round_name=RANKED_ROUND, settings=SETTINGS)
        assert ranking.respondents > 0

    with db.engine.connect() as con:
        low, high = con.execute(
            text("SELECT min(id), max(id) FROM survey_response WHERE round_id = :round"), {"round": round_id}
        ).one()

    def floor() -> None:
        with db.engine.connect() as con:
            con.execute(text(FLOOR_SQL), {"round": round_id, "low": low, "high": high}).all()

    return timed({"floor": floor, "rpdesk": ours})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=5_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    results: dict[str, dict[str, tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'rank.sqlite'}")
        results["SQLite"] = measure(db, populate(db, args.respondents))
        db.dispose()
    if not args.no_postgres:
        from tests.support.postgres import PostgresServer

        server = PostgresServer.start()
        try:
            from sqlalchemy import create_engine

            admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as con:
                con.execute(text('CREATE DATABASE "rank"'))
            admin.dispose()
            db = open_database(server.url("rank"))
            results["PostgreSQL"] = measure(db, populate(db, args.respondents))
            db.dispose()
        finally:
            server.stop()
    print(
        f"### Ranking one ward-period of {args.respondents:,} respondents "
        f"({WARDS} wards x {ROUNDS} rounds in the database)\n"
    )
    print(
        "| backend | floor: raw GROUP BY, ms (best / median wall, best CPU) | rank_signals, ms (same) "
        "| ratio (best wall) | target |"
    )
    print("|---|---:|---:|---:|---|")
    ok = True
    for backend, r in results.items():
        (fb, fm, fc), (ob, om, oc) = r["floor"], r["rpdesk"]
        ok = ok and ob <= 50
        print(
            f"| {backend} | {fb:.1f} / {fm:.1f} / {fc:.1f} | {ob:.1f} / {om:.1f} / {oc:.1f} | {ob / fb:.2f}x "
            "| <= 50 ms |"
        )
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")
    print(f"\n{'PASS' if ok else 'FAIL'} (best wall time)")


if __name__ == "__main__":
    main()
