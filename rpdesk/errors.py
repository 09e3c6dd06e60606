"""Errors a user can cause and fix, as opposed to bugs.

The CLI prints these without a traceback and exits 3; the GUI shows them in a message box. Every
problem in an input file names the file, the row, the column, the value and what was expected, so
a sergeant can open the file and put it right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class UserError(Exception):
    """Something the user asked for cannot be done as asked; the message says why and what to do."""


class ConflictError(UserError):
    """Somebody else changed the row since it was read; nothing was written."""


class DatabaseRefused(UserError):
    """The database cannot be opened safely (newer, corrupt or not a database); it was not touched."""


class DatabaseMissing(UserError):
    """The database named does not exist (or holds nothing) and the command only opens existing ones."""


class Cancelled(Exception):
    """The user cancelled a long task; its transaction was rolled back."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file. ``row`` counts as a spreadsheet shows it (header = row 1)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        got = "" if self.value is None else f": got {shown(self.value)}"
        return f"{where}{got}; expected {self.expected}"


SHOWN_CHARS = 80


def shown(value: str, limit: int = SHOWN_CHARS) -> str:
    """A value quoted for a message, cut to a readable length: a 10 MB cell is never echoed whole."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}... ({len(value):,} characters)"


def cut(value: str, limit: int = SHOWN_CHARS) -> str:
    """A value cut to a readable length for a table cell (unquoted), saying how long it was."""
    return value if len(value) <= limit else f"{value[:limit]}... ({len(value):,} characters)"


class InputRejected(UserError):
    """An input was refused whole; ``problems`` lists every problem found, not only the first."""

    def __init__(self, problems: Sequence[Problem], *, limit: int = 200) -> None:
        self.problems = list(problems)
        shown = [str(p) for p in self.problems[:limit]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more problems")
        head = f"{len(self.problems)} problem(s) found; nothing was written:"
        super().__init__("\n".join([head, *shown]))
