"""The displays a force laptop user may have: 1366×768 at 100%, 125% and 150% scaling, large text, high contrast.

Qt lays windows out in device-independent pixels: ``QT_SCALE_FACTOR=1.5`` (or Windows' 150%) turns a
1366×768 screen into 911×512 of them while a 9 pt font keeps its size in them (test_screen checks
the premise for real in a subprocess). So a scale is tried in one process as the laptop's free area
(less a 40-pixel taskbar) divided by the scale, and large text as a 13.5 pt application font on the
unscaled laptop; high contrast is Windows' "High Contrast Black" palette, role by role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPalette

from tests.gui.conftest import app_font

import rpdesk.gui.main_window as main_window
from rpdesk.gui import screen

#: A 1366×768 laptop's height less its taskbar.
LAPTOP_WIDTH, LAPTOP_HEIGHT, TASKBAR = 1366, 768, 40
#: name -> (scale factor, application font in points or None for the default 9 pt)
DISPLAYS = {"100%": (1.0, None), "125%": (1.25, None), "150%": (1.5, None), "13.5pt": (1.0, 13.5)}
#: Windows' "High Contrast Black" theme, role by role.
HIGH_CONTRAST = {
    QPalette.ColorRole.Window: "#000000",
    QPalette.ColorRole.WindowText: "#ffffff",
    QPalette.ColorRole.Base: "#000000",
    QPalette.ColorRole.AlternateBase: "#000000",
    QPalette.ColorRole.Text: "#ffffff",
    QPalette.ColorRole.Button: "#000000",
    QPalette.ColorRole.ButtonText: "#ffffff",
    QPalette.ColorRole.Highlight: "#1aebff",
    QPalette.ColorRole.HighlightedText: "#000000",
    QPalette.ColorRole.PlaceholderText: "#ffff00",
}


@dataclass(frozen=True)
class Display:
    name: str
    room: QRect


def free_area(scale: float) -> QRect:
    """The laptop's free area (screen less taskbar) in device-independent pixels at ``scale``."""
    return QRect(0, 0, round(LAPTOP_WIDTH / scale), round((LAPTOP_HEIGHT - TASKBAR) / scale))


@contextmanager
def on_display(name: str, qapp, monkeypatch) -> Iterator[Display]:
    """The laptop at display ``name``: its free area as the screen's, and the application font."""
    scale, points = DISPLAYS[name]
    room = free_area(scale)
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: room)
    monkeypatch.setattr(main_window, "available_geometry", lambda _widget=None: room)
    with app_font(qapp, points):
        yield Display(name, room)


@contextmanager
def high_contrast_palette(qapp) -> Iterator[QPalette]:
    """The application under the high-contrast palette, restored afterwards."""
    before = QPalette(qapp.palette())
    palette = QPalette(before)
    for role, colour in HIGH_CONTRAST.items():
        palette.setColor(role, QColor(colour))
    qapp.setPalette(palette)
    try:
        yield palette
    finally:
        qapp.setPalette(before)
