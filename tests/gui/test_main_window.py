"""The main window fits a force laptop (1366×768 with a taskbar) and remembers its size."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize

from tests.gui.conftest import wait_idle

from rpdesk.gui.main_window import FRAME_ALLOWANCE, PREFERRED_SIZE, MainWindow, fit_window
from rpdesk.gui.pages import PAGES

#: A 1366×768 screen less a 40-pixel taskbar at the bottom.
LAPTOP = QRect(0, 0, 1366, 728)


def _frame_fits(content: QRect, available: QRect) -> bool:
    frame = content.adjusted(-FRAME_ALLOWANCE.width() // 2, -32, FRAME_ALLOWANCE.width() // 2, 8)
    return available.contains(frame)


def test_the_first_window_fits_the_screen_less_its_taskbar():
    content = fit_window(LAPTOP, PREFERRED_SIZE)
    assert content.height() < PREFERRED_SIZE.height() and content.width() == PREFERRED_SIZE.width()
    assert _frame_fits(content, LAPTOP)
    big = QRect(0, 0, 1920, 1040)
    assert fit_window(big, PREFERRED_SIZE).size() == PREFERRED_SIZE
    side_bar = QRect(60, 0, 1306, 768)  # a taskbar on the left
    assert _frame_fits(fit_window(side_bar, PREFERRED_SIZE), side_bar)


def test_every_page_fits_the_laptop_window(window, qtbot):
    room = fit_window(LAPTOP, PREFERRED_SIZE).size()
    for index, entry in enumerate(PAGES):
        window.nav.setCurrentRow(index)
        qtbot.waitUntil(lambda i=index: i in window.pages, timeout=20_000)
        wait_idle(qtbot, window.pages[index])
        needed = window.minimumSizeHint()
        assert needed.width() <= room.width() and needed.height() <= room.height(), (entry.title, needed)


def test_the_window_size_is_remembered(window, qtbot, monkeypatch):
    monkeypatch.setattr(MainWindow, "_available", lambda self: LAPTOP)  # the offscreen screen is 800×600
    window.resize(QSize(1100, 640))
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.size() == QSize(1100, 640)
    again.resize(QSize(1600, 1000))  # e.g. last used on a docked monitor
    again.close()
    smaller = MainWindow()
    qtbot.addWidget(smaller)
    assert _frame_fits(smaller.geometry(), LAPTOP)  # shrunk into the laptop's screen
    smaller.close()


def test_ctrl_comma_opens_settings_on_every_system(window, qtbot, monkeypatch):
    """QKeySequence.Preferences is empty off macOS; the README promises Ctrl+, everywhere."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QKeySequence

    from rpdesk.gui.dialogs.settings import SettingsDialog

    opened = []
    monkeypatch.setattr(SettingsDialog, "ask", classmethod(lambda cls, parent, settings: opened.append(settings)))
    settings_action = next(a for a in window.findChildren(QAction) if a.text() == "&Settings…")
    assert settings_action.shortcut() == QKeySequence("Ctrl+,")
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert opened == [window.settings]
