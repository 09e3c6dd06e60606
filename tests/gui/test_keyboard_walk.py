"""A keyboard-only walk through every page and every dialog of the main window, on every display.

The walk runs on a 1366×768 laptop at 100%, 125% and 150% scaling, with 13.5 pt text and under a
high-contrast palette (tests/gui/displays.py).

Pages come from the navigation (the page registry); dialogs are opened as a user opens them: every
page button and menu item that opens one ("…"), and Enter on the first row of every table. A dialog
class defined in rpdesk.gui that the walk never reached fails the test, so a new dialog is covered
(or the walk is taught to reach it). The walk fails on a mnemonic clash (the menu bar's File, Go,
Help included), a focus trap (Tab must visit every field and button and come back round, each press
moving on), a dialog that does not open on its first field or tabs to its buttons before its fields,
a table that keeps Tab, and a data-changing choice made before the user made it.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import pkgutil
from collections import defaultdict
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QWidget,
    QWizard,
    QWizardPage,
)

from tests.gui.conftest import wait_idle
from tests.gui.displays import DISPLAYS, high_contrast_palette, on_display

import rpdesk.gui
from rpdesk.gui.pages import PAGES

#: Choices a new-record form may open with already made, and why (anything else starts unchosen).
PRESET = {
    ("ObservationDialog", "Status"): "a finding just seen on the walk is open",
    ("SurveyFormDialog", "Round"): "the round chosen on the Surveys page",
    ("PlaceDialog", "Where"): "the point the user picked on the map",
}
#: Dialog classes the window never opens itself, and why.
NOT_OPENED_FROM_THE_WINDOW = {"ProgressDialog": "progress of a task: a Cancel button, no fields"}


def takes_tab(widget: QWidget) -> bool:
    """Whether Tab may stop on ``widget`` (a compound field's inner part stops on its proxy instead)."""
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None


def focus_chain(window: QWidget) -> list[QWidget]:
    """The widgets of ``window`` in its Tab order, whether shown or not (pop-ups and other windows left out)."""
    out: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not window and widget is not None and len(out) < 5000:
        if widget.window() is window and takes_tab(widget):
            out.append(widget)
        widget = widget.nextInFocusChain()
    return out


def tab_stops(window: QWidget) -> list[QWidget]:
    """The widgets Tab stops on now: in the Tab order, shown and enabled."""
    return [w for w in focus_chain(window) if w.isVisible() and w.isEnabled()]


def dialog_buttons(window: QWidget) -> list[QWidget]:
    """The dialog's own buttons (Save, Cancel, Close, a wizard's Back and Next): the end of the Tab order."""
    found: list[QWidget] = []
    for box in window.findChildren(QDialogButtonBox):
        if box.window() is window:
            found += box.buttons()
    return found


def mnemonic(text: str) -> str | None:
    """The letter after a single '&' ('&&' is a literal ampersand)."""
    i = 0
    while (i := text.find("&", i)) >= 0 and i + 1 < len(text):
        if text[i + 1] != "&":
            return text[i + 1].lower()
        i += 2
    return None


def owners(widget: QWidget) -> list[tuple[str, str]]:
    """The mnemonics ``widget`` answers to, each with what it is."""
    texts: list[str] = []
    button = isinstance(widget, QAbstractButton) and not isinstance(widget.parentWidget(), QMenu)
    if button or (isinstance(widget, QLabel) and widget.buddy() is not None):
        texts = [widget.text()]
    elif isinstance(widget, QGroupBox):
        texts = [widget.title()]
    elif isinstance(widget, QTabBar):
        texts = [widget.tabText(i) for i in range(widget.count())]
    elif isinstance(widget, QMenuBar):
        texts = [a.text() for a in widget.actions()]
    return [(letter, f"{type(widget).__name__} '{t}'") for t in texts if (letter := mnemonic(t))]


def _is_page(widget: QWidget) -> bool:
    return isinstance(widget.parentWidget(), QStackedWidget) or isinstance(widget, QWizardPage)


def _direct(root: QWidget) -> list[QWidget]:
    """``root`` and the widgets under it that are not on a page of a stack below it (a tab, a wizard page)."""
    out, todo = [], [root]
    while todo:
        widget = todo.pop()
        out.append(widget)
        todo += [
            c
            for c in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if not c.isWindow() and not _is_page(c)
        ]
    return out


def scopes(window: QWidget) -> list[list[QWidget]]:
    """Widgets that can be on screen together: the window's own, with one page of each stack (tab, page)."""
    base = _direct(window)
    pages = [w for w in window.findChildren(QWidget) if _is_page(w) and w.window() is window]
    out = []
    for page in pages:
        scope, node = list(base), page
        while node is not None and node is not window:
            if _is_page(node):
                scope += _direct(node)
            node = node.parentWidget()
        out.append(scope)
    return out or [base]


def clashes(window: QWidget) -> list[str]:
    found = set()
    for scope in scopes(window):
        by_letter: dict[str, list[str]] = defaultdict(list)
        for widget in scope:
            for letter, what in owners(widget):
                by_letter[letter].append(what)
        found |= {f"Alt+{k.upper()}: {', '.join(sorted(v))}" for k, v in by_letter.items() if len(v) > 1}
    labels = [w for w in window.findChildren(QLabel) if w.window() is window and w.buddy() is None]
    dead = [w.text() for w in labels if (m := mnemonic(w.text())) and m.isalnum() and "<" not in w.text()]
    found |= {f"a label shows its '&' (no field to go to): {text!r}" for text in dead}
    return sorted(found)


def tab_round(window: QWidget, start: QWidget, qtbot) -> list[QWidget]:
    """Focus ``start`` and press Tab until focus is back on it; the widgets focused on the way."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = [window.focusWidget()]
    for _press in range(len(tab_stops(window)) + 3):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        now = window.focusWidget()
        assert now is not seen[-1], f"{type(now).__name__} '{now.accessibleName()}' keeps Tab"
        if now is seen[0]:
            return seen
        seen.append(now)
    raise AssertionError(f"Tab never came back to the start: {[w.accessibleName() for w in seen]}")


def _top(widget: QWidget, window: QWidget) -> tuple[int, int]:
    corner = widget.mapTo(window, QPoint(0, 0))
    return corner.y() + widget.height() // 2, corner.x()


def _area(widget: QWidget) -> QWidget | None:
    """The scroll area ``widget`` scrolls in (its place on screen depends on the scrolling)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def check_dialog(dialog: QDialog, qtbot) -> list[str]:
    """Everything wrong with ``dialog`` for a keyboard user, as it has just opened."""
    problems = [f"mnemonic clash {c}" for c in clashes(dialog)]
    buttons = [b for b in dialog_buttons(dialog) if b.isVisible() and b.isEnabled()]
    fields = [w for w in tab_stops(dialog) if w not in buttons]
    if fields:
        first = min(fields, key=lambda w: _top(w, dialog))
        if dialog.focusWidget() is not first:
            focused = dialog.focusWidget()
            problems.append(f"opens on {focused and focused.accessibleName()!r}, not on {first.accessibleName()!r}")
        visited = tab_round(dialog, first, qtbot)
        missing = [w.accessibleName() or type(w).__name__ for w in fields + buttons if w not in visited]
        if missing:
            problems.append(f"Tab never reaches {missing}")
        order = [w for w in visited if w in fields or w in buttons]
        if buttons and any(w in fields for w in order[order.index(buttons[0]) if buttons[0] in order else 0 :]):
            problems.append("Tab reaches the buttons before the last field")
        placed = [(_area(w), _top(w, dialog)[0]) for w in order if w in fields]
        if any(b[0] is a[0] and b[1] < a[1] - 8 for a, b in itertools.pairwise(placed)):
            problems.append("Tab goes back up the form")
    problems += _tab_keeping_views(dialog)
    if getattr(dialog, "reload_call", lambda: True)() is None:  # a new record: nothing chosen for the user
        problems += _preset_choices(dialog)
    return problems


def _tab_keeping_views(window: QWidget) -> list[str]:
    views = [v for v in window.findChildren(QAbstractItemView) if v.window() is window]
    return [f"table {v.accessibleName()!r} keeps Tab" for v in views if v.tabKeyNavigation()]


def _preset_choices(dialog: QDialog) -> list[str]:
    out = []
    for box in dialog.findChildren(QComboBox):
        if box.window() is not dialog or box.isEditable() or not box.isEnabled() or box.count() < 2:
            continue
        chosen = box.currentIndex() >= 0 and box.currentData() is not None
        if chosen and (type(dialog).__name__, box.accessibleName()) not in PRESET:
            out.append(f"{box.accessibleName()!r} opens with {box.currentText()!r} already chosen")
    return out


def _dialog_classes() -> set[str]:
    """Every dialog class defined under rpdesk.gui."""
    names = set()
    for info in pkgutil.walk_packages(rpdesk.gui.__path__, "rpdesk.gui."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, QDialog | QWizard):
                names.add(name)
    return names - {"FormDialog", "KeyboardDialog"}


def _quiet_system_dialogs(monkeypatch) -> None:
    """File choosers and message boxes answer at once (their own event loop would wait for a person)."""
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, lambda *_a, **_k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: "")
    for name in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, lambda *_a, **_k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "about", lambda *_a, **_k: None)


