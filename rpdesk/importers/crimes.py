"""police.uk street-level crime files, exactly as published (data.police.uk street-level CSV).

Header: ``Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,
Crime type,Last outcome category,Context``. Crime types of any year are accepted and stored under
their current name ("Violent crime" becomes "Violence and sexual offences"). A force file covers
the whole force area: only rows whose LSOA is one of the ward's are kept, and the rest are counted
so the import can say how many fell outside the ward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from rpdesk.domain.catalogue import canonical_crime_type
from rpdesk.errors import InputRejected, Problem
from rpdesk.importers.reading import (
    HEADER_ROW,
    CellError,
    TextTable,
    number_parser,
    parse_column,
    parse_month,
    text_parser,
)

HEADER: tuple[str, ...] = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
OLD_FORMAT = frozenset({"Easting", "Northing"})

#: Database columns of a kept row, in the order of :attr:`CrimeRows.rows` tuples.
COLUMNS = (
    "crime_id",
    "month",
    "reported_by",
    "falls_within",
    "longitude",
    "latitude",
    "location",
    "lsoa_code",
    "lsoa_name",
    "crime_type",
    "last_outcome",
    "context",
)


@dataclass(frozen=True)
class CrimeRows:
    name: str
    sha256: str
    rows: tuple[tuple[object, ...], ...]  # in COLUMNS order, only the ward's rows
    outside: int  # rows whose LSOA is not one of the ward's
    first_month: dt.date | None
    last_month: dt.date | None


def _crime_type(text: str) -> str:
    found = canonical_crime_type(text)
    if found is None:
        raise CellError("a police.uk crime type such as 'Burglary' or 'Anti-social behaviour'")
    return found


def _header_problems(table: TextTable) -> list[Problem]:
    have = list(table.frame.columns)
    if set(have) >= OLD_FORMAT:
        return [
            Problem(
                table.name,
                HEADER_ROW,
                None,
                ",".join(have),
                "a police.uk street-level file with LSOA codes (this is the 2011-2012 format with "
                "Easting/Northing, which cannot be matched to a ward's LSOAs)",
            )
        ]
    missing = [h for h in HEADER if h not in have]
    extra = [h for h in have if h not in HEADER]
    if missing or extra:
        return [
            Problem(
                table.name,
                HEADER_ROW,
                None,
                ",".join(have),
                "the police.uk street-level header "
                + ",".join(HEADER)
                + (f" (missing: {', '.join(missing)})" if missing else "")
                + (f" (not expected: {', '.join(extra)})" if extra else ""),
            )
        ]
    return []


def parse_crimes(table: TextTable, ward_lsoas: Collection[str]) -> CrimeRows:
    """Check a police.uk street file whole; keep the rows in ``ward_lsoas`` or raise InputRejected."""
    problems = _header_problems(table)
    if problems:
        raise InputRejected(problems)
    lsoas = {c.upper() for c in ward_lsoas}
    inside = table.frame["LSOA code"].str.upper().isin(lsoas)
    # Every row is checked, not only the ward's: a damaged file is refused whole.
    cols = [
        parse_column(table, "Crime ID", text_parser(64), problems),
        parse_column(table, "Month", parse_month, problems, required=True),
        parse_column(table, "Reported by", text_parser(80), problems),
        parse_column(table, "Falls within", text_parser(80), problems),
        parse_column(table, "Longitude", number_parser(-180, 180), problems),
        parse_column(table, "Latitude", number_parser(-90, 90), problems),
        parse_column(table, "Location", text_parser(200), problems),
        parse_column(table, "LSOA code", text_parser(9), problems),
        parse_column(table, "LSOA name", text_parser(120), problems),
        parse_column(table, "Crime type", _crime_type, problems, required=True),
        parse_column(table, "Last outcome category", text_parser(120), problems),
        parse_column(table, "Context", text_parser(4000), problems),
    ]
    if problems:
        raise InputRejected(problems)
    kept = [c[inside] for c in cols]
    rows = tuple(zip(*(c.tolist() for c in kept), strict=True))
    months = kept[1]
    return CrimeRows(
        table.name,
        table.sha256,
        rows,
        int((~inside).sum()),
        min(months) if len(months) else None,
        max(months) if len(months) else None,
    )
