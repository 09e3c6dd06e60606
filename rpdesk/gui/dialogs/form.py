"""The base of every data-entry form: validate first, save on the database thread, lose nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from rpdesk.errors import ConflictError

from rpdesk.gui.context import AppContext
from rpdesk.gui.messages import error_text

W = TypeVar("W", bound=QWidget)


def date_edit(day: dt.date | None = None) -> QDateEdit:
    """A date field with a calendar, UK order, defaulting to today."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    day = day or dt.date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def date_of(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


def choice_box(items: list[tuple[str, Any]], current: Any = None) -> QComboBox:
    """A combo box of (label, value) pairs with ``current`` selected."""
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    if current is not None:
        box.setCurrentIndex(max(0, box.findData(current)))
    return box


class FormDialog(QDialog):
    """A form whose Save validates every field, then saves in one transaction on the database thread.

    Subclasses add fields with :meth:`add_field` and implement :meth:`problems` (every problem, not
    only the first) and :meth:`save_call` (the data function and its plain arguments). A save
    refused because somebody else changed the record (:class:`ConflictError`) keeps the form open
    with everything typed, and offers :meth:`reload` where the form edits an existing record.

    Signals:
        saved(object): the data function's result, after the transaction committed.
    """

    saved = Signal(object)
    #: Tables the save writes, announced on the change bus so pages refresh.

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problems")
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setWordWrap(True)
        self.problem_label.setAccessibleName("Problems with this form")
        self.problem_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.result_value: Any = None
        self.saving = False

    def add_field(self, label: str, widget: W, tip: str = "") -> W:
        """Add a labelled field; the label (with its & mnemonic) names it for screen readers."""
        widget.setAccessibleName(label.replace("&", ""))
        if tip:
            widget.setToolTip(tip)
        self.form.addRow(label, widget)
        return widget

    def problems(self) -> list[str]:
        """Everything wrong with the form as filled in (empty when it can be saved)."""
        return []

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]:
        """The data function to run in a transaction, with its positional and keyword arguments."""
        raise NotImplementedError

    def reload_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]] | None:
        """How to read the edited record again (forms that edit an existing record return it)."""
        return None

    def load(self, record: Any) -> None:
        """Fill the form from ``record`` (forms that edit an existing record implement this)."""

    def reload(self) -> None:
        """Read the record again after a conflict and show it, replacing what was typed."""
        call = self.reload_call()
        if call is None:
            return
        fn, args = call
        state = self.ctx.runner.run(fn, *args, title=f"Reloading: {self.windowTitle()}")
        state.done.connect(self.load)
        state.done.connect(lambda _r: self.show_problems([]))
        state.failed.connect(lambda exc: self.show_problems([error_text(exc)]))

    def show_problems(self, problems: list[str]) -> None:
        self.problem_label.setText("\n".join(f"• {p}" for p in problems))
        self.problem_label.setVisible(bool(problems))

    def accept(self) -> None:
        if self.saving:
            return
        problems = self.problems()
        self.show_problems(problems)
        if problems:
            return
        fn, args, kwargs = self.save_call()
        self.saving = True
        self.save_button.setEnabled(False)
        state = self.ctx.runner.run(fn, *args, title=self.windowTitle(), **kwargs)
        state.done.connect(self._on_saved)
        state.failed.connect(self._on_failed)

    def _on_saved(self, value: Any) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.result_value = value
        self.saved.emit(value)
        super().accept()

    def _on_failed(self, exc: object) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.show_problems([error_text(exc)])
        if isinstance(exc, ConflictError):
            self.ask_reload(str(exc))

    def ask_reload(self, text: str) -> None:
        """Say that somebody else saved first; the typed values stay unless the user chooses Reload."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Changed by somebody else", text, parent=self)
        box.setObjectName("conflict")
        reload = box.addButton("Reload their version", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Keep my typing", QMessageBox.ButtonRole.RejectRole)
        box.finished.connect(lambda _r: self.reload() if box.clickedButton() is reload else None)
        box.open()
