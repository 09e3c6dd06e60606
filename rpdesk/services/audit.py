"""Reading and checking the s.62 log, and logging the uses of a ward's records (Qt-free).

The log itself (what is recorded, the hash chain, who) is :mod:`rpdesk.db.changelog`. Here:

- ``consult(session, ward_code, how) -> None`` logs a consultation of a ward's records;
  ``consulted(db, ward_code, how)`` does it in a transaction of its own (a page opened, a command run).
- ``disclose(session, what, detail, *, ward_id, row_id, recipient) -> None`` logs a document or export;
  ``disclosed(db, ward_code, detail)`` logs a table export in a transaction of its own.
- ``entries(session, *, ward=None, start=None, end=None, user=None) -> list[LogEntry]``: the log, filtered.
- ``verify(session) -> Verdict``: walks the chain; the first entry that was edited, removed or moved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from rpdesk.db.changelog import GENESIS, HASHED, Activity, entry_hash, log_use, text_sha256
from rpdesk.db.database import Database
from rpdesk.db.models import AuditHead, ChangeLog, Ward
from rpdesk.errors import UserError
from rpdesk.services.retention import recorded_redactions

#: Columns of ``rpdesk-cli audit log`` and the GUI's log view, in order.
COLUMNS = (
    "seq",
    "at_utc",
    "user",
    "db_role",
    "activity",
    "record",
    "row_id",
    "ward",
    "operation",
    "recipient",
    "detail",
)


#: How long logging a consultation waits for SQLite's write lock before the read goes ahead unlogged.
LOG_WAIT_MS = 250


@dataclass(frozen=True)
class LogEntry:
    """One entry as shown to a supervisor (``at_utc`` is UTC, as stored)."""

    id: int
    seq: int
    at_utc: dt.datetime
    user: str
    db_role: str | None
    activity: str
    record: str
    row_id: int | None
    ward: str | None
    operation: str
    recipient: str | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in COLUMNS}


@dataclass(frozen=True)
class Verdict:
    """The result of walking the chain: ``problem`` is None when every entry is as written."""

    checked: int
    entry_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _ward_id(session: Session, ward_code: str) -> int | None:
    return session.scalar(select(Ward.id).where(func.upper(Ward.code) == ward_code.strip().upper()))


def consult(session: Session, ward_code: str | None, how: dict[str, Any]) -> None:
    """Log that a ward's records (or, without a ward, records of every ward) were read; ``how`` says by what."""
    ward_id = _ward_id(session, ward_code) if ward_code else None
    log_use(session, Activity.CONSULTATION, "ward", {**how, "ward_code": ward_code}, ward_id=ward_id, row_id=ward_id)


