"""Edits of existing rows that detect a concurrent change instead of overwriting it.

A screen or command reads a row (with its ``version``), the user edits it, and the change is saved
in a new unit of work. :func:`update_row` refuses the save if the row's version has moved on since
it was read; the mapper's version counter also refuses a change that races in between.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from rpdesk.db.labels import describe, noun
from rpdesk.db.models import Versioned
from rpdesk.errors import ConflictError, UserError

T = TypeVar("T", bound=Versioned)


def update_row(session: Session, model: type[T], row_id: int, expected_version: int, changes: Mapping[str, Any]) -> T:
    """Apply ``changes`` to row ``row_id`` if it is still at ``expected_version``; return the row.

    ``model`` is any :class:`rpdesk.db.models.Versioned` model.
    """
    row = session.get(model, row_id)
    if row is None:
        raise ConflictError(f"That {noun(model)} was deleted by somebody else, so your change was not saved.")
    label = describe(row)  # as it was read: after a failed flush the session can load nothing more
    if row.version != expected_version:
        raise changed_meanwhile(label)
    for key, value in changes.items():
        if not hasattr(model, key) or key in ("id", "version"):
            raise UserError(f"A {noun(model)} has no editable field '{key}'.")
        setattr(row, key, value)
    try:
        session.flush()
    except StaleDataError:  # changed between our read and our write: the mapper's version check
        raise changed_meanwhile(label) from None
    return row


def changed_meanwhile(label: str) -> ConflictError:
    """The conflict of a stale edit to the record ``label`` (:func:`rpdesk.db.labels.describe`)."""
    return ConflictError(
        f"Somebody else changed {label} after you opened it, so your change was not saved and nothing "
        "was lost. Reload it to see their change, then make yours again."
    )
