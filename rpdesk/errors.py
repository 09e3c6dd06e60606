"""Errors a user can cause and fix, as opposed to bugs.

The CLI prints these without a traceback and exits 3; the GUI shows them in a message box. Every
problem in an input file names the file, the row, the column, the value and what was expected, so
a sergeant can open the file and put it right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class UserError(Exception):
    """Something the user asked for cannot be done as asked; the message says why and what to do."""


class ConflictError(UserError):
    """Somebody else changed the row since it was read; nothing was written."""


class DatabaseRefused(UserError):
    """The database cannot be opened safely (newer, corrupt or not a database); it was not touched."""


class KeyMissing(DatabaseRefused):
    """The database is encrypted (or is to be) and no key was found or given; nothing was opened or made."""


class KeyRefused(DatabaseRefused):
    """The key given does not open the encrypted database; nothing was changed."""


class DatabaseMissing(UserError):
    """The database named does not exist (or holds nothing) and the command only opens existing ones."""


class UnusualDates(UserError):
    """An input's dates look mistyped (they would stretch a survey round far); imported only when confirmed."""


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with a record as typed: the field (its argument name) and, in user words, what is expected.

    The words name the field as a user knows it and carry no program's own hint: the CLI adds its
    option (:meth:`InvalidFields.text`), a form shows them as they are.
    """

    field: str
    text: str

    def __str__(self) -> str:
        return self.text


class InvalidFields(UserError):
    """A record the rules refuse; ``problems`` lists every problem, not only the first.

    With a ``heading`` the problems are listed below it, one a line; without, they run on as sentences.
    """

    def __init__(self, problems: Sequence[FieldProblem], heading: str = "") -> None:
        self.problems = tuple(problems)
        self.heading = heading
        super().__init__(self._joined([p.text for p in self.problems]))

    def text(self, options: Mapping[str, str]) -> str:
        """The problems with the option that sets each field, e.g. "... residents will see (--control-signal).".

        A field named ``group.key`` (one of several, e.g. ``passed_over.speeding``) takes the option
        given for ``group``, with ``{key}`` filled in (``"--pass-over {key}=..."``).
        """
        return self._joined([_with_option(p.text, _option(p.field, options)) for p in self.problems])

    def _joined(self, texts: list[str]) -> str:
        return self.heading + "\n  " + "\n  ".join(texts) if self.heading else " ".join(texts)


def _option(field: str, options: Mapping[str, str]) -> str | None:
    if field in options:
        return options[field]
    group, _, key = field.partition(".")
    return options[group].format(key=key) if key and group in options else None


def _with_option(text: str, option: str | None) -> str:
    if option is None:
        return text
    body, stop = (text[:-1], ".") if text.endswith(".") else (text, "")
    return f"{body} ({option}){stop}"


def refuse(problems: Sequence[FieldProblem]) -> None:
    """Raise :class:`InvalidFields` when there is any problem: how a service applies a rule it shares with a form."""
    if problems:
        raise InvalidFields(problems)


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


@dataclass(frozen=True)
class ProblemGroup:
    """Problems alike in all but where: the same value refused for the same reason in several cells.

    A form export with an answer wording the importer does not know repeats it in every row, so one
    line ("70 cells in 3 columns use 'A small problem' ...") says what hundreds of lines would.
    """

    file: str
    value: str | None
    expected: str
    cells: tuple[tuple[int | None, str | None], ...]  # (row, column) of each problem, in file order

    @property
    def rows(self) -> list[int]:
        return sorted({row for row, _ in self.cells if row is not None})

    @property
    def columns(self) -> list[str]:
        return list(dict.fromkeys(column for _, column in self.cells if column))

    @property
    def where(self) -> str:
        """Row and column as a table cell shows them: "3" / "date", or "2-25, 27" / "3 columns"."""
        return row_ranges(self.rows)

    def __str__(self) -> str:
        if len(self.cells) == 1:
            row, column = self.cells[0]
            return str(Problem(self.file, row, column, self.value, self.expected))
        columns = ", ".join(f"'{c}'" for c in self.columns)
        count = f"{len(self.columns)} columns ({columns})" if len(self.columns) > 1 else f"column {columns}"
        what = "are blank" if self.value == "" else f"hold {shown(self.value or '')}"
        return f"{self.file}: {len(self.cells)} cells in {count} {what} (rows {self.where}); expected {self.expected}"


def row_ranges(rows: Sequence[int], limit: int = 8) -> str:
    """Sorted row numbers as runs ("2-25, 27, 30-31"), the first ``limit`` runs and how many more rows."""
    runs: list[list[int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs[:limit])
    rest = sum(b - a + 1 for a, b in runs[limit:])
    return text + (f" and {rest} more" if rest else "")


def group_problems(problems: Sequence[Problem]) -> list[ProblemGroup]:
    """The problems with one group per value refused for one reason, in the order first met.

    Problems without a value (a missing column, a file-level refusal) are each their own group.
    """
    groups: dict[object, list[Problem]] = {}
    for index, problem in enumerate(problems):
        key = (problem.file, problem.value, problem.expected) if problem.value is not None else index
        groups.setdefault(key, []).append(problem)
    return [
        ProblemGroup(first[0].file, first[0].value, first[0].expected, tuple((p.row, p.column) for p in first))
        for first in groups.values()
    ]


class InputRejected(UserError):
    """An input was refused whole; ``problems`` lists every problem found, not only the first.

    The message lists them grouped (:func:`group_problems`), so a value repeated down a column is
    one line; the GUI's problem table shows the same groups.
    """

    def __init__(self, problems: Sequence[Problem], *, limit: int = 200) -> None:
        self.problems = list(problems)
        groups = group_problems(self.problems)
        shown = [str(g) for g in groups[:limit]]
        more = sum(len(g.cells) for g in groups[limit:])
        if more > 0:
            shown.append(f"... and {more} more problems")
        head = f"{len(self.problems)} problem(s) found; nothing was written:"
        super().__init__("\n".join([head, *shown]))
