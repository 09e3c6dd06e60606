"""Benchmark: import 100,000 survey respondents x 20 issues from a canonical CSV into SQLite.

Targets: <= 10 s, and <= 3x a floor measured in the same run on the same file. The floor is the
least any importer must do: pandas ``read_csv`` of the file, then a raw ``sqlite3`` ``executemany``
of the same answer rows (respondent, issue, problem, effect; blanks skipped) into a plain table in a
new file with the same journal settings. rpdesk adds on top: decoding checks, per-cell validation
with every problem collected, the respondents table, id look-ups, the import batch and change log,
all in one transaction.

Run: ``.venv/bin/python tests/benchmarks/bench_import.py [--respondents 100000] [--issues 20]``
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from rpdesk.db.database import open_database  # noqa: E402
from rpdesk.db.models import Issue, SurveyAnswer  # noqa: E402
from rpdesk.domain.vocabulary import IssueKind  # noqa: E402
from rpdesk.services.imports import import_surveys  # noqa: E402
from rpdesk.services.wards import add_ward  # noqa: E402

WARD = "E05000001"
LABELS = ["Not a problem at all", "Not a very big problem", "A fairly big problem", "A very big problem"]


def write_survey(path: Path, respondents: int, codes: list[str], seed: int = 1) -> None:
    """A canonical-layout file: digits mostly, some labels, about 4% blanks, confidence items."""
    rng = random.Random(seed)
    header = ["respondent", "date", "street", "age_band"]
    for code in codes:
        header += [f"{code}_problem", f"{code}_effect"]
    header += ["conf_good_job", "conf_understand", "conf_dealing", "safe_after_dark", "knows_contact", "comments"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for i in range(respondents):
            row = [f"R{i:06d}", f"2026-09-{1 + i % 28:02d}", "High Street", "25-34"]
            for _ in codes:
                if rng.random() < 0.04:
                    row += ["", ""]
                    continue
                score = rng.choice((0, 0, 1, 1, 2, 3))
                row += [LABELS[score] if rng.random() < 0.1 else str(score), "yes" if rng.random() < 0.3 else "no"]
            row += [
                str(rng.randint(1, 5)),
                str(rng.randint(1, 5)),
                str(rng.randint(1, 5)),
                str(rng.randint(1, 4)),
                rng.choice(("yes", "no")),
                "",
            ]
            out.writerow(row)


def floor(path: Path, codes: list[str], work: Path) -> tuple[float, float, int]:
    """pandas read_csv + raw sqlite3 executemany of the answer rows into the same table; (seconds, rows).

    The table is rpdesk's own ``survey_answer`` (same primary key, index and CHECK) in a freshly
    migrated file, written respondent by respondent like rpdesk does; sqlite3 leaves foreign keys
    unchecked, so the floor is a little cheaper than any real import can be.
    """
    open_database(f"sqlite:///{work / 'floor.sqlite'}").dispose()
    start, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    con = sqlite3.connect(work / "floor.sqlite")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    score = {str(n): n for n in range(4)} | {label: n for n, label in enumerate(LABELS)}
    columns = [(frame[f"{c}_problem"].tolist(), frame[f"{c}_effect"].tolist()) for c in codes]
    batch = [
        (i, issue_id, score.get(problems[i]), effects[i] == "yes")
        for i in range(len(frame))
        for issue_id, (problems, effects) in enumerate(columns, 1)
        if problems[i] or effects[i]
    ]
    with con:
        con.executemany("INSERT INTO survey_answer (response_id, issue_id, problem, effect) VALUES (?, ?, ?, ?)", batch)
    con.close()
    return time.perf_counter() - start, time.process_time() - cpu, len(batch)


def rpdesk_import(path: Path, codes: list[str], work: Path) -> tuple[float, float, int]:
    db = open_database(f"sqlite:///{work / 'rpdesk.sqlite'}")
    with db.session() as s:
        add_ward(s, WARD, "Bench Ward")
        have = set(s.scalars(select(Issue.code)))
        for code in codes:
            if code not in have:
                s.add(Issue(code=code, label=code, kind=IssueKind.SOCIAL))
    start, cpu = time.perf_counter(), time.process_time()
    with db.session() as s:
        import_surveys(s, path, WARD, "Bench round")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    with db.session() as s:
        rows = s.scalar(select(func.count()).select_from(SurveyAnswer)) or 0
    db.dispose()
    return seconds, cpu, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--issues", type=int, default=20)
    args = parser.parse_args()
    from rpdesk.domain.catalogue import DEFAULT_ISSUES

    codes = [i.code for i in DEFAULT_ISSUES][: args.issues]
    codes += [f"bench_issue_{k}" for k in range(args.issues - len(codes))]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "survey.csv"
        write_survey(path, args.respondents, codes)
        size = path.stat().st_size / 1e6
        load = os.getloadavg()[0]
        floor_s, floor_cpu, floor_rows = floor(path, codes, work)
        ours_s, ours_cpu, ours_rows = rpdesk_import(path, codes, work)
    assert ours_rows == floor_rows, (ours_rows, floor_rows)
    ratio = ours_s / floor_s
    print(
        f"### Survey import: {args.respondents:,} respondents x {args.issues} issues "
        f"({size:.0f} MB CSV, {ours_rows:,} answer rows), SQLite\n"
    )
    print("| step | wall s | CPU s | target |")
    print("|---|---:|---:|---|")
    print(f"| floor: pandas read_csv + sqlite3 executemany of the answers | {floor_s:.2f} | {floor_cpu:.2f} | |")
    print(f"| rpdesk import_surveys (checked, one transaction) | {ours_s:.2f} | {ours_cpu:.2f} | <= 10 s |")
    print(f"| ratio rpdesk / floor | {ratio:.2f}x | {ours_cpu / floor_cpu:.2f}x | <= 3x |")
    print(f"\nLoad average at the start: {load:.1f} on {os.cpu_count()} cores (CPU s is this process alone).")
    ok = ours_s <= 10 and ratio <= 3
    print(f"\n{'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
