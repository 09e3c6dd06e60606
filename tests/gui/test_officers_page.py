"""Officers & Abstractions: recording an abstraction through the form changes the ward's figures."""

from __future__ import annotations

import datetime as dt

import pyqtgraph as pg
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from rpdesk.db.models import Abstraction, DutyRecord, Officer
from rpdesk.domain.abstraction_rules import abstraction_problems, duty_problems
from rpdesk.services.officers import contact_problems, identity_problems
from rpdesk.services.ward_duty import find_abstraction, ring_fence_view
from rpdesk.services.wards import list_wards
from tests.gui.conftest import wait_idle

from rpdesk.gui.dialogs.abstraction import AbstractionDialog
from rpdesk.gui.pages.officers import OfficersPage


def _open_page(qtbot, ctx):
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    page = OfficersPage(ctx)
    qtbot.addWidget(page)
    page.set_ward(ward)
    wait_idle(qtbot, page)
    return page, ward


def _free_duty_day(ctx, ward_id: int, start: dt.date, end: dt.date) -> tuple[str, dt.date]:
    """An officer-day in the period, on duty, with at least 4 hours not yet abstracted."""
    taken = (
        select(func.coalesce(func.sum(Abstraction.hours), 0))
        .where(Abstraction.duty_id == DutyRecord.id)
        .scalar_subquery()
    )
    with ctx.database.session() as s:
        collar, day = s.execute(
            select(Officer.collar, DutyRecord.date)
            .join(Officer, Officer.id == DutyRecord.officer_id)
            .where(
                DutyRecord.ward_id == ward_id,
                DutyRecord.date.between(start, end),
                DutyRecord.absence.is_(None),
                DutyRecord.rostered_hours - taken >= 4,
            )
            .order_by(DutyRecord.date.desc())
            .limit(1)
        ).one()
    return collar, day


def _fill(dialog: AbstractionDialog, collar: str, day: dt.date, hours: float) -> None:
    dialog.officer.setCurrentIndex(dialog.officer.findData(collar))
    dialog.reason.setCurrentIndex(0)
    dialog.day.set_date(day)
    dialog.hours.setValue(hours)
    dialog.authorised_by.setText("Insp 1234 Khan")


def test_recording_an_abstraction_through_the_form_updates_the_figures(qtbot, ctx):
    page, ward = _open_page(qtbot, ctx)
    before = page.tiles["abstracted"].value.text()
    rows_before = page.abstractions.model.total
    text = page.tiles["share"].caption.text()
    assert "target 80%" in text
    with ctx.database.session() as s:
        period = ring_fence_view(s, ward.code, 0.8)
    collar, day = _free_duty_day(ctx, ward.id, period.start, period.end)

    dialog = AbstractionDialog(ctx, ward.code, page.officer_choices)
    qtbot.addWidget(dialog)
    _fill(dialog, collar, day, 4.0)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page)

    assert page.abstractions.model.total == rows_before + 1
    # the newest abstraction is in the log with who authorised it
    cells = [page.abstractions.model.index(r, 5).data() for r in range(page.abstractions.model.rowCount())]
    assert "Insp 1234 Khan" in cells
    after = page.tiles["abstracted"].value.text()
    assert float(after.replace(",", "")) == float(before.replace(",", "")) + 4


def test_the_page_draws_the_ward_s_12_month_ring_fence_trend(qtbot, ctx):
    page, ward = _open_page(qtbot, ctx)
    with ctx.database.session() as s:
        end = ring_fence_view(s, ward.code, 0.8).end
    bars = [i for i in page.trend_plot.getPlotItem().items if isinstance(i, pg.BarGraphItem)]
    assert len(bars) == 1 and len(bars[0].opts["height"]) == 12
    ticks = page.trend_plot.getPlotItem().getAxis("bottom")._tickLevels[0]
    assert ticks[-1][1] == f"{end:%b %y}"  # the latest month with duty is labelled


def test_the_form_refuses_in_the_words_of_the_abstraction_rules_and_saves_nothing(qtbot, ctx):
    page, ward = _open_page(qtbot, ctx)
    rows_before = page.abstractions.model.total
    dialog = AbstractionDialog(ctx, ward.code, page.officer_choices)
    qtbot.addWidget(dialog)
    collar, later = page.officer_choices[0].collar, dt.date.today() + dt.timedelta(days=3)
    _fill(dialog, collar, later, 9.0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    rules = abstraction_problems(day=later, hours=9.0, today=dt.date.today(), rostered=8.0, officer=collar)
    assert [p.field for p in rules] == ["date", "hours"]
    assert dialog.problem_label.text() == "\n".join(f"• {p}" for p in rules)
    assert not dialog.saving
    page.refresh()
    wait_idle(qtbot, page)
    assert page.abstractions.model.total == rows_before


def test_correcting_an_abstraction_changes_the_log_and_a_stale_correction_is_refused(qtbot, ctx):
    from rpdesk.services.duty_records import update_abstraction

    page, ward = _open_page(qtbot, ctx)
    page.abstractions.view.selectRow(0)
    key, day, collar = page.abstractions.model.row_tuple(0)[:3]
    with ctx.database.session() as s:
        info = find_abstraction(s, key, collar, day)
    dialog = AbstractionDialog(ctx, ward.code, page.officer_choices, existing=info)
    qtbot.addWidget(dialog)
    assert not dialog.officer.isEnabled() and not dialog.day.isEnabled()
    with ctx.database.session() as s:  # somebody else corrects it first
        update_abstraction(s, info.id, info.version, {"note": "their correction"})
    dialog.hours.setValue(0.5)
    dialog.note.setText("my correction")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Somebody else changed" in dialog.problem_label.text(), timeout=10_000)
    assert dialog.note.text() == "my correction"  # nothing typed is lost
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.note.text() == "their correction", timeout=10_000)
    dialog.hours.setValue(0.5)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page)
    rows = [page.abstractions.model.row_tuple(r) for r in range(page.abstractions.model.rowCount())]
    assert next(r for r in rows if r[0] == key)[4] == 0.5


