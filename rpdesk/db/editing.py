"""Edits of existing rows that detect a concurrent change instead of overwriting it.

A screen or command reads a row (with its ``version``), the user edits it, and the change is saved
in a new unit of work. :func:`update_row` refuses the save if the row's version has moved on since
it was read; the mapper's version counter also refuses a change that races in between.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from rpdesk.db.models import Versioned
from rpdesk.errors import ConflictError, UserError

T = TypeVar("T", bound=Versioned)


def update_row(session: Session, model: type[T], row_id: int, expected_version: int, changes: Mapping[str, Any]) -> T:
    """Apply ``changes`` to row ``row_id`` if it is still at ``expected_version``; return the row.

    ``model`` is any :class:`rpdesk.db.models.Versioned` model.
    """
    row = session.get(model, row_id)
    if row is None:
        raise ConflictError(f"That {model.__name__.lower()} (id {row_id}) was deleted by somebody else.")
    current = row.version
    if current != expected_version:
        raise ConflictError(
            f"Somebody else changed this {model.__name__.lower()} (id {row_id}) after you opened it "
            f"(version {expected_version} → {current}), so your change was not saved and nothing was lost. "
            "Reload it to see their change, then make yours again."
        )
    for key, value in changes.items():
        if not hasattr(model, key) or key in ("id", "version"):
            raise UserError(f"{model.__name__} has no editable field '{key}'.")
        setattr(row, key, value)
    session.flush()
    return row
