"""A corpus of malformed import files, built by code (nothing large is committed).

Each :class:`Case` is one file that every importer must refuse whole: exit 3 from the CLI, a message
naming the file (and the row and column where there is one), no traceback, nothing written, in
bounded time and memory. The families are those a hostile tester found getting through or hanging:
a UTF-8 byte-order mark followed by Windows-1252 bytes, headers that collide once normalised, a file
cut off mid-row, NUL bytes early and late, numbers in other scripts' digits or with underscores, XLSX
formulas saved without a result, XLSX "bombs" (a huge shared string, a sheet declaring hundreds of MB
of rows, a sheet that unpacks to hundreds of times its size), a CSV of millions of empty cells, a CSV
header of a million columns, a 10 MB cell, and a file larger than any real export.

Every family is built for every importer kind (surveys, EVA audits, police.uk crimes, duty rosters)
from one valid file per kind, so a family is proven where it applies, not in one importer only.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from rpdesk.importers.crimes import HEADER as POLICE_UK_HEADER
from rpdesk.importers.reading import LIMITS

KINDS = ("surveys", "audits", "crimes", "duty")

# One valid file per kind: a header and rows that import cleanly (the corpus breaks one thing each).
HEADERS = {
    "surveys": ["respondent", "date", "street", "age_band", "litter_problem", "litter_effect", "comments"],
    "audits": ["date", "officer", "category", "location", "severity", "count"],
    "crimes": list(POLICE_UK_HEADER),
    "duty": ["date", "officer", "ward", "rostered_hours", "abstracted_hours", "reason", "authorised_by", "note"],
}
FORCE = "Avon and Somerset Constabulary"


def good_row(kind: str, i: int) -> list[str]:
    """The ``i``-th valid data row of ``kind`` (distinct keys and days, so any number of rows is valid)."""
    day = (dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)).isoformat()
    if kind == "surveys":
        return [f"R{i:05d}", day, "High Street", "35-44", str(i % 4), "yes" if i % 2 else "no", "Fine"]
    if kind == "audits":
        return [day, "PC 1234 Jones", "litter", "Church Lane", "3", "2"]
    if kind == "crimes":
        return [f"{i:064x}", "2026-08", FORCE, FORCE, "-2.596355", "51.454032", "On or near Mill Close", "E01014001"]
    return [day, "PC101" if i % 2 else "PC102", "E05000001", "8", "0", "", "", ""]


def _row(kind: str, i: int) -> list[str]:
    row = good_row(kind, i)
    if kind == "crimes":
        row += ["Bristol 001A", "Burglary", "Under investigation", ""]
    return row


# The column each family breaks, per kind: a free-text column, and a numeric one.
TEXT_COLUMN = {"surveys": "comments", "audits": "officer", "crimes": "Location", "duty": "note"}
NUMBER_COLUMN = {"surveys": "litter_problem", "audits": "count", "crimes": "Latitude", "duty": "rostered_hours"}
# Two headers that become the same column once case, spacing and aliases are folded.
COLLIDING = {
    "surveys": ("litter_problem", "Litter Problem"),
    "audits": ("officer", "auditor"),
    "crimes": ("Crime type", "crime type"),
    "duty": ("rostered_hours", "Rostered Hours"),
}


def rows(kind: str, n: int = 3) -> list[list[str]]:
    return [list(HEADERS[kind]), *(_row(kind, i) for i in range(1, n + 1))]


def to_csv(table: list[list[str]], *, end: str = "\n") -> str:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text

    return "\n".join(",".join(cell(c) for c in row) for row in table) + end


def with_cell(kind: str, column: str, value: str, *, n: int = 3, at: int = 2) -> list[list[str]]:
    """A valid table of ``kind`` with data row ``at`` (1-based) holding ``value`` in ``column``."""
    table = rows(kind, n)
    table[at][HEADERS[kind].index(column)] = value
    return table


def to_xlsx(table: list[list[object]], formulas: dict[tuple[int, int], str] | None = None) -> bytes:
    """An XLSX as openpyxl writes it: formulas carry no saved result, as in files written by programs."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in table:
        sheet.append(row)
    for (r, c), formula in (formulas or {}).items():
        sheet.cell(row=r, column=c, value=formula)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip_member(archive: zipfile.ZipFile, name: str, head: bytes, repeat: bytes, times: int, tail: bytes) -> None:
    """A member written in chunks: compresses hundreds of MB of repeated XML without holding it."""
    with archive.open(name, "w", force_zip64=True) as member:
        member.write(head)
        chunk = repeat * max(1, 1_000_000 // len(repeat))
        whole, rest = divmod(times, 1_000_000 // len(repeat) or 1)
        for _ in range(whole):
            member.write(chunk)
        member.write(repeat * rest)
        member.write(tail)


def xlsx_bomb(kind: str, *, shared_mb: int = 0, sheet_mb: int = 0) -> bytes:
    """A valid-looking workbook whose shared strings or sheet unpack to ``*_mb`` megabytes.

    A few hundred KB on disk; read naively (a 60 MB cell in a shared string, or millions of rows), it
    took gigabytes and minutes.
    """
    base = io.BytesIO(to_xlsx(rows(kind)))
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if sheet_mb and info.filename == "xl/worksheets/sheet1.xml":
                head, _, rest = data.partition(b"<sheetData>")
                body, _, tail = rest.partition(b"</sheetData>")
                row = b'<row><c t="inlineStr"><is><t>x</t></is></c>' + b"<c><v>1</v></c>" * 40 + b"</row>"
                _zip_member(
                    dst,
                    info.filename,
                    head + b"<sheetData>" + body,
                    row,
                    sheet_mb * 1_000_000 // len(row),
                    b"</sheetData>" + tail,
                )
            else:
                dst.writestr(info, data)
        if shared_mb:
            _zip_member(
                dst,
                "xl/sharedStrings.xml",
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'count="1" uniqueCount="1"><si><t>',
                b"a" * 1000,
                shared_mb * 1000,
                b"</t></si></sst>",
            )
    return out.getvalue()


def blank_rows(kind: str, cells: int) -> bytes:
    """A header and enough rows of empty fields to pass ``cells``: a few MB that pandas would hold as GB."""
    width = len(HEADERS[kind])
    return to_csv([HEADERS[kind]]).encode() + ("," * (width - 1) + "\n").encode() * (cells // width + 1)


@dataclass(frozen=True)
class Case:
    """One malformed file: how to build it, and what its refusal must name."""

    family: str
    kind: str
    suffix: str
    build: Callable[[Path], None]  # writes the file at the given path
    row: int | None  # the row the message must name (None: a whole-file refusal)
    column: str | None  # the column the message must name, where there is one
    says: str  # words the message must contain

    @property
    def id(self) -> str:
        return f"{self.family}-{self.kind}"

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.id}{self.suffix}"
        self.build(path)
        return path


def _bytes(data: Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data())


def _sparse(size: int) -> Callable[[Path], None]:
    """A file of ``size`` bytes that takes no disk space (its size is what is refused)."""

    def build(path: Path) -> None:
        with path.open("wb") as fh:
            fh.write(b"a,b\n")
            fh.truncate(size)

    return build


def _cases_for(kind: str) -> list[Case]:
    text, number = TEXT_COLUMN[kind], NUMBER_COLUMN[kind]
    first, second = COLLIDING[kind]
    header = HEADERS[kind]
    collided = [[*header, second], *[[*r, r[header.index(first)] if first in header else "x"] for r in rows(kind)[1:]]]
    many = 400  # rows, so that a late NUL sits well past the first 8 KB
    cut = to_csv(rows(kind, 3), end="")
    cut = cut[: cut.rfind(",")]  # the last row loses its last field(s), as a copy cut off mid-row would
    late_nul = with_cell(kind, text, "Jo\x00nes", n=many, at=many)
    wide = [[*header, *(f"extra{i}" for i in range(1_000_000))]]
    return [
        Case(
            "bom-then-cp1252",
            kind,
            ".csv",
            _bytes(lambda: b"\xef\xbb\xbf" + to_csv(with_cell(kind, text, "Café")).encode("cp1252")),
            3,
            text,
            "UTF-8",
        ),
        Case("header-collision", kind, ".csv", _bytes(lambda: to_csv(collided).encode()), 1, second, "once"),
        Case("cut-mid-row", kind, ".csv", _bytes(lambda: cut.encode()), 4, None, "cut off"),
        Case("late-nul", kind, ".csv", _bytes(lambda: to_csv(late_nul).encode()), many + 1, text, "NUL"),
        Case("early-nul", kind, ".csv", _bytes(lambda: b"\x00" + to_csv(rows(kind)).encode()), 1, None, "binary"),
        Case(
            "underscore-digits",
            kind,
            ".csv",
            _bytes(lambda: to_csv(with_cell(kind, number, "1_0")).encode()),
            3,
            number,
            "'1_0'",
        ),
        Case(
            "arabic-digits",
            kind,
            ".csv",
            _bytes(lambda: to_csv(with_cell(kind, number, "٨")).encode()),
            3,
            number,
            "'٨'",
        ),
        Case(
            "formula-without-result",
            kind,
            ".xlsx",
            _bytes(lambda: to_xlsx(rows(kind), {(3, header.index(text) + 1): '=CONCAT("a","b")'})),
            3,
            text,
            "formula",
        ),
        Case("xlsx-huge-shared-string", kind, ".xlsx", _bytes(lambda: xlsx_bomb(kind, shared_mb=60)), None, None, "MB"),
        Case("xlsx-rows-bomb", kind, ".xlsx", _bytes(lambda: xlsx_bomb(kind, sheet_mb=200)), None, None, "MB"),
        Case("xlsx-dense-bomb", kind, ".xlsx", _bytes(lambda: xlsx_bomb(kind, sheet_mb=100)), None, None, "zip bomb"),
        Case("csv-cells-bomb", kind, ".csv", _bytes(lambda: blank_rows(kind, LIMITS.cells)), None, None, "cells"),
        Case("million-column-header", kind, ".csv", _bytes(lambda: to_csv(wide).encode()), 1, None, "columns"),
        Case(
            "ten-mb-cell",
            kind,
            ".csv",
            _bytes(lambda: to_csv(with_cell(kind, text, "x" * 10_000_000)).encode()),
            3,
            text,
            "characters",
        ),
        Case("too-big-file", kind, ".csv", _sparse(300 * 1024 * 1024), None, None, "MB"),
    ]


CORPUS: tuple[Case, ...] = tuple(case for kind in KINDS for case in _cases_for(kind))
