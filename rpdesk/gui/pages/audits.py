"""Audits (EVA): environmental visual audit walks and the signs of disorder seen on each."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QSplitter, QVBoxLayout, QWidget

from rpdesk.services.audits import Choices, choices, get_observation
from rpdesk.services.record_tables import Row
from rpdesk.services.ward_tables import observation_stands_out, observations_table, visits_table

from rpdesk.gui.flow import FlowLayout
from rpdesk.gui.models.paged import PagedTableModel
from rpdesk.gui.pages.base import Page, heading
from rpdesk.gui.widgets import TablePanel

SEVERE = QColor("#f8d7da")


def _observation_colour(row: Row) -> QColor | None:
    return SEVERE if observation_stands_out(row) else None


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
        head = FlowLayout()  # wraps rather than push a button past the right edge (large text, 150%)
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
        self.visits.activated.connect(lambda _key: self.add_observation())  # Enter on a walk: add what was seen
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
        current = self.visits.current_key
        self.visits.set_model(
            PagedTableModel(visits_table(self.ctx.database, ward.id)),
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
            PagedTableModel(observations_table(self.ctx.database, visit_id), row_colour=_observation_colour),
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
