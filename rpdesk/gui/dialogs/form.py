"""The base of every data-entry form: validate first, save on the database thread, lose nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from rpdesk.errors import ConflictError, FieldProblem, InvalidFields

from rpdesk.gui.context import AppContext
from rpdesk.gui.date_field import DateField
from rpdesk.gui.keyboard import KeyboardDialog
from rpdesk.gui.messages import error_text
from rpdesk.gui.screen import fit_to_screen, scrolling
from rpdesk.gui.theme import alert_style, mark_problems

W = TypeVar("W", bound=QWidget)


def date_edit(day: dt.date | None = None) -> DateField:
    """A required date field, typed as dd/mm/yyyy or picked, defaulting to today."""
    return DateField(day or dt.date.today())


def optional_date(day: dt.date | None = None) -> DateField:
    """A date field that may be left empty (emptied to clear it)."""
    return DateField(day, optional=True)


def date_of(edit: DateField) -> dt.date:
    """A required field's date (its last good date while the text typed is not one: the form refuses that)."""
    day = edit.date()
    assert day is not None, "a required DateField always has a date"
    return day


#: Shown in a choice nothing is chosen in yet.
CHOOSE = "Choose…"


def choice_box(items: list[tuple[str, Any]], current: Any = None) -> QComboBox:
    """A combo box of (label, value) pairs with ``current`` selected.

    Without ``current`` nothing is chosen (the box says "Choose…"), unless the first item is the
    neutral "none" choice (value None): a choice that changes data is made by the user, never by
    Enter pressed on a form opened with its first option already picked.
    """
    box = QComboBox()
    box.setPlaceholderText(CHOOSE)  # with a placeholder, adding items chooses none of them
    for label, value in items:
        box.addItem(label, value)
    if current is not None:
        box.setCurrentIndex(max(0, box.findData(current)))
    elif items and items[0][1] is None:
        box.setCurrentIndex(0)
    return box


def shown_value(widget: QWidget) -> str | None:
    """What an input shows, as text (None for a widget that is not an input, e.g. a grid of them)."""
    if isinstance(widget, DateField):
        return widget.edit.text()
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return "yes" if widget.isChecked() else "no"
    return None


def shown_values(form: QFormLayout) -> dict[str, str]:
    """Each field of ``form`` by its name, with what it shows: yours and theirs are compared on these."""
    out = {}
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        widget = item.widget() if item is not None else None
        value = shown_value(widget) if widget is not None else None
        if widget is not None and value is not None:
            out[widget.accessibleName()] = value
    return out


