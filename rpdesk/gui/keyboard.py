"""Keyboard-first behaviour every dialog and table shares: a sergeant drives the app without a mouse.

A dialog opens on its first field, Tab goes through the fields top to bottom and then the buttons
(never Save first, so a space typed at once never presses it), Enter saves only a valid form (the
dialog's ``accept`` checks it and lists what is missing), and Escape on a form with typing in it
asks before discarding it. A table lets Tab and Ctrl+Tab move on to the next control (arrows move
within the table) and opens its row on Enter, as on double-click.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from rpdesk.gui.screen import FitsScreen

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def is_enter(event: QKeyEvent) -> bool:
    """Enter or Return with no modifier but the keypad's."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() in ENTER_KEYS and mods == Qt.KeyboardModifier.NoModifier


def configure_table(view: QAbstractItemView, on_open: Callable[[QModelIndex], None] | None = None) -> None:
    """Let Tab and Ctrl+Tab leave ``view`` (arrows move within it); open a row on Enter or double-click with
    ``on_open`` (Qt only emits ``activated`` on Enter, and passes the key on to the dialog around the table)."""
    view.setTabKeyNavigation(False)
    _while_focused(view, QKeySequence("Ctrl+Tab"), lambda: view.focusNextPrevChild(True))
    for keys in ("Ctrl+Shift+Tab", "Ctrl+Backtab"):
        _while_focused(view, QKeySequence(keys), lambda: view.focusNextPrevChild(False))
    if on_open is None:
        return
    for key in ENTER_KEYS:
        _while_focused(view, QKeySequence(key), lambda: _open_current(view, on_open))
    view.doubleClicked.connect(on_open)


def _while_focused(widget: QWidget, keys: QKeySequence, slot: Callable[[], object]) -> None:
    """A shortcut of ``widget`` alone: several tables on one page each open their own row."""
    shortcut = QShortcut(keys, widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(slot)


def _open_current(view: QAbstractItemView, on_open: Callable[[QModelIndex], None]) -> None:
    index = view.currentIndex()
    if index.isValid() and view.state() != QAbstractItemView.State.EditingState:
        on_open(index)


def field_values(window: QWidget) -> tuple[Any, ...]:
    """What the user can change in ``window``'s fields, to tell whether anything was typed or chosen."""
    values: list[Any] = []
    for widget in window.findChildren(QWidget):
        if widget.window() is not window:
            continue
        if isinstance(widget, QLineEdit):
            values.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit) and not widget.isReadOnly():
            values.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            values.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractSpinBox):
            values.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            values.append(widget.isChecked())
    return tuple(values)


def ask_discard(parent: QWidget, discard: Callable[[], None]) -> None:
    """Ask before a form with typing in it is closed; ``discard`` runs only on Discard (Keep editing is
    the default, and Escape keeps editing too)."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Discard your changes?",
        "You have typed or chosen something in this form. Close it and lose that?",
        parent=parent,
    )
    box.setObjectName("discard")
    chosen = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.finished.connect(lambda _r: discard() if box.clickedButton() is chosen else None)
    box.open()


class KeyboardDialog(FitsScreen, QDialog):
    """A dialog driven from the keyboard: first field focused, buttons last in the Tab order, Enter
    runs :meth:`accept` (which validates, so an invalid form shows what is missing), and Escape or
    the close button on a changed form asks "Discard your changes?" first. It fits its screen as it shows.

    Attributes:
        asks_before_discard: False for a dialog whose fields only filter what it shows.
    """

    asks_before_discard = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._opened_with: tuple[Any, ...] | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._opened_with is None:
            if self.focusWidget() is None:
                self.focusNextPrevChild(True)  # the first field: subclasses put their buttons last
            self.mark_unchanged()

    def mark_unchanged(self) -> None:
        """Take what the fields show now as the form's unchanged state (on opening, and after a reload)."""
        self._opened_with = field_values(self)

    @property
    def changed(self) -> bool:
        """Whether anything was typed or chosen since the form opened."""
        return self._opened_with is not None and field_values(self) != self._opened_with

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event):
            self.accept()  # the dialog's accept validates: a disabled Save still says what is missing
            return
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.close_asking()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if event.spontaneous() and self.asks_before_discard and self.changed:  # the window's close button
            event.ignore()
            ask_discard(self, self.reject)
            return
        super().closeEvent(event)

    def close_asking(self) -> None:
        """Escape, Cancel or the close button: ask first when something was typed or chosen (a form
        closed by the program, e.g. with its window, closes without asking)."""
        if self.asks_before_discard and self.changed:
            ask_discard(self, self.reject)
        else:
            self.reject()