def _open_from(page: QWidget, qtbot) -> None:
    """Choose the first row of every table, press every button of ``page`` that opens a dialog ('…'),
    then Enter on the first row of each table (it opens the row)."""
    views = [v for v in page.findChildren(QAbstractItemView) if v.isVisible() and v.model() is not None]
    views = [v for v in views if v.model().rowCount() > 0]
    for view in views:
        view.setCurrentIndex(view.model().index(0, 0))
    for button in page.findChildren(QPushButton):
        if button.text().endswith("…") and button.isVisible() and button.isEnabled():
            button.click()
            wait_idle(qtbot, page)
    window = page.window()
    for view in views:
        window.activateWindow()  # Enter reaches the focused table of the active window
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        view.setFocus()
        view.setCurrentIndex(view.model().index(0, 0))
        qtbot.keyClick(view, Qt.Key.Key_Return)
        wait_idle(qtbot, page)


@pytest.fixture(params=[*DISPLAYS, "high contrast"])
def laptop(request, qapp, monkeypatch):
    """The 1366×768 laptop at each scale, with large text, and under a high-contrast palette."""
    with on_display("100%" if request.param == "high contrast" else request.param, qapp, monkeypatch):
        if request.param == "high contrast":
            with high_contrast_palette(qapp):
                yield request.param
        else:
            yield request.param


