"""The s.62 log: identity from the OS and the database, the hash chain, tampering found, no fork."""

from __future__ import annotations

import os
import pwd
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text

from rpdesk.db.changelog import Activity
from rpdesk.db.database import open_database
from rpdesk.db.identity import os_user
from rpdesk.db.models import ChangeLog
from rpdesk.services import audit
from rpdesk.services.wards import add_ward
from tests.support.schema import database_at

ME = pwd.getpwuid(os.getuid()).pw_name


def _wards(db, n: int) -> None:
    for i in range(n):
        with db.session() as s:
            add_ward(s, f"E0500{i:04d}", f"Ward {i}")


def _raw(db, *statements: str) -> None:
    """Tamper as somebody with the file or an owner's login would: triggers dropped, then raw SQL."""
    with db.engine.begin() as con:
        if db.is_sqlite:
            con.exec_driver_sql("DROP TRIGGER change_log_no_update")
            con.exec_driver_sql("DROP TRIGGER change_log_no_delete")
        else:
            con.exec_driver_sql("ALTER TABLE change_log DISABLE TRIGGER change_log_append_only")
        for statement in statements:
            con.exec_driver_sql(statement)


def test_identity_is_the_os_account_not_the_environment(monkeypatch):
    os_user.cache_clear()
    monkeypatch.setenv("USER", "somebody-else")
    monkeypatch.setenv("LOGNAME", "somebody-else")
    monkeypatch.setenv("USERNAME", "somebody-else")
    try:
        assert os_user() == ME
    finally:
        os_user.cache_clear()


def test_writes_are_logged_with_activity_ward_and_identity(db):
    _wards(db, 1)
    with db.session() as s:
        entries = audit.entries(s, ward="e05000000")
        role = s.execute(text("SELECT current_user")).scalar() if not db.is_sqlite else None
    assert [(e.activity, e.record, e.user, e.db_role) for e in entries] == [("collection", "ward", ME, role)]
    if not db.is_sqlite:
        assert role  # on PostgreSQL the authenticated role is there beside the OS account


def test_a_consultation_and_a_disclosure_are_logged(db):
    _wards(db, 1)
    audit.consulted(db, "E05000000", {"channel": "gui", "page": "Actions"})
    with db.session() as s:
        audit.disclose(s, "abstraction", {"file": "r.csv"}, recipient="  Insp Hale ")
    with db.session() as s:
        found = audit.entries(s)
    consultation, disclosure = found[-2], found[-1]
    assert (consultation.activity, consultation.ward, consultation.operation) == ("consultation", "E05000000", "read")
    assert '"page": "Actions"' in consultation.detail
    assert (disclosure.activity, disclosure.recipient, disclosure.user) == ("disclosure", "Insp Hale", ME)
    with db.session() as s:
        assert audit.verify(s).ok and audit.verify(s).checked == len(found)


def test_the_log_refuses_update_and_delete(db):
    _wards(db, 1)
    for statement in ("UPDATE change_log SET os_user = 'x'", "DELETE FROM change_log"):
        with pytest.raises(Exception, match="append-only"), db.engine.begin() as con:
            con.exec_driver_sql(statement)


def _ids(db) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(ChangeLog.id).order_by(ChangeLog.seq)))


def test_verify_finds_an_edited_entry(db):
    _wards(db, 4)
    ids = _ids(db)
    _raw(db, f"UPDATE change_log SET os_user = 'innocent' WHERE id = {ids[2]}")
    with db.session() as s:
        verdict = audit.verify(s)
    assert (verdict.entry_id, verdict.checked) == (ids[2], 2) and "changed" in (verdict.problem or "")


def test_verify_finds_a_removed_entry(db):
    _wards(db, 4)
    ids = _ids(db)
    _raw(db, f"DELETE FROM change_log WHERE id = {ids[1]}")
    with db.session() as s:
        verdict = audit.verify(s)
    assert verdict.entry_id == ids[2] and "missing" in (verdict.problem or "")


