"""A progress dialog with Cancel for a background task (see :mod:`rpdesk.gui.tasks`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from rpdesk.gui.tasks import TaskState

STEPS = 1000


class ProgressDialog(QProgressDialog):
    """Shows a task's progress once it has run for ``delay_ms``; Cancel asks the task to stop.

    The dialog closes itself when the task finishes, whatever the outcome; callers handle
    ``done``/``failed`` on the state.
    """

    def __init__(self, state: TaskState, parent: QWidget | None = None, delay_ms: int = 300) -> None:
        super().__init__(state.title, "Cancel", 0, STEPS, parent)
        self.state = state
        self.setWindowTitle(state.title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(delay_ms)
        self.setMinimumWidth(420)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setAccessibleName(f"Progress: {state.title}")
        self.setValue(0)
        state.progress.connect(self._on_progress)
        state.finished.connect(self._on_finished)
        self.canceled.connect(self._on_cancel)

    @classmethod
    def watch(cls, state: TaskState, parent: QWidget | None = None, delay_ms: int = 300) -> ProgressDialog:
        return cls(state, parent, delay_ms)

    def _on_progress(self, fraction: float, message: str) -> None:
        self.setValue(int(max(0.0, min(1.0, fraction)) * STEPS))
        if message:
            self.setLabelText(message)

    def _on_cancel(self) -> None:
        self.setLabelText("Cancelling… (nothing will be saved)")
        self.state.cancel()

    def _on_finished(self) -> None:
        self.canceled.disconnect(self._on_cancel)
        self.close()
        self.deleteLater()
