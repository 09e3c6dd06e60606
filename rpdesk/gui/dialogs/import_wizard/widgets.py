"""What every page of the import wizard shares: page ids, the table helpers and the matching pages' layout."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rpdesk.gui.keyboard import configure_table

#: Page ids, in the order the wizard shows them (a roster or police.uk file skips the matching pages,
#: EVA findings the answers page).
CHOOSE, PREVIEW, MAPPING, ANSWERS, CHECK, IMPORT = range(6)
#: The kinds of file whose columns (and answers) the user matches; the others have a fixed layout.
MAPPED_KINDS = ("surveys", "audits")


def table(headers: Sequence[str], name: str) -> QTableWidget:
    """A read-only, row-selecting table with the wizard's look."""
    widget = QTableWidget(0, len(headers))
    widget.setHorizontalHeaderLabels(list(headers))
    widget.setAccessibleName(name)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setAlternatingRowColors(True)
    widget.verticalHeader().hide()
    widget.verticalHeader().setDefaultSectionSize(widget.fontMetrics().height() + 10)
    widget.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    widget.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
    configure_table(widget)  # Tab moves on to the next control (and through a row's choices), not cell by cell
    return widget


def fill(widget: QTableWidget, rows: Sequence[Sequence[Any]]) -> None:
    """Put ``rows`` into ``widget`` as text, each cell's whole text also in its tooltip."""
    widget.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setToolTip(item.text())
            widget.setItem(r, c, item)


def note(text: str = "", style: str = "") -> QLabel:
    """A wrapping, selectable status line (a user can copy a message into an e-mail to IT)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return label


def matching_layout(
    page: QWidget, headers: Sequence[str], name: str, stretch: int, button: QPushButton
) -> tuple[QLabel, QTableWidget]:
    """A matching page's status line (the whole width: it wraps), its file button, then a table of choices.

    Column ``stretch`` takes the spare width (the one with the longest texts); the others can be resized.
    """
    status = note()
    choices = table(headers, name)
    choices.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    header = choices.horizontalHeader()
    for column in range(len(headers)):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.Interactive
        header.setSectionResizeMode(column, mode)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button)
    layout = QVBoxLayout(page)
    layout.addWidget(status)
    layout.addLayout(row)
    layout.addWidget(choices, 1)
    return status, choices
