"""SIGKILL at chosen statements while a database is created, upgraded or imported into.

After each kill the next open must work, nothing may be half-done (counts are those before or after,
never between), and a retry must finish the job without piling up backups.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rpdesk.db import schema
from tests.faults.conftest import SAMPLES, WARD, cli, count, killed_cli, roster_file
from tests.support.schema import OLD_WARD, database_at

KILLED = -9


def test_killed_creation_leaves_nothing_and_the_next_open_creates(tmp_path):
    path = tmp_path / "new.sqlite"
    url = f"sqlite:///{path}"
    killed = killed_cli("CREATE TABLE", 5, "db", "init", "--db", url)
    assert killed.returncode == KILLED, killed.stderr
    assert not path.exists()  # the half-built database never took the real name
    made = cli("db", "init", "--db", url)
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite"]  # the killed build was cleared away
    assert cli("db", "check", "--db", url).returncode == 0


def test_creation_killed_by_an_older_rpdesk_is_redone(tmp_path):
    """Older versions built in place: empty rpdesk tables and no revision are finished, not refused for ever."""
    path = tmp_path / "old-half.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE ward (id INTEGER PRIMARY KEY, code TEXT)")
    con.execute("CREATE TABLE import_batch (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    made = cli("db", "init", "--db", f"sqlite:///{path}")
    assert made.returncode == 0, made.stderr
    assert cli("db", "check", "--db", f"sqlite:///{path}").returncode == 0


def _revision(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize(
    ("pattern", "nth"),
    [("DROP INDEX", 1), ("CREATE (UNIQUE )?INDEX", 2), ("UPDATE alembic_version", 1)],
    ids=["drop-index", "create-index", "revision-update"],
)
def test_killed_upgrade_is_rolled_back_and_a_retry_finishes(tmp_path, pattern, nth):
    path = tmp_path / "old.sqlite"
    database_at(f"sqlite:///{path}", schema.REVISIONS[1], OLD_WARD)
    url = f"sqlite:///{path}"
    for _ in range(2):  # killed twice at the same point: still one backup
        killed = killed_cli(pattern, nth, "db", "upgrade", "--db", url)
        assert killed.returncode == KILLED, killed.stderr
        assert _revision(path) == schema.REVISIONS[1]  # the whole upgrade rolled back, not half of it
    upgraded = cli("db", "upgrade", "--db", url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert _revision(path) == schema.HEAD
    assert [p.name for p in tmp_path.glob("*before*")] == [f"old.before-{schema.HEAD}.sqlite"]
    assert cli("db", "check", "--db", url).returncode == 0
    assert count(url, "ward") == 1


IMPORTS = {
    "crimes": (["import", "crimes", str(SAMPLES / "2026-09-avon-and-somerset-street.csv")], "crime_record"),
    "audits": (["import", "audits", str(SAMPLES / "eva.csv")], "audit_observation"),
    "surveys": (
        ["import", "surveys", str(SAMPLES / "survey_canonical.csv"), "--round", "Autumn 2026"],
        "survey_answer",
    ),
}


@pytest.mark.parametrize("kind", list(IMPORTS))
def test_killed_import_writes_nothing_and_can_be_run_again(ward_url, kind):
    args, table = IMPORTS[kind]
    full = [*args, "--ward", WARD, "--db", ward_url]
    killed = killed_cli("INSERT INTO change_log", 1, *full)  # the last statement before the commit
    assert killed.returncode == KILLED, killed.stderr
    assert count(ward_url, table) == 0 and count(ward_url, "import_batch") == 0
    again = cli(*full)
    assert again.returncode == 0, again.stderr
    assert count(ward_url, table) > 0 and count(ward_url, "import_batch") == 1


def test_killed_roster_import_writes_nothing_and_can_be_run_again(ward_url, tmp_path):
    roster = roster_file(ward_url, tmp_path)
    killed = killed_cli("INSERT INTO change_log", 1, "import", "duty", str(roster), "--db", ward_url)
    assert killed.returncode == KILLED, killed.stderr
    assert count(ward_url, "duty_record") == 0 and count(ward_url, "abstraction") == 0
    again = cli("import", "duty", str(roster), "--db", ward_url)
    assert again.returncode == 0, again.stderr
    assert count(ward_url, "duty_record") == 11 and count(ward_url, "abstraction") > 0
