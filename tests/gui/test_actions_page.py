"""Partner actions: overdue highlighting, adding through the form, and a conflicting edit that loses nothing."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from rpdesk.domain.action_rules import action_problems
from rpdesk.domain.action_status import transition_problem
from rpdesk.domain.vocabulary import ActionStatus
from rpdesk.services import actions
from rpdesk.services.wards import list_wards
from tests.gui.conftest import wait_idle

from rpdesk.gui.dialogs.action import ActionDialog, StatusDialog
from rpdesk.gui.pages.actions import OVERDUE, ActionsPage


def _open_page(qtbot, ctx):
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    page = ActionsPage(ctx)
    qtbot.addWidget(page)
    page.set_ward(ward)
    wait_idle(qtbot, page)
    return page, ward


def test_overdue_actions_are_highlighted_and_counted(qtbot, ctx):
    page, ward = _open_page(qtbot, ctx)
    with ctx.database.session() as s:
        overdue = actions.overdue_actions(s, ward=ward.code, due_soon_days=14)
    assert overdue, "the demo ward has overdue actions"
    assert page.tiles["overdue"].value.text() == str(len(overdue))
    colours = [page.model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) for r in range(page.model.rowCount())]
    assert sum(1 for c in colours if c is not None and c.color() == OVERDUE) == len(overdue)


def test_adding_an_action_through_the_form_shows_it_in_the_table(qtbot, ctx):
    page, ward = _open_page(qtbot, ctx)
    dialog = ActionDialog(ctx, ward.code, page.partners)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Cut back the hedge on Mill Lane")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.problem_label.text() == f"• {action_problems(owner='')[0]}"  # validated before saving: no owner yet
    dialog.owner.setText("PC Jo Turner")
    dialog.partner.setCurrentText("Council street scene")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page)
    titles = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert "Cut back the hedge on Mill Lane" in titles


def test_the_form_refuses_in_the_words_of_the_action_rules_before_saving(qtbot, ctx):
    page, ward = _open_page(qtbot, ctx)
    dialog = ActionDialog(ctx, ward.code, page.partners)
    qtbot.addWidget(dialog)
    dialog.show()
    today = dt.date.today()
    dialog.title_edit.setText("Clear the underpass")
    dialog.owner.setText("PC Jo Turner")
    dialog.due.set_date(today - dt.timedelta(days=3))
    dialog.review.set_date(today + dt.timedelta(days=7))
    dialog.public.setChecked(True)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)  # Enter asks the rules; it saves nothing
    rules = action_problems(
        due=today - dt.timedelta(days=3), review=today + dt.timedelta(days=7), created=today, public=True
    )
    assert [p.field for p in rules] == ["review_date", "due_date", "control_signal"]
    assert dialog.problem_label.text() == "\n".join(f"• {p}" for p in rules)
    assert dialog.isVisible() and dialog.result_value is None
    # each problem is beside its field too: its label in the alert colour, the words for a screen reader
    beside = {key: dialog.keyed[key].accessibleDescription() for key in ("title", "review_date", "control_signal")}
    assert beside == {"title": "", "review_date": rules[0].text, "control_signal": rules[2].text}
    assert dialog.form.labelForField(dialog.control_signal).styleSheet() != ""
    assert dialog.control_signal.toolTip() == rules[2].text
    dialog.public.setChecked(False)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert dialog.control_signal.accessibleDescription() == "" and dialog.control_signal.toolTip() == ""
    assert dialog.form.labelForField(dialog.control_signal).styleSheet() == ""


def test_a_conflicting_edit_shows_the_conflict_and_keeps_the_typing(qtbot, ctx):
    page, ward = _open_page(qtbot, ctx)
    page.table.view.selectRow(0)
    action = page.selected()
    dialog = ActionDialog(ctx, ward.code, page.partners, action)
    qtbot.addWidget(dialog)
    dialog.show()
    # somebody else saves a change to the same action meanwhile
    with ctx.database.session() as s:
        actions.update_action(s, action.id, action.version, {"owner": "PS Somebody Else"})
    dialog.title_edit.setText("My reworded title")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "conflict") is not None, timeout=10_000)
    box = dialog.findChild(QMessageBox, "conflict")
    assert "Somebody else changed" in box.text()
    assert dialog.title_edit.text() == "My reworded title"  # nothing typed was lost
    assert "Somebody else changed" in dialog.problem_label.text()
    with ctx.database.session() as s:
        assert actions.get_action(s, action.id).title == action.title  # and nothing was overwritten
    # Reload brings their version in
    width = dialog.title_edit.width()
    reload = next(b for b in box.buttons() if b.text().replace("&", "").startswith("Reload"))
    qtbot.mouseClick(reload, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.owner.text() == "PS Somebody Else", timeout=10_000)
    qtbot.waitUntil(lambda: dialog.title_edit.width() >= width)  # the panel widens the form, not squeezes it
    # ... and keeps mine beside it to compare: only what differs from theirs
    assert dialog.title_edit.text() == action.title
    assert dialog.yours.isVisible()
    assert "Title: My reworded title" in dialog.yours.text.text()
    assert "Owner" not in dialog.yours.text.text()  # theirs; I had not changed it


def test_reload_in_change_status_shows_their_status_and_keeps_my_note(qtbot, ctx):
    page, _ward = _open_page(qtbot, ctx)
    page.table.view.selectRow(0)
    action = page.selected()
    assert action.status == "open"
    dialog = StatusDialog(ctx, action)
    qtbot.addWidget(dialog)
    dialog.show()
    with ctx.database.session() as s:  # somebody else starts it meanwhile
        actions.change_status(s, action.id, action.version, "in_progress")
    dialog.status.setCurrentIndex(dialog.status.findData("cancelled"))
    dialog.note.setText("Council dealt with it")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "conflict") is not None, timeout=10_000)
    box = dialog.findChild(QMessageBox, "conflict")
    reload = next(b for b in box.buttons() if b.text().replace("&", "").startswith("Reload"))
    qtbot.mouseClick(reload, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.yours.isVisible(), timeout=10_000)
    assert dialog.action.status == "in_progress"  # their version, with its version number: a save now goes through
    assert "Now: In progress" in dialog.status.toolTip()
    assert dialog.note.text() == "Council dealt with it"
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with ctx.database.session() as s:
        assert actions.get_action(s, action.id).status == "cancelled"


def test_status_change_follows_the_rules(qtbot, ctx):
    page, _ward = _open_page(qtbot, ctx)
    page.table.view.selectRow(0)
    action = page.selected()
    dialog = StatusDialog(ctx, action)
    qtbot.addWidget(dialog)
    dialog.status.setCurrentIndex(dialog.status.findData("done"))
    dialog.outcome.setPlainText("")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    rule = transition_problem(ActionStatus(action.status), ActionStatus.DONE, outcome="")
    assert rule is not None and dialog.problem_label.text() == f"• {rule}"
    assert dialog.outcome.accessibleDescription() == rule.text  # beside the field it concerns
    dialog.outcome.setPlainText("Lane cleared and lamp fixed")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with ctx.database.session() as s:
        assert actions.get_action(s, action.id).status == "done"
