"""Date fields as a sergeant uses them: typed in UK order from empty, Tab moves on, the calendar opens
where it matters, an optional date clears, and an unusual date asks before it is saved."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from rpdesk.services.wards import list_wards
from tests.gui.conftest import wait_idle
from tests.gui.test_surveys_page import open_round

from rpdesk.gui.date_field import DateField
from rpdesk.gui.dialogs.action import ActionDialog
from rpdesk.gui.dialogs.survey_form import SurveyFormDialog


def _action_dialog(qtbot, ctx) -> tuple[ActionDialog, str]:
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    dialog = ActionDialog(ctx, ward.code, ["Council street scene"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog, ward.code


def test_typing_a_uk_date_into_the_empty_due_field_gives_that_date(qtbot, ctx):
    dialog, _ward = _action_dialog(qtbot, ctx)
    assert dialog.due.edit.text() == "" and dialog.due.date() is None
    dialog.due.setFocus()
    qtbot.keyClicks(dialog.due.edit, "15/01/2027")
    assert dialog.due.edit.text() == "15/01/2027"
    assert dialog.values()["due_date"] == dt.date(2027, 1, 15)


def test_a_short_date_is_put_back_in_full_when_the_field_is_left(qtbot, ctx):
    dialog, _ward = _action_dialog(qtbot, ctx)
    dialog.due.setFocus()
    qtbot.keyClicks(dialog.due.edit, "15/1/27")
    qtbot.keyClick(dialog.due.edit, Qt.Key.Key_Tab)
    assert dialog.due.edit.text() == "15/01/2027"


def test_tab_leaves_an_empty_due_field(qtbot, ctx):
    dialog, _ward = _action_dialog(qtbot, ctx)
    dialog.due.setFocus()
    assert QApplication.focusWidget() is dialog.due.edit
    qtbot.keyClick(dialog.due.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.review.edit
    assert dialog.due.edit.text() == ""


def test_the_calendar_opens_on_today_and_picks_a_day(qtbot, ctx):
    dialog, _ward = _action_dialog(qtbot, ctx)
    dialog.due.setFocus()
    qtbot.keyClick(dialog.due.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = dialog.due.calendar
    assert calendar.isVisible()
    today = dt.date.today()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)  # never January 2000
    calendar.activated.emit(QDate(2027, 1, 15))
    assert not calendar.isVisible()
    assert dialog.due.date() == dt.date(2027, 1, 15) and dialog.due.edit.text() == "15/01/2027"


def test_an_optional_date_is_cleared_by_emptying_it(qtbot, ctx):
    field = DateField(dt.date(2027, 1, 15), optional=True)
    qtbot.addWidget(field)
    assert field.date() == dt.date(2027, 1, 15)
    field.edit.clear()
    assert field.date() is None and field.problem() is None


def test_a_date_that_does_not_exist_is_refused_naming_the_field_and_nothing_is_saved(qtbot, ctx):
    dialog, _ward = _action_dialog(qtbot, ctx)
    dialog.title_edit.setText("Clean the underpass")
    dialog.owner.setText("PC Jo Turner")
    dialog.due.edit.setText("31/02/2027")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Due: '31/02/2027' is not a day of the calendar" in dialog.problem_label.text()
    assert dialog.isVisible() and not dialog.saving


def test_leaving_a_field_that_is_not_a_date_says_so_at_once(qtbot, ctx):
    dialog, _ward = _action_dialog(qtbot, ctx)
    dialog.due.setFocus()
    qtbot.keyClicks(dialog.due.edit, "15/13/2027")
    qtbot.keyClick(dialog.due.edit, Qt.Key.Key_Tab)
    assert dialog.due.edit.text() == "15/13/2027"  # kept as typed, to put right
    assert "Due: '15/13/2027' is not a day of the calendar" in dialog.due.edit.toolTip()
    assert dialog.due.edit.accessibleDescription() == dialog.due.problem()
    dialog.due.edit.setText("15/12/2027")
    dialog.due.edit.editingFinished.emit()
    assert "Alt+Down" in dialog.due.edit.toolTip() and dialog.due.edit.accessibleDescription() == ""


def test_a_required_date_left_empty_is_refused(qtbot):
    field = DateField(dt.date(2026, 11, 3))
    qtbot.addWidget(field)
    field.setAccessibleName("Date")
    field.edit.clear()
    assert field.problem() == "Date: type a date as dd/mm/yyyy, e.g. 15/01/2027."


def _paper_form(qtbot, ctx):
    page, rnd = open_round(qtbot, ctx)
    dialog = SurveyFormDialog(ctx, page.rounds, page.issues, rnd.id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, rnd, page


def test_the_paper_form_calendar_opens_on_the_rounds_dates(qtbot, ctx):
    dialog, rnd, _page = _paper_form(qtbot, ctx)
    assert rnd.end_date < dt.date.today(), "the demo's latest round is over"
    dialog.day.edit.clear()
    dialog.day.open_calendar()
    shown = (dialog.day.calendar.yearShown(), dialog.day.calendar.monthShown())
    assert shown == (rnd.end_date.year, rnd.end_date.month)


def test_a_paper_form_dated_outside_its_round_asks_before_saving(qtbot, ctx):
    dialog, rnd, page = _paper_form(qtbot, ctx)
    dialog.respondent.setText("P-9101")
    dialog.grid["litter"][0].setCurrentIndex(dialog.grid["litter"][0].findData(2))
    dialog.day.edit.setText(f"28/02/{rnd.start_date.year}")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    box = dialog.findChild(QMessageBox, "doubts")
    assert box is not None and box.isVisible()
    assert f"Date: 28/02/{rnd.start_date.year} is outside round {rnd.name}" in box.text()
    assert box.defaultButton().text().replace("&", "") == "Go back"
    box.defaultButton().click()
    assert not dialog.saving and dialog.isVisible()  # nothing saved; the form is as typed
    assert dialog.day.edit.text() == f"28/02/{rnd.start_date.year}"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    box = dialog.findChildren(QMessageBox, "doubts")[-1]
    save = next(b for b in box.buttons() if b.text().replace("&", "") == "Save anyway")
    with qtbot.waitSignal(dialog.saved, timeout=20_000):
        save.click()
    wait_idle(qtbot, page)
