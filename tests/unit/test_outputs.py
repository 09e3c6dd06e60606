"""Output paths: never the database, never over a file unasked; written aside, owner-only."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from rpdesk.errors import UserError
from rpdesk.outputs import guard_output, write_aside


def _database(path):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    return path


def test_guard_refuses_the_database_in_use_and_its_side_files(tmp_path):
    db = _database(tmp_path / "ward.sqlite")
    for target in (db, tmp_path / "ward.sqlite-wal", tmp_path / "sub" / ".." / "ward.sqlite"):
        with pytest.raises(UserError, match="database rpdesk is using"):
            guard_output(target, force=True, protect=[db])


def test_guard_refuses_any_database_unless_a_forced_backup(tmp_path):
    other = _database(tmp_path / "other.pdf")
    with pytest.raises(UserError, match="is a database"):
        guard_output(other, force=True)
    with pytest.raises(UserError, match="--force"):
        guard_output(other, database_allowed=True)
    assert guard_output(other, force=True, database_allowed=True) == other


def test_guard_refuses_an_encrypted_database_by_its_name_and_bytes(tmp_path):
    from rpdesk.db.database import open_database

    locked = tmp_path / "locked.sqlite"
    open_database(f"sqlite:///{locked}", key="a key for the guard", encrypt=True).dispose()
    with pytest.raises(UserError, match="is a database"):
        guard_output(locked, force=True)  # a forced report never replaces an encrypted database
    assert guard_output(locked, force=True, database_allowed=True) == locked  # a forced backup may
    pdf = tmp_path / "old.pdf"
    pdf.write_bytes(locked.read_bytes())  # the same random-looking pages, but named as a document
    assert guard_output(pdf, force=True) == pdf


def test_guard_refuses_an_existing_file_unless_forced_and_a_missing_folder(tmp_path):
    existing = tmp_path / "pack.pdf"
    existing.write_bytes(b"old")
    with pytest.raises(UserError, match="already exists"):
        guard_output(existing)
    assert guard_output(existing, force=True) == existing
    with pytest.raises(UserError, match="does not exist"):
        guard_output(tmp_path / "missing" / "pack.pdf")
    with pytest.raises(UserError, match="folder"):
        guard_output(tmp_path)


def test_write_aside_lands_whole_and_private_or_not_at_all(tmp_path):
    target = tmp_path / "export.csv"
    target.write_text("old content")
    with pytest.raises(RuntimeError), write_aside(target) as aside:
        aside.write_text("half of the new")
        raise RuntimeError("the build failed")
    assert target.read_text() == "old content" and sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]
    with write_aside(target) as aside:
        aside.write_text("new content")
    assert target.read_text() == "new content" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]


def test_a_killed_writers_old_temporary_file_is_removed_and_a_young_one_kept(tmp_path):
    import os
    import time

    target = tmp_path / "pack.pdf"
    old = tmp_path / ".pack.pdf.abc123.part"
    young = tmp_path / ".pack.pdf.def456.part"
    for part in (old, young):
        part.write_bytes(b"half a restricted document")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    with write_aside(target) as aside:
        aside.write_bytes(b"%PDF-1.4 whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".pack.pdf.def456.part", "pack.pdf"]
