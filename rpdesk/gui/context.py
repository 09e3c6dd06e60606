"""What every page and dialog is given instead of global singletons: database, runner, settings, bus."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # SQLAlchemy loads on the database thread, after the window has painted
    from rpdesk.db.database import Database
    from rpdesk.settings import Settings

    from rpdesk.gui.tasks import TaskRunner


class ChangeBus(QObject):
    """App-wide notice that a unit of work changed some tables; each view decides whether to refresh.

    Signals:
        changed(frozenset): names of the tables written (e.g. ``{"abstraction", "duty_record"}``).
        settings_changed(): the settings were saved.
    """

    changed = Signal(object)
    settings_changed = Signal()

    def notify(self, *tables: str) -> None:
        self.changed.emit(frozenset(tables))


@dataclass
class AppContext:
    database: Database
    runner: TaskRunner
    settings: Settings
    bus: ChangeBus
