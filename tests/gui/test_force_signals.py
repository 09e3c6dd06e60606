"""Every ward's signals in the GUI: the same one line per ward as rpdesk-cli, and a logged consultation."""

from __future__ import annotations

from rpdesk.services import audit
from rpdesk.services.force_ranking import SUMMARY_COLUMNS, rank_every_ward, summary_row

from rpdesk.gui.dialogs.force_signals import TITLE, ForceSignalsDialog, cell_text


def test_the_dialog_shows_every_wards_line_as_the_cli_does_and_logs_it(qtbot, ctx, tmp_path):
    with ctx.database.session() as s:
        expected = [summary_row(r) for r in rank_every_ward(s, settings=ctx.settings).rankings]
    assert expected and all(row["respondents"] for row in expected)
    dialog = ForceSignalsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.ranked is not None, timeout=30_000)
    shown = [
        {c: dialog.table.item(r, i).text() for i, c in enumerate(SUMMARY_COLUMNS)}
        for r in range(dialog.table.rowCount())
    ]
    assert shown == [{c: cell_text(row, c) for c in SUMMARY_COLUMNS} for row in expected]
    assert shown[0]["top_signals"].count("\n") == 2  # the top 3, one to a line
    assert f"{len(expected)} ward(s) ranked" in dialog.status.text()
    assert dialog.grab().save(str(tmp_path / "force-signals.png"))
    with ctx.database.session() as s:
        logged = [e for e in audit.entries(s) if e.activity == "consultation" and TITLE in e.detail]
    assert logged and logged[-1].ward is None  # every ward's records, not one ward's


def test_the_go_menu_opens_it(qtbot, window, monkeypatch):
    opened: list[object] = []
    monkeypatch.setattr(ForceSignalsDialog, "ask", classmethod(lambda cls, parent, ctx: opened.append(ctx)))
    go = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Go")
    action = next(a for a in go.actions() if "si&gnals" in a.text())
    action.trigger()
    assert opened == [window.ctx]
