"""Forms for environmental visual audits: a new EVA walk, and an observation seen on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from rpdesk.domain.eva_rules import finding_problems, walk_problems
from rpdesk.domain.vocabulary import ObservationStatus
from rpdesk.errors import FieldProblem
from rpdesk.services.audits import (
    Choices,
    ObservationInfo,
    add_observation,
    add_visit,
    get_observation,
    update_observation,
)

from rpdesk.gui.context import AppContext
from rpdesk.gui.dialogs.form import FormDialog, choice_box, date_edit, date_of, optional_date

SEVERITY_TIP = "1 = minor, 5 = severe (Code of Practice grades B to D map to about 2 to 5)"


class VisitDialog(FormDialog):
    def __init__(self, ctx: AppContext, ward_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New EVA walk", parent)
        self.ward_id = ward_id
        self.day = self.add_field("&Date", date_edit(), key="date")
        self.auditors = self.add_field(
            "&Auditors", QLineEdit(), "Police, PCSOs, partners and residents who walked", key="auditors"
        )
        self.area = self.add_field("A&rea", QLineEdit())
        self.notes = self.add_field("&Notes", QLineEdit())

    def problems(self) -> list[FieldProblem]:
        """The walk rules the service applies on Save, asked first."""
        found = walk_problems(day=date_of(self.day), auditors=self.auditors.text(), today=dt.date.today())
        return found

    def save_call(self) -> Any:
        args = (self.ward_id, date_of(self.day), self.auditors.text(), self.area.text().strip() or None)
        return add_visit, (*args, self.notes.text().strip() or None), {}


class ObservationDialog(FormDialog):
    """Add an observation to a walk, or edit one (a stale edit is refused and nothing typed is lost)."""

    def __init__(
        self,
        ctx: AppContext,
        visit_id: int,
        options: Choices,
        existing: ObservationInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Edit observation" if existing else "Add an observation", parent)
        self.visit_id = visit_id
        self.existing = existing
        issues = choice_box([(label, code) for code, label in options.issues])
        self.issue: QComboBox = self.add_field("&Issue", issues, key="issue")
        self.location = self.add_field("&Location", QLineEdit(), "Where, e.g. 'Underpass by the Co-op'", key="location")
        self.severity = QSpinBox()
        self.severity.setRange(1, 5)
        self.severity.setValue(3)
        self.add_field("&Severity (1-5)", self.severity, SEVERITY_TIP, key="severity")
        self.count = QSpinBox()
        self.count.setRange(1, 999)
        self.add_field("&Count", self.count, key="count")
        self.partner = QComboBox()
        self.partner.setEditable(True)
        self.partner.addItems(["", *options.partners])
        self.add_field("&Partner", self.partner, "Who should put it right", key="partner")
        self.reference = self.add_field("&Reference", QLineEdit(), "The partner's referral number")
        self.status = self.add_field(
            "S&tatus",
            choice_box(
                [(s.value.replace("_", " ").capitalize(), s.value) for s in ObservationStatus],
                ObservationStatus.OPEN.value,  # what a finding just seen is
            ),
        )
        self.resolved = self.add_field("Resolved &on", optional_date(None), key="resolved_on")
        if existing is not None:
            self.load(existing)

    def load(self, info: ObservationInfo) -> None:
        self.existing = info
        self.issue.setCurrentIndex(max(0, self.issue.findData(info.issue)))
        self.location.setText(info.location)
        self.severity.setValue(info.severity)
        self.count.setValue(info.count)
        self.partner.setCurrentText(info.partner or "")
        self.reference.setText(info.reference or "")
        self.status.setCurrentIndex(max(0, self.status.findData(info.status)))
        self.resolved.set_date(info.resolved_on)

    def values(self) -> dict[str, Any]:
        return {
            "issue": self.issue.currentData(),
            "location": self.location.text().strip(),
            "severity": self.severity.value(),
            "count": self.count.value(),
            "partner": self.partner.currentText().strip() or None,
            "reference": self.reference.text().strip() or None,
            "status": self.status.currentData(),
            "resolved_on": self.resolved.date(),
        }

    def problems(self) -> list[FieldProblem]:
        """The finding rules the service applies on Save, asked first."""
        return finding_problems(self.values())

    def save_call(self) -> Any:
        if self.existing is None:
            return add_observation, (self.visit_id, self.values()), {}
        return update_observation, (self.existing.id, self.existing.version, self.values()), {}

    def reload_call(self) -> Any:
        return (get_observation, (self.existing.id,)) if self.existing else None
