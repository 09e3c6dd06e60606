"""The surroundings failing: a locked database, a full disk, a read-only drive, a server that goes away.

Each is one plain message (exit 3, no traceback, no SQL or data), nothing is half-written, and the
database is as it was: it still opens, and reading works even where writing cannot.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from tests.faults.conftest import (
    LSOAS,
    WARD,
    assert_message,
    big_crimes_file,
    checkpoint,
    cli,
    count,
    killed_cli,
    remount_read_only,
)


def _ward_file(folder: Path) -> tuple[Path, str]:
    path = folder / "ward.sqlite"
    url = f"sqlite:///{path}"
    assert cli("db", "init", "--db", url).returncode == 0
    added = cli("wards", "add", "--db", url, "--code", WARD, "--name", "Fault Ward", "--lsoa", LSOAS)
    assert added.returncode == 0, added.stderr
    return path, url


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_locked_database_says_busy_and_reads_still_work(tmp_path):
    path, url = _ward_file(tmp_path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock, as a long import would
    try:
        listed = cli("wards", "list", "--db", url)
        assert listed.returncode == 0 and WARD in listed.stdout, listed.stderr
        added = cli("wards", "add", "--db", url, "--code", "E05099002", "--name", "Second")
        assert_message(added, "busy", "try again")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert count(url, "ward") == 1


def test_full_disk_refuses_with_a_message_and_writes_nothing(tmpfs, tmp_path):
    _, url = _ward_file(tmpfs)
    crimes = big_crimes_file(tmp_path, copies=400)
    filler = tmpfs / "filler"
    free = os.statvfs(tmpfs).f_bavail * os.statvfs(tmpfs).f_frsize
    filler.write_bytes(b"\0" * max(0, free - 300_000))  # leave a little room: the import needs more
    assert_message(cli("import", "crimes", str(crimes), "--ward", WARD, "--db", url), "disk", "full")
    assert_message(cli("db", "backup", "--db", url, "--out", str(tmpfs / "copy.sqlite")), "full")
    assert_message(cli("db", "init", "--db", f"sqlite:///{tmpfs / 'new.sqlite'}"), "full")
    assert sorted(p.name for p in tmpfs.iterdir() if not p.name.startswith(("ward.sqlite-",))) == [
        "filler",
        "ward.sqlite",
    ]  # no partial backup, no half-built database, no temporary file
    filler.unlink()
    assert count(url, "crime_record") == 0 and count(url, "import_batch") == 0
    assert cli("db", "check", "--db", url).returncode == 0


def test_read_only_drive_reads_and_refuses_writes(tmpfs):
    path, url = _ward_file(tmpfs)
    checkpoint(path)
    before = _digest(path)
    remount_read_only(tmpfs)
    listed = cli("wards", "list", "--db", url)
    assert listed.returncode == 0 and WARD in listed.stdout, listed.stderr
    assert cli("db", "check", "--db", url).returncode == 0
    assert_message(cli("wards", "add", "--db", url, "--code", "E05099002", "--name", "Second"), "read-only")
    assert_message(cli("db", "backup", "--db", url), "read-only")
    assert _digest(path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions (the read-only drive test covers root)")
def test_read_only_file_reads_and_refuses_writes(tmp_path):
    path, url = _ward_file(tmp_path)
    checkpoint(path)
    path.chmod(0o400)
    tmp_path.chmod(0o500)
    try:
        listed = cli("wards", "list", "--db", url)
        assert listed.returncode == 0 and WARD in listed.stdout, listed.stderr
        assert_message(cli("wards", "add", "--db", url, "--code", "E05099002", "--name", "Second"), "read-only")
    finally:
        tmp_path.chmod(0o700)


@pytest.mark.postgres
def test_server_gone_mid_import_is_a_message_and_nothing_is_written(postgres_server, tmp_path):
    from tests.conftest import new_postgres_url

    url = new_postgres_url(postgres_server)
    assert cli("db", "init", "--db", url).returncode == 0
    assert cli("wards", "add", "--db", url, "--code", WARD, "--name", "W", "--lsoa", LSOAS).returncode == 0
    crimes = big_crimes_file(tmp_path, copies=20)
    gone = killed_cli(
        "INSERT INTO import_batch",
        1,
        "import",
        "crimes",
        str(crimes),
        "--ward",
        WARD,
        "--db",
        url,
        action="server-gone",
    )
    assert_message(gone, "server", "nothing was written")
    assert count(url, "crime_record") == 0 and count(url, "import_batch") == 0


def test_unreachable_server_is_a_message():
    result = cli("wards", "list", "--db", "postgresql+psycopg://nobody@127.0.0.1:9/rpdesk")
    assert_message(result, "could not be reached")
