"""The s.62 log for supervisors: who collected, changed, read, disclosed or erased what, filtered and checked.

The same entries and chain check as ``rpdesk-cli audit log`` and ``audit verify``
(:mod:`rpdesk.services.audit`); loaded on the database thread like every page.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rpdesk.services import audit

from rpdesk.gui.date_field import DateField
from rpdesk.gui.keyboard import configure_table
from rpdesk.gui.screen import FitsScreen

if TYPE_CHECKING:
    from rpdesk.gui.context import AppContext

#: Rows shown at most (the CLI's --format csv gives the whole log).
SHOWN = 2000


def _cell(value: object) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y %H:%M:%S}"
    return "" if value is None else str(value)


class AuditLogDialog(FitsScreen, QDialog):
    """Filters (ward, from, to, user), the entries, and a line saying whether the chain is intact."""

    def __init__(self, ctx: AppContext, ward_code: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Audit log (DPA 2018 s.62)")
        self.resize(1100, 600)
        self.ward = QLineEdit(ward_code or "")
        self.ward.setPlaceholderText("all wards")
        today = dt.date.today()
        self.start, self.end = DateField(today - dt.timedelta(days=30)), DateField(today)
        self.user = QLineEdit()
        self.user.setPlaceholderText("every account")
        form = QFormLayout()
        form.addRow("&Ward code", self.ward)
        form.addRow("&From", self.start)
        form.addRow("&To", self.end)
        self.start.setAccessibleName("From")
        self.end.setAccessibleName("To")
        form.addRow("&User", self.user)
        self.show_button = QPushButton("&Show")
        self.show_button.clicked.connect(self.load)
        self.show_button.setDefault(True)  # Enter in a filter shows its entries
        self.table = QTableWidget(0, len(audit.COLUMNS))
        self.table.setHorizontalHeaderLabels([c.replace("_", " ") for c in audit.COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        configure_table(self.table)
        self.status = QLabel("")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.show_button)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        """Read the filtered entries and check the chain, on the database thread."""
        typed = self.start.problem() or self.end.problem()
        if typed:  # said, not read on the dates shown before
            self.status.setText(typed)
            return
        start, end = self.start.date(), self.end.date()
        ward, user = self.ward.text().strip() or None, self.user.text().strip() or None

        def work(session: Any) -> tuple[list[audit.LogEntry], audit.Verdict]:
            found = audit.entries(session, ward=ward, start=start, end=end, user=user, limit=SHOWN)
            return found, audit.verify(session)

        state = self.ctx.runner.run(work, title="Reading the audit log")
        state.done.connect(self._show)

    def _show(self, result: tuple[list[audit.LogEntry], audit.Verdict]) -> None:
        found, verdict = result
        self.table.setRowCount(len(found))
        for r, entry in enumerate(found):
            for c, value in enumerate(entry.as_dict().values()):
                self.table.setItem(r, c, QTableWidgetItem(_cell(value)))
        self.table.resizeColumnsToContents()
        chain = (
            f"the log is intact ({verdict.checked} entries chained)"
            if verdict.ok
            else f"THE LOG HAS BEEN TAMPERED WITH: {verdict.problem}"
        )
        self.status.setText(f"{len(found)} entries shown (times in UTC); {chain}.")

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: AppContext, ward_code: str | None) -> None:
        cls(ctx, ward_code, parent).exec()
