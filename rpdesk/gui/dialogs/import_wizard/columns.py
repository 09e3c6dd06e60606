"""Step 3 of the import wizard (surveys and EVA): what each column of the file becomes in rpdesk's layout."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from rpdesk.errors import UserError
from rpdesk.paths import resources_dir
from rpdesk.services.import_dispatch import Preview
from rpdesk.services.import_mapping import (
    ColumnMapping,
    header_key,
    load_mapping,
    mapping_path,
    mapping_targets,
    save_mapping,
    saved_mapping,
)

from rpdesk.gui.dialogs.import_wizard.widgets import CHECK, note, table
from rpdesk.gui.messages import error_text

LEAVE_OUT = None
KEEP = ""


def _canonical(header: str) -> str:
    return re.sub(r"\s+", "_", header.strip()).casefold()


if TYPE_CHECKING:
    from rpdesk.gui.dialogs.import_wizard.wizard import ImportWizard


class MappingPage(QWizardPage):
    """Step 3 (surveys and EVA): what each column of the file becomes in rpdesk's layout."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Match the columns")
        self.setSubTitle(
            "Choose what each column of the file is. Exports from online forms head their columns with the "
            "question; the choice is saved, so the next export of the same form arrives matched."
        )
        self.status = note()
        self.table = table(["Column in the file", "First answer", "Becomes"], "Column matching")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.load_button = QPushButton("&Load a mapping file…")
        self.load_button.setToolTip("A mapping saved by rpdesk or shipped with a form (JSON)")
        self.load_button.clicked.connect(self.choose_mapping_file)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.load_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.combos: dict[str, QComboBox] = {}
        self.values: dict[str, dict[str, str]] = {}
        self.targets: list[str] = []

    def initializePage(self) -> None:
        preview = self.wiz.preview_page.preview
        assert preview is not None
        self.status.setText("Loading the columns rpdesk knows…")
        kind = self.wiz.kind
        state = self.wiz.run(mapping_targets, kind, title="Loading the catalogue")
        state.done.connect(lambda targets: self._build(preview, kind, targets))
        state.failed.connect(lambda exc: self.status.setText(error_text(exc)))

    def _build(self, preview: Preview, kind: str, targets: list[str]) -> None:
        self.targets = targets
        self.combos.clear()
        self.table.setRowCount(len(preview.headers))
        first = preview.rows[0] if preview.rows else ()
        for r, header in enumerate(preview.headers):
            name = QTableWidgetItem(header)
            name.setToolTip(header)
            self.table.setItem(r, 0, name)
            example = first[r] if r < len(first) else ""
            self.table.setItem(r, 1, QTableWidgetItem(example))
            combo = QComboBox()
            combo.setAccessibleName(f"What '{header}' becomes")
            combo.addItem("— leave out —", LEAVE_OUT)
            combo.addItem("(keep the heading as it is)", KEEP)
            for target in targets:
                combo.addItem(target, target)
            self.table.setCellWidget(r, 2, combo)
            self.combos[header] = combo
        width = self.table.fontMetrics().averageCharWidth()
        self.table.horizontalHeader().resizeSection(1, width * 18)
        self.table.horizontalHeader().resizeSection(2, width * 40)
        saved = saved_mapping(kind, preview.headers)
        if saved is not None:
            self.apply(saved)
            self.status.setText("Matched as saved the last time a file with these columns was imported.")
        else:
            self.apply(ColumnMapping(kind))
            self.status.setText("Columns already named as rpdesk names them are matched; choose the others.")
        self.wiz.mapping_ready.emit()

    def apply(self, mapping: ColumnMapping) -> None:
        """Set every combo from ``mapping``; headers it does not name keep their own name if rpdesk knows it."""
        chosen = {header_key(k): v for k, v in mapping.columns.items()}
        self.values = {k: dict(v) for k, v in mapping.values.items()}
        for header, combo in self.combos.items():
            key = header_key(header)
            if key in chosen:
                target = chosen[key]
            else:
                own = _canonical(header)
                target = own if own in self.targets else KEEP
            combo.setCurrentIndex(max(0, combo.findData(target)))

    def choose_mapping_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Load a column mapping", str(resources_dir() / "samples"), "Column mappings (*.json)"
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        try:
            mapping = load_mapping(path)
        except UserError as exc:
            self.status.setText(str(exc))
            return
        self.apply(mapping)
        self.status.setText(f"Matched from {path.name}.")

    def mapping(self) -> ColumnMapping:
        columns: dict[str, str | None] = {}
        for header, combo in self.combos.items():
            target = combo.currentData()
            if target != KEEP:
                columns[header] = target
        return ColumnMapping(self.wiz.kind, columns, self.values)

    def validatePage(self) -> bool:
        preview = self.wiz.preview_page.preview
        if preview is None or not self.combos:
            return False
        mapping = self.mapping()
        path = mapping_path(self.wiz.kind, preview.headers)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save_mapping(mapping, path)
        except OSError as exc:  # not being able to remember it is no reason to stop the import
            self.status.setText(f"The matching could not be saved for next time ({exc.strerror}).")
        return True

    def nextId(self) -> int:
        return CHECK
