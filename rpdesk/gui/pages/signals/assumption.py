"""The assumption check: the team's expected signals asked for before the reveal, and compared after it.

Before a round or period's ranking is first shown, :class:`ExpectationPanel` asks which signals the
team expects, most important first (the NRPP study found officers "already knew" the problems; this
makes the claim checkable). :class:`CheckTab` then shows the expectation beside the evidence
(overlap and Spearman rank correlation) and keeps the comparison only when the user asks.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rpdesk.services.expectations import ExpectationComparison
from rpdesk.services.signals_view import expectation_lines

from rpdesk.gui.models.records import Field, RecordsModel
from rpdesk.gui.pages.base import heading
from rpdesk.gui.theme import alert_style
from rpdesk.gui.widgets import TablePanel

EXPECTED_SLOTS = 5
EXPECTATION_FIELDS = [
    Field("Rank", "evidence_rank", numeric=True),
    Field("Signal", "label"),
    Field("Team's order", "expected_position", numeric=True, fmt=lambda v: "–" if v is None else str(v)),
    Field("Matched?", "matched"),
]


class ExpectationPanel(QWidget):
    """Asks for the signals the team expects, in order, before the ranking is revealed.

    Signals:
        recorded(list): the issue codes chosen, most important first.
        skipped(): the team chose to see the ranking without recording.
    """

    recorded = Signal(list)
    skipped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading("Before you see the ranking")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.slots: list[QComboBox] = []
        form = QFormLayout()
        for n in range(1, EXPECTED_SLOTS + 1):
            box = QComboBox()
            box.setAccessibleName(f"Expected signal {n}")
            box.setMinimumContentsLength(20)  # long labels are elided; the box widens when there is room
            self.slots.append(box)
            label = QLabel(f"&{n}.")
            label.setBuddy(box)
            form.addRow(label, box)
        self.problem = QLabel()
        self.problem.setStyleSheet(alert_style())
        self.record_button = QPushButton("Rec&ord and show the ranking")
        self.record_button.setDefault(True)
        self.skip_button = QPushButton("S&kip and show the ranking")
        self.skip_button.setToolTip("The comparison with the evidence will not be available for this period")
        self.record_button.clicked.connect(self._record)
        self.skip_button.clicked.connect(self.skipped)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        frame = QGroupBox()
        inner = QVBoxLayout(frame)
        inner.addWidget(self.title)
        inner.addWidget(self.intro)
        inner.addLayout(form)
        inner.addWidget(self.problem)
        inner.addLayout(buttons)
        frame.setMaximumWidth(680)  # narrower when the window is (150% scaling, large text)
        layout = QVBoxLayout(self)
        layout.addWidget(frame, 0, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout.addStretch(1)

    def ask(self, what: str, issues: Sequence[tuple[str, str]]) -> None:
        self.intro.setText(
            f"Which signals does the team expect the residents of this ward to raise in <b>{what}</b>? "
            "Choose them most important first. rpdesk keeps the list and, once the ranking is shown, says how "
            "far it matched the evidence, so the habit of 'we already knew' can be checked."
        )
        for box in self.slots:
            box.clear()
            box.addItem("—", None)
            for code, label in issues:
                box.addItem(label, code)
        self.problem.clear()

    def choice(self) -> list[str]:
        return [box.currentData() for box in self.slots if box.currentData()]

    def _record(self) -> None:
        codes = self.choice()
        if not codes:
            self.problem.setText("Choose at least one expected signal, or skip.")
        elif len(set(codes)) != len(codes):
            self.problem.setText("Each signal can be chosen once.")
        else:
            self.problem.clear()
            self.recorded.emit(codes)


class CheckTab(QWidget):
    """The team's expectation beside the evidence, and the button that keeps the comparison."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = TablePanel("The team's expectation beside the evidence")
        self.model = RecordsModel(EXPECTATION_FIELDS, parent=self)
        self.table.set_model(self.model, {0: 4, 1: 30, 2: 10})
        self.table.filter_edit.hide()
        self.keep_button = QPushButton("&Keep this comparison")
        self.keep_button.setToolTip(
            "Keep the overlap and rank correlation with the team's expectation, so the habit of 'we already "
            "knew' can be checked over time ('rpdesk-cli expected list' shows them)"
        )
        self.keep_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.keep_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    def show_comparison(self, comparison: ExpectationComparison | None) -> None:
        self.keep_button.setEnabled(comparison is not None)
        if comparison is None:
            self.summary.setText(
                "No expectation was recorded for this period, so there is nothing to compare. Next time, record "
                "the signals the team expects before the ranking is shown."
            )
            self.model.set_records([])
            return
        rho = "cannot be computed" if comparison.spearman is None else f"{comparison.spearman:.2f}"
        self.summary.setText(
            f"<b>{comparison.summary}</b><br>Overlap {comparison.overlap_share:.0%} of the team's list; Spearman "
            f"rank correlation {rho} (1 = the team's order is the evidence's order, 0 = unrelated)."
        )
        self.model.set_records(expectation_lines(comparison))

    def mark_kept(self) -> None:
        self.keep_button.setEnabled(False)
        self.summary.setText(f"{self.summary.text()}<br><i>Kept with the team's expectation.</i>")
