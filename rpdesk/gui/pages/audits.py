"""Audits (EVA): environmental visual audit walks and the signs of disorder seen on each."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget
from sqlalchemy import func, select

from rpdesk.db.models import AuditObservation, AuditVisit, Issue, PartnerAgency
from rpdesk.domain.vocabulary import ObservationStatus
from rpdesk.services.audits import Choices, choices, get_observation

from rpdesk.gui.models.query import Column, QueryTableModel
from rpdesk.gui.pages.base import Page, heading
from rpdesk.gui.widgets import TablePanel

SEVERE = QColor("#f8d7da")
#: Column of the status in the observations table's row tuple (key first).
STATUS_AT = 7
SEVERITY_AT = 3


def _observation_colour(row: tuple[Any, ...]) -> QColor | None:
    """Open findings of severity 4-5 stand out."""
    return SEVERE if row[SEVERITY_AT] >= 4 and row[STATUS_AT] == ObservationStatus.OPEN else None


class AuditsPage(Page):
    title = "Audits (EVA)"
    tables = frozenset({"audit_visit", "audit_observation"})

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.options = Choices((), ())
        self.heading = heading(self.title)
        self.visit_button = QPushButton("&New EVA walk…")
        self.add_button = QPushButton("&Add observation…")
        self.edit_button = QPushButton("&Edit observation…")
        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addStretch(1)
        for button, slot, keys in (
            (self.visit_button, self.new_visit, "Ctrl+Shift+V"),
            (self.add_button, self.add_observation, "Ctrl+Shift+N"),
            (self.edit_button, self.edit_observation, "Ctrl+Shift+E"),
        ):
            button.clicked.connect(slot)
            button.setToolTip(f"{button.text().replace('&', '')} ({keys})")
            QShortcut(QKeySequence(keys), self, slot)
            head.addWidget(button)
        self.visits = TablePanel("EVA walks", ctx.runner)
        self.visits.current_changed.connect(self._show_observations)
        self.observations = TablePanel("Seen on the walk", ctx.runner)
        self.observations.activated.connect(lambda _k: self.edit_observation())
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.visits)
        split.addWidget(self.observations)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(split, 1)

    def refresh(self) -> None:
        ward = self.ward
        if ward is None:
            return
        self.heading.setText(f"{self.title} — {ward.name}")
        found = (
            select(func.count(AuditObservation.id)).where(AuditObservation.visit_id == AuditVisit.id).scalar_subquery()
        )
        current = self.visits.current_key
        self.visits.set_model(
            QueryTableModel(
                self.ctx.database,
                [
                    Column("Date", AuditVisit.date),
                    Column("Area", AuditVisit.area, searchable=True),
                    Column("Auditors", AuditVisit.auditors, searchable=True),
                    Column("Findings", found, numeric=True),
                    Column("Notes", AuditVisit.notes, searchable=True),
                ],
                AuditVisit.id,
                lambda s: s.where(AuditVisit.ward_id == ward.id),
                default_sort=(0, True),
            ),
            {0: 12, 1: 24, 2: 60, 3: 9},
        )
        self._select(current)
        self.run(choices, title="Loading issues and partners", on_done=self._set_options)

    def _select(self, key: Any) -> None:
        model = self.visits.model
        rows = [model.key_at(r) for r in range(model.rowCount())]
        self.visits.view.selectRow(rows.index(key) if key in rows else 0)

    def _set_options(self, options: Choices) -> None:
        self.options = options

    def _show_observations(self, visit_id: Any) -> None:
        if visit_id is None:
            return
        self.observations.set_model(
            QueryTableModel(
                self.ctx.database,
                [
                    Column("Issue", Issue.label, searchable=True),
                    Column("Location", AuditObservation.location, searchable=True),
                    Column("Severity", AuditObservation.severity, numeric=True, tip="1 minor … 5 severe"),
                    Column("Count", AuditObservation.count, numeric=True),
                    Column("Partner", PartnerAgency.name, searchable=True),
                    Column("Reference", AuditObservation.reference, searchable=True),
                    Column("Status", AuditObservation.status, fmt=lambda v: v.value.replace("_", " ").capitalize()),
                    Column("Resolved", AuditObservation.resolved_on),
                ],
                AuditObservation.id,
                lambda s: (
                    s.join(Issue, Issue.id == AuditObservation.issue_id)
                    .outerjoin(PartnerAgency, PartnerAgency.id == AuditObservation.partner_id)
                    .where(AuditObservation.visit_id == visit_id)
                ),
                row_colour=_observation_colour,
            ),
            {0: 34, 1: 30, 2: 9, 3: 7, 4: 22, 5: 12, 6: 10},
        )

    def new_visit(self) -> None:
        from rpdesk.gui.dialogs.audit import VisitDialog

        if self.ward is not None:
            VisitDialog(self.ctx, self.ward.id, self).exec()

    def add_observation(self) -> None:
        from rpdesk.gui.dialogs.audit import ObservationDialog

        visit = self.visits.current_key
        if visit is not None:
            ObservationDialog(self.ctx, visit, self.options, parent=self).exec()

    def edit_observation(self) -> None:
        key = self.observations.current_key
        if key is not None:
            self.run(get_observation, key, title="Opening the observation", on_done=self._edit)

    def _edit(self, info: Any) -> None:
        from rpdesk.gui.dialogs.audit import ObservationDialog

        ObservationDialog(self.ctx, info.visit_id, self.options, info, self).exec()

    def export_model(self) -> Any:
        return self.observations.model
