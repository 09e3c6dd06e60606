"""Step 1 of the import wizard: the file, what it holds and (for surveys) its round and method."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWizardPage,
)

from rpdesk.domain.vocabulary import SURVEY_METHOD_LABELS
from rpdesk.paths import resources_dir

from rpdesk.gui.dialogs.import_wizard.widgets import PREVIEW

KIND_LABELS = {
    "surveys": "Resident survey answers",
    "audits": "EVA findings (environmental visual audit)",
    "crimes": "police.uk street-level crimes",
    "duty": "Duty roster (officer-days and abstractions)",
}

if TYPE_CHECKING:
    from rpdesk.gui.dialogs.import_wizard.wizard import ImportWizard


class ChoosePage(QWizardPage):
    """Step 1: the file, what it holds, and (for surveys) the round it belongs to."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Choose the file")
        ward = wizard.ward
        self.setSubTitle(
            f"CSV or Excel (XLSX). Surveys, EVA findings and police.uk crimes go into ward "
            f"{ward.name} ({ward.code}); a duty roster names its wards itself."
        )
        self.path = QLineEdit()
        self.path.setPlaceholderText("The file to import")
        self.path.setAccessibleName("File")
        browse = QPushButton("Br&owse…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.kind = QComboBox()
        self.kind.setAccessibleName("What the file holds")
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.round_name = QLineEdit()
        self.round_name.setPlaceholderText("e.g. Autumn 2026 (a new name starts a new round)")
        self.round_name.setAccessibleName("Survey round")
        self.method = QComboBox()
        self.method.setAccessibleName("How the answers were gathered")
        for method, label in SURVEY_METHOD_LABELS.items():
            self.method.addItem(label, method.value)
        self.replace = QCheckBox("Re&place the earlier import of this file (it is removed in the same step)")
        self.replace.setToolTip("A file imported before is refused unless this is ticked")
        form = QFormLayout(self)
        for text, widget, shown in (
            ("Fi&le", self.path, row),
            ("&What it holds", self.kind, self.kind),
            ("Survey &round", self.round_name, self.round_name),
            ("&Method", self.method, self.method),
        ):
            caption = QLabel(text)
            caption.setBuddy(widget)
            form.addRow(caption, shown)
        form.addRow("", self.replace)
        self.path.textChanged.connect(self.completeChanged)
        self.round_name.textChanged.connect(self.completeChanged)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def browse(self) -> None:
        start = str(Path(self.path.text()).parent if self.path.text() else resources_dir() / "samples")
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a file to import", start, "Tables (*.csv *.xlsx *.xlsm);;All files (*)"
        )
        if path:
            self.path.setText(path)

    def _kind_changed(self) -> None:
        surveys = self.kind.currentData() == "surveys"
        self.round_name.setEnabled(surveys)
        self.method.setEnabled(surveys)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        path = Path(self.path.text().strip())
        named = bool(self.round_name.text().strip()) or self.kind.currentData() != "surveys"
        return bool(self.path.text().strip()) and path.is_file() and named

    def nextId(self) -> int:
        return PREVIEW