def test_verify_finds_entries_removed_from_the_end(db):
    _wards(db, 3)
    ids = _ids(db)
    _raw(db, f"DELETE FROM change_log WHERE id = {ids[-1]}")
    with db.session() as s:
        verdict = audit.verify(s)
    assert verdict.entry_id == ids[-2] and "missing" in (verdict.problem or "")


def test_verify_finds_reordered_entries(db):
    """Swapping two entries' places (their seq) breaks the chain at the first of them."""
    _wards(db, 4)
    ids = _ids(db)
    a, b = ids[1], ids[2]
    _raw(
        db,
        f"UPDATE change_log SET seq = -1 WHERE id = {a}",
        f"UPDATE change_log SET seq = 2 WHERE id = {b}",
        f"UPDATE change_log SET seq = 3 WHERE id = {a}",
    )
    with db.session() as s:
        verdict = audit.verify(s)
    assert verdict.entry_id == b and not verdict.ok


def test_two_writers_at_once_do_not_fork_the_chain(db):
    """Eight threads append at once: one chain, seq 1..n without a gap or a twin."""
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for _ in range(5):
                audit.consulted(db, None, {"channel": "test", "thread": i})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with db.session() as s:
        seqs = list(s.scalars(select(ChangeLog.seq).where(ChangeLog.activity == Activity.CONSULTATION)))
        verdict = audit.verify(s)
    assert len(seqs) == 40 and verdict.ok, verdict.problem


def test_older_database_log_is_chained_on_upgrade(tmp_path: Path):
    """A revision-0006 database with change-log rows upgrades to a verified chain of the same entries."""
    path = tmp_path / "old.sqlite"
    rows = [
        "INSERT INTO change_log (at, os_user, table_name, row_id, operation, changes) "
        f"VALUES ('2025-01-01 10:00:00.000000', 'pc', 'action', {row}, '{op}', '{{}}')"
        for op, row in (("insert", 1), ("update", 1), ("delete", 1), ("import", 7))
    ]
    database_at(f"sqlite:///{path}", "0006_priority_public_reason", *rows)
    database = open_database(f"sqlite:///{path}")
    try:
        _wards(database, 1)  # a new entry continues the migrated chain
        with database.session() as s:
            found = audit.entries(s)
            verdict = audit.verify(s)
    finally:
        database.dispose()
    assert [e.activity for e in found[:4]] == ["collection", "alteration", "erasure", "collection"]
    assert [e.seq for e in found] == list(range(1, len(found) + 1)) and found[-1].record == "ward"
    assert verdict.ok and verdict.checked == len(found)


def test_a_redaction_no_erasure_entry_records_is_tampering(db):
    """Only retention may redact old values, and its erasure entry names what it redacted (see test_retention)."""
    _wards(db, 3)
    ids = _ids(db)
    with db.engine.begin() as con:
        con.exec_driver_sql(f"""UPDATE change_log SET changes = '{{"name": "[removed]"}}' WHERE id = {ids[0]}""")
    with db.session() as s:
        assert audit.verify(s).entry_id == ids[0]
    with db.engine.begin() as con:
        con.exec_driver_sql(f"UPDATE change_log SET changes = '{{}}' WHERE id = {ids[0]}")
    with db.session() as s:
        assert audit.verify(s).entry_id == ids[0]


def test_a_read_goes_ahead_unlogged_with_a_note_when_the_database_is_busy(tmp_path: Path):
    """Another program holds SQLite's write lock: the consultation waits a moment, then says it was not logged."""
    import sqlite3
    import time

    path = tmp_path / "busy.sqlite"
    database = open_database(f"sqlite:///{path}")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.perf_counter()
        note = audit.consulted(database, None, {"channel": "test"})
        waited = time.perf_counter() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert note is not None and "not logged" in note and "busy" in note and waited < 3
    assert audit.consulted(database, None, {"channel": "test"}) is None  # and logged once it is free
    database.dispose()
