"""GUI fixtures: an application context over the demo database, and a main window that has opened it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from rpdesk.db.database import Database
from rpdesk.settings import Settings

from rpdesk.gui.context import AppContext, ChangeBus
from rpdesk.gui.tasks import TaskRunner


@pytest.fixture
def ctx(demo_db: Database, qapp) -> Iterator[AppContext]:
    """Database, a real background runner, default settings and a change bus."""
    runner = TaskRunner(demo_db)
    bus = ChangeBus()
    bus.watch(runner)
    yield AppContext(demo_db, runner, Settings.load(), bus)
    runner.shutdown()


@pytest.fixture
def window(demo_db: Database, qtbot):
    """The main window with the demo database open and its first page loaded."""
    from rpdesk.gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.database_opened, timeout=20_000):
        win.open_database(str(demo_db.url))
    qtbot.waitUntil(lambda: not win.busy, timeout=20_000)
    return win


def wait_idle(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.busy and not page.ctx.runner.busy, timeout=20_000)


def shown(qtbot, page, ward) -> None:
    """Show ``page`` at a laptop's size and give it ``ward``, as the main window does."""
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.set_ward(ward)


@contextmanager
def app_font(qapp, points: float | None) -> Iterator[None]:
    """The application font at ``points`` (large text, as a user's system setting gives it) for the block."""
    from PySide6.QtGui import QFont

    before = QFont(qapp.font())
    if points:
        large = QFont(before)
        large.setPointSizeF(points)
        qapp.setFont(large)
    try:
        yield
    finally:
        qapp.setFont(before)


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread() -> Iterator[None]:
    """Collect each test's Qt objects here, on the GUI thread: a collection that happens to run on a
    database thread deletes them there, which crashes shiboken."""
    yield
    gc.collect()
