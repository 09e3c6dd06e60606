"""The common base of every page in the main window's navigation."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from rpdesk.services.wards import WardInfo

    from rpdesk.gui.context import AppContext, Changes
    from rpdesk.gui.tasks import TaskState


class Page(QWidget):
    """A page shows one ward's part of the work.

    Subclasses set ``title`` and ``tables`` (the tables the page shows: a change set naming one of
    them makes the page stale) and
    implement :meth:`refresh`, which reloads what the page shows for ``self.ward`` (in the
    background through :meth:`run` when it may take more than ~100 ms).

    Attributes:
        ctx: the application context (database, task runner, settings, change bus).
        ward: the ward shown, or None when the database has no wards yet.
    """

    title: ClassVar[str] = ""
    tables: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ward: WardInfo | None = None
        self._pending: set[TaskState] = set()
        self.setAccessibleName(self.title)
        ctx.bus.changed.connect(self._on_changed)

    def set_ward(self, ward: WardInfo | None) -> None:
        """Show ``ward`` (called by the main window's ward switcher)."""
        self.ward = ward
        if ward is not None:
            self._log_consultation(ward)
        self.refresh()

    def _log_consultation(self, ward: WardInfo) -> None:
        """Log (DPA 2018 s.62) that this page shows the ward's records, on the database thread."""
        from rpdesk.services.audit import consulted

        database, how = self.ctx.database, {"channel": "gui", "page": self.title}
        state = self.ctx.runner.submit(lambda _p, _c: consulted(database, ward.code, how), title="Logging")
        state.failed.connect(self.show_error)  # a read-only or busy database is read unlogged, not an error

    def refresh(self) -> None:
        """Reload everything the page shows for the current ward."""
        raise NotImplementedError

    def run(
        self, fn: Callable[..., Any], *args: Any, title: str, on_done: Callable[[Any], None], **kwargs: Any
    ) -> None:
        """Run ``fn(session, *args)`` on the database thread and hand its result to ``on_done``."""
        state = self.ctx.runner.run(fn, *args, title=title, initiator=self, **kwargs)
        self._pending.add(state)
        state.done.connect(on_done)
        state.failed.connect(self.show_error)
        state.finished.connect(lambda: self._pending.discard(state))

    @property
    def busy(self) -> bool:
        """Whether a load started by this page is still running (snapshots wait for it)."""
        return bool(self._pending)

    def show_error(self, exc: object) -> None:
        from rpdesk.gui.messages import show_error

        show_error(self, self.title, exc)

    def _on_changed(self, changes: Changes) -> None:
        """Refresh when another page or dialog wrote a table this page shows; a page's own writes
        refresh it through their ``on_done`` instead (never twice)."""
        if self.ward is not None and changes.concern(self, self.tables):
            self.refresh()


def heading(text: str) -> QLabel:
    """A section heading in the house style (bold, a little larger than body text)."""
    label = QLabel(text)
    label.setObjectName("heading")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    return label
