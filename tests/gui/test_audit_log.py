"""The s.62 log in the GUI: a page opened for a ward is a logged consultation; supervisors read the log."""

from __future__ import annotations

import os
import pwd

from rpdesk.services import audit
from rpdesk.services.wards import list_wards
from tests.gui.conftest import wait_idle

from rpdesk.gui.dialogs.audit_log import AuditLogDialog
from rpdesk.gui.pages.actions import ActionsPage

ME = pwd.getpwuid(os.getuid()).pw_name


def test_opening_a_page_for_a_ward_logs_a_consultation(qtbot, ctx):
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    page = ActionsPage(ctx)
    qtbot.addWidget(page)
    page.set_ward(ward)
    wait_idle(qtbot, page)
    with ctx.database.session() as s:
        last = audit.entries(s, ward=ward.code)[-1]
    assert (last.activity, last.user, last.ward) == ("consultation", ME, ward.code)
    assert '"page": "Partner actions"' in last.detail and '"channel": "gui"' in last.detail


def test_the_log_dialog_lists_the_ward_entries_and_says_the_chain_is_intact(qtbot, ctx):
    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    audit.consulted(ctx.database, ward.code, {"channel": "cli", "command": "status"})
    dialog = AuditLogDialog(ctx, ward.code)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "intact" in dialog.status.text(), timeout=20_000)
    rows = dialog.table.rowCount()
    assert rows >= 1
    cells = [dialog.table.item(rows - 1, c).text() for c in range(dialog.table.columnCount())]
    assert "consultation" in cells and ME in cells and ward.code in cells
    dialog.user.setText("nobody-at-all")
    dialog.load()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=20_000)
    dialog.end.edit.setText("yesterday-ish")
    dialog.load()
    assert dialog.status.text() == "To: 'yesterday-ish' is not a date; expected a date as dd/mm/yyyy, e.g. 15/01/2027."


def test_export_table_is_marked_named_for_its_marking_and_logged(qtbot, window, tmp_path, monkeypatch):
    """Export to CSV: marking on the first and last lines, in the suggested name, and a disclosure in the log."""
    from PySide6.QtWidgets import QFileDialog

    window.show_page(5)  # Partner actions
    qtbot.waitUntil(lambda: not window.busy, timeout=20_000)
    target = tmp_path / "actions.csv"
    suggested: list[str] = []

    def save_name(_parent, _title, name, _filter):
        suggested.append(name)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    window.export_table()
    qtbot.waitUntil(lambda: target.exists() and not window.busy, timeout=20_000)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == lines[-1] == "OFFICIAL-SENSITIVE" and "OFFICIAL-SENSITIVE" in suggested[0]
    with window.ctx.database.session() as s:
        last = audit.entries(s)[-1]
    assert (last.activity, last.record, last.user, last.ward) == ("disclosure", "export", ME, window.ward.code)
    assert '"file": "actions.csv"' in last.detail


def test_a_document_built_and_copied_from_the_reports_page_is_a_disclosure_to_its_recipient(qtbot, ctx, tmp_path):
    from rpdesk.gui.pages.reports import ReportsPage

    with ctx.database.session() as s:
        ward = list_wards(s)[0]
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.set_ward(ward)
    wait_idle(qtbot, page)
    model = page.meeting_model
    page.meetings.view.selectRow(next(r for r in range(model.rowCount()) if model.record(r).kind == "tcg"))
    page.kind_box.setCurrentIndex(page.kind_box.findData("card"))
    page.recipient.setText("Insp 1203 Hale")
    with qtbot.waitSignal(page.document_built, timeout=60_000):
        page.build_button.click()
    page.save_copy(tmp_path / "card-copy.pdf")
    wait_idle(qtbot, page)
    with ctx.database.session() as s:
        found = [e for e in audit.entries(s, ward=ward.code) if e.activity == "disclosure"]
    assert [(e.record, e.recipient) for e in found[-2:]] == [
        ("meeting_document", "Insp 1203 Hale"),
        ("export", "Insp 1203 Hale"),
    ]
    assert '"file": "card-copy.pdf"' in found[-1].detail


def test_the_audit_log_opens_only_for_supervisors(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from rpdesk.settings import Settings

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    opened: list[str | None] = []
    monkeypatch.setattr(AuditLogDialog, "ask", classmethod(lambda _cls, _p, _ctx, code: opened.append(code)))
    window.show_audit_log()
    assert opened == [] and "supervisors" in told[0]
    window.settings = Settings.with_values({"user_role": "supervisor"})
    window.show_audit_log()
    assert opened == [window.ward.code]
