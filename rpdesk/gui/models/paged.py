"""A read-only Qt table model over a record source, fetching pages as the view scrolls.

The source (:class:`rpdesk.services.record_tables.RecordSource`) holds the statement and reads
pages; this model only adapts it to Qt: it keeps the user's filter and sort order, asks for one
page on open and the next one when the view scrolls to the end (``canFetchMore``/``fetchMore``), and
leaves counting to the table panel, which runs :meth:`PagedTableModel.count_rows` on the database
thread. So a million-row abstraction log opens at once: there is more while the last page came
back full.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from rpdesk.progress import CheckFn, ProgressFn
from rpdesk.services.record_tables import Order, RecordSource, Row

from rpdesk.gui.models.base import Index, RowsModel

PAGE = 256
RowColour = Callable[[Row], QColor | None]


class PagedTableModel(RowsModel):
    """The rows of ``source``, a page at a time; ``row_colour`` may tint a row (e.g. a finding that stands out).

    A row is the source's tuple ``(key, *values)``; the key identifies it and is not shown.
    """

    def __init__(self, source: RecordSource, *, row_colour: RowColour | None = None, parent: Any = None) -> None:
        super().__init__(source.columns, row_colour, parent)
        self.source = source
        self._exhausted = True
        self._counted: int | None = None
        #: Bumped on every reload, so a count started before a new filter or sort is not applied after it.
        self.generation = 0
        #: Rows read per fetch: enough to fill a tall view, little enough to read in a few milliseconds.
        self.page_size = PAGE
        self._order = source.default_order

    def _page(self, start: int) -> list[Row]:
        after = self._rows[-1] if self._rows else None
        return self.source.page(self._order, self._filter, self.page_size, start=start, after=after)

    def reload(self) -> None:
        """Read the first page again (after a change, a sort or a filter); the count is forgotten."""
        self.beginResetModel()
        self.generation += 1
        self._rows = []
        self._rows = self._page(0)
        self._exhausted = len(self._rows) < self.page_size
        self._counted = len(self._rows) if self._exhausted else None
        self.endResetModel()

    def count_rows(self) -> int:
        """How many rows match the filter, by a query of its own (safe on the database thread; may take a while)."""
        return self.source.count(self._filter)

    def set_count(self, count: int, generation: int) -> None:
        """Record the count :meth:`count_rows` found for ``generation`` (ignored if the rows were reloaded since)."""
        if generation == self.generation and self._counted is None:
            self._counted = count

    @property
    def total(self) -> int:
        """Rows matching the filter when known (counted, or all fetched), else the rows fetched so far."""
        return self._counted if self._counted is not None else len(self._rows)

    @property
    def counted(self) -> bool:
        return self._counted is not None

    # --- Qt model API --------------------------------------------------------------------------

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._exhausted:
            return
        start = len(self._rows)
        rows = self._page(start)
        self._exhausted = len(rows) < self.page_size
        if self._exhausted:
            self._counted = start + len(rows)
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns):
            self._order = Order(column, order == Qt.SortOrder.DescendingOrder)
        else:
            self._order = self.source.default_order
        self.reload()

    # --- helpers for pages ---------------------------------------------------------------------

    def row_tuple(self, row: int) -> Row:
        """The raw values of a fetched row: ``(key, *columns)``."""
        return self._rows[row]

    def key_of(self, row: Row) -> Any:
        return row[0]

    def cell_text(self, row: Row, column: int) -> str:
        return self.columns[column].fmt(row[column + 1])

    def export_csv(self, path: Path, progress: ProgressFn, check: CheckFn, *, marking: str | None = None) -> int:
        """Write every matching row (not only the fetched ones) to ``path``; safe to run off the GUI thread."""
        return self.source.export_csv(
            path, self._order, self._filter, progress, check, marking=marking, expected=self.total
        )
