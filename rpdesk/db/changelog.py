"""The s.62 log (Data Protection Act 2018 Part 3): what was done with the data, when, and by whom.

Six activities, as s.62 names them: *collection* (a row entered, a file imported), *alteration*
(a row changed), *consultation* (a ward's records opened in a page or read by a command),
*disclosure* (a document or export made, with the recipient when the user names one),
*combination* (an import that joins another source to the ward's data) and *erasure* (a row
deleted). Every ORM insert, update and delete is recorded by :func:`record_changes` in the same
transaction as the change itself, so the log never claims a change that was rolled back; bulk
imports log one entry per file (:func:`log_bulk`); uses are logged by :func:`log_use`.

The same hooks collect each unit of work's *change set*: the names of the tables it wrote
(:func:`changed_tables`, gathered by :func:`collecting`), which the GUI's task runner hands to every
page with the page that made the change (Anki's ``OpChanges``), so no code names the tables it
thinks it touched. Log entries themselves are not part of a change set (a read that is logged as a
consultation changes nothing a page shows).

Identity comes from the operating system's account API and, on PostgreSQL, the database role
(:mod:`rpdesk.db.identity`), never from environment variables.

Tamper evidence: entries form a hash chain. Entry ``n`` stores ``prev_hash`` (entry ``n-1``'s hash)
and ``hash`` = SHA-256 over the canonical JSON (sorted keys, no spaces, UTF-8) of its own fields
and ``prev_hash``; ``changes`` (old and new values) is covered by its SHA-256 as written, kept in
``changes_sha256``, so retention can later redact old values without breaking the chain, and
``audit verify`` tells a redaction from an edit: retention's own (chained) erasure entry records what
it redacted (:class:`rpdesk.services.retention.Redactions`), and nothing else is accepted. Changing
any other stored field, removing an entry or moving one breaks the chain at that entry; the
``audit_head`` row holds the last ``seq`` and hash, so removing entries from the end shows too.
Appending first updates ``audit_head``, which takes SQLite's write lock or PostgreSQL's row lock
until commit: two writers append one after the other and never fork the chain.
On both backends triggers refuse DELETE of log rows and UPDATE of anything but ``changes``
(migration 0008), so changing the log needs a deliberate act outside rpdesk, which the chain shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, inspect, text
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from rpdesk.db.identity import db_role, os_user
from rpdesk.db.models import AuditHead, ChangeLog, SurveyAnswer, utcnow
from rpdesk.domain.values import plain

__all__ = ["Activity", "append", "entry_hash", "log_bulk", "log_use", "os_user", "record_changes"]

#: Rows too small or numerous to log one by one; their parent row's entry covers them.
_NOT_LOGGED: tuple[type, ...] = (ChangeLog, SurveyAnswer, AuditHead)
#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64
#: The fields an entry's hash covers (with ``prev_hash``), in the order the canonical JSON sorts them anyway.
HASHED = (
    "activity",
    "at",
    "changes_sha256",
    "db_role",
    "operation",
    "os_user",
    "recipient",
    "row_id",
    "seq",
    "table_name",
    "ward_id",
)


class Activity(StrEnum):
    """The kinds of processing s.62 says must be logged."""

    COLLECTION = "collection"
    ALTERATION = "alteration"
    CONSULTATION = "consultation"
    DISCLOSURE = "disclosure"
    COMBINATION = "combination"
    ERASURE = "erasure"


_BY_OPERATION = {"insert": Activity.COLLECTION, "update": Activity.ALTERATION, "delete": Activity.ERASURE}
#: The ``operation`` word of a use (writes say insert, update, delete or import).
_USE_OPERATION = {Activity.CONSULTATION: "read", Activity.DISCLOSURE: "disclose"}


def entry_hash(entry: Mapping[str, Any], prev_hash: str) -> str:
    """SHA-256 (hex) of the canonical JSON of ``entry``'s hashed fields and ``prev_hash``.

    ``at`` is written with microseconds, the precision both backends keep, so the hash computed
    when the entry is written equals the one recomputed from the stored row.
    """
    fields = {key: entry.get(key) for key in HASHED}
    at = fields["at"]
    if isinstance(at, str):  # a raw SQLite read (the upgrade that chains older entries)
        at = dt.datetime.fromisoformat(at)
    fields["at"] = at.isoformat(sep=" ", timespec="microseconds") if at is not None else None
    fields["prev_hash"] = prev_hash
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def text_sha256(value: str) -> str:
    """SHA-256 (hex) of a text as UTF-8: ``changes`` as written, which the chain covers."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _lock_head(connection: Connection) -> tuple[int, str]:
    """Take the chain's lock and return its head (last seq, last hash); creates the head row if missing."""
    bump = text("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
    row = connection.execute(bump).first()
    if row is None:  # a database whose log predates the chain head (should not happen after migration 0008)
        connection.execute(insert(AuditHead), [{"id": 1, "seq": 0, "hash": GENESIS}])
        row = connection.execute(bump).one()
    return int(row[0]), str(row[1])


def append(connection: Connection, entries: Sequence[Mapping[str, Any]]) -> None:
    """Add ``entries`` to the end of the chain, in the caller's transaction (the lock is held until it ends).

    Each entry gives ``activity``, ``table_name``, ``operation`` and ``changes`` (a dict), and may give
    ``row_id``, ``ward_id``, ``recipient`` and ``at``; identity and chain fields are filled in here.
    """
    if not entries:
        return
    seq, prev = _lock_head(connection)
    user, role, now = os_user(), db_role(connection), utcnow()
    rows: list[dict[str, Any]] = []
    for entry in entries:
        seq += 1
        row = {
            "seq": seq,
            "at": entry.get("at") or now,
            "os_user": user,
            "db_role": role,
            "activity": str(entry["activity"]),
            "table_name": entry["table_name"],
            "row_id": entry.get("row_id"),
            "ward_id": entry.get("ward_id"),
            "operation": entry["operation"],
            "recipient": entry.get("recipient") or None,
            "changes": json.dumps(entry["changes"], sort_keys=True, default=str),
            "prev_hash": prev,
        }
        row["changes_sha256"] = text_sha256(row["changes"])
        prev = row["hash"] = entry_hash(row, prev)
        rows.append(row)
    connection.execute(text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"), {"seq": seq, "hash": prev})
    connection.execute(insert(ChangeLog), rows)  # the last statement of a logged write, just before its commit


_CHANGED = "rpdesk_changed_tables"


def mark_changed(session: Session, *tables: str) -> None:
    """Add ``tables`` to the session's change set (for writes no ORM hook sees: driver-level bulk inserts)."""
    session.info.setdefault(_CHANGED, set()).update(tables)


def changed_tables(session: Session) -> frozenset[str]:
    """Names of the tables the session's current transaction has written so far."""
    return frozenset(session.info.get(_CHANGED, ()))


_COLLECTOR: ContextVar[set[str] | None] = ContextVar("rpdesk_change_collector", default=None)


@contextmanager
def collecting() -> Iterator[set[str]]:
    """Collect the change sets of every session that commits in this thread (or task) inside the block."""
    tables: set[str] = set()
    token = _COLLECTOR.set(tables)
    try:
        yield tables
    finally:
        _COLLECTOR.reset(token)


def publish_committed(session: Session) -> None:
    """``after_commit`` hook: hand the committed change set to the surrounding :func:`collecting` block."""
    collector = _COLLECTOR.get()
    if collector is not None:
        collector.update(changed_tables(session))
    session.info.pop(_CHANGED, None)


def record_statement(state: ORMExecuteState) -> None:
    """``do_orm_execute`` hook: ``session.execute(insert/update/delete(...))`` adds its table to the change set."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None:
            mark_changed(state.session, table.name)


def _row_changes(obj: Any, operation: str) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if operation == "insert":
            value = getattr(obj, attr.key)
            if value is not None:
                changes[attr.key] = plain(value)
        elif operation == "update" and hist.has_changes() and attr.key != "version":
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            changes[attr.key] = [plain(old), plain(new)]
    return changes


def _ward_of(obj: Any) -> int | None:
    """The ward a row belongs to, so the log can be read per ward (the ward row itself is its own)."""
    ward_id = getattr(obj, "ward_id", None)
    if ward_id is None and obj.__tablename__ == "ward":
        ward_id = getattr(obj, "id", None)
    return ward_id if isinstance(ward_id, int) else None


def record_changes(session: Session, _flush: UOWTransaction) -> None:
    """``after_flush`` hook: a log entry (collection, alteration, erasure) for each changed object of the flush."""
    entries: list[dict[str, Any]] = []
    for operation, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if operation == "update" and not session.is_modified(obj, include_collections=False):
                continue
            if not isinstance(obj, ChangeLog | AuditHead):
                mark_changed(session, obj.__tablename__)
            if isinstance(obj, _NOT_LOGGED):
                continue
            entries.append(
                {
                    "activity": _BY_OPERATION[operation],
                    "table_name": obj.__tablename__,
                    "row_id": getattr(obj, "id", None),
                    "ward_id": _ward_of(obj),
                    "operation": operation,
                    "changes": {} if operation == "delete" else _row_changes(obj, operation),
                }
            )
    append(session.connection(), entries)


def log_bulk(
    session: Session,
    table: str,
    row_id: int | None,
    operation: str,
    summary: dict[str, Any],
    *,
    ward_id: int | None = None,
    activity: Activity = Activity.COLLECTION,
) -> None:
    """One log entry standing for a bulk write (an import), in the caller's transaction.

    ``activity`` is :attr:`Activity.COMBINATION` for an import that joins another source to the
    ward's data (police.uk crime matched to the ward's areas).
    """
    entry = {"activity": activity, "table_name": table, "row_id": row_id, "ward_id": ward_id}
    append(session.connection(), [{**entry, "operation": operation, "changes": summary}])


def log_use(
    session: Session,
    activity: Activity,
    what: str,
    detail: dict[str, Any],
    *,
    ward_id: int | None = None,
    row_id: int | None = None,
    recipient: str | None = None,
) -> None:
    """Log a consultation or disclosure (``what``: the kind of record, e.g. ``ward`` or ``meeting_document``).

    ``detail`` says how (the page or command, the file written); it must not repeat personal data.
    """
    entry = {"activity": activity, "table_name": what, "row_id": row_id, "ward_id": ward_id, "recipient": recipient}
    append(session.connection(), [{**entry, "operation": _USE_OPERATION.get(activity, "use"), "changes": detail}])
