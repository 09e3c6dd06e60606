"""Keyboard first: forms open on their first field, Enter saves only a valid form, Escape asks before
discarding typing, Change status picks nothing for the user, and tables let Tab go and open rows on Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from rpdesk.services import actions
from rpdesk.services.wards import list_wards
from tests.gui.conftest import wait_idle
from tests.gui.test_keyboard_walk import tab_stops

from rpdesk.gui.dialogs.action import ActionDialog, StatusDialog
from rpdesk.gui.pages.actions import ActionsPage


def _page(qtbot, ctx) -> ActionsPage:
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    page = ActionsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.set_ward(ward)
    wait_idle(qtbot, page)
    return page


def _opened(qtbot, dialog: QDialog) -> QDialog:
    # closed at the end of the test without asking about what the test typed
    qtbot.addWidget(dialog, before_close_func=lambda d: setattr(d, "asks_before_discard", False))
    dialog.show()
    dialog.activateWindow()  # keys go to the dialog, as when it opens over the page
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _answer(qtbot, dialog: QDialog, text: str) -> str:
    """Press the button ``text`` of the question ``dialog`` has just asked; the question's title."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=5_000)
    box = QApplication.activeModalWidget()
    assert box.parent() is dialog
    next(b for b in box.buttons() if b.text().replace("&", "") == text).click()
    return box.windowTitle()


def test_a_form_opens_on_its_first_field_and_typing_at_once_lands_there(qtbot, ctx):
    page = _page(qtbot, ctx)
    dialog = _opened(qtbot, ActionDialog(ctx, page.ward.code, page.partners))
    assert dialog.focusWidget() is dialog.title_edit
    qtbot.keyClicks(dialog.focusWidget(), "Clear the underpass ")  # a space never presses Save
    assert dialog.isVisible() and dialog.title_edit.text() == "Clear the underpass "
    stops = tab_stops(dialog)
    buttons = dialog.buttons.buttons()
    assert stops[0] is dialog.title_edit and set(stops[-len(buttons) :]) == set(buttons)


def test_enter_on_an_invalid_form_says_what_is_missing_and_saves_nothing(qtbot, ctx):
    page = _page(qtbot, ctx)
    before = len(page.records)
    dialog = _opened(qtbot, ActionDialog(ctx, page.ward.code, page.partners))
    qtbot.keyClicks(dialog.title_edit, "Cut back the hedge")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.saving
    assert "An action needs an owner" in dialog.problem_label.text()
    dialog.owner.setText("PC Jo Turner")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.keyClick(dialog.owner, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    wait_idle(qtbot, page)
    assert len(page.records) == before + 1


def test_change_status_preselects_nothing_and_enter_asks_for_a_status(qtbot, ctx):
    page = _page(qtbot, ctx)
    page.table.view.selectRow(0)
    action = page.selected()
    dialog = _opened(qtbot, StatusDialog(ctx, action))
    assert dialog.status.currentIndex() == -1 and dialog.status.currentText() == ""
    assert not dialog.save_button.isEnabled()
    assert dialog.focusWidget() is dialog.status
    qtbot.keyClick(dialog.status, Qt.Key.Key_Return)
    assert dialog.isVisible() and "Choose the new status." in dialog.problem_label.text()
    with ctx.database.session() as s:
        assert actions.get_action(s, action.id).status == action.status
    dialog.status.setCurrentIndex(0)
    assert dialog.save_button.isEnabled()


def test_escape_on_a_changed_form_asks_first_and_on_an_unchanged_form_just_closes(qtbot, ctx):
    page = _page(qtbot, ctx)
    untouched = _opened(qtbot, ActionDialog(ctx, page.ward.code, page.partners))
    qtbot.keyClick(untouched.focusWidget(), Qt.Key.Key_Escape)
    assert not untouched.isVisible()

    dialog = _opened(qtbot, ActionDialog(ctx, page.ward.code, page.partners))
    qtbot.keyClicks(dialog.title_edit, "Light the footpath")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Escape)
    assert _answer(qtbot, dialog, "Keep editing") == "Discard your changes?"
    assert dialog.isVisible() and dialog.title_edit.text() == "Light the footpath"
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Escape)
    _answer(qtbot, dialog, "Discard")
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_tab_leaves_a_table_and_enter_opens_its_row(qtbot, ctx, monkeypatch):
    page = _page(qtbot, ctx)
    opened: list[QDialog] = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(self) or 0)
    view = page.table.view
    view.setFocus()
    last = page.model.rowCount() - 1
    assert last >= 1, "the demo ward lists actions"
    view.selectRow(last)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert page.focusWidget() is not view  # not walking the cells
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert page.focusWidget() is not view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert [type(d) for d in opened] == [ActionDialog]
    assert opened[0].action.id == page.model.record(last).id
    cell = view.visualRect(view.model().index(0, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # a double-click's first press
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert len(opened) == 2 and opened[1].action.id == page.model.record(0).id
