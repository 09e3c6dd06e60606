"""What every rpdesk table model shares: rows held as plain values, shown through column specs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from rpdesk.gui.theme import readable_on

Index = QModelIndex | QPersistentModelIndex
#: Cells longer than this show their whole text as a tooltip (columns may clip them).
TIP_AFTER = 24


class RowsModel(QAbstractTableModel):
    """Read-only rows (tuples or frozen dataclasses) under ``columns`` (each with ``title``, ``numeric``, ``tip``).

    Subclasses fill ``_rows`` and say how a cell reads (:meth:`cell_text`) and what identifies a row
    (:meth:`key_of`); ``row_colour`` may tint a whole row.
    """

    def __init__(self, columns: Sequence[Any], row_colour: Callable[[Any], QColor | None] | None, parent: Any) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._row_colour = row_colour
        self._filter = ""

    def reload(self) -> None:
        """Show the rows again under the current filter and sort order."""
        raise NotImplementedError

    def set_filter(self, text: str) -> None:
        """Keep the rows containing every word of ``text`` (in any searchable column)."""
        if text.strip() != self._filter:
            self._filter = text.strip()
            self.reload()

    def cell_text(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def key_of(self, row: Any) -> Any:
        raise NotImplementedError

    def key_at(self, row: int) -> Any:
        return self.key_of(self._rows[row])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self.columns):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.cell_text(row, index.column())
            return text if len(text) > TIP_AFTER else None
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[index.column()].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and self._row_colour is not None:
            colour = self._row_colour(row)
            if colour is None:
                return None
            # a tinted row's text is black or white by contrast, so it reads under a dark or high-contrast theme
            return QBrush(colour if role == Qt.ItemDataRole.BackgroundRole else readable_on(colour))
        if role == Qt.ItemDataRole.UserRole:
            return self.key_of(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tip:
            return self.columns[section].tip
        return None
