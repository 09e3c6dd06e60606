"""Surveys: the ward's survey rounds, each round's anonymous responses, and paper-form entry."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QSplitter, QVBoxLayout, QWidget

from rpdesk.domain.vocabulary import SURVEY_METHOD_LABELS
from rpdesk.services.issues import IssueChoice
from rpdesk.services.signals import RoundInfo
from rpdesk.services.surveys import surveys_overview
from rpdesk.services.ward_tables import responses_table

from rpdesk.gui.flow import FlowLayout
from rpdesk.gui.models.paged import PagedTableModel
from rpdesk.gui.models.records import Field, RecordsModel
from rpdesk.gui.pages.base import Page, heading
from rpdesk.gui.widgets import TablePanel

ROUND_FIELDS = [
    Field("Round", "name"),
    Field("Method", "method", fmt=lambda m: SURVEY_METHOD_LABELS.get(m, str(m))),
    Field("From", "start_date"),
    Field("To", "end_date"),
    Field("Respondents", "respondents", numeric=True),
]


class SurveysPage(Page):
    title = "Surveys"
    tables = frozenset({"survey_round", "survey_response", "survey_answer"})

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rounds: list[RoundInfo] = []
        self.issues: list[IssueChoice] = []
        self.heading = heading(self.title)
        self.enter_button = QPushButton("&Enter a paper form…")
        self.enter_button.setToolTip("Type in one respondent's answers from a paper form (Ctrl+Shift+N)")
        self.enter_button.clicked.connect(self.enter_form)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, self.enter_form)
        head = FlowLayout()  # wraps rather than push a button past the right edge (large text, 150%)
        head.addWidget(self.heading)
        head.addStretch(1)
        head.addWidget(self.enter_button)
        self.round_table = TablePanel("Survey rounds")
        self.round_model = RecordsModel(ROUND_FIELDS, parent=self)
        self.round_table.set_model(self.round_model, {0: 26, 1: 10, 2: 12, 3: 12, 4: 12})
        self.round_table.current_changed.connect(self._show_responses)
        self.round_table.activated.connect(lambda _key: self.enter_form())  # Enter on a round: a form for it
        self.responses = TablePanel("Responses in the round", ctx.runner)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.round_table)
        split.addWidget(self.responses)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(split, 1)

    def refresh(self) -> None:
        if self.ward is None:
            return
        self.heading.setText(f"{self.title} — {self.ward.name}")
        self.run(surveys_overview, self.ward.code, title="Loading survey rounds", on_done=self._loaded)

    def _loaded(self, result: tuple[list[RoundInfo], list[IssueChoice]]) -> None:
        current = self.round_table.current_key
        self.rounds, self.issues = result
        self.round_model.set_records(list(reversed(self.rounds)))  # newest first
        rows = [self.round_model.key_at(r) for r in range(self.round_model.rowCount())]
        self.round_table.view.selectRow(rows.index(current) if current in rows else 0)

    def _show_responses(self, round_id: Any) -> None:
        if round_id is None:
            return
        self.responses.set_model(
            PagedTableModel(responses_table(self.ctx.database, round_id)),
            {0: 12, 1: 12, 2: 18, 3: 7},
        )

    def enter_form(self) -> None:
        from rpdesk.gui.dialogs.survey_form import SurveyFormDialog

        if self.ward is not None:
            SurveyFormDialog.ask(self, self.ctx, self.rounds, self.issues, self.round_table.current_key)

    def export_model(self) -> Any:
        return self.responses.model
