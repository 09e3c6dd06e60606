"""Every page and dialog fits a 1366×768 force laptop at 100%, 125% and 150% scaling and with large text.

Qt lays windows out in device-independent pixels: ``QT_SCALE_FACTOR=1.5`` (or Windows' 150%) turns a
1366×768 screen into 911×512 of them while a 9 pt font keeps its size in them (the premise is
checked for real in a subprocess below). So a scale is tried here, in one process, as the laptop's
free area (less a 40-pixel taskbar) divided by the scale, and large text as a 13.5 pt application
font on the unscaled laptop. Screenshots of every page and dialog are written to the test's
temporary folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QComboBox, QDialog, QLineEdit, QWidget, QWizard

from tests.gui.conftest import shown, wait_idle
from tests.gui.displays import DISPLAYS, LAPTOP_HEIGHT, LAPTOP_WIDTH, free_area, on_display

import rpdesk.gui.main_window as main_window
from rpdesk.gui import screen
from rpdesk.gui.main_window import FRAME_ALLOWANCE
from rpdesk.gui.pages import PAGES

CONTROLS = (QAbstractButton, QComboBox, QLineEdit)


@pytest.fixture(params=list(DISPLAYS))
def display(request, qapp, monkeypatch):
    with on_display(request.param, qapp, monkeypatch) as shown_on:
        yield shown_on


def _outside(widget: QWidget, top: QWidget) -> bool:
    """Whether ``widget`` sits inside a scroll area of its own below ``top`` (it may scroll there)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea) or isinstance(parent.parentWidget(), QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def controls_past(top: QWidget, right: int) -> list[str]:
    """The visible controls of ``top`` whose right edge (in ``top``'s coordinates) is past ``right``."""
    past = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisible() or _outside(widget, top):
            continue
        edge = widget.mapTo(top, QPoint(widget.width(), 0)).x()
        if edge > right:
            past.append(f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r} ends at {edge} > {right}")
    return past


def test_every_page_fits_the_window_and_no_control_is_past_its_right_edge(display, window, qtbot, tmp_path):
    # the first window's place (a size remembered from an earlier test's screen is not a first run)
    window.setGeometry(main_window.remembered_geometry(None, display.room))
    frame = window.geometry()
    side = FRAME_ALLOWANCE.width() // 2
    assert display.room.contains(frame.adjusted(-side, -(FRAME_ALLOWANCE.height() - 8), side, 8)), frame
    window.show()
    for index, entry in enumerate(PAGES):
        window.nav.setCurrentRow(index)
        qtbot.waitUntil(lambda i=index: i in window.pages, timeout=20_000)
        page = window.pages[index]
        wait_idle(qtbot, page)
        qtbot.wait(20)
        _assert_reflowed(window, page, f"{display.name} {entry.title}")
        window.grab().save(str(tmp_path / f"{display.name}-{index}-page.png"))
        if entry.title == "Signals & Priorities":  # and the ranking behind the assumption check
            page.gate.skip_button.click()
            wait_idle(qtbot, page)
            qtbot.wait(20)
            _assert_reflowed(window, page, f"{display.name} ranking")
            window.grab().save(str(tmp_path / f"{display.name}-{index}-ranking.png"))


def _assert_reflowed(window, page, what: str) -> None:
    """Reflowed, not scrolled sideways: the page is never wider than its room and no control passes its edge."""
    viewport = window.stack.currentWidget().viewport()
    assert page.minimumSizeHint().width() <= viewport.width(), what
    assert page.width() <= viewport.width(), what
    assert not controls_past(page, page.width()), (what, controls_past(page, page.width()))


def _open_every_dialog(window, qtbot) -> None:
    """Open each dialog the way a user does: menus and page buttons (exec() is replaced by the test)."""
    window.edit_settings()
    window.import_file()

    def page(title: str):
        index = [e.title for e in PAGES].index(title)
        window.nav.setCurrentRow(index)
        qtbot.waitUntil(lambda: index in window.pages, timeout=20_000)
        wait_idle(qtbot, window.pages[index])
        return window.pages[index]

    page("Surveys").enter_form()
    audits = page("Audits (EVA)")
    audits.new_visit()
    audits.visits.select_first()
    audits.add_observation()
    signals = page("Signals & Priorities")
    signals.gate.skip_button.click()
    wait_idle(qtbot, signals)
    signals.adopt()
    actions = page("Partner actions")
    actions.add_action()
    actions.table.select_first()
    actions.change_status()
    officers = page("Officers & Abstractions")
    officers.record_abstraction()
    officers.record_duty()
    officers.add_officer()
    page("Meetings & Reports").plan_meeting()
    from rpdesk.gui.dialogs.audit_log import AuditLogDialog

    AuditLogDialog.ask(window, window.ctx, window.ward.code)
    window.show_force_signals()
    from rpdesk.gui.dialogs.passphrase import PassphraseDialog

    PassphraseDialog.ask(window, Path("ward.sqlite"), new=True, keyring=False)


def test_every_dialog_opens_within_the_screen_with_its_buttons_on_it(display, window, qtbot, monkeypatch, tmp_path):
    seen: dict[str, tuple[QRect, list[str], list[str]]] = {}

    def shown(dialog: QDialog) -> int:
        dialog.show()
        qtbot.wait(20)
        name = type(dialog).__name__
        buttons = [b for b in dialog.findChildren(QAbstractButton) if b.isVisible() and not _outside(b, dialog)]
        off = [
            b.text()
            for b in buttons
            if not display.room.contains(QRect(b.mapToGlobal(QPoint(0, 0)), b.size()))  # on the screen
        ]
        seen[name] = (dialog.frameGeometry(), off, controls_past(dialog, dialog.width()))
        dialog.grab().save(str(tmp_path / f"{display.name}-{name}.png"))
        dialog.reject()
        return 0

    monkeypatch.setattr(QDialog, "exec", shown)
    monkeypatch.setattr(QWizard, "exec", shown)
    window.setGeometry(main_window.remembered_geometry(None, display.room))
    window.show()
    _open_every_dialog(window, qtbot)
    expected = {
        "SettingsDialog",
        "ImportWizard",
        "SurveyFormDialog",
        "VisitDialog",
        "ObservationDialog",
        "AdoptDialog",
        "ActionDialog",
        "StatusDialog",
        "AbstractionDialog",
        "DutyDialog",
        "OfficerDialog",
        "MeetingDialog",
        "AuditLogDialog",
        "ForceSignalsDialog",
        "PassphraseDialog",
    }
    assert expected <= set(seen), expected - set(seen)
    for name, (frame, off, past) in seen.items():
        assert display.room.contains(frame), (display.name, name, frame, display.room)
        assert not off, (display.name, name, "buttons off the screen", off)
        assert not past, (display.name, name, past)


PROBE = """
import sys
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
app = QApplication([])
area = app.primaryScreen().availableGeometry()
print(area.width(), area.height(), app.font().pointSizeF())
"""


def test_scaling_shrinks_the_screen_in_qt_pixels_and_keeps_the_font_size(tmp_path):
    """The premise of the tests above, for real: a 1366×768 screen at QT_SCALE_FACTOR=1.5."""
    config = tmp_path / "screen.json"
    screens = [{"name": "laptop", "x": 0, "y": 0, "width": LAPTOP_WIDTH, "height": LAPTOP_HEIGHT}]
    config.write_text(json.dumps({"screens": screens}))
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5", "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True, timeout=60)
    width, height, points = out.stdout.split()
    assert (int(width), int(height)) == (round(LAPTOP_WIDTH / 1.5), round(LAPTOP_HEIGHT / 1.5))
    unscaled = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**env, "QT_SCALE_FACTOR": "1"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert float(points) == float(unscaled.stdout.split()[2])  # the same font in points, in a smaller screen


