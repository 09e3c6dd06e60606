"""Fitting windows to the screen they open on: a 1366×768 force laptop, at 100%, 125% or 150% scaling.

Qt measures in device-independent pixels, so at 150% scaling a 1366×768 laptop with its taskbar
offers about 911×485 to a window. Every page sits in a scroll area (the main window does that) and
every dialog keeps its buttons outside a scrollable body and is never opened taller or wider than
the screen's free area: :func:`fit_to_screen` from the dialog's ``showEvent``.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

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


def scrolling(body: QWidget) -> QScrollArea:
    """``body`` in a frameless scroll area that grows with its window and scrolls when the window is smaller."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(body)
    return area
