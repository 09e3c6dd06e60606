"""A whole-app read leaves the data as it was: every page opened, every read command run.

Reading must never write, not even a cached figure: a change-log row nobody made is a false record
of who did what. The one trace a read leaves is the one the law asks for: a *consultation* entry in
the s.62 log (DPA 2018 Part 3), with the log's head. So every table but the log is compared row for
row, and every log entry added must be a consultation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rpdesk.db.database import open_database
from rpdesk.services.expectations import set_expected
from rpdesk.services.signals import list_rounds
from rpdesk.services.wards import list_wards
from tests.e2e.conftest import run_cli

MONTH_START, MONTH_END = "2026-09-01", "2026-09-30"


LOG_TABLES = ("change_log", "audit_head")


def _data(path: Path) -> tuple[str, list[str]]:
    """A digest of every row of every table but the s.62 log, and the log's activities after ``seq``."""
    con = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if name not in LOG_TABLES and not name.startswith("sqlite_")
        ]
        digest = hashlib.sha256()
        for table in tables:
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{table}"'))
            digest.update(f"{table}:{len(rows)}:{'|'.join(rows)}".encode())
        activities = [a for (a,) in con.execute("SELECT activity FROM change_log ORDER BY seq")]
    finally:
        con.close()
    return digest.hexdigest(), activities


def _unchanged_but_consultations(path: Path, before: tuple[str, list[str]], what: str) -> None:
    digest, activities = _data(path)
    assert digest == before[0], f"{what} wrote to the database"
    added = activities[len(before[1]) :]
    assert activities[: len(before[1])] == before[1] and set(added) <= {"consultation"}, f"{what} logged {added}"


def _read_commands(ward: str, round_name: str) -> list[tuple[str, ...]]:
    scope = ("--ward", ward, "--round", round_name)
    period = ("--from", MONTH_START, "--to", MONTH_END)
    return [
        ("wards", "list"),
        ("signals", *scope),
        ("signals", "--ward", ward, *period),
        ("signals", "--all-wards"),
        ("signals", "snapshots", "--ward", ward),
        ("priorities", "list", "--ward", ward, "--all"),
        ("priorities", "list", "--ward", ward, "--passed-over"),
        ("priorities", "assess", "--ward", ward),
        ("expected", "list", "--ward", ward),
        ("expected", "compare", *scope),
        ("confidence", "--ward", ward),
        ("status", "--ward", ward, "--as-at", MONTH_END),
        ("actions", "list", "--ward", ward),
        ("actions", "we-did", "--ward", ward),
        ("abstractions", "summary", *period),
        ("abstractions", "supervisor", *period),
        ("abstractions", "weekly", "--ward", ward, *period),
        ("abstractions", "list", "--ward", ward, *period),
        ("officers", "list"),
        ("hotspots", "--ward", ward, *period),
        ("places", "list", "--ward", ward),
        ("places", "streets", *scope, "--issue", "litter"),
        ("layers", "list", "--ward", ward),
        ("db", "check"),
    ]


@pytest.fixture
def demo_file(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, path)
    return path


def test_every_page_and_every_read_command_leaves_the_database_unchanged(demo_file, tmp_path):
    url = f"sqlite:///{demo_file}"
    database = open_database(url)
    with database.session() as s:
        ward = list_wards(s)[0].code
        latest = next(r for r in reversed(list_rounds(s, ward)) if r.respondents)
        round_name = latest.name
        # the team's expectation for the period, so the Signals page and the CLI compare with it
        period = (latest.start_date or dt.date(2026, 9, 1), latest.end_date or dt.date(2026, 10, 31))
        set_expected(s, ward, ["litter", "drugs"], period_start=period[0], period_end=period[1])
    database.dispose()
    before = _data(demo_file)

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    shown = subprocess.run(
        [sys.executable, "-m", "rpdesk", "--db", url, "--snapshot", str(tmp_path / "pages")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert shown.returncode == 0, shown.stderr
    assert len(list((tmp_path / "pages").glob("*.png"))) >= 8  # every page was opened and painted
    _unchanged_but_consultations(demo_file, before, "opening the pages")

    for command in _read_commands(ward, round_name):
        result = run_cli("--db", url, *command)
        assert result.returncode == 0, f"{command}: {result.stderr}"
        _unchanged_but_consultations(demo_file, before, f"'rpdesk-cli {' '.join(command)}'")