def consulted(db: Database, ward_code: str | None, how: dict[str, Any]) -> str | None:
    """:func:`consult` in a short transaction of its own (a page opened, a command about to read).

    Reading must still work where nothing can be written: a read-only drive, a database another
    program is writing to (waited for :data:`LOG_WAIT_MS` only), a full disk. Then the entry is not
    written and the reason is returned, for the caller to tell the user; None when it was logged.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from rpdesk.db.database import BUSY_TIMEOUT_MS
    from rpdesk.db.failures import EnvironmentFailure, explain

    try:
        with db.session() as s:
            connection = s.connection()
            if db.is_sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={LOG_WAIT_MS}")
            try:
                consult(s, ward_code, how)
            finally:
                if db.is_sqlite:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    except SQLAlchemyError as exc:
        found = explain(exc, db.label)
        if not isinstance(found, EnvironmentFailure):
            raise
        return f"this read was not logged: {str(found).split('. ')[0]}."
    return None


def disclose(
    session: Session,
    what: str,
    detail: dict[str, Any],
    *,
    ward_id: int | None = None,
    row_id: int | None = None,
    recipient: str | None = None,
) -> None:
    """Log a document or export leaving rpdesk: what (``detail``: file, kind, marking), and to whom if named."""
    recipient = (recipient or "").strip()[:200] or None
    log_use(session, Activity.DISCLOSURE, what, detail, ward_id=ward_id, row_id=row_id, recipient=recipient)


def disclosed(db: Database, ward_code: str | None, detail: dict[str, Any], *, recipient: str | None = None) -> None:
    """:func:`disclose` of a ward's table export in a transaction of its own (the GUI's Export to CSV)."""
    with db.session() as s:
        ward_id = _ward_id(s, ward_code) if ward_code else None
        disclose(s, "export", {**detail, "ward_code": ward_code}, ward_id=ward_id, recipient=recipient)


def entries(
    session: Session,
    *,
    ward: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    user: str | None = None,
    limit: int | None = None,
) -> list[LogEntry]:
    """Log entries, oldest first, of one ward (by code), between two days (UTC, inclusive), by one user."""
    query = select(ChangeLog, Ward.code).outerjoin(Ward, Ward.id == ChangeLog.ward_id).order_by(ChangeLog.seq)
    if ward:
        ward_id = _ward_id(session, ward)
        query = query.where(ChangeLog.ward_id == (ward_id if ward_id is not None else -1))
    if start:
        query = query.where(ChangeLog.at >= dt.datetime.combine(start, dt.time()))
    if end:
        query = query.where(ChangeLog.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    if user:
        query = query.where(func.lower(ChangeLog.os_user) == user.strip().lower())
    if limit:
        query = query.limit(limit)
    return [
        LogEntry(
            r.id,
            r.seq,
            r.at,
            r.os_user,
            r.db_role,
            r.activity,
            r.table_name,
            r.row_id,
            code,
            r.operation,
            r.recipient,
            r.changes,
        )
        for r, code in session.execute(query)
    ]


def _whole_log_visible(session: Session) -> None:
    """Refuse to verify a log the login sees only part of (an officer's wards): the gaps would read as tampering."""
    if session.get_bind().dialect.name != "postgresql":
        return
    partial = "SELECT row_security_active('change_log') AND NOT rpdesk_ward_ok(NULL, false)"
    if session.execute(text(partial)).scalar_one():
        raise UserError(
            "This database login reads only the s.62 log entries of its own wards, so it cannot check the "
            "whole chain: verify it as a supervisor or administrator login."
        )


def verify(session: Session) -> Verdict:
    """Walk the chain in ``seq`` order; name the first entry that is not as it was written.

    An edited entry no longer matches its own hash; a removed one leaves a gap in ``seq`` and the
    next entry's ``prev_hash`` pointing at nothing; a moved one follows the wrong entry. Entries
    removed from the end are found against the chain head.
    """
    _whole_log_visible(session)
    redactions = recorded_redactions(session)
    prev, expected, last_id = GENESIS, 1, None
    query = select(ChangeLog).order_by(ChangeLog.seq).execution_options(yield_per=2000)
    with session.execute(query) as result:  # closes the server-side cursor on an early return
        for row in result.scalars():
            fields = {name: getattr(row, name) for name in HASHED}
            if row.seq != expected:
                gap = f"entries {expected}–{row.seq - 1} before entry {row.id} are missing"
                return Verdict(expected - 1, row.id, gap)
            if row.prev_hash != prev:
                return Verdict(expected - 1, row.id, f"entry {row.id} does not follow the entry before it (moved)")
            as_written = text_sha256(row.changes) == row.changes_sha256
            if entry_hash(fields, prev) != row.hash or not (
                as_written or redactions.allow(row.seq, row.id, row.at, row.changes)
            ):
                return Verdict(expected - 1, row.id, f"entry {row.id} was changed after it was written")
            prev, expected, last_id = row.hash, expected + 1, row.id
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq, head.hash) != (expected - 1, prev):
        return Verdict(expected - 1, last_id, f"entries after {expected - 1} (the last held) are missing")
    return Verdict(expected - 1)
