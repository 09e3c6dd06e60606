"""Colours that stay readable under any palette, the high-contrast themes of Windows and Linux included.

rpdesk's few colours (overdue rows, alert figures, problem messages, charts) are chosen against the
palette in use rather than assumed to sit on white: text on a tinted row is black or white,
whichever contrasts more (WCAG 2 contrast ratio, 4.5:1 is the bar for body text), and an alert
colour is a dark red on a light window and a light red on a dark one.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

#: WCAG 2's minimum contrast ratio for body text.
READABLE = 4.5
ALERT_ON_LIGHT = QColor("#b00020")
ALERT_ON_DARK = QColor("#ff8a80")
WARN_ON_LIGHT = QColor("#8a4b00")
WARN_ON_DARK = QColor("#ffcc80")
OK_ON_LIGHT = QColor("#1b5e20")
OK_ON_DARK = QColor("#a5d6a7")
#: How far secondary ("quiet") text moves from the text colour towards the background.
QUIET = 0.35


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of ``colour`` (0 black … 1 white)."""
    return 0.2126 * _linear(colour.redF()) + 0.7152 * _linear(colour.greenF()) + 0.0722 * _linear(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 … 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_on(background: QColor) -> QColor:
    """Black or white text, whichever reads better on ``background``."""
    black, white = QColor("black"), QColor("white")
    return black if contrast(black, background) >= contrast(white, background) else white


def palette() -> QPalette:
    """The application's palette (the system theme's, high contrast included)."""
    return QApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    """Whether the window background is dark (a dark or high-contrast theme)."""
    return luminance((pal or palette()).color(QPalette.ColorRole.Window)) < 0.2


def alert_colour(pal: QPalette | None = None) -> QColor:
    """A red that reads on the palette's window background."""
    return ALERT_ON_DARK if is_dark(pal) else ALERT_ON_LIGHT


def alert_style(pal: QPalette | None = None, bold: bool = False) -> str:
    """A style sheet colouring text as an alert (problems, figures past a threshold) on this palette."""
    return f"color: {alert_colour(pal).name()};" + (" font-weight: bold;" if bold else "")


def warn_style(pal: QPalette | None = None) -> str:
    """A bold amber-brown for a finding that needs reading (a reassurance gap claimed) on this palette."""
    return f"color: {(WARN_ON_DARK if is_dark(pal) else WARN_ON_LIGHT).name()}; font-weight: bold;"


def ok_style(pal: QPalette | None = None) -> str:
    """A style sheet colouring text as good news (a file that passed its check) on this palette."""
    return f"color: {(OK_ON_DARK if is_dark(pal) else OK_ON_LIGHT).name()};"


def quiet_colour(pal: QPalette | None = None) -> QColor:
    """Secondary text: the text colour moved a little towards the background, so still readable (≥ 4.5:1)."""
    pal = pal or palette()
    ink, ground = pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window)
    return QColor.fromRgbF(*(a + (b - a) * QUIET for a, b in zip(_rgb(ink), _rgb(ground), strict=True)))


def _rgb(colour: QColor) -> tuple[float, float, float]:
    return colour.redF(), colour.greenF(), colour.blueF()


def quiet_style(pal: QPalette | None = None) -> str:
    """A style sheet for secondary text (figures beside a choice, caveats) on this palette."""
    return f"color: {quiet_colour(pal).name()};"


def mark_problems(label: QLabel) -> None:
    """Style ``label`` as the place a form lists its problems (alert colour of the label's palette)."""
    label.setObjectName("problems")
    label.setStyleSheet(alert_style(label.palette()))
    label.setWordWrap(True)
