"""What every page and dialog is given instead of global singletons: database, runner, settings, bus."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # SQLAlchemy loads on the database thread, after the window has painted
    from rpdesk.db.database import Database
    from rpdesk.settings import Settings

    from rpdesk.gui.tasks import TaskRunner


@dataclass(frozen=True)
class Changes:
    """What one unit of work changed, and who asked for it (Anki's ``OpChanges``).

    Attributes:
        tables: names of the tables the work wrote, collected by the change-log hooks
            (:func:`rpdesk.db.changelog.changed_tables`), never typed by hand.
        initiator: the page or dialog that started the work; it refreshes itself from the work's
            result, so it skips the notice (one adoption ranks once, not twice).
    """

    tables: frozenset[str]
    initiator: object | None = None

    def concern(self, viewer: object, tables: frozenset[str]) -> bool:
        """Whether ``viewer``, which shows ``tables``, should refresh for these changes."""
        return viewer is not self.initiator and bool(self.tables & tables)


class ChangeBus(QObject):
    """App-wide notice that a unit of work changed some tables; each view decides whether to refresh.

    Signals:
        changed(Changes): the tables written and the initiator.
        settings_changed(): the settings were saved.
    """

    changed = Signal(object)
    settings_changed = Signal()

    def watch(self, runner: TaskRunner) -> None:
        """Publish the change set of every task ``runner`` finishes."""
        runner.changed.connect(self.changed.emit)


@dataclass
class AppContext:
    database: Database
    runner: TaskRunner
    settings: Settings
    bus: ChangeBus
