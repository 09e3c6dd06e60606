"""A heading row wraps its buttons onto a second line when the page is narrow, and keeps them on screen."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from rpdesk.gui.flow import FlowLayout


def _row(qtbot) -> tuple[QWidget, QLabel, list[QPushButton]]:
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowLayout(host)
    heading = QLabel("Signals & Priorities — Ashfield")
    buttons = [QPushButton(text) for text in ("Rank period", "Snapshot", "Adopt priorities…")]
    layout.addWidget(heading)
    layout.addStretch(1)
    for button in buttons:
        layout.addWidget(button)
    host.show()
    return host, heading, buttons


def test_one_line_when_wide_with_the_buttons_at_the_right_end(qtbot):
    host, heading, buttons = _row(qtbot)
    host.resize(host.layout().sizeHint().width() + 200, 60)
    qtbot.wait(10)
    assert {b.geometry().top() for b in buttons} == {buttons[0].geometry().top()}
    assert buttons[-1].geometry().right() >= host.width() - 12  # pushed right, as after a box layout's stretch
    assert heading.geometry().left() <= 12


def test_wraps_when_narrow_and_nothing_passes_the_right_edge(qtbot):
    host, heading, buttons = _row(qtbot)
    width = heading.sizeHint().width() + buttons[0].sizeHint().width() + 30
    host.resize(width, 200)
    qtbot.wait(10)
    assert len({w.geometry().top() for w in (heading, *buttons)}) >= 2
    assert all(w.geometry().right() <= host.width() for w in (heading, *buttons))
    assert host.layout().heightForWidth(width) > host.layout().sizeHint().height()  # taller when wrapped
    assert host.layout().minimumSize().width() <= max(w.minimumSizeHint().width() for w in (heading, *buttons)) + 30
