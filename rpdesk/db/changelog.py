"""The change log: every ORM insert, update and delete is recorded with the OS user and time.

Recorded in the same transaction as the change itself, so the log never claims a change that was
rolled back. Bulk imports write through Core for speed and log one row per import instead.
"""

from __future__ import annotations

import getpass
import json
from typing import Any

from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from rpdesk.db.models import ChangeLog, SurveyAnswer, utcnow
from rpdesk.domain.values import plain

#: Rows too small or numerous to log one by one; their parent row's entry covers them.
_NOT_LOGGED: tuple[type, ...] = (ChangeLog, SurveyAnswer)


def os_user() -> str:
    """The signed-in user's account name, as the force's machines know it."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some services and containers)
        return "unknown"


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


def record_changes(session: Session, _flush: UOWTransaction) -> None:
    """``after_flush`` hook: write a change-log row for each changed object of the flush."""
    user = os_user()
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for operation, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if isinstance(obj, _NOT_LOGGED):
                continue
            if operation == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = {} if operation == "delete" else _row_changes(obj, operation)
            rows.append(
                {
                    "at": now,
                    "os_user": user,
                    "table_name": obj.__tablename__,
                    "row_id": getattr(obj, "id", None),
                    "operation": operation,
                    "changes": json.dumps(changes, sort_keys=True, default=str),
                }
            )
    if rows:
        session.connection().execute(insert(ChangeLog), rows)


def log_bulk(session: Session, table: str, row_id: int | None, operation: str, summary: dict[str, Any]) -> None:
    """One change-log row standing for a bulk write (an import), in the caller's transaction."""
    session.connection().execute(
        insert(ChangeLog),
        [
            {
                "at": utcnow(),
                "os_user": os_user(),
                "table_name": table,
                "row_id": row_id,
                "operation": operation,
                "changes": json.dumps(summary, sort_keys=True, default=str),
            }
        ],
    )
