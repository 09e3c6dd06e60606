"""Forms for duty and abstractions: record or correct an abstraction, record a duty day, add an officer
or change an officer's official contact."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QWidget

from rpdesk.domain.abstraction_rules import abstraction_problems, duty_problems
from rpdesk.domain.vocabulary import ABSTRACTION_REASON_LABELS, AbsenceKind, AbstractionReason, OfficerRole
from rpdesk.errors import FieldProblem
from rpdesk.services.officers import (
    OfficerInfo,
    add_officer,
    contact_problems,
    identity_problems,
    officer_info,
    update_officer,
)
from rpdesk.services.ward_duty import OfficerChoice, find_abstraction

from rpdesk.gui.context import AppContext
from rpdesk.gui.data import deferred
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
    """Record an abstraction, or correct one (``existing``); leave, sickness and rest days are absences.

    The abstractions service loads pandas, so it is imported where the save runs, on the database thread.
    """

    def __init__(
        self,
        ctx: AppContext,
        ward_code: str,
        officers: list[OfficerChoice],
        day: dt.date | None = None,
        parent: QWidget | None = None,
        existing: Any = None,
    ) -> None:
        super().__init__(ctx, "Correct an abstraction" if existing else "Record an abstraction", parent)
        self.ward_code = ward_code
        self.existing = existing
        self.officer: QComboBox = choice_box([(o.label, o.collar) for o in officers])
        self.add_field("&Officer", self.officer)
        self.day = date_edit(day)
        self.add_field("&Date", self.day, key="date")
        self.hours = hours_box(4.0)
        self.add_field("&Hours abstracted", self.hours, key="hours")
        self.reason = choice_box([(label, reason) for reason, label in ABSTRACTION_REASON_LABELS.items()])
        self.add_field("&Reason", self.reason)
        self.authorised_by = QLineEdit()
        self.authorised_by.setPlaceholderText("e.g. Insp 1234 Khan")
        self.add_field("&Authorised by", self.authorised_by)
        self.note = QLineEdit()
        self.add_field("&Note", self.note)
        self.rostered = hours_box(8.0, low=0.5)
        self.add_field("Ro&stered hours that day", self.rostered, "Used only when no duty is recorded for that day yet")
        if existing is not None:
            if self.officer.findData(existing.officer) < 0:
                self.officer.addItem(existing.officer, existing.officer)
            self.load(existing)
            for field in (self.officer, self.day, self.rostered):
                field.setEnabled(False)  # a correction changes the hours, reason and notes of that day only

    def load(self, record: Any) -> None:
        self.existing = record
        self.officer.setCurrentIndex(max(0, self.officer.findData(record.officer)))
        self.day.set_date(record.date)
        self.hours.setValue(record.hours)
        self.reason.setCurrentIndex(max(0, self.reason.findData(AbstractionReason(record.reason))))
        self.authorised_by.setText(record.authorised_by or "")
        self.note.setText(record.note or "")

    @classmethod
    def ask(
        cls, parent: QWidget, ctx: AppContext, ward_code: str, officers: list[OfficerChoice], existing: Any = None
    ) -> Any:
        dialog = cls(ctx, ward_code, officers, parent=parent, existing=existing)
        return dialog.result_value if dialog.exec() else None

    def problems(self) -> list[str | FieldProblem]:
        out: list[str | FieldProblem] = []
        if self.officer.currentData() is None:
            out.append("Choose the officer." if self.officer.count() else "No officer is posted to this ward yet.")
        if self.reason.currentData() is None:
            out.append("Choose the reason.")
        rostered = self.rostered.value() if self.existing is None else None  # a correction: the service knows the day
        found = abstraction_problems(
            day=date_of(self.day),
            hours=self.hours.value(),
            today=dt.date.today() if self.existing is None else None,
            rostered=rostered,
            officer=self.officer.currentData() or "",
        )
        return out + found

    def save_call(self) -> Any:
        notes = {"authorised_by": self.authorised_by.text().strip() or None, "note": self.note.text().strip() or None}
        if self.existing is not None:
            changes = {"hours": self.hours.value(), "reason": self.reason.currentData(), **notes}
            return _update_abstraction, (self.existing.id, self.existing.version, changes), {}
        args = (self.officer.currentData(), date_of(self.day), self.hours.value(), self.reason.currentData())
        return _record_abstraction, args, {**notes, "ward": self.ward_code, "rostered_hours": self.rostered.value()}

    def reload_call(self) -> Any:
        if self.existing is None:
            return None
        return find_abstraction, (self.existing.id, self.existing.officer, self.existing.date)


DUTY_RECORDS = "rpdesk.services.duty_records"
_record_abstraction = deferred(DUTY_RECORDS, "record_abstraction")
_update_abstraction = deferred(DUTY_RECORDS, "update_abstraction")
_record_duty = deferred(DUTY_RECORDS, "record_duty")


class DutyDialog(FormDialog):
    """Record an officer-day: rostered hours in the ward, or an absence (leave, sickness, rest day)."""

    def __init__(
        self, ctx: AppContext, ward_code: str, officers: list[OfficerChoice], parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "Record a duty day", parent)
        self.ward_code = ward_code
        self.officer = self.add_field("&Officer", choice_box([(o.label, o.collar) for o in officers]))
        self.day = self.add_field("&Date", date_edit())
        self.rostered = self.add_field("&Rostered hours", hours_box(8.0, low=0.0), key="rostered_hours")
        absences = [("On duty", None)] + [(a.value.replace("_", " ").capitalize(), a.value) for a in AbsenceKind]
        self.absence = self.add_field(
            "A&bsence", choice_box(absences), "Leave, sickness and rest days are not rostered ward time"
        )

    def problems(self) -> list[str | FieldProblem]:
        out: list[str | FieldProblem] = []
        if self.officer.currentData() is None:
            out.append("Choose the officer.")
        return out + duty_problems(rostered=self.rostered.value(), absent=self.absence.currentData() is not None)

    def save_call(self) -> Any:
        args = (self.officer.currentData(), self.ward_code, date_of(self.day), self.rostered.value())
        return _record_duty, args, {"absence": self.absence.currentData(), "settings": self.ctx.settings}


class OfficerDialog(FormDialog):
    """Add an officer and post them to this ward from a date."""

    def __init__(self, ctx: AppContext, ward_code: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Add an officer", parent)
        self.ward_code = ward_code
        self.collar = self.add_field("&Collar number", QLineEdit(), key="collar")
        self.name = self.add_field("&Name", QLineEdit(), key="name")
        self.role = self.add_field("&Role", choice_box([(r.value, r.value) for r in OfficerRole]))
        self.ring_fenced = self.add_field("Ring-&fenced", QCheckBox("Dedicated to the ward (time protected)"))
        self.ring_fenced.setChecked(True)
        self.email = self.add_field(
            "Force &e-mail",
            QLineEdit(),
            f"Official address only, ending @{self._domain()}; printed on public briefings",
            key="email",
        )
        self.phone = self.add_field(
            "Team &phone", QLineEdit(), "The team's landline or 101; personal mobiles are refused", key="phone"
        )
        self.team = self.add_field("&Team", QLineEdit())
        self.start = self.add_field("Posted fro&m", date_edit())

    def problems(self) -> list[str | FieldProblem]:
        out: list[str | FieldProblem] = [*identity_problems(self.collar.text(), self.name.text())]
        if self.role.currentData() is None:
            out.append("Choose the role.")
        return out + contact_problems(self.email.text(), self.phone.text(), self._domain())

    def _domain(self) -> str:
        return self.ctx.settings.force_email_domain

    def save_call(self) -> Any:
        return (
            add_officer,
            (self.collar.text(), self.name.text(), self.role.currentData()),
            {
                "ring_fenced": self.ring_fenced.isChecked(),
                "email": self.email.text().strip() or None,
                "phone": self.phone.text().strip() or None,
                "settings": self.ctx.settings,
                "ward": self.ward_code,
                "team": self.team.text().strip() or None,
                "start": date_of(self.start),
            },
        )


class OfficerContactDialog(FormDialog):
    """Change an officer's official contact (force e-mail, team phone or 101); a blank field clears it."""

    def __init__(self, ctx: AppContext, officer: OfficerInfo, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Official contact: {officer.name} ({officer.collar})", parent)
        self.officer = officer
        email_tip = f"Official address only, ending @{ctx.settings.force_email_domain}"
        phone_tip = "The team's landline or 101; mobiles are refused"
        self.email = self.add_field("Force &e-mail", QLineEdit(), email_tip, key="email")
        self.phone = self.add_field("Team &phone", QLineEdit(), phone_tip, key="phone")
        self.load(officer)

    def load(self, record: Any) -> None:
        self.officer = record
        self.email.setText(record.email or "")
        self.phone.setText(record.phone or "")

    def problems(self) -> list[FieldProblem]:
        return contact_problems(self.email.text(), self.phone.text(), self.ctx.settings.force_email_domain)

    def save_call(self) -> Any:
        kwargs = {"email": self.email.text(), "phone": self.phone.text(), "settings": self.ctx.settings}
        return update_officer, (self.officer.collar, self.officer.version), kwargs

    def reload_call(self) -> Any:
        return officer_info, (self.officer.collar,)
