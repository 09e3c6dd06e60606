"""The import wizard: pick a file → preview it → map its columns → check every row → import.

The work is :mod:`rpdesk.services.import_dispatch` (preview, mapping targets, the dry run that
writes nothing, the import, saved mappings); this module holds only the pages. The import step
runs in a child process through the shell's task runner; Cancel makes the service's ``check()``
raise ``Cancelled`` and its one transaction is rolled back, so nothing is ever half-imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from rpdesk.domain.vocabulary import SurveyMethod
from rpdesk.errors import Cancelled, InputRejected, Problem, UserError, cut
from rpdesk.importers.mapping import ColumnMapping, header_key, load_mapping, save_mapping
from rpdesk.paths import resources_dir
from rpdesk.services.import_dispatch import (
    PREVIEW_ROWS,
    ImportSpec,
    Outcome,
    Preview,
    dry_run,
    mapping_path,
    mapping_targets,
    read_preview,
    run_import,
    saved_mapping,
)

from rpdesk.gui.context import AppContext
from rpdesk.gui.messages import error_text
from rpdesk.gui.tasks import TaskState

KIND_LABELS = {
    "surveys": "Resident survey answers",
    "audits": "EVA findings (environmental visual audit)",
    "crimes": "police.uk street-level crimes",
    "duty": "Duty roster (officer-days and abstractions)",
}
MAPPED_KINDS = ("surveys", "audits")
METHOD_LABELS = {m.value: m.value.upper() if m.value in ("kin", "nsi") else m.value.capitalize() for m in SurveyMethod}
LEAVE_OUT = None
KEEP = ""
ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"


def _canonical(header: str) -> str:
    return re.sub(r"\s+", "_", header.strip()).casefold()


# --- pages --------------------------------------------------------------------------------------------


def _table(headers: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setToolTip(item.text())
            table.setItem(r, c, item)


def _note(text: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return label


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
        browse = QPushButton("&Browse…")
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
        for value, label in METHOD_LABELS.items():
            self.method.addItem(label, value)
        self.replace = QCheckBox("&Replace the earlier import of this file (it is removed in the same step)")
        self.replace.setToolTip("A file imported before is refused unless this is ticked")
        form = QFormLayout(self)
        for text, widget, shown in (
            ("&File", self.path, row),
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
        return ImportWizard.PREVIEW


class PreviewPage(QWizardPage):
    """Step 2: the first rows of the file exactly as read, so a wrong file is caught early."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Preview")
        self.status = _note()
        self.table = _table([], "Preview of the file")
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
        _fill(self.table, preview.rows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        limit = self.table.fontMetrics().averageCharWidth() * 28
        for c in range(self.table.columnCount()):
            header.resizeSection(c, min(header.sectionSize(c) + 12, limit))
        self.completeChanged.emit()
        self.wiz.preview_loaded.emit(preview)

    def _refused(self, exc: object) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.preview is not None

    def nextId(self) -> int:
        return ImportWizard.MAPPING if self.wiz.kind in MAPPED_KINDS else ImportWizard.CHECK


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
        self.status = _note()
        self.table = _table(["Column in the file", "First answer", "Becomes"], "Column matching")
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
        return ImportWizard.CHECK


class CheckPage(QWizardPage):
    """Step 4: every problem the import would refuse, by row and column; nothing is written."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Check")
        self.setSubTitle("The whole file is checked as the import will check it. Nothing is written yet.")
        self.status = _note()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Checking progress")
        self.problems = _table(["Row", "Column", "Value", "Expected"], "Problems found")
        header = self.problems.horizontalHeader()
        width = self.problems.fontMetrics().averageCharWidth()
        header.resizeSection(0, width * 7)
        header.resizeSection(1, width * 26)
        header.resizeSection(2, width * 20)
        header.setStretchLastSection(True)
        self.problems.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)  # keeps the message at the top when there is no problem to list
        self.setButtonText(QWizard.WizardButton.NextButton, "&Import")
        self.outcome: Outcome | None = None
        self.found: list[Problem] = []

    def initializePage(self) -> None:
        self.outcome, self.found = None, []
        self.problems.setRowCount(0)
        self.problems.hide()
        self.progress.show()
        self.progress.setValue(0)
        self.status.setStyleSheet("")
        self.status.setText("Checking every row…")
        spec, database = self.wiz.spec(), self.wiz.ctx.database
        state = self.wiz.submit(lambda p, c: dry_run(database, spec, p, c), "Checking the file")
        state.progress.connect(lambda f, _m: self.progress.setValue(int(f * 100)))
        state.done.connect(self._passed)
        state.failed.connect(self._refused)

    def _passed(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.progress.hide()
        self.status.setStyleSheet(OK_STYLE)
        notes = "".join(f"\n• {n}" for n in outcome.notes)
        self.status.setText(f"No problems found. Ready to import {outcome.summary}.{notes}")
        self.completeChanged.emit()
        self.wiz.checked.emit(outcome)

    def _refused(self, exc: object) -> None:
        self.progress.hide()
        self.status.setStyleSheet(ERROR_STYLE)
        if isinstance(exc, InputRejected):
            self.found = list(exc.problems)
            self.status.setText(
                f"{len(self.found)} problem(s) found, so the file would be refused whole. Put them right in the "
                "file (or go Back and change the column matching), then check again. Nothing was written."
            )
            _fill(self.problems, [(p.row or "", p.column or "", cut(p.value or ""), p.expected) for p in self.found])
            self.problems.resizeRowsToContents()
            self.problems.show()
        else:
            hint = (
                " Go Back and tick 'Replace the earlier import' to replace it."
                if "already imported" in str(exc)
                else ""
            )
            self.status.setText(error_text(exc) + hint)
        self.completeChanged.emit()
        self.wiz.checked.emit(exc)

    def isComplete(self) -> bool:
        return self.outcome is not None

    def nextId(self) -> int:
        return ImportWizard.IMPORT


class ImportPage(QWizardPage):
    """Step 5: the import itself, with progress and Cancel (a cancelled import leaves nothing)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Import")
        self.setSubTitle("All rows are written in one step: if it is cancelled or refused, nothing is imported.")
        self.status = _note()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        self.cancel_button = QPushButton("&Cancel the import")
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addStretch(1)
        self.state: TaskState | None = None
        self.outcome: Outcome | None = None

    def initializePage(self) -> None:
        self.outcome = None
        self.status.setStyleSheet("")
        self.status.setText("Importing…")
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        spec = self.wiz.spec()
        # In a child process: pandas holds the GIL for long stretches, which would freeze the window.
        self.state = self.wiz.run_in_process(run_import, spec, title=f"Importing {spec.path.name}")
        self.state.progress.connect(self._progress)
        self.state.done.connect(self._done)
        self.state.failed.connect(self._failed)

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 100))
        if message:
            self.status.setText(f"Importing… {message}")

    def cancel(self) -> None:
        if self.state is not None and self.state.running:
            self.status.setText("Cancelling… nothing will be saved.")
            self.cancel_button.setEnabled(False)
            self.state.cancel()

    @property
    def running(self) -> bool:
        return self.state is not None and self.state.running

    def _done(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.progress.setValue(100)
        self.cancel_button.setEnabled(False)
        self.status.setStyleSheet(OK_STYLE)
        notes = "".join(f"\n• {n}" for n in outcome.notes)
        self.status.setText(f"Imported {outcome.summary}.{notes}")
        self.completeChanged.emit()
        self.wiz.imported.emit(outcome)

    def _failed(self, exc: object) -> None:
        self.cancel_button.setEnabled(False)
        self.status.setStyleSheet(ERROR_STYLE)
        if isinstance(exc, Cancelled):
            self.status.setText("Import cancelled. Nothing was imported; the database is as it was.")
        else:
            self.status.setText(error_text(exc))
        self.completeChanged.emit()
        self.wiz.import_failed.emit(exc)
        if self.wiz.close_when_done:
            self.wiz.done(QWizard.DialogCode.Rejected)

    def isComplete(self) -> bool:
        return self.state is not None and not self.state.running  # Finish closes, whatever the outcome


class ImportWizard(QWizard):
    """File → preview → columns → check → import, all on the shell's task runner.

    Signals:
        preview_loaded(object): the :class:`Preview` of the chosen file.
        mapping_ready(): the column-matching table is filled.
        checked(object): the check's :class:`Outcome`, or the exception that refused the file.
        imported(object): the import's :class:`Outcome`, after its transaction committed.
        import_failed(object): the import was cancelled (``Cancelled``) or refused.
    """

    CHOOSE, PREVIEW, MAPPING, CHECK, IMPORT = range(5)

    preview_loaded = Signal(object)
    mapping_ready = Signal()
    checked = Signal(object)
    imported = Signal(object)
    import_failed = Signal(object)

    def __init__(self, ctx: AppContext, ward: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ward = ward
        self.close_when_done = False
        self._states: set[TaskState] = set()
        self.setWindowTitle("Import a file")
        self.setAccessibleName("Import wizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # the page has its own Cancel
        self.choose_page = ChoosePage(self)
        self.preview_page = PreviewPage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.import_page = ImportPage(self)
        for page_id, page in enumerate(
            (self.choose_page, self.preview_page, self.mapping_page, self.check_page, self.import_page)
        ):
            self.setPage(page_id, page)
        self.setStartId(self.CHOOSE)
        self.resize(980, 640)

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, ward: Any) -> bool:
        """Run the wizard modally; True when something was imported."""
        if ward is None:
            return False
        wizard = cls(ctx, ward, parent)
        wizard.exec()
        return wizard.import_page.outcome is not None

    @property
    def kind(self) -> str:
        return str(self.choose_page.kind.currentData())

    def spec(self) -> ImportSpec:
        page = self.choose_page
        mapped = self.kind in MAPPED_KINDS and bool(self.mapping_page.combos)
        return ImportSpec(
            kind=self.kind,
            path=Path(page.path.text().strip()),
            ward_code=self.ward.code,
            round_name=page.round_name.text().strip(),
            method=page.method.currentData(),
            replace=page.replace.isChecked(),
            mapping=self.mapping_page.mapping() if mapped else None,
            settings=self.ctx.settings,
        )

    def submit(self, work: Callable[[Any, Any], Any], title: str) -> TaskState:
        return self._keep(self.ctx.runner.submit(work, title=title))

    def run(self, fn: Callable[..., Any], *args: Any, title: str, **kwargs: Any) -> TaskState:
        return self._keep(self.ctx.runner.run(fn, *args, title=title, **kwargs))

    def run_in_process(self, fn: Callable[..., Any], *args: Any, title: str) -> TaskState:
        return self._keep(self.ctx.runner.run_in_process(fn, *args, title=title))

    def _keep(self, state: TaskState) -> TaskState:
        self._states.add(state)
        state.finished.connect(lambda: self._states.discard(state))
        return state

    @property
    def busy(self) -> bool:
        return bool(self._states)

    def reject(self) -> None:
        """Closing while importing cancels the import first; the wizard closes once it has stopped."""
        if self.import_page.running:
            self.close_when_done = True
            self.import_page.cancel()
            return
        super().reject()
