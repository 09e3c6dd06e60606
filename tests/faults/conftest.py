"""The fault suite: kills at chosen statements, races, full and read-only disks, locked databases.

Run it with ``pytest tests/faults``. Every fault runs rpdesk-cli in a child process, as a user
would meet it; tests that need root (mounting a small or read-only tmpfs) skip with the reason.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "resources" / "samples"
CRIMES = SAMPLES / "2026-09-avon-and-somerset-street.csv"
WARD = "E05099001"
LSOAS = "E01014001,E01014002"


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """rpdesk-cli in a child process, with umask 022 as on a typical Linux desktop."""
    return subprocess.run(
        [sys.executable, "-m", "rpdesk.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        cwd=ROOT,
        preexec_fn=lambda: os.umask(0o022),
    )


def killed_cli(pattern: str, nth: int, *args: str, action: str = "kill") -> subprocess.CompletedProcess[str]:
    """rpdesk-cli cut off (``kill`` or ``server-gone``) right after the ``nth`` statement matching ``pattern``."""
    return subprocess.run(
        [sys.executable, "-m", "tests.faults.killer", pattern, str(nth), action, "--", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


def assert_message(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 3 with one plain message: no traceback, no SQL, and the words a user needs."""
    assert result.returncode == 3, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "[SQL" not in result.stderr and "parameters" not in result.stderr
    for word in words:
        assert word.lower() in result.stderr.lower(), result.stderr


def count(url: str, table: str) -> int:
    """Rows in ``table``, read through a plain connection (not rpdesk's)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as con:
            return int(con.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
    finally:
        engine.dispose()


def big_crimes_file(folder: Path, copies: int = 150, extra: str = "") -> Path:
    """The police.uk sample repeated ``copies`` times (tens of thousands of rows, one month as published)."""
    lines = CRIMES.read_text(encoding="utf-8").splitlines()
    path = folder / f"crimes-{copies}{'-x' if extra else ''}.csv"
    body = [lines[0], *(lines[1:] * copies)]
    if extra:
        body.append(extra)
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ward_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database on each backend with one ward whose LSOAs match the police.uk sample."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ward.sqlite'}"
    else:
        from tests.conftest import new_postgres_url

        url = new_postgres_url(request.getfixturevalue("postgres_server"))
    made = cli("db", "init", "--db", url)
    assert made.returncode == 0, made.stderr
    added = cli("wards", "add", "--db", url, "--code", WARD, "--name", "Fault Ward", "--lsoa", LSOAS)
    assert added.returncode == 0, added.stderr
    return url


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs mounted for the test (root only; skips with the reason elsewhere)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / f"tmpfs-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def remount_read_only(mount: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only here: {done.stderr.decode().strip()}")


def checkpoint(path: Path) -> None:
    """Fold the -wal file into the database so the file alone holds everything."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def roster_file(url: str, folder: Path) -> Path:
    """The shared hand-counted roster, with its wards and officers added to the database at ``url``."""
    from rpdesk.db.database import open_database
    from tests.support.roster import ROSTER_CSV, seed_people

    database = open_database(url)
    try:
        with database.session() as s:
            seed_people(s)
    finally:
        database.dispose()
    path = folder / "roster.csv"
    path.write_text(ROSTER_CSV, encoding="utf-8")
    return path
