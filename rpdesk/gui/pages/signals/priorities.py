"""Priorities: the ward's current priorities and the signals passed over, and the dialog that adopts them.

Adopting priorities that depart from the evidence top N (adopting one outside it, or passing over
one inside it) needs a written justification per departure, kept beside the priority; which
departures a choice makes and what it needs come from the services, the dialog only asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rpdesk.services.priorities import PassedOverInfo, PriorityInfo, adopt_priorities, departures
from rpdesk.services.signals import Ranking
from rpdesk.services.signals_view import adoption_problems, adoption_reasons

from rpdesk.gui.context import AppContext
from rpdesk.gui.keyboard import KeyboardDialog
from rpdesk.gui.messages import error_text
from rpdesk.gui.models.records import Field, RecordsModel
from rpdesk.gui.pages.signals.ranking import pct
from rpdesk.gui.screen import scrolling
from rpdesk.gui.theme import alert_style, quiet_style
from rpdesk.gui.widgets import TablePanel

PRIORITY_FIELDS = [
    Field("Priority", "label"),
    Field("Evidence rank", "evidence_rank", numeric=True),
    Field("Adopted", "adopted_on"),
    Field("By", "adopted_by"),
    Field("Departs from evidence", "departure", fmt=lambda v: "yes" if v else ""),
    Field("Justification", "justification"),
]
PASSED_FIELDS = [
    Field("Passed over", "label"),
    Field("Evidence rank", "evidence_rank", numeric=True),
    Field("Decided", "decided_on"),
    Field("By", "decided_by"),
    Field("Justification", "justification"),
]


class PrioritiesTab(QSplitter):
    """The current priorities beside the signals passed over, each with its written reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.priorities = TablePanel("Current priorities")
        self.priority_model = RecordsModel(PRIORITY_FIELDS, parent=self)
        self.priorities.set_model(self.priority_model, {0: 24, 1: 8, 2: 11, 3: 10, 4: 10})
        self.passed = TablePanel("Signals passed over")
        self.passed_model = RecordsModel(PASSED_FIELDS, parent=self)
        self.passed.set_model(self.passed_model, {0: 22, 1: 8, 2: 11, 3: 10})
        for panel in (self.priorities, self.passed):
            panel.filter_edit.hide()
        self.addWidget(self.priorities)
        self.addWidget(self.passed)
        self.setSizes([620, 380])

    def show_priorities(self, priorities: Sequence[PriorityInfo], passed_over: Sequence[PassedOverInfo]) -> None:
        self.priority_model.set_records(list(priorities))
        self.passed_model.set_records(list(passed_over))


