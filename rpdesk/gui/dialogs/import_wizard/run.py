"""Step 6 of the import wizard: the import itself, with progress and Cancel (a cancelled import leaves nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWizard, QWizardPage

from rpdesk.errors import Cancelled
from rpdesk.services.import_dispatch import Outcome, run_import

from rpdesk.gui.dialogs.import_wizard.widgets import note
from rpdesk.gui.messages import error_text
from rpdesk.gui.tasks import TaskState
from rpdesk.gui.theme import alert_style, ok_style

if TYPE_CHECKING:
    from rpdesk.gui.dialogs.import_wizard.wizard import ImportWizard


class ImportPage(QWizardPage):
    """Step 6: the import itself, with progress and Cancel (a cancelled import leaves nothing)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Import")
        self.setSubTitle("All rows are written in one step: if it is cancelled or refused, nothing is imported.")
        self.status = note()
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
        self.status.setStyleSheet(ok_style())
        notes = "".join(f"\n• {n}" for n in outcome.notes)
        self.status.setText(f"Imported {outcome.summary}.{notes}")
        self.completeChanged.emit()
        self.wiz.imported.emit(outcome)

    def _failed(self, exc: object) -> None:
        self.cancel_button.setEnabled(False)
        self.status.setStyleSheet(alert_style())
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
