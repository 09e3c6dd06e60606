"""A read-only table model over a SQLAlchemy query that fetches rows lazily, sorts and filters.

Rows are plain tuples, fetched a page at a time as the view scrolls (``canFetchMore``/``fetchMore``),
so a million-row abstraction log opens at once: opening reads one page, and there is more while the
last page came back full. Counting every matching row can take seconds on a large table, so the
count is a separate call (:meth:`QueryTableModel.count_rows`) that the table panel runs on the
database thread. When sorted by the key column, pages are read by keyset (``key > last``), which
stays fast however deep the user scrolls; other sort orders use offset paging. Give a large table a
``default_sort`` the database can serve from an index (e.g. the abstraction log by date, through
``ix_duty_record_ward_date``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

from rpdesk.db.database import Database
from rpdesk.exports import neutralise
from rpdesk.outputs import write_aside
from rpdesk.progress import CheckFn, ProgressFn

from rpdesk.gui.models.base import Index, RowsModel

PAGE = 256
#: A column expression or a mapped attribute (``Officer.name``).
Expr = ColumnElement[Any] | QueryableAttribute[Any]


def cell_text(value: Any) -> str:
    """How a value reads in a table cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Enum):
        return str(value.value).replace("_", " ")
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d %b %Y")
    return str(value)


@dataclass(frozen=True)
class Column:
    """One column: its heading, the SQL expression it shows, and how to show it.

    Attributes:
        searchable: whether the filter box matches text in this column.
        fmt: turns the raw value into the cell text.
    """

    title: str
    expr: Expr
    searchable: bool = False
    numeric: bool = False
    fmt: Callable[[Any], str] = cell_text
    tip: str = ""


RowColour = Callable[[tuple[Any, ...]], QColor | None]


class QueryTableModel(RowsModel):
    """Rows of ``base`` (a SELECT with its FROM and WHERE, no columns needed) shown through ``columns``.

    The first selected expression is always ``key`` (a unique id); it is kept at position 0 of each
    row tuple and is not shown. ``row_colour`` may tint a row (e.g. overdue actions).
    """

    def __init__(
        self,
        database: Database,
        columns: Sequence[Column],
        key: Expr,
        base: Callable[[Select[Any]], Select[Any]],
        *,
        row_colour: RowColour | None = None,
        newest_first: bool = False,
        default_sort: tuple[int, bool] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(columns, row_colour, parent)
        self.database = database
        self.key = key
        self._base = base
        self._exhausted = True
        self._counted: int | None = None
        #: Bumped on every reload, so a count started before a new filter or sort is not applied after it.
        self.generation = 0
        #: Rows read per fetch: enough to fill a tall view, little enough to read in a few milliseconds.
        self.page_size = PAGE
        #: (column, descending) used when the header shows no sort indicator.
        self._default = default_sort or (-1, newest_first)
        self._sort_column, self._descending = self._default

    # --- the query -----------------------------------------------------------------------------

    def _where(self, stmt: Select[Any]) -> Select[Any]:
        stmt = self._base(stmt)
        words = self._filter.split()
        searchable = [c.expr for c in self.columns if c.searchable]
        for word in words:
            pattern = f"%{word.lower()}%"
            stmt = stmt.where(or_(*(func.lower(cast(e, String)).like(pattern) for e in searchable)))
        return stmt

    def _select(self) -> Select[Any]:
        return self._where(select(self.key, *(c.expr for c in self.columns)))

    def _ordered(self, stmt: Select[Any]) -> Select[Any]:
        if self._sort_column < 0:
            return stmt.order_by(self.key.desc() if self._descending else self.key)
        expr = self.columns[self._sort_column].expr
        if self._descending:
            return stmt.order_by(expr.desc(), self.key.desc())
        return stmt.order_by(expr, self.key)

    def _page(self, start: int, size: int) -> list[tuple[Any, ...]]:
        stmt = self._select()
        if self._sort_column < 0 and self._rows:  # keyset: stays fast at any depth
            last = self._rows[-1][0]
            stmt = stmt.where(self.key < last if self._descending else self.key > last)
            stmt = self._ordered(stmt).limit(size)
        else:
            stmt = self._ordered(stmt).offset(start).limit(size)
        with self.database.session() as session:
            return [tuple(r) for r in session.execute(stmt)]

    def reload(self) -> None:
        """Read the first page again (after a change, a sort or a filter); the count is forgotten."""
        self.beginResetModel()
        self.generation += 1
        self._rows = []
        self._rows = self._page(0, self.page_size)
        self._exhausted = len(self._rows) < self.page_size
        self._counted = len(self._rows) if self._exhausted else None
        self.endResetModel()

    def count_rows(self) -> int:
        """How many rows match, by a query of its own (safe on the database thread; may take a while)."""
        with self.database.session() as session:
            return int(session.scalar(select(func.count()).select_from(self._select().subquery())) or 0)

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
        rows = self._page(start, self.page_size)
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
            self._sort_column, self._descending = column, order == Qt.SortOrder.DescendingOrder
        else:
            self._sort_column, self._descending = self._default
        self.reload()

    # --- helpers for pages ---------------------------------------------------------------------

    def row_tuple(self, row: int) -> tuple[Any, ...]:
        """The raw values of a fetched row: ``(key, *columns)``."""
        return self._rows[row]

    def key_of(self, row: tuple[Any, ...]) -> Any:
        return row[0]

    def cell_text(self, row: tuple[Any, ...], column: int) -> str:
        return self.columns[column].fmt(row[column + 1])

    def export_csv(self, path: Path, progress: ProgressFn, check: CheckFn, *, marking: str | None = None) -> int:
        """Write every matching row (not only the fetched ones) to ``path``; safe to run off the GUI thread.

        A ``marking`` opens and closes the file on a line of its own, as every export's does.
        """
        stmt = self._ordered(self._select())
        count = 0
        with (
            self.database.session() as session,
            write_aside(path) as aside,
            aside.open("w", newline="", encoding="utf-8-sig") as fh,
        ):
            writer = csv.writer(fh)
            if marking:
                writer.writerow([neutralise(marking)])
            writer.writerow([c.title for c in self.columns])
            for row in session.execute(stmt.execution_options(yield_per=2000)):
                writer.writerow([neutralise(c.fmt(v)) for c, v in zip(self.columns, row[1:], strict=True)])
                count += 1
                if count % 2000 == 0:
                    check()
                    progress(count / max(1, self.total), f"{count:,} rows")
            if marking:
                writer.writerow([neutralise(marking)])
        return count