class AdoptDialog(KeyboardDialog):
    """Tick up to N signals to adopt; each departure from the evidence top N needs a written reason.

    Signals:
        adopted(object): the :class:`AdoptionResult` after the transaction committed.
    """

    adopted = Signal(object)

    def __init__(self, ctx: AppContext, ranking: Ranking, current: Sequence[str] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.ranking = ranking
        self.top_n = ranking.top_n
        top = {s.issue for s in ranking.top()}
        chosen = set(current) or top
        self.setWindowTitle("Adopt priorities")
        self.setAccessibleName("Adopt priorities")
        self.resize(760, 560)
        intro = QLabel(
            f"Tick up to {self.top_n} signals to adopt as the ward's priorities. The evidence puts the first "
            f"{self.top_n} at the top; adopting another, or passing one of those over, needs a written reason "
            "that is kept beside the priority for anyone to read."
        )
        intro.setWordWrap(True)
        self.ticks: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for row, s in enumerate(ranking.signals):
            tick = QCheckBox(f"{s.rank}. {s.label}")
            tick.setChecked(s.issue in chosen)
            tick.setAccessibleName(f"Adopt {s.label}")
            tick.toggled.connect(self._update)
            figures = QLabel(f"{s.kind_words} · big problem {pct(s.prevalence)} · effect {pct(s.effect)}")
            figures.setStyleSheet(quiet_style())
            if s.issue in top:
                tick.setStyleSheet("font-weight: bold;")
            grid.addWidget(tick, row, 0)
            grid.addWidget(figures, row, 1)
            self.ticks[s.issue] = tick
        holder = QWidget()
        holder.setLayout(grid)
        scroll = scrolling(holder)  # the ticks are the Tab stops, not the list around them
        self.reasons_box = QGroupBox("Departures from the evidence — a reason for each")
        self.reasons_form = QFormLayout(self.reasons_box)
        self.reasons: dict[str, QPlainTextEdit] = {}
        self.public_reasons: dict[str, QLineEdit] = {}  # for adoptions from outside the top N: printed publicly
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(alert_style())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Adopt")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 2)
        layout.addWidget(self.reasons_box, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._update()

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, ranking: Ranking, current: Sequence[str] = ()) -> Any:
        dialog = cls(ctx, ranking, current, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def chosen(self) -> list[str]:
        return [s.issue for s in self.ranking.signals if self.ticks[s.issue].isChecked()]

    def departures(self) -> dict[str, str]:
        """Issue code -> what the departure is, for every departure of the current choice."""
        return {d.issue: d.question for d in departures(self.ranking, self.chosen(), self.top_n)}

    def _update(self) -> None:
        wanted = self.departures()
        adopted = set(self.chosen()) & set(wanted)
        for code in list(self.reasons):
            if code not in wanted:
                self.reasons_form.removeRow(self.reasons.pop(code))
                if code in self.public_reasons:
                    self.reasons_form.removeRow(self.public_reasons.pop(code))
        for code, question in wanted.items():
            if code not in self.reasons:
                edit = QPlainTextEdit()
                edit.setTabChangesFocus(True)  # Tab moves on to the next reason or the buttons
                edit.setAccessibleName(question)
                edit.setPlaceholderText("The reason, in words a panel member would accept")
                edit.setFixedHeight(edit.fontMetrics().height() * 3 + 12)
                label = QLabel(question)
                label.setWordWrap(True)
                self.reasons_form.addRow(label, edit)
                self._before_buttons(edit)
                self.reasons[code] = edit
                if code in adopted:  # an adoption from outside the top N is also explained to the public
                    self.public_reasons[code] = self._public_reason(code)

        self.reasons_box.setVisible(bool(wanted))

    def _public_reason(self, code: str) -> QLineEdit:
        public = QLineEdit()
        public.setAccessibleName(f"Public reason for {code}")
        public.setPlaceholderText("Optional: why, in words fit for the public briefing")
        public.setToolTip(
            "Printed on the community briefing under 'We are also working on'; the reason above stays "
            "internal. Left blank, the briefing says the choice will be explained at the meeting."
        )
        self.reasons_form.addRow("Public reason", public)
        self._before_buttons(public)
        return public

    def _before_buttons(self, field: QWidget) -> None:
        """A reason added as ticks change still comes before Adopt and Cancel in the Tab order."""
        QWidget.setTabOrder(field, self.save_button)
        QWidget.setTabOrder(self.save_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel))

    def _reasons(self) -> dict[str, str]:
        return {code: edit.toPlainText() for code, edit in self.reasons.items()}

    def problems(self) -> list[str]:
        return adoption_problems(self.ranking, self.chosen(), self._reasons())

    def accept(self) -> None:
        found = self.problems()
        self.problem.setText("\n".join(f"• {p}" for p in found))
        if found:
            return
        reasons = adoption_reasons(self.chosen(), self._reasons())
        self.save_button.setEnabled(False)
        state = self.ctx.runner.run(
            adopt_priorities,
            self.ranking.ward_code,
            self.chosen(),
            ranking=self.ranking,
            justifications=reasons.justifications,
            passed_over=reasons.passed_over,
            public_reasons={c: e.text().strip() for c, e in self.public_reasons.items() if e.text().strip()},
            title="Adopting priorities",
        )
        state.done.connect(self._saved)
        state.failed.connect(self._failed)

    def _saved(self, result: Any) -> None:
        self.adopted.emit(result)
        super().accept()

    def _failed(self, exc: object) -> None:
        self.save_button.setEnabled(True)
        self.problem.setText(error_text(exc))
