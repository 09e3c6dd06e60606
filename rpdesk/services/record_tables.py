"""Record tables: a large table of records read a page at a time, sorted and filtered, Qt-free.

A page shows a table that may hold a million rows (the abstraction log) through a
:class:`RecordSource`: the SELECT behind it, its columns with their headings and cell text, and
four reads: the first page, the next page, how many rows match, and every matching row for an
export. Rows come back as plain tuples ``(key, *values)`` (dates, numbers, strings, enum members),
never ORM objects, so they cross to the GUI thread safely. The GUI adapts a source to Qt's model
(:class:`rpdesk.gui.models.paged.PagedTableModel`); the CLI or a test can call the same reads.

Opening a table reads one page: nothing counts every row. Counting can take seconds on a large
table, so it is a read of its own (:meth:`RecordSource.count`) for the database thread. Sorted by the
key (the default unless the source names another order), pages are read by keyset
(``key > last``), which stays fast however deep the user scrolls; other orders use offset paging. Give
a large table a default order the database serves from an index (the abstraction log by date,
through ``ix_duty_record_ward_date``).

The tables the pages show are defined in :mod:`rpdesk.services.ward_tables`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

from rpdesk.db.database import Database
from rpdesk.exports import neutralise
from rpdesk.outputs import write_aside
from rpdesk.progress import CheckFn, ProgressFn

#: A column expression or a mapped attribute (``Officer.name``).
Expr = ColumnElement[Any] | QueryableAttribute[Any]
#: A table's row: its key, then one value per column.
Row = tuple[Any, ...]
#: Rows read per export batch (and between checks for cancelling).
EXPORT_BATCH = 2000


def cell_text(value: Any) -> str:
    """How a value reads in a table cell (and in its CSV export)."""
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
        searchable: whether the filter matches text in this column.
        fmt: turns the raw value into the cell text.
    """

    title: str
    expr: Expr
    searchable: bool = False
    numeric: bool = False
    fmt: Callable[[Any], str] = cell_text
    tip: str = ""


@dataclass(frozen=True)
class Order:
    """How rows are ordered: by a column (its index) or, with ``column`` -1, by the key."""

    column: int = -1
    descending: bool = False

    @property
    def by_key(self) -> bool:
        return self.column < 0


class RecordSource:
    """The rows of ``base`` (a SELECT given its FROM and WHERE) shown through ``columns``, keyed by ``key``.

    ``key`` is a unique id, read first in every row. ``default_order`` is the order shown when the
    user has chosen none (by the key, ascending, unless given).
    """

    def __init__(
        self,
        database: Database,
        columns: Sequence[Column],
        key: Expr,
        base: Callable[[Select[Any]], Select[Any]],
        *,
        default_order: Order | None = None,
    ) -> None:
        self.database = database
        self.columns = tuple(columns)
        self.key = key
        self._base = base
        self.default_order = default_order or Order()

    # --- the statement ---------------------------------------------------------------------------

    def _where(self, stmt: Select[Any], text: str) -> Select[Any]:
        stmt = self._base(stmt)
        searchable = [c.expr for c in self.columns if c.searchable]
        for word in text.split():
            pattern = f"%{word.lower()}%"
            stmt = stmt.where(or_(*(func.lower(cast(e, String)).like(pattern) for e in searchable)))
        return stmt

    def _select(self, text: str) -> Select[Any]:
        return self._where(select(self.key, *(c.expr for c in self.columns)), text)

    def _ordered(self, stmt: Select[Any], order: Order) -> Select[Any]:
        if order.by_key:
            return stmt.order_by(self.key.desc() if order.descending else self.key)
        expr = self.columns[order.column].expr
        if order.descending:
            return stmt.order_by(expr.desc(), self.key.desc())
        return stmt.order_by(expr, self.key)

    # --- the reads -------------------------------------------------------------------------------

    def page(self, order: Order, text: str, size: int, *, start: int = 0, after: Row | None = None) -> list[Row]:
        """Up to ``size`` rows matching every word of ``text``, in ``order``.

        The rows after ``after`` (the last row of the previous page), read by keyset when ordered by
        the key; otherwise the rows from position ``start``.
        """
        stmt = self._select(text)
        if order.by_key and after is not None:
            stmt = stmt.where(self.key < after[0] if order.descending else self.key > after[0])
            stmt = self._ordered(stmt, order).limit(size)
        else:
            stmt = self._ordered(stmt, order).offset(start).limit(size)
        with self.database.session() as session:
            return [tuple(r) for r in session.execute(stmt)]

    def count(self, text: str) -> int:
        """How many rows match every word of ``text`` (a query of its own: may take a while on a large table)."""
        with self.database.session() as session:
            return int(session.scalar(select(func.count()).select_from(self._select(text).subquery())) or 0)

    def cells(self, row: Row) -> list[str]:
        """The cell texts of a row, column by column."""
        return [c.fmt(v) for c, v in zip(self.columns, row[1:], strict=True)]

    def export_csv(
        self,
        path: Path,
        order: Order,
        text: str,
        progress: ProgressFn,
        check: CheckFn,
        *,
        marking: str | None = None,
        expected: int = 0,
    ) -> int:
        """Write every matching row, as the cells read, to ``path``; returns how many rows were written.

        A ``marking`` opens and closes the file on a line of its own, as every export's does;
        ``expected`` (rows known to match, if any) only scales the progress reported.
        """
        stmt = self._ordered(self._select(text), order)
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
            for row in session.execute(stmt.execution_options(yield_per=EXPORT_BATCH)):
                writer.writerow([neutralise(cell) for cell in self.cells(tuple(row))])
                count += 1
                if count % EXPORT_BATCH == 0:
                    check()
                    progress(count / max(1, expected, count), f"{count:,} rows")
            if marking:
                writer.writerow([neutralise(marking)])
        return count
