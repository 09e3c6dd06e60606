"""Outputs never destroy data, land whole or not at all, and are private to their owner."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rpdesk.settings import Settings
from tests.faults.conftest import assert_message, cli

TODAY = "2026-10-31"
TCG = "2026-11-10"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("outputs") / "demo.sqlite"
    built = cli("demo", "--db", f"sqlite:///{path}", "--wards", "1", "--years", "1", "--today", TODAY)
    assert built.returncode == 0, built.stderr
    code = json.loads(cli("wards", "list", "--db", f"sqlite:///{path}", "--format", "json").stdout)[0]["code"]
    return path, code


def _documents(path: Path) -> int:
    from tests.faults.conftest import count

    return count(f"sqlite:///{path}", "meeting_document")


def test_report_onto_the_open_database_is_refused(demo, tmp_path):
    from rpdesk.db.database import open_database
    from rpdesk.errors import UserError
    from rpdesk.services.documents import build_document

    path, code = demo
    before = _digest(path)
    for force in ([], ["--force"]):
        assert_message(cli("report", "card", "--db", f"sqlite:///{path}", "--ward", code, "--out", str(path), *force))
    database = open_database(f"sqlite:///{path}")
    try:  # the service itself, whatever the file is called (the GUI's save path has no suffix check)
        for target in (path, path.with_name(path.name + "-wal")):
            with pytest.raises(UserError, match="database rpdesk is using"):
                build_document(
                    database, "card", code, dt.date(2026, 11, 10), target, overwrite=True, settings=Settings()
                )
    finally:
        database.dispose()
    assert _digest(path) == before


def test_outputs_refuse_another_database_and_an_existing_file(demo, tmp_path):
    path, code = demo
    url = f"sqlite:///{path}"
    other = tmp_path / "other-ward.sqlite"
    assert cli("db", "init", "--db", f"sqlite:///{other}").returncode == 0  # another ward's database
    other_digest = _digest(other)
    notes = tmp_path / "notes.pdf"
    notes.write_bytes(b"%PDF- somebody's notes")
    assert_message(cli("db", "backup", "--db", url, "--out", str(other)), "--force")
    disguised = tmp_path / "ward-copy.pdf"  # a database saved under a PDF's name
    disguised.write_bytes(other.read_bytes())
    refused = cli("report", "card", "--db", url, "--ward", code, "--meeting", TCG, "--out", str(disguised), "--force")
    assert_message(refused, "is a database")
    assert _digest(disguised) == other_digest
    assert_message(cli("abstractions", "return", "--db", url, "--month", "2026-09", "--out", str(path)), "database")
    assert_message(cli("report", "card", "--db", url, "--ward", code, "--meeting", TCG, "--out", str(notes)), "exists")
    assert _digest(other) == other_digest and notes.read_bytes() == b"%PDF- somebody's notes"
    documents = _documents(path)
    replaced = cli("report", "card", "--db", url, "--ward", code, "--meeting", TCG, "--out", str(notes), "--force")
    assert replaced.returncode == 0, replaced.stderr
    assert notes.read_bytes().startswith(b"%PDF-1") and _documents(path) == documents + 1
    backed = cli("db", "backup", "--db", url, "--out", str(other), "--force")  # refreshing an older backup
    assert backed.returncode == 0, backed.stderr


def test_a_failed_build_leaves_no_file_and_records_nothing(demo, tmp_path):
    from rpdesk.db.database import open_database
    from rpdesk.db.models import MeetingDocument
    from rpdesk.errors import Cancelled
    from rpdesk.services.documents import build_document

    path, code = demo
    database = open_database(f"sqlite:///{path}")
    out = tmp_path / "pack.pdf"
    late = {"calls": 0}

    def cancel_late() -> None:  # the PDF is being laid out when the user cancels
        late["calls"] += 1
        if late["calls"] > 2:
            raise Cancelled("cancelled")

    try:
        with database.session() as s:
            before = s.scalar(select(func.count()).select_from(MeetingDocument))
        with pytest.raises(Cancelled):
            build_document(
                database, "tasking", code, dt.date(2026, 11, 10), out, check=cancel_late, settings=Settings()
            )
        assert late["calls"] > 2
        assert list(tmp_path.iterdir()) == []  # neither the PDF nor a temporary file
        with database.session() as s:
            assert s.scalar(select(func.count()).select_from(MeetingDocument)) == before
    finally:
        database.dispose()


def test_files_and_folders_are_owner_only(tmp_path, demo):
    """With umask 022 (files 0644 by default) everything rpdesk makes is 0600, its folders 0700."""
    _, code = demo
    data = tmp_path / "xdg-data"
    env = {"XDG_DATA_HOME": str(data)}
    made = cli("db", "init", env=env)  # creates the per-user folder and database
    assert made.returncode == 0, made.stderr
    folder = data / "rpdesk"
    database = folder / "rpdesk.sqlite"
    assert _mode(folder) == 0o700 and _mode(database) == 0o600
    backup = cli("db", "backup", env=env)
    assert backup.returncode == 0, backup.stderr
    assert _mode(Path(backup.stdout.strip())) == 0o600
    demo_path, _ = demo
    pdf = tmp_path / "card.pdf"
    made = cli("report", "card", "--db", f"sqlite:///{demo_path}", "--ward", code, "--meeting", TCG, "--out", str(pdf))
    assert made.returncode == 0, made.stderr
    assert _mode(pdf) == 0o600


def test_library_writes_are_owner_only_without_the_cli_umask(tmp_path):
    """The service layer itself (as the GUI and tests use it): database, -wal/-shm, backup, settings."""
    from rpdesk.db.database import backup, open_database
    from rpdesk.services.wards import add_ward
    from rpdesk.settings import Settings

    old = os.umask(0o022)
    try:
        folder = tmp_path / "new" / "folder"
        database = open_database(f"sqlite:///{folder / 'w.sqlite'}")
        with database.session() as s:
            add_ward(s, "E05000001", "One")
        files = [folder / "w.sqlite", folder / "w.sqlite-wal", folder / "w.sqlite-shm"]
        assert [_mode(p) for p in files] == [0o600] * 3
        assert _mode(folder) == 0o700 and _mode(folder.parent) == 0o700
        assert _mode(backup(database.url)) == 0o600
        database.dispose()
        settings_file = tmp_path / "config" / "settings.json"
        Settings().save({"force_name": "Test Constabulary"}, settings_file)
        assert _mode(settings_file) == 0o600 and _mode(settings_file.parent) == 0o700
    finally:
        os.umask(old)


def test_no_password_is_stored_in_settings(tmp_path):
    from rpdesk.errors import UserError
    from rpdesk.settings import Settings

    settings_file = tmp_path / "settings.json"
    with pytest.raises(UserError, match="pgpass") as refused:
        Settings().save({"database_url": "postgresql+psycopg://sgt:hunter2@db.force.local/rpdesk"}, settings_file)
    assert "hunter2" not in str(refused.value)
    assert not settings_file.exists()
    Settings().save({"database_url": "postgresql+psycopg://sgt@db.force.local/rpdesk"}, settings_file)
    assert "sgt@db.force.local" in settings_file.read_text(encoding="utf-8")


def test_a_report_onto_a_full_disk_leaves_no_file_and_records_nothing(demo, tmpfs):
    path, code = demo
    documents = _documents(path)
    free = os.statvfs(tmpfs).f_bavail * os.statvfs(tmpfs).f_frsize
    (tmpfs / "filler").write_bytes(b"\0" * max(0, free - 20_000))  # room for less than a tasking pack
    out = tmpfs / "pack.pdf"
    result = cli("report", "tasking", "--db", f"sqlite:///{path}", "--ward", code, "--meeting", TCG, "--out", str(out))
    assert_message(result, "full")
    assert [p.name for p in tmpfs.iterdir()] == ["filler"]
    assert _documents(path) == documents


def test_a_document_is_recorded_if_and_only_if_its_file_landed(demo, tmp_path):
    """Killed while recording, or the database busy at that moment: neither a file nor a record."""
    import sqlite3

    from tests.faults.conftest import killed_cli

    path, code = demo
    url = f"sqlite:///{path}"
    documents = _documents(path)
    out = tmp_path / "card.pdf"
    args = ["report", "card", "--db", url, "--ward", code, "--meeting", TCG, "--out", str(out)]
    killed = killed_cli("INSERT INTO meeting_document", 1, *args)
    assert killed.returncode == -9, killed.stderr
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # somebody else is writing when the document is to be recorded
    try:
        assert_message(cli(*args), "busy")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not out.exists() and _documents(path) == documents
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".card.pdf")]  # hidden, owner-only; removed once stale
    made = cli(*args)
    assert made.returncode == 0, made.stderr
    assert _documents(path) == documents + 1 and out.exists()
