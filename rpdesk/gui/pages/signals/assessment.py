"""The assessment: did the work on each priority move what residents feel, round against round."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from rpdesk.services.assessment import IMPROVED, NOT_MOVING, WORSE, PriorityAssessment

from rpdesk.gui.models.records import Field, RecordsModel
from rpdesk.gui.pages.signals.ranking import pct
from rpdesk.gui.widgets import TablePanel


def _before_after(m: Any) -> str:
    if m is None:
        return "–"
    change = "" if m.change is None else f" ({m.change * 100:+.0f} pts{', beyond chance' if m.beyond_chance else ''})"
    return f"{pct(m.before)} → {pct(m.after)}{change}"


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    label: str
    status: str
    first_adopted: dt.date
    rounds: str
    prevalence: str
    verdict: str
    explanation: str

    @classmethod
    def of(cls, a: PriorityAssessment) -> AssessmentRow:
        compared = f"{a.baseline_round or '–'} → {a.latest_round or '–'}"
        return cls(
            a.priority_id,
            a.label,
            a.status,
            a.first_adopted_on,
            compared + (" (methods differ)" if a.caveat else ""),
            _before_after(a.prevalence),
            a.verdict,
            a.explanation,
        )


ASSESSMENT_FIELDS = [
    Field("Priority", "label"),
    Field("Status", "status"),
    Field("First adopted", "first_adopted"),
    Field("Rounds compared", "rounds"),
    Field("Big problem, before → latest", "prevalence"),
    Field("Verdict", "verdict"),
]


def _verdict_colour(row: AssessmentRow) -> QColor | None:
    if row.verdict == IMPROVED:
        return QColor("#e8f5e9")
    if row.verdict == WORSE:
        return QColor("#fdecea")
    if row.verdict == NOT_MOVING:
        return QColor("#fff4e0")
    return None


class AssessmentTab(QWidget):
    """The priorities' verdicts, tinted by outcome, and the explanation of the selected one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = TablePanel("Did the work move what residents feel?")
        self.model = RecordsModel(ASSESSMENT_FIELDS, row_colour=_verdict_colour, parent=self)
        self.table.set_model(self.model, {0: 22, 1: 6, 2: 10, 3: 24, 4: 26})
        self.table.filter_edit.hide()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName("What the assessment means")
        self.table.current_changed.connect(self._show_explanation)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.text)

    def show_assessment(self, assessment: Sequence[PriorityAssessment]) -> None:
        self.model.set_records([AssessmentRow.of(a) for a in assessment])
        self.text.setText("" if assessment else "No priority has been adopted yet.")
        self.table.select_first()

    def _show_explanation(self, key: Any) -> None:
        rows = [self.model.record(r) for r in range(self.model.rowCount())]
        row = next((r for r in rows if r.id == key), None)
        if row is not None:
            self.text.setText(row.explanation)