def test_tab_moves_from_field_to_field_and_the_scrolling_body_follows(qtbot, ctx, monkeypatch):
    """A scrolling form is no extra Tab stop, and the field Tab reaches is scrolled into view."""
    from rpdesk.services.wards import list_wards

    from rpdesk.gui.dialogs.survey_form import SurveyFormDialog
    from rpdesk.gui.pages.surveys import SurveysPage

    room = free_area(1.5)
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: room)
    page = SurveysPage(ctx)
    with ctx.database.session() as s:
        shown(qtbot, page, list_wards(s)[0])
    wait_idle(qtbot, page)
    dialog = SurveyFormDialog(ctx, page.rounds, page.issues, page.round_table.current_key)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    area = next(a for a in dialog.findChildren(QAbstractScrollArea) if a.widget() is not None)
    assert area.focusPolicy() == Qt.FocusPolicy.NoFocus
    fields = [w for w in area.widget().findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    fields[0].setFocus()
    for _ in range(len(fields) + 2):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        focused = dialog.focusWidget()
        assert focused is not area
        if area.isAncestorOf(focused):  # the focused field comes into the visible part of the body
            view = area.viewport()
            qtbot.waitUntil(lambda f=focused, v=view: v.rect().contains(f.mapTo(v, QPoint(0, 0))), timeout=1000)


@pytest.mark.parametrize("name", ["125%", "150%", "13.5pt"])
def test_the_import_wizard_keeps_every_page_and_its_buttons_on_screen(name, qapp, qtbot, ctx, monkeypatch, tmp_path):
    """The wizard through a real form export: preview, columns, answers and check pages at each display."""
    from rpdesk.paths import resources_dir
    from rpdesk.services.wards import list_wards
    from tests.gui.test_import_wizard import WAIT, open_wizard

    with on_display(name, qapp, monkeypatch) as display:
        room = display.room
        with ctx.database.session() as s:
            ward = list_wards(s)[0]
        wizard = open_wizard(qtbot, ctx, ward, resources_dir() / "samples" / "survey_form_export.csv")
        steps = [wizard.preview_loaded, wizard.mapping_ready, wizard.answers_ready, wizard.checked]
        for number, step in enumerate([None, *steps]):
            if step is not None:
                with qtbot.waitSignal(step, timeout=WAIT):
                    wizard.next()
            qtbot.wait(20)
            page = wizard.currentPage()
            assert room.contains(wizard.frameGeometry()), (name, type(page).__name__)
            buttons = [b for b in wizard.findChildren(QAbstractButton) if b.isVisible() and not _outside(b, wizard)]
            for button in buttons:
                assert room.contains(QRect(button.mapToGlobal(QPoint(0, 0)), button.size())), button.text()
            assert page.height() >= page.minimumSizeHint().height(), type(page).__name__  # squeezed = clipped
            assert not controls_past(page, page.width()), (name, controls_past(page, page.width()))
            wizard.grab().save(str(tmp_path / f"{name}-wizard-{number}.png"))
