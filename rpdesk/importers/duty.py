"""Duty roster files (CSV or XLSX) -> checked officer-days, or every problem in the file.

Layout, one row per officer-day (headers in any case, spaces allowed for underscores):

``date, officer, ward, rostered_hours, abstracted_hours, reason, authorised_by, note``

- ``officer`` is a collar number and ``ward`` an ONS ward code, both already in rpdesk.
- ``abstracted_hours`` may be blank or 0 (a day spent wholly on ward duties).
- ``reason`` is an abstraction reason when hours were abstracted, or an absence (annual_leave,
  sickness, rest_day, other_absence) for a day not on duty; blank otherwise. Codes or labels, any case.
- An absence day counts nowhere in the ring-fence, whatever its rostered hours, and has no abstraction.
- A day abstracted for two reasons takes a second row for the same officer and date, with the same
  ward and rostered hours; together the rows may not abstract more than the rostered hours.

Nothing is read half: every problem is listed (file, row, column, value, what was expected).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rpdesk.domain.ringfence import VALID_ABSENCES, VALID_REASONS, find_absence, find_reason
from rpdesk.domain.vocabulary import AbsenceKind, AbstractionReason
from rpdesk.errors import InputRejected, Problem
from rpdesk.importers.reading import (
    CellError,
    TextTable,
    normalise_headers,
    number_parser,
    parse_column,
    parse_date,
    read_table,
    require_columns,
    text_parser,
)

COLUMNS: tuple[str, ...] = (
    "date",
    "officer",
    "ward",
    "rostered_hours",
    "abstracted_hours",
    "reason",
    "authorised_by",
    "note",
)
REQUIRED: tuple[str, ...] = ("date", "officer", "ward", "rostered_hours")
HOURS_EXPECTED = "a number of hours from 0 to 24"


@dataclass(frozen=True)
class AbstractedHours:
    hours: float
    reason: AbstractionReason
    authorised_by: str | None
    note: str | None


@dataclass(frozen=True)
class RosterDay:
    """One officer-day from the file, with the spreadsheet rows it came from."""

    officer_id: int
    ward_id: int
    date: dt.date
    rostered_hours: float
    absence: AbsenceKind | None
    abstractions: tuple[AbstractedHours, ...]
    rows: tuple[int, ...]


@dataclass(frozen=True)
class Roster:
    name: str
    sha256: str
    days: tuple[RosterDay, ...]


def _lookup_parser(known: Mapping[str, int], expected: str) -> Any:
    def parse(text: str) -> int:
        found = known.get(text.strip().upper())
        if found is None:
            raise CellError(expected)
        return found

    return parse


def _reason_parser() -> Any:
    expected = f"an abstraction reason ({VALID_REASONS}) or an absence ({VALID_ABSENCES}), or blank"

    def parse(text: str) -> AbstractionReason | AbsenceKind:
        found = find_reason(text) or find_absence(text)
        if found is None:
            raise CellError(expected)
        return found

    return parse


def _optional(table: TextTable, column: str) -> bool:
    if column not in table.frame.columns:
        table.frame[column] = ""
        return False
    return True


@dataclass
class _Row:
    number: int
    officer: int
    ward: int
    date: dt.date
    rostered: float
    abstracted: float
    reason: AbstractionReason | AbsenceKind | None
    authorised_by: str | None
    note: str | None


def _row_problems(name: str, r: _Row) -> list[Problem]:
    """Rules between the cells of one row."""
    problems = []
    where = (name, r.number)
    if r.abstracted > r.rostered:
        problems.append(
            Problem(*where, "abstracted_hours", f"{r.abstracted:g}", f"at most the rostered hours ({r.rostered:g})")
        )
    if isinstance(r.reason, AbsenceKind) and r.abstracted > 0:
        problems.append(
            Problem(
                *where,
                "abstracted_hours",
                f"{r.abstracted:g}",
                f"0 on a day of {r.reason.value} (an absence is not an abstraction)",
            )
        )
    if r.reason is None and r.abstracted > 0:
        problems.append(Problem(*where, "reason", "", "the reason the hours were abstracted"))
    if isinstance(r.reason, AbstractionReason) and r.abstracted == 0:
        problems.append(
            Problem(*where, "abstracted_hours", "0", f"the hours taken for {r.reason.value} (or a blank reason)")
        )
    return problems


def _group_problems(name: str, rows: list[_Row]) -> list[Problem]:
    """Rules across the rows of one officer-day (a day abstracted for more than one reason)."""
    first = rows[0]
    problems = []
    for r in rows[1:]:
        where = f"the same {{}} as row {first.number} for this officer and date"
        if r.ward != first.ward:
            problems.append(Problem(name, r.number, "ward", None, where.format("ward")))
        if r.rostered != first.rostered:
            problems.append(
                Problem(name, r.number, "rostered_hours", f"{r.rostered:g}", where.format("rostered hours"))
            )
        if isinstance(r.reason, AbsenceKind) or isinstance(first.reason, AbsenceKind):
            problems.append(
                Problem(name, r.number, "reason", None, f"one row only for an absence day (see row {first.number})")
            )
    total = sum(r.abstracted for r in rows)
    if total > first.rostered and not problems:
        problems.append(
            Problem(
                name,
                rows[-1].number,
                "abstracted_hours",
                f"{total:g} in all",
                f"at most the rostered hours ({first.rostered:g}) across rows {', '.join(str(r.number) for r in rows)}",
            )
        )
    return problems


def _day(rows: list[_Row]) -> RosterDay:
    first = rows[0]
    return RosterDay(
        officer_id=first.officer,
        ward_id=first.ward,
        date=first.date,
        rostered_hours=first.rostered,
        absence=first.reason if isinstance(first.reason, AbsenceKind) else None,
        abstractions=tuple(
            AbstractedHours(r.abstracted, r.reason, r.authorised_by, r.note)
            for r in rows
            if isinstance(r.reason, AbstractionReason) and r.abstracted > 0
        ),
        rows=tuple(r.number for r in rows),
    )


def read_roster(
    path: Path | str,
    officers: Mapping[str, int],
    wards: Mapping[str, int],
    *,
    display_name: str | None = None,
) -> Roster:
    """Read and check a roster file against known ``officers`` (collar -> id) and ``wards`` (code -> id).

    Keys of both mappings are upper case. Raises :class:`InputRejected` listing every problem.
    """
    table = normalise_headers(read_table(path, display_name=display_name))
    problems = require_columns(table, REQUIRED)
    if problems:
        raise InputRejected(problems)
    for column in ("abstracted_hours", "reason", "authorised_by", "note"):
        _optional(table, column)
    hours = number_parser(0, 24)
    cols: dict[str, Any] = {
        "date": parse_column(table, "date", parse_date, problems, required=True),
        "officer": parse_column(
            table,
            "officer",
            _lookup_parser(officers, "the collar number of an officer in rpdesk (rpdesk-cli officers list)"),
            problems,
            required=True,
        ),
        "ward": parse_column(
            table,
            "ward",
            _lookup_parser(wards, "the ONS code of a ward in rpdesk (rpdesk-cli wards list)"),
            problems,
            required=True,
        ),
        "rostered": parse_column(table, "rostered_hours", hours, problems, required=True),
        "abstracted": parse_column(table, "abstracted_hours", hours, problems),
        "reason": parse_column(table, "reason", _reason_parser(), problems),
        "authorised_by": parse_column(table, "authorised_by", text_parser(120), problems),
        "note": parse_column(table, "note", text_parser(2000), problems),
    }
    if problems:
        raise InputRejected(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    days: dict[tuple[int, dt.date], list[_Row]] = {}
    for i in range(len(table.frame)):
        row = _Row(
            table.row_number(i),
            cols["officer"].iat[i],
            cols["ward"].iat[i],
            cols["date"].iat[i],
            cols["rostered"].iat[i],
            cols["abstracted"].iat[i] or 0.0,
            cols["reason"].iat[i],
            cols["authorised_by"].iat[i],
            cols["note"].iat[i],
        )
        problems.extend(_row_problems(table.name, row))
        days.setdefault((row.officer, row.date), []).append(row)
    for rows in days.values():
        if len(rows) > 1:
            problems.extend(_group_problems(table.name, rows))
    if problems:
        raise InputRejected(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    return Roster(table.name, table.sha256, tuple(_day(rows) for rows in days.values()))
