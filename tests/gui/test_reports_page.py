"""Meetings & Reports through the page: plan a meeting, build a pack, preview its pages, save, print to a PDF file."""

from __future__ import annotations

import datetime as dt
import threading

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import select

from rpdesk.db.models import MeetingDocument
from rpdesk.errors import Cancelled
from rpdesk.services.documents import documents_folder
from rpdesk.services.wards import list_wards
from tests.gui.conftest import wait_idle

from rpdesk.gui.pages.reports import MeetingDialog, ReportsPage

WAIT = 60_000


@pytest.fixture
def page(qtbot, ctx):
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.set_ward(ward)
    wait_idle(qtbot, page)
    return page


def choose(page, kind: str) -> None:
    model = page.meeting_model
    row = next(r for r in range(model.rowCount()) if model.record(r).kind == kind)
    page.meetings.view.selectRow(row)


def test_a_tasking_pack_is_built_previewed_recorded_saved_and_printed(qtbot, page, ctx, tmp_path, monkeypatch):
    choose(page, "tcg")
    assert [page.kind_box.itemData(i) for i in range(page.kind_box.count())] == ["tasking", "card"]
    assert not page.language.isEnabled()
    with qtbot.waitSignal(page.document_built, timeout=WAIT) as built:
        page.build_button.click()
    info = built.args[0]
    assert info.kind == "tasking" and info.pages >= 2
    assert page.preview.pages == info.pages and not page.preview.pixmap.isNull()
    assert page.preview.page_label.text() == f"Page 1 of {info.pages}"
    first = page.preview.pixmap.toImage()
    page.preview.next_button.click()
    assert page.preview.index == 1 and page.preview.pixmap.toImage() != first
    with ctx.database.session() as s:
        row = s.get(MeetingDocument, info.id)
        assert row is not None and row.meeting_id == info.meeting_id and row.pages == info.pages
    wait_idle(qtbot, page)
    assert page.meeting.documents >= 1  # the list refreshed from the change bus

    copy = page.save_copy(tmp_path / "pack-copy")
    assert copy.suffix == ".pdf" and copy.read_bytes() == info.path.read_bytes()

    printed_to = tmp_path / "printed.pdf"

    def to_pdf_file(_self, printer):
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed_to))
        printer.setResolution(96)
        return True

    monkeypatch.setattr(ReportsPage, "choose_printer", to_pdf_file)
    with qtbot.waitSignal(page.printed, timeout=WAIT) as done:
        page.print_button.click()
    assert done.args[0] == info.pages
    assert len(pypdf.PdfReader(printed_to).pages) == info.pages


def test_a_meeting_shows_its_latest_recorded_document_when_chosen_again(qtbot, page, ctx):
    choose(page, "tcg")
    with qtbot.waitSignal(page.document_built, timeout=WAIT) as built:
        page.build_button.click()
    info = built.args[0]
    wait_idle(qtbot, page)
    later = ReportsPage(ctx)
    qtbot.addWidget(later)
    later.show()
    later.set_ward(page.ward)
    wait_idle(qtbot, later)
    keys = [later.meeting_model.key_at(r) for r in range(later.meeting_model.rowCount())]
    later.meetings.view.selectRow(keys.index(info.meeting_id))
    wait_idle(qtbot, later)
    assert later.shown == info.path.resolve() and later.preview.pages == info.pages
    assert "Tasking pack" in later.document_label.text() and later.print_button.isEnabled()


def test_a_welsh_large_print_briefing_for_a_community_meeting(qtbot, page):
    choose(page, "community")
    assert page.kind_box.currentData() == "briefing" and page.language.isEnabled()
    page.language.setCurrentIndex(page.language.findData("cy"))
    page.large_print.setChecked(True)
    with qtbot.waitSignal(page.document_built, timeout=WAIT) as built:
        page.build_button.click()
    info = built.args[0]
    assert (info.kind, info.lang, info.large_print) == ("briefing", "cy", True)
    assert "Cymraeg" in page.document_label.text() and "large print" in page.document_label.text()


def test_planning_a_meeting_lists_it(qtbot, page, ctx):
    before = page.meeting_model.rowCount()
    dialog = MeetingDialog(ctx, page.ward.code)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("community"))
    day = dt.date(2027, 3, 9)
    dialog.day.set_date(day)
    for typed in ("7pm", "25:30"):  # the service's rule, asked before saving
        dialog.time.setText(typed)
        dialog.save_button.click()
        assert f"'{typed}' is not a time of day" in dialog.problem_label.text()
    dialog.time.setText("19:00")
    dialog.venue.setText("Library")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        dialog.save_button.click()
    wait_idle(qtbot, page)
    assert page.meeting_model.rowCount() == before + 1
    planned = [page.meeting_model.record(r) for r in range(page.meeting_model.rowCount())]
    assert any(m.date == day and m.venue == "Library" and m.start_time == "19:00" for m in planned)


def test_cancelling_a_build_records_nothing_and_leaves_no_file(qtbot, page, ctx):
    choose(page, "tcg")
    with ctx.database.session() as s:
        before = len(s.scalars(select(MeetingDocument)).all())
    release = threading.Event()
    ctx.runner.submit(lambda _p, _c: release.wait(WAIT / 1000), title="Holding the database thread")
    page.build_button.click()
    (state,) = page._pending
    with qtbot.waitSignal(state.failed, timeout=WAIT) as failed:
        state.cancel()
        release.set()
    assert isinstance(failed.args[0], Cancelled)
    wait_idle(qtbot, page)
    with ctx.database.session() as s:
        assert len(s.scalars(select(MeetingDocument)).all()) == before
    assert page.shown is None and not any(documents_folder().glob("tasking-*.pdf"))
