"""Every ward's signals at once (a supervisor's or an analyst's view): one line per ward, its best signals.

The same rankings as each ward's Signals page and ``rpdesk-cli signals --all-wards``
(:func:`rpdesk.services.force_ranking.rank_every_ward`: one grouped query per kind of evidence, so a
650-ward force takes a second or two), read on the database thread. Opening it is logged as a
consultation of every ward's records (DPA 2018 s.62); on a force server the login sees the wards it
may read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from rpdesk.services.force_ranking import SUMMARY_COLUMNS, SWAP_NOTE, ForceRanking, rank_every_ward, summary_row

from rpdesk.gui.keyboard import configure_table
from rpdesk.gui.screen import FitsScreen

if TYPE_CHECKING:
    from rpdesk.gui.context import AppContext

TITLE = "Every ward's signals"
HEADINGS = {
    "ward": "Ward",
    "name": "Name",
    "ranked": "Ranked",
    "respondents": "Respondents",
    "top_signals": "Top signals",
}


def cell_text(row: dict[str, Any], column: str) -> str:
    """A summary value as its cell shows it: the top signals one to a line, so none is cut short."""
    text = str(row[column])
    return text.replace("; ", "\n") if column == "top_signals" else text


class ForceSignalsDialog(FitsScreen, QDialog):
    """A table of every ward's current round and best signals, and a line naming the wards with nothing to rank."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ranked: ForceRanking | None = None
        self.setWindowTitle(TITLE)
        self.resize(1100, 600)
        self.table = QTableWidget(0, len(SUMMARY_COLUMNS))
        self.table.setAccessibleName(TITLE)
        self.table.setHorizontalHeaderLabels([HEADINGS[c] for c in SUMMARY_COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        configure_table(self.table)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel("Ranking every ward…")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        """Log the consultation, then rank every ward, on the database thread."""
        from rpdesk.services.audit import consulted

        database, settings = self.ctx.database, self.ctx.settings
        how = {"channel": "gui", "page": TITLE}
        self.ctx.runner.submit(lambda _p, _c: consulted(database, None, how), title="Logging")
        state = self.ctx.runner.run(lambda session: rank_every_ward(session, settings=settings), title="Ranking")
        state.done.connect(self._show)
        state.failed.connect(lambda exc: self.status.setText(f"Could not rank the wards: {exc}"))

    def _show(self, result: ForceRanking) -> None:
        self.ranked = result
        rows = [summary_row(r) for r in result.rankings]
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, column in enumerate(SUMMARY_COLUMNS):
                self.table.setItem(r, c, QTableWidgetItem(cell_text(row, column)))
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        lines = [f"{len(rows)} ward(s) ranked, each on its current survey round."]
        if any("*" in row["top_signals"] for row in rows):
            lines.append(SWAP_NOTE)
        lines += [f"Not ranked: {code}: {why}." for code, why in result.unranked]
        self.status.setText("\n".join(lines))

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: AppContext) -> None:
        cls(ctx, parent).exec()
