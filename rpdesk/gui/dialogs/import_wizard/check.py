"""Step 5 of the import wizard: every problem the import would refuse, by row and column; nothing is written.

Problems come grouped as the CLI prints them (:func:`rpdesk.errors.group_problems`): one value refused
for one reason in many cells is one line saying how many cells, in which columns and rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QProgressBar, QVBoxLayout, QWizard, QWizardPage

from rpdesk.errors import InputRejected, Problem, ProblemGroup, UnusualDates, cut, group_problems
from rpdesk.services.import_dispatch import Outcome, dry_run

from rpdesk.gui.dialogs.import_wizard.widgets import IMPORT, fill, note, table
from rpdesk.gui.messages import error_text
from rpdesk.gui.theme import alert_style, ok_style

if TYPE_CHECKING:
    from rpdesk.gui.dialogs.import_wizard.wizard import ImportWizard


class CheckPage(QWizardPage):
    """Step 5: every problem the import would refuse, by row and column; nothing is written."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Check")
        self.setSubTitle("The whole file is checked as the import will check it. Nothing is written yet.")
        self.status = note()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Checking progress")
        self.problems = table(["Rows", "Columns", "Value", "Expected"], "Problems found")
        header = self.problems.horizontalHeader()
        width = self.problems.fontMetrics().averageCharWidth()
        header.resizeSection(0, width * 16)
        header.resizeSection(1, width * 40)
        header.resizeSection(2, width * 20)
        header.setStretchLastSection(True)
        self.problems.setWordWrap(True)
        # Shown when dates look mistyped (they would stretch the round): ticking it checks again, accepting them.
        self.accept_dates = QCheckBox("These &dates are right: import them as they are (the round widens to them)")
        self.accept_dates.hide()
        self.accept_dates.toggled.connect(lambda _on: self.initializePage())
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.accept_dates)
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

    def cleanupPage(self) -> None:
        """Going Back to another file or round: its dates are checked afresh."""
        self.accept_dates.setChecked(False)
        self.accept_dates.hide()
        super().cleanupPage()

    def _passed(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.progress.hide()
        self.status.setStyleSheet(ok_style())
        notes = "".join(f"\n• {n}" for n in outcome.notes)
        self.status.setText(f"No problems found. Ready to import {outcome.summary}.{notes}")
        self.completeChanged.emit()
        self.wiz.checked.emit(outcome)

    def _refused(self, exc: object) -> None:
        self.progress.hide()
        self.status.setStyleSheet(alert_style())
        if isinstance(exc, InputRejected):
            self.found = list(exc.problems)
            self.status.setText(
                f"{len(self.found)} problem(s) found, so the file would be refused whole. Put them right in the "
                "file (or go Back and change the column or answer matching), then check again. Nothing was written."
            )
            headings = self._headings()
            fill(self.problems, [_row(group, headings) for group in group_problems(self.found)])
            self.problems.resizeRowsToContents()
            self.problems.show()
        else:
            hint = (
                " Go Back and tick 'Replace the earlier import' to replace it."
                if "already imported" in str(exc)
                else ""
            )
            self.status.setText(error_text(exc) + hint)
        self.accept_dates.setVisible(isinstance(exc, UnusualDates) or self.accept_dates.isChecked())
        self.completeChanged.emit()
        self.wiz.checked.emit(exc)

    def _headings(self) -> dict[str, str]:
        """rpdesk's column name -> the file's heading it was matched from, so problems name the file's columns."""
        mapping = self.wiz.spec().mapping
        return {target: header for header, target in mapping.columns.items() if target} if mapping else {}

    def isComplete(self) -> bool:
        return self.outcome is not None

    def nextId(self) -> int:
        return IMPORT


def _row(group: ProblemGroup, headings: dict[str, str]) -> tuple[str, str, str, str]:
    """A group as one table row: where (with how many cells when more than one), the value and why."""
    where = group.where + (f" ({len(group.cells)} cells)" if len(group.cells) > 1 else "")
    value = "(blank)" if group.value == "" else cut(group.value or "")
    columns = "\n".join(headings.get(c, c) for c in group.columns)
    return where, columns, value, group.expected
