"""The first sheet of an XLSX workbook as rows of text, refusing what cannot be read safely.

An XLSX file is a zip of XML parts, and a few hundred KB of it can unpack to gigabytes. So before
openpyxl parses any XML, the zip's directory gives each part's declared unpacked size (zipfile stops
reading a part at that size, so it cannot unpack to more) and a byte scan of the first sheet counts
its value cells and finds its formulas.

Formulas are read from the result the spreadsheet saved with them, as Excel and LibreOffice do when
they open a file. A formula saved without a result (files written by programs rather than by a
spreadsheet) would read as a blank cell, silently losing a comment or a score, so it is refused with
its cell; a formula whose saved result is empty text (``=IF(A2="","",...)``) is a blank, as shown.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import pandas as pd

from rpdesk.errors import InputRejected, Problem
from rpdesk.importers.limits import MB, Limits, refused

#: What zipfile raises for a damaged, encrypted or exotic archive (a bad CRC or deflate stream included).
DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    OSError,
    EOFError,
    ValueError,
)
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
NO_RESULT = (
    "a value, not a formula without a saved result (open the file in Excel or LibreOffice and save it, "
    "or paste the cells as values)"
)


@dataclass(frozen=True)
class _Formula:
    """A formula cell of the first sheet that has no saved result."""

    ref: str | None  # "B3", when the file says
    text: str


def read_xlsx(data: bytes, name: str, limits: Limits) -> pd.DataFrame:
    """The first sheet's cells as text (header row first), or InputRejected saying why not."""
    unresolved = _scanned_workbook(data, name, limits)
    rows = _sheet_rows(data, name, limits)
    if unresolved:
        header = rows[0] if rows else []
        raise InputRejected([_formula_problem(name, f, header) for f in unresolved])
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def _scanned_workbook(data: bytes, name: str, limits: Limits) -> list[_Formula]:
    """Refuse a workbook too big to read, from its zip directory and its first sheet's bytes.

    Returns the first sheet's formulas that have no saved result.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            problem = _declared_size_problem(members, limits)
            if problem:
                raise refused(name, problem)
            sheet = _first_sheet(archive, members)
            xml = archive.read(sheet) if sheet else b""
    except DAMAGED_ZIP as exc:
        raise refused(name, f"a readable XLSX workbook ({exc})") from None
    prefix = _prefix(xml)
    cells = xml.count(b"<" + prefix + b"v>") + xml.count(b"<" + prefix + b"is>")
    if cells > limits.xlsx_cells:
        raise refused(name, f"a sheet of at most {limits.xlsx_cells:,} cells with values (it has {cells:,}): split it")
    return _formulas_without_results(xml, prefix) if FORMULA_TAG.search(xml) else []


def _declared_size_problem(members: list[zipfile.ZipInfo], limits: Limits) -> str | None:
    total = sum(m.file_size for m in members)
    shared = sum(m.file_size for m in members if m.filename.casefold().endswith("sharedstrings.xml"))
    if total > limits.xlsx_uncompressed:
        return (
            f"an XLSX workbook of at most {limits.xlsx_uncompressed // MB} MB unpacked "
            f"(it declares {total / MB:,.0f} MB): save the sheet alone, or as CSV"
        )
    if shared > limits.shared_strings:
        return (
            f"an XLSX workbook with at most {limits.shared_strings // MB} MB of text "
            f"(it declares {shared / MB:,.0f} MB)"
        )
    for m in members:
        if m.file_size > MB and m.file_size > limits.xlsx_ratio * max(m.compress_size, 1):
            return (
                f"an XLSX workbook whose parts unpack to at most {limits.xlsx_ratio} times their packed size "
                f"({m.filename} would grow {m.file_size / max(m.compress_size, 1):,.0f} times, as a 'zip bomb' does)"
            )
    return None


def _first_sheet(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> zipfile.ZipInfo | None:
    """The part openpyxl reads as the first worksheet: the workbook's first <sheet>, through its relationship."""
    by_name = {m.filename: m for m in members}
    sheets = sorted(n for n in by_name if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return by_name[sheets[0]] if sheets else None
    first = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\b\w+:id=\"([^\"]+)\"", book)
    rel = (
        re.search(rb"<(?:\w+:)?Relationship\b[^>]*\bId=\"" + re.escape(first[1]) + rb"\"[^>]*>", rels)
        if first
        else None
    )
    target = re.search(rb"\bTarget=\"([^\"]+)\"", rel[0]) if rel else None
    if target:
        path = target[1].decode("utf-8", "replace")
        path = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
        if path in by_name:
            return by_name[path]
    return by_name[sheets[0]] if sheets else None


def _prefix(xml: bytes) -> bytes:
    """The namespace prefix the sheet's elements carry ("" for Excel's files, "x:" for some writers)."""
    root = re.search(rb"<(\w+:)?worksheet\b", xml[:4096])
    return (root.group(1) or b"") if root else b""


def _formulas_without_results(xml: bytes, prefix: bytes) -> list[_Formula]:
    """Each formula cell whose <v> is missing or empty, unless its type says its result is text ("")."""
    found = []
    opening, closing = b"<" + prefix + b"c", b"</" + prefix + b"c>"
    for match in FORMULA_TAG.finditer(xml):
        start = max(xml.rfind(opening + b" ", 0, match.start()), xml.rfind(opening + b">", 0, match.start()))
        end = xml.find(closing, match.start())
        if start < 0 or end < 0:
            continue
        cell = xml[start:end]
        attributes = cell[: cell.find(b">")]
        value = re.search(rb"<(?:\w+:)?v>(.+?)</(?:\w+:)?v>", cell, re.S)
        if value or re.search(rb"\bt=\"str\"", attributes):
            continue
        ref = re.search(rb"\br=\"([A-Z]+[0-9]+)\"", attributes)
        formula = re.search(rb"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", cell, re.S)
        text = "=" + html.unescape(formula[1].decode("utf-8", "replace")) if formula else "(a shared formula)"
        found.append(_Formula(ref[1].decode() if ref else None, text))
    return found


def _formula_problem(name: str, formula: _Formula, header: list[str]) -> Problem:
    if formula.ref is None:
        return Problem(name, None, None, formula.text, NO_RESULT)
    letters = formula.ref.rstrip("0123456789")
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    title = header[column - 1] if column <= len(header) and header[column - 1] else f"#{column}"
    return Problem(name, int(formula.ref[len(letters) :]), title, formula.text, NO_RESULT)


def _sheet_rows(data: bytes, name: str, limits: Limits) -> list[list[str]]:
    """The first sheet's rows as text (saved formula results), refusing a row too wide while reading."""
    import openpyxl  # only XLSX imports pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise refused(name, f"a readable XLSX workbook ({exc})") from None
    rows: list[list[str]] = []
    try:
        if not book.worksheets:
            raise refused(name, "an XLSX workbook with a worksheet")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # a stated size can lie; read the cells that are there
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            row = [_excel_text(v) for v in values]
            while row and row[-1] == "":
                row.pop()
            if len(row) > limits.columns:
                raise refused(name, f"at most {limits.columns:,} columns (this row has {len(row):,})", row=number)
            rows.append(row)
    except InputRejected:
        raise
    except Exception as exc:  # a damaged sheet's XML or zip part
        raise refused(name, f"a readable XLSX workbook ({exc})") from None
    finally:
        book.close()
    return rows


def _excel_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
