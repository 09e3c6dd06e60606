"""Step 3 of the import wizard (surveys and EVA): what each column of the file becomes in rpdesk's layout.

The proposal (from the question texts, or as saved for this form) is the service's; the page shows
it as labels a user reads ("Rubbish or litter lying around: how much of a problem"), never codes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QPushButton,
    QTableWidgetItem,
    QWizardPage,
)

from rpdesk.errors import UserError
from rpdesk.paths import resources_dir
from rpdesk.services.import_dispatch import Preview
from rpdesk.services.import_mapping import (
    KEEP,
    ColumnMapping,
    Targets,
    column_choices,
    load_mapping,
    mapping_targets,
    saved_mapping,
)

from rpdesk.gui.dialogs.import_wizard.widgets import ANSWERS, CHECK, matching_layout
from rpdesk.gui.messages import error_text

if TYPE_CHECKING:
    from rpdesk.gui.dialogs.import_wizard.wizard import ImportWizard

LEAVE_OUT = None


class MappingPage(QWizardPage):
    """Step 3 (surveys and EVA): what each column of the file becomes in rpdesk's layout."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Match the columns")
        self.setSubTitle(
            "What each column of the file holds. Columns headed with a form's question are matched from its "
            "words; check them and choose the others. The matching is saved for the next export of this form."
        )
        self.load_button = QPushButton("&Load a mapping file…")
        self.load_button.setToolTip("A mapping saved by rpdesk or shipped with a form (JSON)")
        self.load_button.clicked.connect(self.choose_mapping_file)
        # the labels are long: their column gets the spare width
        self.status, self.table = matching_layout(
            self, ["Column in the file", "First answer", "Holds"], "Column matching", 2, self.load_button
        )
        self.combos: dict[str, QComboBox] = {}
        self.values: dict[str, dict[str, str]] = {}
        self.targets: Targets | None = None

    def initializePage(self) -> None:
        preview = self.wiz.preview_page.preview
        assert preview is not None
        self.status.setText("Loading the columns rpdesk knows…")
        state = self.wiz.run(mapping_targets, self.wiz.kind, title="Loading the catalogue")
        state.done.connect(lambda targets: self._build(preview, targets))
        state.failed.connect(lambda exc: self.status.setText(error_text(exc)))

    def _build(self, preview: Preview, targets: Targets) -> None:
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
            combo.setAccessibleName(f"What '{header}' holds")
            combo.addItem("— leave out —", LEAVE_OUT)
            combo.addItem("(not matched: choose)", KEEP)
            for target in targets.targets:
                combo.addItem(target.label, target.column)
                combo.setItemData(combo.count() - 1, target.column, Qt.ItemDataRole.ToolTipRole)
            self.table.setCellWidget(r, 2, combo)
            self.combos[header] = combo
        width = self.table.fontMetrics().averageCharWidth()
        self.table.horizontalHeader().resizeSection(0, width * 34)
        self.table.horizontalHeader().resizeSection(1, width * 12)
        self.table.resizeRowsToContents()  # a long question wraps: its end names its subject
        saved = saved_mapping(targets.kind, preview.headers)
        self.apply(saved)
        if saved is not None:
            self.status.setText("Matched as saved the last time a file with these columns was imported.")
        else:
            self.status.setText(self._proposal_note())
        self.wiz.mapping_ready.emit()

    def _proposal_note(self) -> str:
        unmatched = sum(1 for c in self.combos.values() if c.currentData() == KEEP)
        left_out = [h for h, c in self.combos.items() if c.currentData() is LEAVE_OUT]
        text = (
            f"{len(self.combos) - unmatched - len(left_out)} of {len(self.combos)} columns matched from their headings."
        )
        if left_out:
            text += f" Left out as personal details or other times: {', '.join(left_out)}."
        if unmatched:
            text += f" {unmatched} not matched: choose what they hold or leave them out."
        return text

    def apply(self, mapping: ColumnMapping | None) -> None:
        """Set every combo from ``mapping`` (None: the proposal); its answer wordings go to the next page."""
        assert self.targets is not None
        self.values = {k: dict(v) for k, v in mapping.values.items()} if mapping else {}
        for header, target in column_choices(self.targets, list(self.combos), mapping).items():
            combo = self.combos[header]
            combo.setCurrentIndex(max(0, combo.findData(target)))
            combo.setToolTip(combo.currentText())

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

    def columns(self) -> dict[str, str | None]:
        """Header -> chosen column (None = leave out); headers not matched are not named."""
        return {h: c.currentData() for h, c in self.combos.items() if c.currentData() != KEEP}

    def mapping(self) -> ColumnMapping:
        """The columns as chosen, with the answer wordings as matched on the next page (or loaded)."""
        return ColumnMapping(self.wiz.kind, self.columns(), self.wiz.answers_page.values(self.values))

    def validatePage(self) -> bool:
        if self.wiz.preview_page.preview is None or not self.combos:
            return False
        if self.nextId() == CHECK:  # no answers to match: this is the mapping to keep
            self.wiz.remember_mapping(self.status)
        return True

    def nextId(self) -> int:
        return ANSWERS if self.wiz.kind == "surveys" else CHECK