class YoursPanel(QGroupBox):
    """After a Reload, what you had typed where it differs from their version: theirs is in the form.

    Nothing of yours is lost on a Reload: the panel lists it (selectable, to copy back) until the form closes.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Your unsaved values", parent)
        self.setObjectName("yours")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Your unsaved values")
        self.text.setMinimumWidth(220)
        box = QVBoxLayout(self)
        box.addWidget(self.text)
        box.addStretch(1)
        self.hide()

    def show_differences(self, opened: dict[str, str], yours: dict[str, str], theirs: dict[str, str]) -> None:
        """List what you changed (from ``opened``) that their version does not have; the form shows theirs."""
        changed = [(name, value) for name, value in yours.items() if opened.get(name) != value]
        differ = [(name, value) for name, value in changed if theirs.get(name) != value]
        if not differ:
            self.text.setText("Their version already has everything you had typed.")
        else:
            lines = [f"{name}: {value or '(empty)'}" for name, value in differ]
            self.text.setText("The form now shows their version. You had typed:\n\n" + "\n".join(lines))
        self.setAccessibleDescription(self.text.text())
        self.show()


class FormDialog(KeyboardDialog):
    """A form whose Save validates every field, then saves in one transaction on the database thread.

    Subclasses add fields with :meth:`add_field` and implement :meth:`problems` (every problem, not
    only the first) and :meth:`save_call` (the data function and its plain arguments). Enter runs
    :meth:`accept`, so an invalid form lists its problems instead of saving (see
    :class:`~rpdesk.gui.keyboard.KeyboardDialog` for focus, Tab order and Escape). A save
    refused because somebody else changed the record (:class:`ConflictError`) keeps the form open
    with everything typed, and offers :meth:`reload` where the form edits an existing record: the
    form then shows their version and :class:`YoursPanel` beside it what you had typed. Date fields
    (:class:`DateField`) are checked before :meth:`problems`; :meth:`doubts` (an unusual date) asks
    before saving.

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
        mark_problems(self.problem_label)
        self.problem_label.setAccessibleName("Problems with this form")
        self.problem_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.close_asking)
        self.yours = YoursPanel()
        fields = QWidget()
        fields.setLayout(self.form)
        body = QHBoxLayout()
        body.addWidget(scrolling(fields), 1)  # on a small or scaled screen the fields scroll, the buttons stay
        body.addWidget(self.yours)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.result_value: Any = None
        self.saving = False
        self.opened: dict[str, str] = {}
        self.keyed: dict[str, QWidget] = {}  # fields by their name in the rules
        self.rechecking = False  # a Save was refused: moving between fields checks again
        self.watching = False

    def add_field(self, label: str, widget: W, tip: str = "", key: str | None = None) -> W:
        """Add a labelled field; the label (with its & mnemonic) names it for screen readers.

        ``key`` is the field's name in the rules (a :class:`FieldProblem`'s ``field``): a problem the
        rules find with it is shown beside it too (see :meth:`show_problems`).
        """
        widget.setAccessibleName(label.replace("&", ""))
        if tip:
            widget.setToolTip(tip)
        widget.setProperty("tip", tip)
        self.form.addRow(label, widget)
        if key is not None:
            self.keyed[key] = widget
        return widget

    def problems(self) -> Sequence[str | FieldProblem]:
        """Everything wrong with the form as filled in (empty when it can be saved).

        Forms return the Qt-free rules' :class:`FieldProblem` as they are (the service refuses with
        the same), so each is shown beside its field as well as in the list.
        """
        return []

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]:
        """The data function to run in a transaction, with its positional and keyword arguments."""
        raise NotImplementedError

    def reload_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]] | None:
        """How to read the edited record again (forms that edit an existing record return it)."""
        return None

    def load(self, record: Any) -> None:
        """Fill the form from ``record`` (forms that edit an existing record implement this)."""

    def doubts(self) -> list[str]:
        """Why the form, though valid, deserves a second look: the user is asked first.

        Every date field that can be changed is checked against its span (or, without one, today).
        """
        return [d for f in self.findChildren(DateField) if f.isEnabled() for d in f.doubts()]

    def reload(self) -> None:
        """Read the record again after a conflict and show theirs, keeping what was typed to compare."""
        call = self.reload_call()
        if call is None:
            return
        fn, args = call
        yours = shown_values(self.form)
        state = self.ctx.runner.run(fn, *args, title=f"Reloading: {self.windowTitle()}")
        state.done.connect(lambda record: self._reloaded(record, yours))
        state.failed.connect(lambda exc: self.show_problems([error_text(exc)]))

    def _reloaded(self, record: Any, yours: dict[str, str]) -> None:
        self.load(record)
        self.show_problems([])
        theirs = shown_values(self.form)
        widen = self.yours.isHidden()
        self.yours.show_differences(self.opened, yours, theirs)
        self.opened = theirs  # what the form now holds as read
        if widen:  # the panel takes its room beside the fields, not from them (within the screen)
            self.resize(self.width() + self.yours.sizeHint().width(), self.height())
            fit_to_screen(self)

    def _buttons_last(self) -> None:
        """Tab goes through the fields, then Save and Cancel: the fields were added after the buttons."""
        rows = self.form.rowCount()
        item = self.form.itemAt(rows - 1, QFormLayout.ItemRole.FieldRole) if rows else None
        last = item.widget() if item is not None else None
        last = last.focusProxy() or last if last is not None else None  # a date field's text box
        if last is not None:
            QWidget.setTabOrder(last, self.save_button)
            QWidget.setTabOrder(self.save_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel))

    def showEvent(self, event: QShowEvent) -> None:
        """Note the values as opened, so that a Reload lists only what you changed."""
        if not self.opened:
            self.opened = shown_values(self.form)
            self._buttons_last()
        self._watch_focus(True)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._watch_focus(False)
        super().hideEvent(event)

    def _watch_focus(self, on: bool) -> None:
        """Follow focus moves only while shown (the application's signal would outlive a closed form)."""
        app = QApplication.instance()
        if on == self.watching or not isinstance(app, QApplication):
            return
        if on:
            app.focusChanged.connect(self._focus_moved)
        else:
            app.focusChanged.disconnect(self._focus_moved)
        self.watching = on

    def _focus_moved(self, _old: QWidget | None, now: QWidget | None) -> None:
        """Once a Save was refused, each move to another field checks the form again: a problem put right
        leaves the list and its field at once, a new one shows before the next Save."""
        if self.rechecking and not self.saving and now is not None and self.isAncestorOf(now):
            self.rechecking = bool(self._check())

    def _check(self) -> Sequence[str | FieldProblem]:
        """Show and return every problem: a date typed that is not one first, else the form's rules."""
        problems: Sequence[str | FieldProblem] = [
            p for p in (f.problem() for f in self.findChildren(DateField)) if p
        ] or self.problems()
        self.show_problems(problems)
        return problems

    def show_problems(self, problems: Sequence[str | FieldProblem]) -> None:
        """List every problem below the fields; a field's own are also beside it (its label in the alert
        colour, the problem as its tooltip and accessible description, so a screen reader says it)."""
        self.problem_label.setText("\n".join(f"• {p}" for p in problems))
        self.problem_label.setVisible(bool(problems))
        said: dict[str, list[str]] = {}
        for p in problems:
            if isinstance(p, FieldProblem):
                said.setdefault(p.field, []).append(p.text)
        for key, widget in self.keyed.items():
            text = " ".join(said.get(key, []))
            label = self._label_of(widget)
            if label is not None:
                label.setStyleSheet(alert_style(label.palette(), bold=True) if text else "")
            widget.setToolTip(text or widget.property("tip") or "")
            widget.setAccessibleDescription(text)

    def _label_of(self, widget: QWidget) -> QLabel | None:
        """The label naming ``widget``: its form row's, or a label whose buddy it is (a grid of fields)."""
        label = self.form.labelForField(widget)
        if isinstance(label, QLabel):
            return label
        return next((lab for lab in self.findChildren(QLabel) if lab.buddy() is widget), None)

    def accept(self) -> None:
        if self.saving:
            return
        self.rechecking = bool(self._check())
        if self.rechecking:
            return
        doubts = self.doubts()
        if doubts:
            self._ask_doubts(doubts)
        else:
            self._save()

    def _ask_doubts(self, doubts: list[str]) -> None:
        """Ask before saving something unusual; Go back (the default) keeps the form as typed."""
        text = "\n".join(doubts) + "\n\nSave it as it is?"
        box = QMessageBox(QMessageBox.Icon.Question, "Check before saving", text, parent=self)
        box.setObjectName("doubts")
        save = box.addButton("&Save anyway", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("&Go back", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.finished.connect(lambda _r: self._save() if box.clickedButton() is save else None)
        box.open()

    def _save(self) -> None:
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
        self.show_problems(exc.problems if isinstance(exc, InvalidFields) else [error_text(exc)])
        if isinstance(exc, ConflictError):
            self.ask_reload(str(exc))

    def ask_reload(self, text: str) -> None:
        """Say that somebody else saved first; the typed values stay unless the user chooses Reload."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Changed by somebody else", text, parent=self)
        box.setObjectName("conflict")
        if self.reload_call() is None:  # a new record: there is no "their version" of it to read
            box.addButton(QMessageBox.StandardButton.Ok)
            box.open()
            return
        reload = box.addButton("&Reload their version", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Keep my typing", QMessageBox.ButtonRole.RejectRole)
        box.finished.connect(lambda _r: self.reload() if box.clickedButton() is reload else None)
        box.open()
