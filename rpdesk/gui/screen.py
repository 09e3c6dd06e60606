"""Fitting windows to the screen they open on: a 1366×768 force laptop, at 100%, 125% or 150% scaling.

Qt measures in device-independent pixels, so at 150% scaling a 1366×768 laptop with its taskbar
offers about 911×485 to a window. Every page sits in a scroll area (the main window does that) and
every dialog keeps its buttons outside a scrollable body and is never opened taller or wider than
the screen's free area: a dialog takes :class:`FitsScreen`, which calls :func:`fit_to_screen` as it shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QWidget
from shiboken6 import isValid

#: Room left around a dialog for its title bar and borders, which its own geometry does not include.
DIALOG_FRAME = (16, 40)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The area a window may use on ``widget``'s screen: the whole screen less the taskbar (and docks, panels)."""
    screen = (widget.screen() if widget is not None else None) or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect()


def fit_to_screen(window: QWidget) -> None:
    """Shrink ``window`` (a dialog about to show) into the free area of its screen and keep it there.

    The window's minimum size is lowered to what the screen offers, so a body in a scroll area
    scrolls instead of pushing the buttons off the bottom; the window moves back inside when part
    of it would be past an edge.
    """
    room = available_geometry(window)
    if room.isEmpty():
        return
    width, height = room.width() - DIALOG_FRAME[0], room.height() - DIALOG_FRAME[1]
    window.setMaximumSize(width, height)
    minimum = window.minimumSize()
    window.setMinimumSize(min(minimum.width(), width), min(minimum.height(), height))
    window.resize(min(window.width(), width), min(window.height(), height))
    frame = window.frameGeometry()
    left = min(max(frame.left(), room.left()), room.right() + 1 - frame.width())
    top = min(max(frame.top(), room.top()), room.bottom() + 1 - frame.height())
    if (left, top) != (frame.left(), frame.top()):
        window.move(max(room.left(), left), max(room.top(), top))


class FitsScreen:
    """A dialog (put first among its bases) fitted into its screen's free area each time it is shown."""

    def showEvent(self, event: QShowEvent) -> None:
        fit_to_screen(self)  # type: ignore[arg-type]  # a mixin of QWidget subclasses
        super().showEvent(event)  # type: ignore[misc]


class ScrollingBody(QScrollArea):
    """A frameless scroll area that grows with its window, scrolls when the window is smaller, and keeps the
    focused field in view, also one inside a scroll area of its own (a paper form's list of issues), which
    QScrollArea alone does not follow."""

    def __init__(self, body: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(body)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop of its own
        # one timer of the body's own: a single-shot timer made per focus change and let go by Python
        # could be collected on a database thread, which crashes shiboken
        self._field: QWidget | None = None
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self._show_later)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            follow = self._follower()
            app.focusChanged.connect(follow)
            self.destroyed.connect(lambda _obj=None: app.focusChanged.disconnect(follow))

    def _follower(self) -> Callable[[QWidget | None, QWidget | None], None]:
        def follow(_old: QWidget | None, new: QWidget | None) -> None:
            if new is not None and self._holds(new):
                # after an inner scroll area has scrolled to the field, which it does after the focus moved
                self._field = new
                self._later.start()

        return follow

    def _show_later(self) -> None:
        field, self._field = self._field, None
        if field is not None:
            self._show(field)

    def _show(self, field: QWidget) -> None:
        if self._holds(field):
            self.ensureWidgetVisible(field)

    def _holds(self, field: QWidget) -> bool:
        """Whether ``field`` is in this body (both still alive: a dialog may have closed meanwhile)."""
        if not (isValid(self) and isValid(field)):
            return False
        body = self.widget()
        return body is not None and body.isAncestorOf(field)


def scrolling(body: QWidget) -> QScrollArea:
    """``body`` in a :class:`ScrollingBody`."""
    return ScrollingBody(body)
