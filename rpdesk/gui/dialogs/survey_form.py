"""Enter one paper survey form: respondent, the issue grid (how big a problem, and its effect), confidence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QScrollArea, QWidget

from rpdesk.domain.dates import Span
from rpdesk.domain.vocabulary import AGE_BANDS
from rpdesk.errors import FieldProblem
from rpdesk.services.issues import IssueChoice
from rpdesk.services.signals import RoundInfo
from rpdesk.services.surveys import PaperForm, add_paper_form, paper_form_problems

from rpdesk.gui.context import AppContext
from rpdesk.gui.dialogs.form import FormDialog, choice_box, date_edit, date_of

BLANK = ("— not answered —", None)
PROBLEM = [
    BLANK,
    ("Not a problem at all", 0),
    ("Not a very big problem", 1),
    ("A fairly big problem", 2),
    ("A very big problem", 3),
]
YES_NO = [BLANK, ("Yes", True), ("No", False)]
GOOD_JOB = [BLANK, ("Very poor", 1), ("Poor", 2), ("Fair", 3), ("Good", 4), ("Excellent", 5)]
AGREE = [
    BLANK,
    ("Strongly disagree", 1),
    ("Tend to disagree", 2),
    ("Neither agree nor disagree", 3),
    ("Tend to agree", 4),
    ("Strongly agree", 5),
]
SAFE = [BLANK, ("Very unsafe", 1), ("Fairly unsafe", 2), ("Fairly safe", 3), ("Very safe", 4)]


class SurveyFormDialog(FormDialog):
    """A paper form typed in; blank answers stay blank (not answered), never a guessed zero."""

    def __init__(
        self,
        ctx: AppContext,
        rounds: list[RoundInfo],
        issues: list[IssueChoice],
        round_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Enter a paper survey form", parent)
        self.rounds = {r.id: r for r in rounds}
        self.round = choice_box([(r.name, r.id) for r in reversed(rounds)], round_id)
        self.add_field("&Round", self.round)
        self.respondent = QLineEdit()
        self.respondent.setPlaceholderText("The anonymous key written on the form, e.g. P-0173")
        self.add_field("Res&pondent key", self.respondent, key="respondent")
        self.day = date_edit()
        self.add_field("&Date", self.day, key="date")
        self.round.currentIndexChanged.connect(self._round_chosen)
        self._round_chosen()
        self.street = QLineEdit()
        self.add_field("&Street", self.street, "Optional", key="street")
        self.age = QComboBox()
        self.age.addItems(["", *AGE_BANDS])
        self.add_field("&Age band", self.age, key="age_band")
        self.grid: dict[str, tuple[QComboBox, QComboBox]] = {}
        self.labels: dict[str, str] = {}
        self.add_field("Issues", self._issue_grid(issues))
        self.good_job = self.add_field("Police doing a &good job", choice_box(GOOD_JOB))
        self.understand = self.add_field("Police &understand local issues", choice_box(AGREE))
        self.dealing = self.add_field("Police and council dea&ling with them", choice_box(AGREE))
        self.safe = self.add_field("Sa&fe after dark", choice_box(SAFE))
        self.knows = self.add_field("&Knows how to contact the team", choice_box(YES_NO))
        self.comments = QLineEdit()
        self.add_field("&Comments", self.comments)
        self.resize(760, 720)

    def _issue_grid(self, issues: list[IssueChoice]) -> QWidget:
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.addWidget(QLabel("<b>How much of a problem is…</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Rating</b>"), 0, 1)
        grid.addWidget(QLabel("<b>Changed how they feel or act?</b>"), 0, 2)
        for row, issue in enumerate(issues, start=1):
            problem, effect = choice_box(PROBLEM), choice_box(YES_NO)
            problem.setAccessibleName(f"{issue.label}: how big a problem")
            effect.setAccessibleName(f"{issue.label}: changed how they feel or act")
            label = QLabel(issue.label)
            label.setBuddy(problem)
            grid.addWidget(label, row, 0)
            grid.addWidget(problem, row, 1)
            grid.addWidget(effect, row, 2)
            self.grid[issue.code] = (problem, effect)
            self.keyed[issue.code] = problem  # the paper form rules name an issue's answers by its code
            self.labels[issue.code] = issue.label
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setMinimumHeight(260)
        return scroll

    def _round_chosen(self) -> None:
        """The date belongs within the round chosen: its calendar opens there, a date outside it asks first."""
        rnd = self.rounds.get(self.round.currentData())
        self.day.set_span(Span(f"round {rnd.name}", rnd.start_date, rnd.end_date) if rnd else None)

    def problems(self) -> list[str | FieldProblem]:
        out: list[str | FieldProblem] = []
        rnd = self.rounds.get(self.round.currentData())
        if rnd is None:
            out.append("Choose the survey round (import or create one first).")
        found = paper_form_problems(self.form_values(), today=dt.date.today(), labels=self.labels)
        return out + found

    def form_values(self) -> PaperForm:
        return PaperForm(
            round_id=self.round.currentData(),
            respondent=self.respondent.text().strip(),
            date=date_of(self.day),
            street=self.street.text().strip() or None,
            age_band=self.age.currentText() or None,
            answers={c: (p.currentData(), e.currentData()) for c, (p, e) in self.grid.items()},
            conf_good_job=self.good_job.currentData(),
            conf_understand=self.understand.currentData(),
            conf_dealing=self.dealing.currentData(),
            safe_after_dark=self.safe.currentData(),
            knows_contact=self.knows.currentData(),
            comments=self.comments.text().strip() or None,
        )

    def save_call(self) -> Any:
        return add_paper_form, (self.form_values(),), {}

    @classmethod
    def ask(
        cls, parent: QWidget, ctx: AppContext, rounds: list[RoundInfo], issues: list[IssueChoice], round_id: Any
    ) -> Any:
        dialog = cls(ctx, rounds, issues, round_id, parent)
        return dialog.result_value if dialog.exec() else None