def test_every_page_and_dialog_can_be_driven_from_the_keyboard(laptop, window, qtbot, monkeypatch):
    window.settings.user_role = "supervisor"  # the audit log is for supervisors
    _quiet_system_dialogs(monkeypatch)
    problems: dict[str, list[str]] = defaultdict(list)
    kept: list[QDialog] = []  # deleted on this thread at the end, never by a collection on a worker's

    def walked(dialog: QDialog) -> int:
        kept.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.wait(10)
        name = type(dialog).__name__
        if isinstance(dialog, QMessageBox) or name in problems:
            dialog.hide()
            return 0
        problems[name] += check_dialog(dialog, qtbot)
        if isinstance(dialog, QWizard):
            problems[name] += [f"page {dialog.currentId()}: {p}" for p in clashes(dialog)]
        dialog.asks_before_discard = False  # closed by the walk without asking
        dialog.done(0)
        return 0

    monkeypatch.setattr(QDialog, "exec", walked)
    monkeypatch.setattr(QWizard, "exec", walked)
    window.show()
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if action.text().endswith("…") and "database" not in action.text():
                action.trigger()
    for index, entry in enumerate(PAGES):
        window.nav.setCurrentRow(index)
        qtbot.waitUntil(lambda i=index: i in window.pages, timeout=20_000)
        page = window.pages[index]
        wait_idle(qtbot, page)
        gate = getattr(page, "gate", None)
        if gate is not None and gate.isVisible():  # Signals: past the assumption check to the ranking
            gate.skip_button.click()
            wait_idle(qtbot, page)
        problems[entry.title] += _tab_keeping_views(window)
        visited = tab_round(window, window.nav, qtbot)
        missing = [w.accessibleName() or type(w).__name__ for w in tab_stops(window) if w not in visited]
        if missing:
            problems[entry.title].append(f"Tab never reaches {missing}")
        _open_from(page, qtbot)
    problems["main window"] += [f"mnemonic clash {c}" for c in clashes(window)]  # with every page in turn
    from rpdesk.gui.dialogs.passphrase import PassphraseDialog  # asked on opening an encrypted database

    PassphraseDialog.ask(window, Path("ward.sqlite"), new=True, keyring=False)
    for dialog in kept:
        dialog.deleteLater()
    QApplication.processEvents()
    walked_dialogs = {n for n in problems if n not in {e.title for e in PAGES}}
    never = _dialog_classes() - walked_dialogs - set(NOT_OPENED_FROM_THE_WINDOW)
    assert not never, f"dialogs the walk never opened: {sorted(never)}"
    found = [f"{where}: {problem}" for where, listed in problems.items() for problem in listed]
    assert not found, "\n".join(found)
