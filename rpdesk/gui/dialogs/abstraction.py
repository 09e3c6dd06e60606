"""Record an abstraction: hours of an officer's duty day taken away from ward work, with the reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QWidget

from rpdesk.domain.vocabulary import ABSTRACTION_REASON_LABELS
from rpdesk.services.abstractions import record_abstraction

from rpdesk.gui.context import AppContext
from rpdesk.gui.data.officers import OfficerChoice
from rpdesk.gui.dialogs.form import FormDialog, choice_box, date_edit, date_of


def hours_box(value: float, low: float = 0.25) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, 24.0)
    box.setSingleStep(0.25)
    box.setDecimals(2)
    box.setSuffix(" h")
    box.setValue(value)
    return box


class AbstractionDialog(FormDialog):
    """The record-an-abstraction form (leave, sickness and rest days are absences, not abstractions)."""

    tables = ("abstraction", "duty_record")

    def __init__(
        self,
        ctx: AppContext,
        ward_code: str,
        officers: list[OfficerChoice],
        day: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Record an abstraction", parent)
        self.ward_code = ward_code
        self.officer: QComboBox = choice_box([(o.label, o.collar) for o in officers])
        self.add_field("&Officer", self.officer)
        self.day = date_edit(day)
        self.add_field("&Date", self.day)
        self.hours = hours_box(4.0)
        self.add_field("&Hours abstracted", self.hours)
        self.reason = choice_box([(label, reason) for reason, label in ABSTRACTION_REASON_LABELS.items()])
        self.add_field("&Reason", self.reason)
        self.authorised_by = QLineEdit()
        self.authorised_by.setPlaceholderText("e.g. Insp 1234 Khan")
        self.add_field("&Authorised by", self.authorised_by)
        self.note = QLineEdit()
        self.add_field("&Note", self.note)
        self.rostered = hours_box(8.0, low=0.5)
        self.add_field("Rostered hours that day", self.rostered, "Used only when no duty is recorded for that day yet")

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, ward_code: str, officers: list[OfficerChoice]) -> Any:
        dialog = cls(ctx, ward_code, officers, parent=parent)
        return dialog.result_value if dialog.exec() else None

    def problems(self) -> list[str]:
        out = []
        if self.officer.currentData() is None:
            out.append("Choose the officer (none is posted to this ward).")
        if date_of(self.day) > dt.date.today():
            out.append("The date is in the future: record abstractions once they have happened.")
        if self.hours.value() > self.rostered.value():
            out.append("More hours abstracted than rostered that day.")
        if self.reason.currentData() is None:
            out.append("Choose a reason.")
        return out

    def save_call(self) -> Any:
        return (
            record_abstraction,
            (self.officer.currentData(), date_of(self.day), self.hours.value(), self.reason.currentData()),
            {
                "authorised_by": self.authorised_by.text().strip() or None,
                "note": self.note.text().strip() or None,
                "ward": self.ward_code,
                "rostered_hours": self.rostered.value(),
            },
        )
