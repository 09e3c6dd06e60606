"""Add or edit a partner action, and change its status, through the actions service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from rpdesk.domain.action_rules import action_problems
from rpdesk.domain.action_status import allowed_next, transition_problem
from rpdesk.domain.vocabulary import ACTION_STATUS_LABELS, ActionStatus, Epic
from rpdesk.errors import FieldProblem
from rpdesk.services import actions
from rpdesk.services.actions import ActionInfo

from rpdesk.gui.context import AppContext
from rpdesk.gui.dialogs.form import CHOOSE, FormDialog, choice_box, optional_date


def _text_box(text: str | None, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit(text or "")
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().height() * 4 + 12)
    return box


class ActionDialog(FormDialog):
    """The add/edit form. Editing keeps the version read; a stale save is refused, nothing typed is lost."""

    def __init__(
        self,
        ctx: AppContext,
        ward_code: str,
        partners: list[str],
        action: ActionInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Edit action" if action else "Add an action", parent)
        self.ward_code = ward_code
        self.action = action
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("What will be done, e.g. 'Clear graffiti from the underpass'")
        self.add_field("&Title", self.title_edit, key="title")
        self.owner = QLineEdit()
        self.add_field("&Owner", self.owner, "Who answers for it", key="owner")
        self.partner = QComboBox()
        self.partner.setEditable(True)
        self.partner.addItems(["", *partners])
        self.add_field("&Partner", self.partner, "Partner agency (type a new one to add it)")
        self.due = optional_date(None)
        self.add_field("&Due", self.due, key="due_date")
        self.review = optional_date(None)
        self.add_field("Re&view", self.review, key="review_date")
        self.epic = choice_box([("", None)] + [(e.value.capitalize(), e.value) for e in Epic])
        self.add_field("&EPIC", self.epic, "Enforcement, prevention, intelligence or communication")
        self.control_signal = _text_box(None, "What residents will see, e.g. 'Underpass clean and lit'")
        self.add_field("&Control signal", self.control_signal, key="control_signal")
        self.public = QCheckBox("May appear in community briefings")
        self.add_field("P&ublic", self.public)
        if action is not None:
            self.load(action)

    def load(self, action: ActionInfo) -> None:
        """Fill the form from ``action`` (on opening, and on Reload after a conflict)."""
        self.action = action
        self.title_edit.setText(action.title)
        self.owner.setText(action.owner)
        self.partner.setCurrentText(action.partner or "")
        self.due.set_date(action.due_date)
        self.review.set_date(action.review_date)
        self.epic.setCurrentIndex(max(0, self.epic.findData(action.epic)))
        self.control_signal.setPlainText(action.control_signal or "")
        self.public.setChecked(action.public)

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title_edit.text().strip(),
            "owner": self.owner.text().strip(),
            "partner": self.partner.currentText().strip() or None,
            "due_date": self.due.date(),
            "review_date": self.review.date(),
            "epic": self.epic.currentData(),
            "control_signal": self.control_signal.toPlainText().strip() or None,
            "public": self.public.isChecked(),
        }

    def problems(self) -> list[FieldProblem]:
        """The action rules the service applies on Save, asked first (a new action is raised today)."""
        v = self.values()
        created = self.action.created_on if self.action else dt.date.today()
        return action_problems(
            title=v["title"],
            owner=v["owner"],
            due=v["due_date"],
            review=v["review_date"],
            created=created,
            public=v["public"],
            control_signal=v["control_signal"],
        )

    def save_call(self) -> Any:
        v = self.values()
        if self.action is None:
            title, owner = v.pop("title"), v.pop("owner")
            return actions.add_action, (self.ward_code, title, owner), v
        return actions.update_action, (self.action.id, self.action.version, v), {}

    def reload_call(self) -> Any:
        return (actions.get_action, (self.action.id,)) if self.action else None

    @classmethod
    def ask(
        cls, parent: QWidget, ctx: AppContext, ward_code: str, partners: list[str], action: ActionInfo | None = None
    ) -> Any:
        dialog = cls(ctx, ward_code, partners, action, parent)
        return dialog.result_value if dialog.exec() else None


class StatusDialog(FormDialog):
    """Move an action on (open, in progress, done, blocked, cancelled) under the status-flow rules."""

    def __init__(self, ctx: AppContext, action: ActionInfo, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Change status: {action.title}", parent)
        self.status = QComboBox()
        self.status.setPlaceholderText(CHOOSE)  # none chosen: Enter never moves an action on by itself
        self.add_field("&New status", self.status)
        self.save_button.setEnabled(False)
        self.status.currentIndexChanged.connect(lambda index: self.save_button.setEnabled(index >= 0))
        self.outcome = _text_box(None, "What was done (needed to mark it done; residents may read it)")
        self.add_field("&Outcome", self.outcome, key="outcome")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Why (needed to block, cancel or reopen)")
        self.add_field("No&te", self.note, key="note")
        self.load(action)

    def load(self, action: ActionInfo) -> None:
        """Show ``action`` as read (on opening, and on Reload: its status now decides the choices)."""
        self.action = action
        current = ActionStatus(action.status)
        chosen = self.status.currentData()
        self.status.clear()
        for status in ActionStatus:
            if status in allowed_next(current):
                self.status.addItem(ACTION_STATUS_LABELS[status], status.value)
        self.status.setCurrentIndex(self.status.findData(chosen))  # -1 until the user chooses
        self.status.setToolTip(f"Now: {ACTION_STATUS_LABELS[current]}")
        self.outcome.setPlainText(action.outcome or "")

    def reload_call(self) -> Any:
        return actions.get_action, (self.action.id,)

    def problems(self) -> list[str | FieldProblem]:
        if self.status.currentIndex() < 0:
            return ["Choose the new status."]
        problem = transition_problem(
            ActionStatus(self.action.status),
            ActionStatus(self.status.currentData()),
            note=self.note.text(),
            outcome=self.outcome.toPlainText(),
        )
        return [problem] if problem else []

    def save_call(self) -> Any:
        return (
            actions.change_status,
            (self.action.id, self.action.version, self.status.currentData()),
            {"note": self.note.text().strip() or None, "outcome": self.outcome.toPlainText().strip() or None},
        )

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, action: ActionInfo) -> Any:
        dialog = cls(ctx, action, parent)
        return dialog.result_value if dialog.exec() else None
