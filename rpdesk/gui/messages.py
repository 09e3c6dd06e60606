"""Message boxes for errors: a user's mistake gets its message, a bug gets a short apology, never a traceback."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from rpdesk.errors import Cancelled, UserError

log = logging.getLogger(__name__)


def error_text(exc: object) -> str:
    """What to tell the user about ``exc``."""
    if isinstance(exc, UserError | Cancelled):
        return str(exc)
    log.error("unexpected error", exc_info=exc if isinstance(exc, BaseException) else None)
    return f"Something went wrong inside rpdesk ({type(exc).__name__}: {exc}). Nothing was saved."


def show_error(parent: QWidget | None, title: str, exc: object) -> None:
    if isinstance(exc, Cancelled):
        return
    QMessageBox.warning(parent, title, error_text(exc))
