"""Signals & Priorities: the ward's signals ranked from evidence, the reasons behind each, and the priorities.

The page guards against the failure the NRPP study names (officers "already knew" the problems): before
the ranking of a round or period is first revealed, the team is asked to record the signals it
expects, most important first; the ranking stays hidden until it records them or chooses to skip.
Afterwards the page shows how far the expectation matched the evidence (overlap and Spearman
correlation). The ranking is shown at once when the ward already has an expectation recorded for
an overlapping period (the check has been made), and in ``--snapshot`` mode (a picture for the
documentation is not a first look).

Adopting priorities that depart from the evidence top N (adopting one outside it, or passing over
one inside it) needs a written justification per departure, kept beside the priority.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rpdesk.domain.ranking import RankedSignal
from rpdesk.domain.stats import format_p
from rpdesk.services.assessment import IMPROVED, NOT_MOVING, WORSE, PriorityAssessment
from rpdesk.services.expectations import (
    ExpectationComparison,
    keep_comparison,
    set_expected,
)
from rpdesk.services.priorities import adopt_priorities
from rpdesk.services.signals import Ranking, RoundInfo
from rpdesk.services.signals_view import Scope, SignalsView, load_rounds, load_view
from rpdesk.services.snapshots import save_snapshot

from rpdesk.gui.context import AppContext
from rpdesk.gui.messages import error_text
from rpdesk.gui.models.records import Field, RecordsModel
from rpdesk.gui.pages.base import Page, heading
from rpdesk.gui.widgets import TablePanel

EXPECTED_SLOTS = 5
ERROR_STYLE = "color: #b00020;"
#: Short names of the score's parts, for the breakdown table (the full words are in the explanation).
EVIDENCE_WORDS = {
    "prevalence": "Big problem",
    "effect": "Changed how they feel or act",
    "audit": "EVA observations",
    "recorded": "Recorded incidents",
}


def snapshot_mode() -> bool:
    """Whether this process is taking documentation snapshots (``rpdesk --snapshot DIR``).

    Read from the command line, or from an ``rpdesk_snapshot`` property on the application (for
    callers that run :func:`rpdesk.gui.app.run` with their own argument list).
    """
    app = QCoreApplication.instance()
    if app is not None and app.property("rpdesk_snapshot"):
        return True
    return any(a == "--snapshot" or a.startswith("--snapshot=") for a in sys.argv[1:])


# --- formatting ----------------------------------------------------------------------------------------


def pct(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def _interval(value: Any) -> str:
    if value is None:
        return "–"
    share, low, high = value
    return f"{share:.0%}  ({low:.0%}–{high:.0%})"


def _na(value: float | None) -> str:
    """A measure with no data behind it is "n/a", never a zero."""
    return "n/a" if value is None else f"{value:.1f}".removesuffix(".0")


def _p(value: float | None) -> str:
    return "" if value is None else format_p(value)


@dataclass(frozen=True)
class SignalRow:
    """A ranked signal as the table shows it (``id`` is the rank)."""

    id: int
    label: str
    kind: str
    respondents: int
    prevalence: tuple[float, float, float] | None
    effect: float | None
    eva: float | None  # severity-weighted observations per walk
    recorded: int | None  # None: no police.uk crime type matches
    year_before: int | None
    test: float | None
    flags: str
    signal: RankedSignal

    @classmethod
    def of(cls, s: RankedSignal) -> SignalRow:
        prevalence = None if s.prevalence is None else (s.prevalence, s.prevalence_low, s.prevalence_high)
        return cls(
            s.rank,
            s.label,
            s.kind_words,
            s.respondents,
            prevalence,
            s.effect,
            s.audit_per_walk,
            s.recorded,
            s.recorded_previous,
            s.recorded_p,
            "; ".join(s.flag_text),
            s,
        )


SIGNAL_FIELDS = [
    Field("#", "id", numeric=True),
    Field("Signal", "label"),
    Field("Kind", "kind"),
    Field("Answered", "respondents", numeric=True),
    Field("Big problem", "prevalence", numeric=True, fmt=_interval),
    Field("Effect", "effect", numeric=True, fmt=pct),
    Field("EVA / walk", "eva", numeric=True, fmt=_na, tip="Severity-weighted EVA observations per walk"),
    Field("Recorded", "recorded", numeric=True, fmt=lambda v: "n/a" if v is None else str(v)),
    Field("A year before", "year_before", numeric=True, fmt=lambda v: "n/a" if v is None else str(v)),
    Field("Test", "test", numeric=True, fmt=_p, tip="Exact test of the two recorded counts"),
    Field("Flags", "flags"),
]
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


@dataclass(frozen=True)
class ExpectationRowView:
    id: int
    label: str
    expected: int | None
    in_top: str


EXPECTATION_FIELDS = [
    Field("Rank", "id", numeric=True),
    Field("Signal", "label"),
    Field("Team's order", "expected", numeric=True, fmt=lambda v: "–" if v is None else str(v)),
    Field("Matched?", "in_top"),
]


def _matched(expected: bool, overlapping: bool, in_top: bool, k: int) -> str:
    if expected:
        return f"expected, in the evidence top {k}" if overlapping else f"expected, not in the top {k}"
    return f"in the top {k}, not expected" if in_top else ""


def _verdict_colour(row: AssessmentRow) -> QColor | None:
    if row.verdict == IMPROVED:
        return QColor("#e8f5e9")
    if row.verdict == WORSE:
        return QColor("#fdecea")
    if row.verdict == NOT_MOVING:
        return QColor("#fff4e0")
    return None


# --- the assumption check, before the reveal -------------------------------------------------------------


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
            box.setMinimumContentsLength(40)
            self.slots.append(box)
            label = QLabel(f"&{n}.")
            label.setBuddy(box)
            form.addRow(label, box)
        self.problem = QLabel()
        self.problem.setStyleSheet(ERROR_STYLE)
        self.record_button = QPushButton("&Record and show the ranking")
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
        frame.setFixedWidth(680)
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


# --- adopting priorities ----------------------------------------------------------------------------------


class AdoptDialog(QDialog):
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
        self.setMinimumSize(760, 560)
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
            figures.setStyleSheet("color: #555555;")
            if s.issue in top:
                tick.setStyleSheet("font-weight: bold;")
            grid.addWidget(tick, row, 0)
            grid.addWidget(figures, row, 1)
            self.ticks[s.issue] = tick
        holder = QWidget()
        holder.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        self.reasons_box = QGroupBox("Departures from the evidence — a reason for each")
        self.reasons_form = QFormLayout(self.reasons_box)
        self.reasons: dict[str, QPlainTextEdit] = {}
        self.public_reasons: dict[str, QLineEdit] = {}  # for adoptions from outside the top N: printed publicly
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
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
        from rpdesk.services.priorities import departures

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
                edit.setAccessibleName(question)
                edit.setPlaceholderText("The reason, in words a panel member would accept")
                edit.setFixedHeight(edit.fontMetrics().height() * 3 + 12)
                label = QLabel(question)
                label.setWordWrap(True)
                self.reasons_form.addRow(label, edit)
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
        return public

    def problems(self) -> list[str]:
        chosen = self.chosen()
        found = []
        if not chosen:
            found.append("Tick at least one signal to adopt.")
        if len(chosen) > self.top_n:
            found.append(f"Adopt at most {self.top_n} priorities (ticked: {len(chosen)}).")
        for code, question in self.departures().items():
            if not self.reasons[code].toPlainText().strip():
                found.append(f"{question} A written reason is needed.")
        return found

    def accept(self) -> None:
        found = self.problems()
        self.problem.setText("\n".join(f"• {p}" for p in found))
        if found:
            return
        chosen = set(self.chosen())
        texts = {code: edit.toPlainText().strip() for code, edit in self.reasons.items()}
        justifications = {c: t for c, t in texts.items() if c in chosen}
        passed = {c: t for c, t in texts.items() if c not in chosen}
        self.save_button.setEnabled(False)
        state = self.ctx.runner.run(
            adopt_priorities,
            self.ranking.ward_code,
            self.chosen(),
            ranking=self.ranking,
            justifications=justifications,
            passed_over=passed,
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


# --- the page -------------------------------------------------------------------------------------------------


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
        self.start_edit, self.end_edit = QDateEdit(), QDateEdit()
        for edit, name in ((self.start_edit, "Period from"), (self.end_edit, "Period to")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
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
        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addStretch(1)
        for widget in (label, self.scope_box, self.start_edit, self.end_edit, self.rank_button):
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
        self.ranking_table.view.setToolTip(
            "Big problem: share rating it a fairly or very big problem, with its 95% interval. Effect: share saying "
            "it changed how they feel or act. Residents set the order: an issue whose interval lies wholly above "
            "another's always ranks above it. EVA / walk: severity-weighted observations per audit walk. Recorded: "
            "police.uk incidents, the same months a year before and the exact test's p-value; n/a where no crime "
            "type matches the issue."
        )

        self.breakdown_title = heading("")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setAccessibleName("Why this signal is ranked here")
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contributions = QLabel()
        self.contributions.setAccessibleName("What the score is made of")
        self.contributions.setTextFormat(Qt.TextFormat.RichText)
        from rpdesk.gui.charts import new_plot

        self.chart = new_plot("Big problem, with 95% intervals", "Prevalence of the top signals")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 6, 0)
        side_layout.addWidget(self.breakdown_title)
        side_layout.addWidget(self.explanation)
        side_layout.addWidget(self.contributions)
        side_layout.addStretch(1)
        breakdown = QScrollArea()
        breakdown.setWidget(side)
        breakdown.setWidgetResizable(True)
        breakdown.setFrameShape(QScrollArea.Shape.NoFrame)
        breakdown.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.priorities = TablePanel("Current priorities")
        self.priority_model = RecordsModel(PRIORITY_FIELDS, parent=self)
        self.priorities.set_model(self.priority_model, {0: 24, 1: 8, 2: 11, 3: 10, 4: 10})
        self.passed = TablePanel("Signals passed over")
        self.passed_model = RecordsModel(PASSED_FIELDS, parent=self)
        self.passed.set_model(self.passed_model, {0: 22, 1: 8, 2: 11, 3: 10})
        for panel in (self.priorities, self.passed):
            panel.filter_edit.hide()
        priorities = QSplitter()
        priorities.addWidget(self.priorities)
        priorities.addWidget(self.passed)
        priorities.setSizes([620, 380])
        self.assessment = TablePanel("Did the work move what residents feel?")
        self.assessment_model = RecordsModel(ASSESSMENT_FIELDS, row_colour=_verdict_colour, parent=self)
        self.assessment.set_model(self.assessment_model, {0: 22, 1: 6, 2: 10, 3: 24, 4: 26})
        self.assessment.filter_edit.hide()
        self.assessment_text = QLabel()
        self.assessment_text.setWordWrap(True)
        self.assessment_text.setAccessibleName("What the assessment means")
        self.assessment.current_changed.connect(self._show_assessment)
        assessment = QWidget()
        assessment_layout = QVBoxLayout(assessment)
        assessment_layout.setContentsMargins(0, 0, 0, 0)
        assessment_layout.addWidget(self.assessment, 1)
        assessment_layout.addWidget(self.assessment_text)
        self.check_summary = QLabel()
        self.check_summary.setWordWrap(True)
        self.check_table = TablePanel("The team's expectation beside the evidence")
        self.check_model = RecordsModel(EXPECTATION_FIELDS, parent=self)
        self.check_table.set_model(self.check_model, {0: 4, 1: 30, 2: 10})
        self.check_table.filter_edit.hide()
        self.keep_button = QPushButton("&Keep this comparison")
        self.keep_button.setToolTip(
            "Keep the overlap and rank correlation with the team's expectation, so the habit of 'we already "
            "knew' can be checked over time ('rpdesk-cli expected list' shows them)"
        )
        self.keep_button.setEnabled(False)
        self.keep_button.clicked.connect(self.keep_check)
        self.check_tab = QWidget()
        check_layout = QVBoxLayout(self.check_tab)
        check_layout.setContentsMargins(0, 0, 0, 0)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_summary, 1)
        check_row.addWidget(self.keep_button, 0, Qt.AlignmentFlag.AlignTop)
        check_layout.addLayout(check_row)
        check_layout.addWidget(self.check_table, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.chart, "C&hart")
        self.tabs.addTab(priorities, "&Priorities")
        self.tabs.addTab(assessment, "Assess&ment")
        self.tabs.addTab(self.check_tab, "Assumption &check")

        bottom = QSplitter()
        bottom.addWidget(breakdown)
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
            end = dt.date.today()
            self._set_period(end - dt.timedelta(days=90), end)
        self._scope_chosen()

    def _set_period_visible(self, visible: bool) -> None:
        for widget in (self.start_edit, self.end_edit, self.rank_button):
            widget.setVisible(visible)

    def _set_period(self, start: dt.date, end: dt.date) -> None:
        self.start_edit.setDate(QDate(start.year, start.month, start.day))
        self.end_edit.setDate(QDate(end.year, end.month, end.day))

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
        q1, q2 = self.start_edit.date(), self.end_edit.date()
        return Scope(start=dt.date(q1.year(), q1.month(), q1.day()), end=dt.date(q2.year(), q2.month(), q2.day()))

    def load(self) -> None:
        if self.ward is None:
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
            self.gate.ask(self._scope_words(view.ranking), self.issues)
            self.stack.setCurrentWidget(self.gate)
            self.snapshot_button.setEnabled(False)
            self.adopt_button.setEnabled(False)
        self.view_loaded.emit(view)

    @staticmethod
    def _scope_words(ranking: Ranking) -> str:
        period = f"{ranking.period_start:%d %b %Y} – {ranking.period_end:%d %b %Y}"
        return f"round '{ranking.round_name}' ({period})" if ranking.round_name else period

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
        self.tabs.setCurrentWidget(self.check_tab)
        self.load()

    def skip_gate(self) -> None:
        if self.view is not None:
            self.revealed.add((self.view.ranking.ward_code, self.scope()))
            self._reveal(self.view)

    # --- showing the ranking ------------------------------------------------------------------------------

    def _reveal(self, view: SignalsView) -> None:
        ranking = view.ranking
        current = self.ranking_table.current_key
        small = (
            f" Fewer than {ranking.small_sample} answers make a figure uncertain (flagged)."
            if ranking.respondents
            else ""
        )
        self.summary.setText(
            f"<b>{self._scope_words(ranking)}</b>: {ranking.respondents:,} respondents; recorded crime "
            f"{ranking.crime_start:%b %Y}–{ranking.crime_end:%b %Y} against the same months a year before "
            f"({ranking.previous_start:%b %Y}–{ranking.previous_end:%b %Y}). The top {ranking.top_n} are the "
            f"evidence's candidates for priorities.{small}"
        )
        self.ranking_model.set_records([SignalRow.of(s) for s in ranking.signals])
        ranks = [self.ranking_model.key_at(r) for r in range(self.ranking_model.rowCount())]
        self.ranking_table.view.selectRow(ranks.index(current) if current in ranks else 0)
        self._draw_chart(ranking)
        self.priority_model.set_records(list(view.priorities))
        self.passed_model.set_records(list(view.passed_over))
        self.assessment_model.set_records([AssessmentRow.of(a) for a in view.assessment])
        self.assessment_text.setText("" if view.assessment else "No priority has been adopted yet.")
        self.assessment.select_first()
        self._show_check(view.comparison)
        self.stack.setCurrentIndex(2)
        self.snapshot_button.setEnabled(True)
        self.adopt_button.setEnabled(True)

    def _draw_chart(self, ranking: Ranking) -> None:
        from rpdesk.services.dashboard_view import SignalBar

        from rpdesk.gui.charts import draw_signals

        bars = [
            SignalBar(s.label, s.prevalence, s.prevalence_low, s.prevalence_high, s.respondents, tuple(s.flags))
            for s in ranking.signals
            if s.prevalence is not None
        ][:8]
        draw_signals(self.chart, bars)

    def _show_breakdown(self, rank: Any) -> None:
        if rank is None or self.view is None:
            return
        signal = self.view.ranking.signals[int(rank) - 1]
        self.breakdown_title.setText(f"{signal.rank}. {signal.label}")
        self.explanation.setText(signal.explanation)
        rows = "".join(
            f"<tr><td>{EVIDENCE_WORDS.get(c.component, c.component)}</td>"
            f"<td align='right'>{'n/a' if c.measure is None else f'{c.measure:.0%}'}</td>"
            f"<td align='right'>× {c.weight:g}</td>"
            f"<td align='right'><b>{c.points:.3f}</b></td></tr>"
            for c in signal.contributions
        )
        self.contributions.setText(
            "<table cellspacing='0' cellpadding='3'>"
            "<tr><th align='left'>Evidence</th><th>Measure</th><th>Weight</th><th>Points</th></tr>"
            f"{rows}<tr><td colspan='3'><b>Score</b></td><td align='right'><b>{signal.score:.3f}</b></td></tr>"
            "</table><p>The score orders only issues whose residents' intervals overlap; a measure with no data "
            "(n/a) is left out, not counted as zero.</p>"
        )

    def _show_assessment(self, key: Any) -> None:
        rows = [self.assessment_model.record(r) for r in range(self.assessment_model.rowCount())]
        row = next((r for r in rows if r.id == key), None)
        if row is not None:
            self.assessment_text.setText(row.explanation)

    def _show_check(self, comparison: ExpectationComparison | None) -> None:
        self.keep_button.setEnabled(comparison is not None)
        if comparison is None:
            self.check_summary.setText(
                "No expectation was recorded for this period, so there is nothing to compare. Next time, record "
                "the signals the team expects before the ranking is shown."
            )
            self.check_model.set_records([])
            return
        rho = "cannot be computed" if comparison.spearman is None else f"{comparison.spearman:.2f}"
        self.check_summary.setText(
            f"<b>{comparison.summary}</b><br>Overlap {comparison.overlap_share:.0%} of the team's list; Spearman "
            f"rank correlation {rho} (1 = the team's order is the evidence's order, 0 = unrelated)."
        )
        k = len(comparison.expected)
        overlap = set(comparison.overlap)
        self.check_model.set_records(
            [
                ExpectationRowView(
                    r.evidence_rank,
                    r.label,
                    r.expected_position,
                    _matched(r.expected_position is not None, r.issue in overlap, r.evidence_rank <= k, k),
                )
                for r in comparison.rows
            ]
        )

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
        self.keep_button.setEnabled(False)
        self.check_summary.setText(f"{self.check_summary.text()}<br><i>Kept with the team's expectation.</i>")

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
