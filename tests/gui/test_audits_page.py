"""Audits (EVA): a walk and what was seen on it, entered through the forms."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from rpdesk.domain.eva_rules import finding_problems, walk_problems
from rpdesk.services.audits import Choices
from rpdesk.services.wards import list_wards
from tests.gui.conftest import wait_idle

from rpdesk.gui.dialogs.audit import ObservationDialog, VisitDialog
from rpdesk.gui.pages.audits import AuditsPage


def test_recording_a_walk_and_an_observation(qtbot, ctx):
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    page = AuditsPage(ctx)
    qtbot.addWidget(page)
    page.set_ward(ward)
    wait_idle(qtbot, page)
    walks = page.visits.model.total

    visit = VisitDialog(ctx, ward.id)
    qtbot.addWidget(visit)
    visit.area.setText("Mill Lane")
    qtbot.mouseClick(visit.save_button, Qt.MouseButton.LeftButton)
    assert _shown(visit) == ["Say who walked the audit (auditors)."]
    visit.auditors.setText("PC Jo Turner, two residents")
    with qtbot.waitSignal(visit.saved, timeout=10_000):
        qtbot.mouseClick(visit.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page)
    assert page.visits.model.total == walks + 1
    page.visits.view.selectRow(0)  # newest first: the walk just saved
    assert page.visits.model.index(0, 1).data() == "Mill Lane"

    seen = ObservationDialog(ctx, visit.result_value, page.options)
    qtbot.addWidget(seen)
    seen.issue.setCurrentIndex(0)
    seen.location.setText("Underpass by the Co-op")
    seen.status.setCurrentIndex(seen.status.findData("referred"))
    qtbot.mouseClick(seen.save_button, Qt.MouseButton.LeftButton)
    assert _shown(seen) == ["Say which partner it was referred to."]
    seen.partner.setCurrentText("Council street scene")
    with qtbot.waitSignal(seen.saved, timeout=10_000):
        qtbot.mouseClick(seen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.observations.model.total == 1, timeout=10_000)
    assert page.observations.model.index(0, 1).data() == "Underpass by the Co-op"


def _shown(dialog) -> list[str]:
    """The problems a form lists, one per line, without their bullets."""
    return [line.removeprefix("• ") for line in dialog.problem_label.text().splitlines()]


def _walk_form(qtbot, ctx) -> VisitDialog:
    """A new-walk form for the first demo ward, shown."""
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    visit = VisitDialog(ctx, ward.id)
    qtbot.addWidget(visit)
    visit.show()
    return visit


def test_the_walk_form_refuses_in_the_words_of_the_walk_rules(qtbot, ctx):
    visit = _walk_form(qtbot, ctx)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    visit.day.set_date(tomorrow)
    qtbot.keyClick(visit.area, Qt.Key.Key_Return)  # Enter asks the rules; it saves nothing
    rules = walk_problems(day=tomorrow, auditors="", today=dt.date.today())
    assert [p.field for p in rules] == ["auditors", "date"]
    assert _shown(visit) == [str(p) for p in rules]
    assert visit.result_value is None


def test_the_finding_form_refuses_in_the_words_of_the_finding_rules(qtbot, ctx):
    seen = ObservationDialog(ctx, 1, Choices((("litter", "Litter"),), ()))
    qtbot.addWidget(seen)
    seen.show()
    assert seen.issue.currentIndex() == -1  # the issue seen is chosen by the user
    seen.issue.setCurrentIndex(0)
    seen.status.setCurrentIndex(seen.status.findData("open"))
    seen.resolved.set_date(dt.date.today())
    qtbot.keyClick(seen.location, Qt.Key.Key_Return)
    rules = finding_problems(seen.values())
    assert [p.field for p in rules] == ["location", "resolved_on"]
    assert _shown(seen) == [str(p) for p in rules]
    seen.status.setCurrentIndex(seen.status.findData("resolved"))
    seen.resolved.set_date(None)
    qtbot.keyClick(seen.location, Qt.Key.Key_Return)
    assert _shown(seen)[-1] == "A resolved observation needs the date it was put right."
    assert seen.result_value is None


def test_after_a_refused_save_moving_to_another_field_checks_again(qtbot, ctx):
    visit = _walk_form(qtbot, ctx)
    visit.activateWindow()
    qtbot.waitUntil(visit.isActiveWindow)
    visit.auditors.setFocus()
    qtbot.keyClick(visit.auditors, Qt.Key.Key_Return)  # refused: nobody walked
    assert _shown(visit) == ["Say who walked the audit (auditors)."]
    assert visit.auditors.accessibleDescription() == "Say who walked the audit (auditors)."
    qtbot.keyClicks(visit.auditors, "PCSO Lee")
    qtbot.keyClick(visit.auditors, Qt.Key.Key_Tab)  # on to Area: put right, so the problem goes before any Save
    qtbot.waitUntil(lambda: visit.problem_label.isHidden())
    assert visit.auditors.accessibleDescription() == "" and visit.result_value is None
