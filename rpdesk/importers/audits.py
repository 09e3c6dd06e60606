"""Environmental visual audit (EVA) findings: one row per thing seen on a walk.

Columns (any case): ``date``, ``officer`` (who walked), ``category`` (an issue code or label of the
catalogue), ``location``, optional ``easting``/``northing`` (British National Grid metres) or
``latitude``/``longitude`` (also ``lat``/``lon``), ``severity`` 1-5, ``count`` (blank = 1),
``partner`` (an agency of the partner list), ``reference`` and ``status`` (open, referred,
resolved, no action; blank = open). Rows with the same date and officer are one walk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from rpdesk.domain.vocabulary import ObservationStatus
from rpdesk.errors import InputRejected, Problem
from rpdesk.importers.reading import (
    CellError,
    Parser,
    TextTable,
    normalise_headers,
    number_parser,
    parse_column,
    parse_date,
    require_columns,
    scale_parser,
    text_parser,
)

ALIASES = {"lat": "latitude", "lon": "longitude", "lng": "longitude", "category_code": "category", "auditor": "officer"}
REQUIRED = ("date", "officer", "category", "location", "severity")
OPTIONAL = ("easting", "northing", "latitude", "longitude", "count", "partner", "reference", "status")


@dataclass(frozen=True)
class AuditRow:
    date: dt.date
    officer: str
    issue: str  # issue code
    location: str
    easting: float | None
    northing: float | None
    latitude: float | None
    longitude: float | None
    severity: int
    count: int
    partner: str | None  # partner name as in the database
    reference: str | None
    status: ObservationStatus


@dataclass(frozen=True)
class AuditRows:
    name: str
    sha256: str
    rows: tuple[AuditRow, ...]


def _lookup_parser(choices: Mapping[str, str], what: str) -> Parser:
    """A parser matching text (any case) to one of ``choices`` (folded text -> stored value)."""

    def parse(text: str) -> str:
        found = choices.get(text.casefold())
        if found is None:
            shown = sorted(set(choices.values()))
            raise CellError(f"{what} ({', '.join(shown[:20])}{', ...' if len(shown) > 20 else ''})")
        return found

    return parse


def _status(text: str) -> ObservationStatus:
    folded = text.casefold().replace(" ", "_").replace("-", "_")
    for status in ObservationStatus:
        if folded == status.value:
            return status
    raise CellError("open, referred, resolved or no action")


def _pair_problems(table: TextTable, a: str, b: str, problems: list[Problem]) -> None:
    """Coordinates come in pairs: one without the other is a problem on that row."""
    if a not in table.frame.columns or b not in table.frame.columns:
        present = a if a in table.frame.columns else b if b in table.frame.columns else None
        if present:
            other = b if present == a else a
            problems.append(Problem(table.name, 1, present, present, f"a '{other}' column beside '{present}'"))
        return
    one_only = (table.frame[a] == "") != (table.frame[b] == "")
    for index in table.frame.index[one_only]:
        problems.append(
            Problem(table.name, table.row_number(int(index)), f"{a}/{b}", "", f"both {a} and {b}, or neither")
        )


def parse_audits(table: TextTable, issues: Mapping[str, str], partners: Collection[str]) -> AuditRows:
    """Check an EVA table whole. ``issues`` maps issue code and label to the code; ``partners`` are names."""
    table = normalise_headers(table, ALIASES)
    frame = table.frame
    table = TextTable(table.name, frame[(frame != "").any(axis=1)], table.sha256)
    problems = require_columns(table, list(REQUIRED))
    if problems:
        raise InputRejected(problems)
    issue_parser = _lookup_parser({k.casefold(): v for k, v in issues.items()}, "an issue code of the catalogue")
    partner_parser = _lookup_parser({p.casefold(): p for p in partners}, "a partner agency of the partner list")
    parsers: dict[str, Parser] = {
        "easting": number_parser(0, 700_000),
        "northing": number_parser(0, 1_300_000),
        "latitude": number_parser(-90, 90),
        "longitude": number_parser(-180, 180),
        "count": scale_parser(1, 100_000),
        "partner": partner_parser,
        "reference": text_parser(60),
        "status": _status,
    }
    cols = {
        "date": parse_column(table, "date", parse_date, problems, required=True),
        "officer": parse_column(table, "officer", text_parser(200), problems, required=True),
        "issue": parse_column(table, "category", issue_parser, problems, required=True),
        "location": parse_column(table, "location", text_parser(200), problems, required=True),
        "severity": parse_column(table, "severity", scale_parser(1, 5), problems, required=True),
    }
    for column in OPTIONAL:
        if column in table.frame.columns:
            cols[column] = parse_column(table, column, parsers[column], problems)
    _pair_problems(table, "easting", "northing", problems)
    _pair_problems(table, "latitude", "longitude", problems)
    if problems:
        raise InputRejected(problems)
    rows = []
    for i in range(len(table.frame)):
        v: dict[str, Any] = {k: c.iloc[i] for k, c in cols.items()}
        rows.append(
            AuditRow(
                date=v["date"],
                officer=v["officer"],
                issue=v["issue"],
                location=v["location"],
                easting=v.get("easting"),
                northing=v.get("northing"),
                latitude=v.get("latitude"),
                longitude=v.get("longitude"),
                severity=v["severity"],
                count=v.get("count") or 1,
                partner=v.get("partner"),
                reference=v.get("reference"),
                status=v.get("status") or ObservationStatus.OPEN,
            )
        )
    return AuditRows(table.name, table.sha256, tuple(rows))