def test_the_officer_form_refuses_a_private_contact_and_saves_an_official_one(qtbot, ctx):
    from rpdesk.gui.dialogs.abstraction import OfficerDialog

    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    dialog = OfficerDialog(ctx, ward.code)
    qtbot.addWidget(dialog)
    dialog.collar.setText("PC999")
    dialog.name.setText("Robin Hale")
    dialog.role.setCurrentIndex(0)
    dialog.phone.setText("PRIVATE-MOBILE 07700 900999 home 12 Acacia Ave")
    dialog.email.setText("robin.hale@gmail.com")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    shown = dialog.problem_label.text()
    assert "not a phone number" in shown and "not a force address" in shown
    rules = contact_problems(dialog.email.text(), dialog.phone.text(), ctx.settings.force_email_domain)
    beside = (dialog.email.accessibleDescription(), dialog.phone.accessibleDescription())
    assert beside == (rules[0].text, rules[1].text)
    assert not dialog.saving
    dialog.phone.setText("101")
    dialog.email.setText("robin.hale@demo.police.uk")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with ctx.database.session() as s:
        saved = s.scalar(select(Officer).where(Officer.collar == "PC999"))
        assert (saved.email, saved.phone) == ("robin.hale@demo.police.uk", "101")


def test_an_officers_contact_is_changed_to_official_details_only(qtbot, ctx):
    from rpdesk.services.officers import officer_info

    from rpdesk.gui.dialogs.abstraction import OfficerContactDialog

    page, _ward = _open_page(qtbot, ctx)
    headers = [
        page.officers.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.officers.model.columnCount())
    ]
    assert "E-mail" in headers and "Phone" in headers
    collar = page.officers.model.row_tuple(0)[1]
    with ctx.database.session() as s:
        info = officer_info(s, collar)
    dialog = OfficerContactDialog(ctx, info)
    qtbot.addWidget(dialog)
    assert dialog.email.text() == (info.email or "")
    dialog.phone.setText("07700 900999")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "mobile" in dialog.problem_label.text() and not dialog.saving
    dialog.phone.setText("101")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with ctx.database.session() as s:
        assert officer_info(s, collar).phone == "101"


def test_deleting_an_abstraction_asks_whether_to_remove_the_duty_day_it_created(qtbot, ctx):
    from PySide6.QtWidgets import QMessageBox

    from rpdesk.services.duty_records import record_abstraction

    page, ward = _open_page(qtbot, ctx)
    collar = page.officer_choices[0].collar
    day = dt.date.today() - dt.timedelta(days=1)
    with ctx.database.session() as s:
        s.execute(DutyRecord.__table__.delete().where(DutyRecord.date == day))  # a day with no duty recorded
        made = record_abstraction(s, collar, day, 2, "court", ward=ward.code, rostered_hours=8)
    page.refresh()
    wait_idle(qtbot, page)
    model = page.abstractions.model
    row = next(r for r in range(model.rowCount()) if model.row_tuple(r)[0] == made.id)
    page.abstractions.view.selectRow(row)
    page.delete_abstraction()
    qtbot.waitUntil(lambda: page.findChild(QMessageBox, "delete abstraction") is not None, timeout=10_000)
    box = page.findChild(QMessageBox, "delete abstraction")
    assert f"Delete the 2 h abstraction of {collar} on {day:%d/%m/%Y}?" == box.text()
    assert "(8 h rostered), entered by hand" in box.informativeText()
    assert box.defaultButton().text() == "Cancel"  # nothing is deleted by a stray Enter
    both = next(b for b in box.buttons() if b.text().replace("&", "") == "Delete it and the duty day")
    both.click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    wait_idle(qtbot, page)
    with ctx.database.session() as s:
        assert s.get(Abstraction, made.id) is None
        assert s.scalar(select(func.count()).where(DutyRecord.id == made.duty_id)) == 0


def test_the_duty_and_officer_forms_refuse_in_the_words_of_the_service_rules(qtbot, ctx):
    from rpdesk.gui.dialogs.abstraction import DutyDialog, OfficerDialog

    page, ward = _open_page(qtbot, ctx)
    duty = DutyDialog(ctx, ward.code, page.officer_choices)
    qtbot.addWidget(duty)
    duty.show()
    duty.officer.setCurrentIndex(0)
    duty.rostered.setValue(0)
    qtbot.keyClick(duty.rostered, Qt.Key.Key_Return)  # Enter asks the rules; it saves nothing
    assert duty.problem_label.text() == f"• {duty_problems(rostered=0, absent=False)[0]}"
    assert duty.result_value is None

    officer = OfficerDialog(ctx, ward.code)
    qtbot.addWidget(officer)
    officer.show()
    officer.role.setCurrentIndex(0)
    qtbot.keyClick(officer.collar, Qt.Key.Key_Return)
    assert officer.problem_label.text() == "\n".join(f"• {p}" for p in identity_problems("", ""))
    assert officer.result_value is None
