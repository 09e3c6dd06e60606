"""Surveys: a paper form typed in is validated, saved, and appears in the round's responses."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from rpdesk.services.surveys import paper_form_problems
from rpdesk.services.wards import list_wards
from tests.gui.conftest import wait_idle

from rpdesk.gui.dialogs.survey_form import SurveyFormDialog
from rpdesk.gui.pages.surveys import SurveysPage


def open_round(qtbot, ctx):
    """The surveys page of the first demo ward, loaded, and its latest round (selected)."""
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    page = SurveysPage(ctx)
    qtbot.addWidget(page)
    page.set_ward(ward)
    wait_idle(qtbot, page)
    round_id = page.round_table.current_key
    return page, next(r for r in page.rounds if r.id == round_id)


def test_entering_a_paper_form(qtbot, ctx):
    page, rnd = open_round(qtbot, ctx)
    round_id = rnd.id
    before = page.responses.model.total

    dialog = SurveyFormDialog(ctx, page.rounds, page.issues, round_id)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    text = dialog.problem_label.text()
    assert "respondent key" in text and "No issue is rated" in text  # every problem at once

    dialog.respondent.setText("P-9001")
    day = rnd.start_date
    dialog.day.set_date(day)
    problem, effect = dialog.grid["litter"]
    problem.setCurrentIndex(problem.findData(3))
    effect.setCurrentIndex(effect.findData(True))
    dialog.safe.setCurrentIndex(dialog.safe.findData(2))
    with qtbot.waitSignal(dialog.saved, timeout=20_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page)
    assert page.responses.model.total == before + 1

    again = SurveyFormDialog(ctx, page.rounds, page.issues, round_id)
    qtbot.addWidget(again)
    again.respondent.setText("P-9001")
    again.day.set_date(day)
    again.grid["litter"][0].setCurrentIndex(1)
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already in round" in again.problem_label.text(), timeout=20_000)


def test_the_form_refuses_in_the_words_of_the_paper_form_rules_before_saving(qtbot, ctx):
    page, rnd = open_round(qtbot, ctx)
    dialog = SurveyFormDialog(ctx, page.rounds, page.issues, rnd.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.respondent.setText("Jo Bloggs")  # a name: respondents stay anonymous
    dialog.street.setText("12 Mill Lane")
    dialog.day.set_date(dt.date.today() + dt.timedelta(days=2))
    problem, effect = dialog.grid["litter"]
    problem.setCurrentIndex(problem.findData(0))
    effect.setCurrentIndex(effect.findData(True))
    qtbot.keyClick(dialog.respondent, Qt.Key.Key_Return)  # Enter asks the rules; it saves nothing
    rules = paper_form_problems(dialog.form_values(), today=dt.date.today(), labels=dialog.labels)
    assert [p.field for p in rules] == ["respondent", "street", "date", "litter"]
    assert dialog.problem_label.text() == "\n".join(f"• {p}" for p in rules)
    assert f"'{dialog.labels['litter']}': an effect is recorded" in rules[-1].text
    assert problem.accessibleDescription() == rules[-1].text  # beside the issue's rating in the grid
    assert dialog.respondent.accessibleDescription() == rules[0].text
    assert dialog._label_of(problem).styleSheet() != ""
    assert dialog.result_value is None
