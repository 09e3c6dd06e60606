"""Audits (EVA): a walk and what was seen on it, entered through the forms."""

from __future__ import annotations

from PySide6.QtCore import Qt

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
    assert "who walked" in visit.problem_label.text()
    visit.auditors.setText("PC Jo Turner, two residents")
    with qtbot.waitSignal(visit.saved, timeout=10_000):
        qtbot.mouseClick(visit.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page)
    assert page.visits.model.total == walks + 1
    page.visits.view.selectRow(0)  # newest first: the walk just saved
    assert page.visits.model.index(0, 1).data() == "Mill Lane"

    seen = ObservationDialog(ctx, visit.result_value, page.options)
    qtbot.addWidget(seen)
    seen.location.setText("Underpass by the Co-op")
    seen.status.setCurrentIndex(seen.status.findData("referred"))
    qtbot.mouseClick(seen.save_button, Qt.MouseButton.LeftButton)
    assert "partner" in seen.problem_label.text()
    seen.partner.setCurrentText("Council street scene")
    with qtbot.waitSignal(seen.saved, timeout=10_000):
        qtbot.mouseClick(seen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.observations.model.total == 1, timeout=10_000)
    assert page.observations.model.index(0, 1).data() == "Underpass by the Co-op"
