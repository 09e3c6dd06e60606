"""Step 2 of the import wizard: the first rows of the file exactly as read, so a wrong file is caught early."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHeaderView, QTableWidgetItem, QVBoxLayout, QWizardPage

from rpdesk.services.import_dispatch import PREVIEW_ROWS, Preview, read_preview

from rpdesk.gui.dialogs.import_wizard.widgets import CHECK, MAPPED_KINDS, MAPPING, fill, note, table
from rpdesk.gui.messages import error_text
from rpdesk.gui.theme import alert_style

if TYPE_CHECKING:
    from rpdesk.gui.dialogs.import_wizard.wizard import ImportWizard


class PreviewPage(QWizardPage):
    """Step 2: the first rows of the file exactly as read, so a wrong file is caught early."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Preview")
        self.status = note()
        self.table = table([], "Preview of the file")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.preview: Preview | None = None

    def initializePage(self) -> None:
        self.preview = None
        self.status.setStyleSheet("")
        self.status.setText("Reading the file…")
        self.table.clear()
        self.table.setRowCount(0)
        path = self.wiz.spec().path
        state = self.wiz.submit(lambda _p, _c: read_preview(path), "Reading the file")
        state.done.connect(self._shown)
        state.failed.connect(self._refused)

    def _shown(self, preview: Preview) -> None:
        self.preview = preview
        self.setSubTitle(f"{preview.name}: {len(preview.headers)} columns, {preview.total:,} rows.")
        if preview.total > PREVIEW_ROWS:
            self.status.setText(f"The first {PREVIEW_ROWS} of {preview.total:,} rows, as rpdesk reads them:")
        else:
            self.status.setText(f"All {preview.total:,} rows, as rpdesk reads them:")
        self.table.setColumnCount(len(preview.headers))
        for column, text in enumerate(preview.headers):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            self.table.setHorizontalHeaderItem(column, item)
        fill(self.table, preview.rows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        limit = self.table.fontMetrics().averageCharWidth() * 28
        for c in range(self.table.columnCount()):
            header.resizeSection(c, min(header.sectionSize(c) + 12, limit))
        self.completeChanged.emit()
        self.wiz.preview_loaded.emit(preview)

    def _refused(self, exc: object) -> None:
        self.status.setStyleSheet(alert_style())
        self.status.setText(error_text(exc))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.preview is not None

    def nextId(self) -> int:
        return MAPPING if self.wiz.kind in MAPPED_KINDS else CHECK
