"""The one date field of every form: typed in UK order from empty, with a calendar that opens where it matters.

Qt's QDateEdit edits a date section by section, so typing 15/01/2027 into an emptied field gave
"none5012027", an empty optional date trapped Tab, and its calendar opened on January 2000. This
field is a plain line edit: what is typed is read by :func:`rpdesk.domain.dates.parse_typed` (the
same rule for every form), put back as dd/mm/yyyy when the field is left, and an optional date is
cleared by emptying it. The calendar (the arrow, Alt+Down or F4) opens on the date typed, else on
today, or on the dates of what the field belongs to (a survey round) when today is outside them.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QToolButton, QWidget

from rpdesk.domain.dates import EXPECTED, DateTypingError, Span, doubts, parse_typed, shown


def _opens_calendar(event: QKeyEvent) -> bool:
    """Alt+Down or F4, as on a combo box."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    key = event.key()
    return (key == Qt.Key.Key_Down and mods == Qt.KeyboardModifier.AltModifier) or (
        key == Qt.Key.Key_F4 and mods == Qt.KeyboardModifier.NoModifier
    )


#: What every date field's tooltip says.
HOW = f"Type {EXPECTED}; Alt+Down opens the calendar"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateField(QWidget):
    """A date typed as dd/mm/yyyy or picked from a calendar; ``optional`` fields may be left empty.

    Signals:
        changed(): the text was edited or a day was picked.

    Attributes:
        edit: the line edit (focus goes to it; screen readers read its name).
        button: the calendar button (out of the Tab chain: Alt+Down or F4 open the calendar).
        calendar: the pop-up calendar.
    """

    changed = Signal()

    def __init__(self, day: dt.date | None = None, *, optional: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optional = optional
        self.span: Span | None = None
        self._last = day or dt.date.today()
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("dd/mm/yyyy" + (" or leave empty" if optional else ""))
        self.edit.setClearButtonEnabled(optional)
        self.edit.setToolTip(HOW)
        self.edit.installEventFilter(self)
        self.edit.textEdited.connect(lambda _t: self.changed.emit())
        self.edit.editingFinished.connect(self._tidy)
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        # A window of its own: made a pop-up as a child, it would cut the field out of the form's Tab chain.
        self.calendar = QCalendarWidget()
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.destroyed.connect(self.calendar.deleteLater)
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.set_date(day if optional else self._last)

    # --- value ----------------------------------------------------------------------------------

    def _typed(self) -> dt.date | None:
        """The date typed, None when empty or not a date (:meth:`problem` says which)."""
        try:
            return parse_typed(self.edit.text())
        except DateTypingError:
            return None

    def date(self) -> dt.date | None:
        """The date typed; None when empty or not a date (a required field then keeps its last date)."""
        day = self._typed()
        if day is None and not self.optional:
            return self._last
        return day

    def problem(self) -> str | None:
        """What is wrong with the text typed, naming the field (None when it is a date or may be empty)."""
        name = self.accessibleName() or "Date"
        try:
            day = parse_typed(self.edit.text())
        except DateTypingError as exc:
            return f"{name}: {exc}."
        if day is None and not self.optional:
            return f"{name}: type {EXPECTED}."
        return None

    def set_date(self, day: dt.date | None) -> None:
        """Show ``day`` (None empties an optional field)."""
        if day is not None:
            self._last = day
        self.edit.setText(shown(day) if day else "")

    def set_span(self, span: Span | None) -> None:
        """What the date belongs within (e.g. the round's dates).

        The calendar opens within the span when today is outside it; :meth:`doubts` asks about a date outside it.
        """
        self.span = span

    def doubts(self) -> list[str]:
        """Why the date typed deserves a second look before saving (see :func:`rpdesk.domain.dates.doubts`)."""
        day = self._typed()
        if day is None:
            return []
        name = self.accessibleName() or "Date"
        found = doubts(day, today=dt.date.today(), span=self.span)
        return [f"{name}: {d}" for d in found]

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)
        self.button.setAccessibleName(f"{name}: open the calendar")
        self.calendar.setAccessibleName(f"{name}: calendar")

    # --- calendar -------------------------------------------------------------------------------

    def opening_day(self) -> dt.date:
        """Where the calendar opens: the date typed, else today, else the start of the span today is outside."""
        typed = self._typed()
        if typed is not None:
            return typed
        today = dt.date.today()
        if self.span is None or self.span.holds(today):
            return today
        return self.span.end if self.span.end and today > self.span.end else self.span.start or today

    def open_calendar(self) -> None:
        day = _qdate(self.opening_day())
        self.calendar.setSelectedDate(day)
        self.calendar.setCurrentPage(day.year(), day.month())
        self.calendar.adjustSize()
        self.calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar.show()
        self.calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        self.calendar.hide()
        self.set_date(dt.date(day.year(), day.month(), day.day()))
        self.edit.setFocus()
        self.changed.emit()

    def _tidy(self) -> None:
        """Put a typed date back as dd/mm/yyyy (15/1/27 shows as 15/01/2027), or say at once what is wrong.

        What is wrong goes in the tooltip and the accessible description (a screen reader reads it on
        return to the field); the form lists it again when saving.
        """
        day = self._typed()
        if day is not None:
            self.set_date(day)
        problem = self.problem()
        self.edit.setToolTip(problem or HOW)
        self.edit.setAccessibleDescription(problem or "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if _opens_calendar(event):
                self.open_calendar()
                return True
        return super().eventFilter(watched, event)
