"""A read-only table model over a list of frozen dataclasses a service returned, with sort and filter.

For lists a service computes (actions with their overdue flags, survey rounds with counts) rather
than raw table rows; it offers the same interface as :class:`PagedTableModel` so the same
:class:`rpdesk.gui.widgets.TablePanel` shows either.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from rpdesk.exports import neutralise
from rpdesk.outputs import write_aside
from rpdesk.progress import CheckFn, ProgressFn
from rpdesk.services.record_tables import cell_text

from rpdesk.gui.models.base import RowsModel


@dataclass(frozen=True)
class Field:
    """A column: heading and the attribute of the record it shows."""

    title: str
    attr: str
    numeric: bool = False
    fmt: Callable[[Any], str] = cell_text
    searchable: bool = True
    tip: str = ""


class RecordsModel(RowsModel):
    """Records (frozen dataclasses with an ``id``) shown through ``fields``; ``row_colour`` may tint rows."""

    def __init__(
        self,
        fields: Sequence[Field],
        *,
        row_colour: Callable[[Any], QColor | None] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(fields, row_colour, parent)
        self._all: list[Any] = []
        self._sort: tuple[int, bool] | None = None

    def set_records(self, records: Sequence[Any]) -> None:
        self._all = list(records)
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        words = self._filter.lower().split()
        rows = [
            r for r in self._all if all(any(w in self._text(r, f).lower() for f in self._searchable()) for w in words)
        ]
        if self._sort is not None:
            column, descending = self._sort
            attr = self.columns[column].attr
            rows.sort(key=lambda r: (getattr(r, attr) is None, getattr(r, attr) if getattr(r, attr) is not None else 0))
            if descending:
                rows.reverse()
        self._rows = rows
        self.endResetModel()

    def _searchable(self) -> list[Field]:
        return [f for f in self.columns if f.searchable]

    @staticmethod
    def _text(record: Any, field: Field) -> str:
        return field.fmt(getattr(record, field.attr))

    @property
    def total(self) -> int:
        return len(self._rows)

    @property
    def counted(self) -> bool:
        """Always: the records are all in memory."""
        return True

    def record(self, row: int) -> Any:
        return self._rows[row]

    def key_of(self, row: Any) -> Any:
        return row.id

    def cell_text(self, row: Any, column: int) -> str:
        return self._text(row, self.columns[column])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order == Qt.SortOrder.DescendingOrder) if 0 <= column < len(self.columns) else None
        self.reload()

    def export_csv(self, path: Path, progress: ProgressFn, check: CheckFn, *, marking: str | None = None) -> int:
        """Write the rows shown to ``path``, opened and closed by ``marking`` on a line of its own."""
        with write_aside(path) as aside, aside.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            if marking:
                writer.writerow([neutralise(marking)])
            writer.writerow([f.title for f in self.columns])
            for n, record in enumerate(self._rows):
                check()
                writer.writerow([neutralise(self._text(record, f)) for f in self.columns])
                progress((n + 1) / max(1, len(self._rows)), "")
            if marking:
                writer.writerow([neutralise(marking)])
        return len(self._rows)
