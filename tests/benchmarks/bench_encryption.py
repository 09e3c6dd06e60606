"""Benchmark: what encryption at rest (SQLCipher) costs against plain SQLite, on the same data in the same run.

Two new databases, one plain (the floor) and one encrypted, each receive the same survey file
(``--respondents`` (20,000) respondents x 20 issues, the canonical layout of ``bench_import``)
through the same ``import_surveys``; then the imported round is ranked (``rank_signals``, best and
median of 30, taken in turns). Also timed: opening each database (``open_database`` and a first
query, best of 5) as a program start does, so with the page key derived from the passphrase
(PBKDF2-HMAC-SHA512, 256,000 iterations; rpdesk caches it for the rest of the process, and the
cache is cleared before each open here). Every step is checked to give the same result on both.

Run: ``.venv/bin/python tests/benchmarks/bench_encryption.py [--respondents 20000]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from rpdesk.db.database import Database, open_database  # noqa: E402
from rpdesk.db.encryption import page_key  # noqa: E402
from rpdesk.db.models import SurveyAnswer  # noqa: E402
from rpdesk.domain.catalogue import DEFAULT_ISSUES  # noqa: E402
from rpdesk.services.imports import import_surveys  # noqa: E402
from rpdesk.services.signals import rank_signals  # noqa: E402
from rpdesk.services.wards import add_ward  # noqa: E402
from rpdesk.settings import Settings  # noqa: E402
from tests.benchmarks.bench_import import WARD, write_survey  # noqa: E402

KEY = "a passphrase of the usual kind"
ROUND = "Bench round"
RANK_RUNS, OPEN_RUNS = 30, 5


def new_database(path: Path, key: str | None) -> Database:
    db = open_database(f"sqlite:///{path}", key=key, encrypt=key is not None)
    with db.session() as s:
        add_ward(s, WARD, "Bench Ward")
    return db


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def import_into(db: Database, survey: Path) -> tuple[float, int]:
    def run() -> int:
        with db.session() as s:
            import_surveys(s, survey, WARD, ROUND)
        with db.session() as s:
            return s.scalar(select(func.count()).select_from(SurveyAnswer)) or 0

    return timed(run)


def rank(db: Database, settings: Settings) -> Any:
    with db.session() as s:
        ranking = rank_signals(s, WARD, round_name=ROUND, settings=settings)
        return [(r.issue, round(r.score, 9)) for r in ranking.signals]


def reopen(path: Path, key: str | None) -> None:
    page_key.cache_clear()  # as in a new process
    db = open_database(f"sqlite:///{path}", key=key, create=False)
    with db.session() as s:
        s.scalar(select(func.count()).select_from(SurveyAnswer))
    db.dispose()


def row(step: str, floor: float, ours: float, unit: str = "s") -> str:
    scale, fmt = (1000, ".1f") if unit == "ms" else (1, ".2f")
    return f"| {step} | {floor * scale:{fmt}} | {ours * scale:{fmt}} | {ours / floor:.2f}x |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=20_000)
    args = parser.parse_args()
    codes = [i.code for i in DEFAULT_ISSUES][:20]
    settings = Settings.load()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        survey = work / "survey.csv"
        write_survey(survey, args.respondents, codes)
        plain_path, locked_path = work / "plain.sqlite", work / "locked.sqlite"
        plain, locked = new_database(plain_path, None), new_database(locked_path, KEY)
        plain_import, plain_rows = import_into(plain, survey)
        locked_import, locked_rows = import_into(locked, survey)
        assert plain_rows == locked_rows, (plain_rows, locked_rows)
        plain_ranks: list[float] = []
        locked_ranks: list[float] = []
        expected = rank(plain, settings)
        assert rank(locked, settings) == expected  # the same ranking from the same data
        for _ in range(RANK_RUNS):
            plain_ranks.append(timed(lambda: rank(plain, settings))[0])
            locked_ranks.append(timed(lambda: rank(locked, settings))[0])
        plain.dispose()
        locked.dispose()
        assert b"Bench Ward" in plain_path.read_bytes() and b"Bench Ward" not in locked_path.read_bytes()
        plain_opens = [timed(lambda: reopen(plain_path, None))[0] for _ in range(OPEN_RUNS)]
        locked_opens = [timed(lambda: reopen(locked_path, KEY))[0] for _ in range(OPEN_RUNS)]
        sizes = plain_path.stat().st_size / 1e6, locked_path.stat().st_size / 1e6
    print(
        f"### Encryption at rest: {args.respondents:,} respondents x {len(codes)} issues "
        f"({plain_rows:,} answer rows), plain SQLite (floor) against SQLCipher, same run\n"
    )
    print("| step | plain SQLite (floor) | SQLCipher | ratio |")
    print("|---|---:|---:|---:|")
    print(row("import_surveys, one transaction (s)", plain_import, locked_import))
    print(row("rank_signals, best of 30 (ms)", min(plain_ranks), min(locked_ranks), "ms"))
    print(row("rank_signals, median of 30 (ms)", statistics.median(plain_ranks), statistics.median(locked_ranks), "ms"))
    print(row("open_database + first query, best of 5 (ms)", min(plain_opens), min(locked_opens), "ms"))
    print(f"| file size (MB) | {sizes[0]:.1f} | {sizes[1]:.1f} | {sizes[1] / sizes[0]:.2f}x |")
    print(f"\nLoad average at the start: {load:.1f} on {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
