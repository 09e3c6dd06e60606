"""The Signals & Priorities page: one ward's ranking, gated by the assumption check, with its tabs.

The page composes the concepts of this package (the ranking and its breakdown, the assumption
check, priorities, the assessment) around one read on the database thread
(:func:`rpdesk.services.signals_view.load_view`), and decides only what is shown when: the ranking
of a round or period stays behind the gate until the team records its expectation or skips, unless
the ward already has an expectation for an overlapping period or the process takes ``--snapshot``
pictures for the documentation (a picture is not a first look).
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rpdesk.services.dashboard_view import SIGNALS_PAGE_BARS, signal_bars
from rpdesk.services.expectations import ExpectationComparison, keep_comparison, set_expected
from rpdesk.services.signals import RoundInfo
from rpdesk.services.signals_view import Scope, SignalsView, default_period, load_rounds, load_view
from rpdesk.services.snapshots import save_snapshot

from rpdesk.gui.context import AppContext
from rpdesk.gui.date_field import DateField
from rpdesk.gui.flow import FlowLayout
from rpdesk.gui.messages import error_text
from rpdesk.gui.models.records import RecordsModel
from rpdesk.gui.pages.base import Page, heading
from rpdesk.gui.pages.signals.assessment import AssessmentTab
from rpdesk.gui.pages.signals.assumption import CheckTab, ExpectationPanel
from rpdesk.gui.pages.signals.priorities import AdoptDialog, PrioritiesTab
from rpdesk.gui.pages.signals.ranking import (
    RANKING_TIP,
    SIGNAL_FIELDS,
    BreakdownPanel,
    SignalRow,
    scope_words,
    summary_text,
)
from rpdesk.gui.widgets import TablePanel


def snapshot_mode() -> bool:
    """Whether this process is taking documentation snapshots (``rpdesk --snapshot DIR``).

    Read from the command line, or from an ``rpdesk_snapshot`` property on the application (for
    callers that run :func:`rpdesk.gui.app.run` with their own argument list).
    """
    app = QCoreApplication.instance()
    if app is not None and app.property("rpdesk_snapshot"):
        return True
    return any(a == "--snapshot" or a.startswith("--snapshot=") for a in sys.argv[1:])


class SignalsPage(Page):
    """Ranking, breakdown, snapshot, priorities, assessment and the assumption check for one ward.

    Signals:
        view_loaded(object): the :class:`SignalsView` shown (or about to be, after the gate).
        snapshot_saved(object): the :class:`SnapshotInfo` of a snapshot just kept.
    """

    title = "Signals & Priorities"
    tables = frozenset(
        {"survey_response", "survey_answer", "audit_observation", "crime_record", "priority", "expected_signal_set"}
    )
    view_loaded = Signal(object)
    snapshot_saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rounds: list[RoundInfo] = []
        self.issues: list[tuple[str, str]] = []
        self.view: SignalsView | None = None
        self.revealed: set[tuple[str, Scope]] = set()
        self.heading = heading(self.title)
        self._build_scope()
        self.gate = ExpectationPanel()
        self.gate.recorded.connect(self.record_expected)
        self.gate.skipped.connect(self.skip_gate)
        self.stack = QStackedWidget()
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.gate)
        self.stack.addWidget(self._build_results())
        layout = QVBoxLayout(self)
        layout.addLayout(self._head)
        layout.addWidget(self.stack, 1)
        self._show_message("Loading…")

    # --- construction ---------------------------------------------------------------------------------

    def _build_scope(self) -> None:
        self.scope_box = QComboBox()
        self.scope_box.setAccessibleName("Rank which survey round or period")
        self.scope_box.setMinimumContentsLength(26)
        self.scope_box.activated.connect(self._scope_chosen)
        self.start_edit, self.end_edit = DateField(), DateField()
        for edit, name in ((self.start_edit, "Period from"), (self.end_edit, "Period to")):
            edit.setAccessibleName(name)
            edit.setVisible(False)
        self.rank_button = QPushButton("Ra&nk period")
        self.rank_button.setVisible(False)
        self.rank_button.clicked.connect(self.load)
        self.snapshot_button = QPushButton("&Snapshot")
        self.snapshot_button.setToolTip("Keep this ranking exactly as shown, to replay a decision later (Ctrl+Shift+S)")
        self.snapshot_button.clicked.connect(self.snapshot)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, self.snapshot)
        self.adopt_button = QPushButton("&Adopt priorities…")
        self.adopt_button.setToolTip("Choose the ward's priorities from this ranking (Ctrl+Shift+P)")
        self.adopt_button.clicked.connect(self.adopt)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, self.adopt)
        label = QLabel("&Rank:")
        label.setBuddy(self.scope_box)
        head = FlowLayout()  # wraps rather than push a button past the right edge (large text, 150%)
        head.addWidget(self.heading)
        head.addStretch(1)
        head.addPair(label, self.scope_box)
        for widget in (self.start_edit, self.end_edit, self.rank_button):
            head.addWidget(widget)
        head.addSpacing(12)
        head.addWidget(self.snapshot_button)
        head.addWidget(self.adopt_button)
        self._head = head

    def _build_results(self) -> QWidget:
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.ranking_table = TablePanel("Signals, ranked from the evidence")
        self.ranking_model = RecordsModel(SIGNAL_FIELDS, parent=self)
        widths = {0: 4, 1: 31, 2: 17, 3: 8, 4: 16, 5: 6, 6: 9, 7: 8, 8: 12, 9: 10}
        self.ranking_table.set_model(self.ranking_model, widths)
        self.ranking_table.current_changed.connect(self._show_breakdown)
        self.ranking_table.filter_edit.hide()
        self.ranking_table.view.setToolTip(RANKING_TIP)
        self.breakdown = BreakdownPanel()
        from rpdesk.gui.charts import new_plot

        self.chart = new_plot("Big problem, with 95% intervals", "Prevalence of the top signals")
        self.priorities = PrioritiesTab()
        self.assessment = AssessmentTab()
        self.check = CheckTab()
        self.check.keep_button.clicked.connect(self.keep_check)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.chart, "Char&t")
        self.tabs.addTab(self.priorities, "&Priorities")
        self.tabs.addTab(self.assessment, "Assess&ment")
        self.tabs.addTab(self.check, "Assumption &check")

        bottom = QSplitter()
        bottom.addWidget(self.breakdown)
        bottom.addWidget(self.tabs)
        bottom.setSizes([470, 560])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.ranking_table)
        split.addWidget(bottom)
        split.setSizes([330, 330])
        results = QWidget()
        layout = QVBoxLayout(results)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        return results

    # --- loading --------------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.ward is None:
            self._show_message("This database has no wards yet.")
            return
        self.heading.setText(f"{self.title} — {self.ward.name}")
        self.run(load_rounds, self.ward.code, title="Loading survey rounds", on_done=self._rounds_loaded)

    def _rounds_loaded(self, result: tuple[list[RoundInfo], list[tuple[str, str]]]) -> None:
        chosen = self.scope_box.currentData()
        self.rounds, self.issues = result
        self.scope_box.clear()
        for rnd in reversed(self.rounds):
            self.scope_box.addItem(f"{rnd.name} ({rnd.respondents} respondents)", rnd.name)
        self.scope_box.addItem("A period…", "")
        index = self.scope_box.findData(chosen) if chosen is not None else -1
        self.scope_box.setCurrentIndex(max(0, index))
        if not self.rounds:
            self._set_period_visible(True)
            self._set_period(*default_period(dt.date.today()))
        self._scope_chosen()

    def _set_period_visible(self, visible: bool) -> None:
        for widget in (self.start_edit, self.end_edit, self.rank_button):
            widget.setVisible(visible)

    def _set_period(self, start: dt.date, end: dt.date) -> None:
        self.start_edit.set_date(start)
        self.end_edit.set_date(end)

    def _scope_chosen(self, _index: int = 0) -> None:
        period = self.scope_box.currentData() == ""
        self._set_period_visible(period)
        if not period:
            self.load()
        else:
            self._show_message("Choose the first and last day of the period, then Rank period.")

    def scope(self) -> Scope:
        name = self.scope_box.currentData()
        if name:
            return Scope(round_name=name)
        return Scope(start=self.start_edit.date(), end=self.end_edit.date())

    def load(self) -> None:
        if self.ward is None:
            return
        typed = self.scope_box.currentData() == "" and (self.start_edit.problem() or self.end_edit.problem())
        if typed:  # a period typed wrongly is said, not ranked on the dates shown before
            self._show_message(typed)
            return
        self.run(
            load_view, self.ward.code, self.scope(), self.ctx.settings, title="Ranking signals", on_done=self._loaded
        )

    def show_error(self, exc: object) -> None:
        self._show_message(error_text(exc))

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.snapshot_button.setEnabled(False)
        self.adopt_button.setEnabled(False)

    def _loaded(self, view: SignalsView) -> None:
        self.view = view
        key = (view.ranking.ward_code, self.scope())
        if view.expected_recorded or snapshot_mode():
            self.revealed.add(key)
        if key in self.revealed:
            self._reveal(view)
        else:
            self.gate.ask(scope_words(view.ranking), self.issues)
            self.stack.setCurrentWidget(self.gate)
            self.snapshot_button.setEnabled(False)
            self.adopt_button.setEnabled(False)
        self.view_loaded.emit(view)

    # --- the gate -----------------------------------------------------------------------------------------

    def record_expected(self, codes: list[str]) -> None:
        if self.view is None or self.ward is None:
            return
        ranking = self.view.ranking
        self.run(
            set_expected,
            self.ward.code,
            codes,
            period_start=ranking.period_start,
            period_end=ranking.period_end,
            title="Recording the expected signals",
            on_done=lambda _info: self._after_expected(),
        )

    def _after_expected(self) -> None:
        self.tabs.setCurrentWidget(self.check)
        self.load()

    def skip_gate(self) -> None:
        if self.view is not None:
            self.revealed.add((self.view.ranking.ward_code, self.scope()))
            self._reveal(self.view)

    # --- showing the ranking ------------------------------------------------------------------------------

    def _reveal(self, view: SignalsView) -> None:
        ranking = view.ranking
        current = self.ranking_table.current_key
        self.summary.setText(summary_text(ranking))
        self.ranking_model.set_records([SignalRow.of(s) for s in ranking.signals])
        ranks = [self.ranking_model.key_at(r) for r in range(self.ranking_model.rowCount())]
        self.ranking_table.view.selectRow(ranks.index(current) if current in ranks else 0)
        from rpdesk.gui.charts import draw_signals

        draw_signals(self.chart, signal_bars(ranking, SIGNALS_PAGE_BARS))
        self.priorities.show_priorities(view.priorities, view.passed_over)
        self.assessment.show_assessment(view.assessment)
        self.check.show_comparison(view.comparison)
        self.stack.setCurrentIndex(2)
        self.snapshot_button.setEnabled(True)
        self.adopt_button.setEnabled(True)

    def _show_breakdown(self, rank: Any) -> None:
        if rank is not None and self.view is not None:
            self.breakdown.show_signal(self.view.ranking.signals[int(rank) - 1])

    # --- actions --------------------------------------------------------------------------------------------

    def keep_check(self) -> None:
        """Keep the comparison shown with its expected set: the one write of the assumption check."""
        view = self.view
        if view is None or view.comparison is None:
            return
        self.run(
            keep_comparison,
            view.ranking.ward_code,
            view.ranking,
            set_id=view.comparison.set_id,
            title="Keeping the comparison",
            on_done=self._check_kept,
        )

    def _check_kept(self, _comparison: ExpectationComparison) -> None:
        self.check.mark_kept()

    def snapshot(self) -> None:
        if self.view is None or self.stack.currentIndex() != 2:
            return
        self.run(save_snapshot, self.view.ranking, title="Saving a snapshot", on_done=self._snapshot_saved)

    def _snapshot_saved(self, info: Any) -> None:
        self.summary.setText(f"{self.summary.text()}<br><i>Snapshot '{info.name}' kept.</i>")
        self.snapshot_saved.emit(info)

    def adopt(self) -> None:
        if self.view is None or self.stack.currentIndex() != 2:
            return
        current = [p.issue for p in self.view.priorities]
        AdoptDialog.ask(self, self.ctx, self.view.ranking, current)  # the adoption's change set reloads the page

    def export_model(self) -> RecordsModel:
        return self.ranking_model
