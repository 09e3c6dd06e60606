"""Reading CSV and XLSX files into text cells, and parsing those cells, without losing a problem.

Everything a file can get wrong is collected as a :class:`~rpdesk.errors.Problem` naming the file,
the row as a spreadsheet shows it (the header is row 1), the column, the value and what was
expected, so an import can refuse the file whole with the complete list.

Files come from many places: Excel on Windows saves CSV as Windows-1252, online form tools write
UTF-8 with or without a byte-order mark, and dates arrive as ISO or UK text or as Excel dates.
Cells are parsed per distinct value (a 100,000-row survey has a handful of distinct answers per
column), which keeps large imports fast without vectorising every rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from rpdesk.errors import InputRejected, Problem

T = TypeVar("T")
Parser = Callable[[str], Any]

XLSX_MAGIC = b"PK\x03\x04"
HEADER_ROW = 1


@dataclass(frozen=True)
class TextTable:
    """A file's cells as stripped text ("" = blank), with its display name and original headers."""

    name: str
    frame: pd.DataFrame  # columns = header texts as written (stripped); every cell a str
    sha256: str

    def row_number(self, index: int) -> int:
        """The spreadsheet row of the frame's ``index``-th data row (header is row 1)."""
        return index + HEADER_ROW + 1


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (which never fails)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_table(path: Path | str, *, display_name: str | None = None) -> TextTable:
    """Read a CSV or XLSX file into text cells, or raise InputRejected saying why it cannot be read."""
    path = Path(path)
    name = display_name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputRejected([Problem(name, None, None, None, f"a readable file ({exc.strerror})")]) from exc
    if not data.strip():
        raise InputRejected([Problem(name, None, None, None, "a file with a header row and data (it is empty)")])
    if data.startswith(XLSX_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = _read_xlsx(data, name)
    elif b"\x00" in data[:8192]:
        raise InputRejected([Problem(name, None, None, None, "a CSV text file or an XLSX workbook (it is binary)")])
    else:
        frame = _read_csv(decode_text(data), name)
    return TextTable(name, _checked_header(frame, name), file_sha256(data))


def _read_csv(text: str, name: str) -> pd.DataFrame:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=object, keep_default_na=False, header=None, skip_blank_lines=True
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        row = int(match.group(1)) if match else None
        found = re.search(r"saw (\d+)", str(exc))
        raise InputRejected(
            [
                Problem(
                    name,
                    row,
                    None,
                    None,
                    "the same number of fields as the header" + (f" (this row has {found.group(1)})" if found else ""),
                )
            ]
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise InputRejected([Problem(name, None, None, None, "a header row and data (it is empty)")]) from exc
    return frame


def _read_xlsx(data: bytes, name: str) -> pd.DataFrame:
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise InputRejected([Problem(name, None, None, None, f"a readable XLSX workbook ({exc})")]) from exc
    return frame.map(_excel_text)


def _excel_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _checked_header(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    if frame.empty:
        raise InputRejected([Problem(name, None, None, None, "a header row and data (it is empty)")])
    frame = frame.fillna("").astype(object)
    header = [str(h).strip() for h in frame.iloc[0]]
    problems = []
    seen: set[str] = set()
    for i, h in enumerate(header):
        if not h:
            if (strip_cells(frame.iloc[1:, i]) != "").any():
                problems.append(Problem(name, HEADER_ROW, f"#{i + 1}", "", "a column name for a column with data"))
        elif h.casefold() in seen:
            problems.append(Problem(name, HEADER_ROW, h, h, "each column name once"))
        seen.add(h.casefold())
    if problems:
        raise InputRejected(problems)
    body = frame.iloc[1:].copy()
    body.columns = header
    body = body.loc[:, [h != "" for h in header]]
    for col in body.columns:
        body[col] = strip_cells(body[col])
    if body.empty:
        raise InputRejected([Problem(name, None, None, None, "at least one data row below the header")])
    return body.reset_index(drop=True)


def strip_cells(cells: pd.Series) -> pd.Series:
    """Cells without surrounding spaces, stripping each distinct value once (columns repeat a lot)."""
    codes, uniques = pd.factorize(cells)
    stripped = [str(u).strip() for u in uniques]
    if all(a == b for a, b in zip(stripped, uniques, strict=True)) and (codes >= 0).all():
        return cells
    values = np.array([*stripped, ""], dtype=object)  # code -1 (a missing cell) reads as blank
    return pd.Series(values[codes], index=cells.index, dtype=object)


# --- cell parsers: each takes stripped, non-blank text and returns a value or raises ValueError ----


class CellError(ValueError):
    """A cell that does not parse; the message says what was expected."""


def parse_date(text: str) -> dt.date:
    """ISO (2026-09-01), UK (01/09/2026, 1/9/2026, 01-09-2026, 01.09.2026) or an Excel date-time."""
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", text)
    uk = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return dt.date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        raise CellError("a date that exists (e.g. 2026-09-01 or 01/09/2026)") from None
    raise CellError("a date such as 2026-09-01 or 01/09/2026")


def parse_month(text: str) -> dt.date:
    """police.uk months ("2026-09"); also accepts a full date, taking its month."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if match and 1 <= int(match[2]) <= 12:
        return dt.date(int(match[1]), int(match[2]), 1)
    try:
        return parse_date(text).replace(day=1)
    except CellError:
        raise CellError("a month such as 2026-09") from None


YES = frozenset({"yes", "y", "true", "1", "ie", "oes"})
NO = frozenset({"no", "n", "false", "0", "na", "nac oes"})


def parse_yes_no(text: str) -> bool:
    folded = text.casefold()
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise CellError("yes or no")


def scale_parser(low: int, high: int, labels: dict[str, int] | None = None) -> Parser:
    """A parser for a whole number from ``low`` to ``high`` or one of its labels (any case)."""
    folded = {k.casefold(): v for k, v in (labels or {}).items()}
    expected = f"a whole number from {low} to {high}"
    if folded:
        expected += " or one of: " + ", ".join(f'"{k}"' for k in (labels or {}))

    def parse(text: str) -> int:
        key = text.casefold()
        if key in folded:
            return folded[key]
        try:
            number = float(text)
        except ValueError:
            raise CellError(expected) from None
        if not number.is_integer() or not low <= number <= high:
            raise CellError(expected)
        return int(number)

    return parse


def number_parser(low: float | None = None, high: float | None = None) -> Parser:
    """A parser for a decimal number, optionally bounded (inclusive)."""
    bounds = (
        f" from {low:g} to {high:g}"
        if low is not None and high is not None
        else (f" of at least {low:g}" if low is not None else "")
    )

    def parse(text: str) -> float:
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise CellError(f"a number{bounds}") from None
        if number != number or (low is not None and number < low) or (high is not None and number > high):
            raise CellError(f"a number{bounds}")
        return number

    return parse


def text_parser(max_length: int) -> Parser:
    def parse(text: str) -> str:
        if len(text) > max_length:
            raise CellError(f"text of at most {max_length} characters")
        return text

    return parse


# --- whole columns ------------------------------------------------------------------------------


def parse_column(
    table: TextTable,
    column: str,
    parser: Parser,
    problems: list[Problem],
    *,
    required: bool = False,
    display: str | None = None,
) -> pd.Series:
    """Parse every cell of ``column`` once per distinct value; blanks become None (or a problem if required).

    Problems are appended to ``problems``; the returned Series has None where a cell was blank or bad.
    """
    cells = table.frame[column]
    codes, uniques = pd.factorize(cells)
    parsed: list[Any] = []
    errors: dict[int, str] = {}
    blank_code = -1
    for code, value in enumerate(uniques):
        if value == "":
            parsed.append(None)
            blank_code = code
            continue
        try:
            parsed.append(parser(value))
        except CellError as exc:
            parsed.append(None)
            errors[code] = str(exc)
    name = display or column
    rows = cells.index.tolist()
    if errors:
        for i in np.flatnonzero(np.isin(codes, list(errors))):
            problems.append(
                Problem(table.name, table.row_number(int(rows[i])), name, uniques[codes[i]], errors[int(codes[i])])
            )
    if required and blank_code >= 0:
        problems.extend(
            Problem(table.name, table.row_number(int(rows[i])), name, "", "a value (it is required)")
            for i in np.flatnonzero(codes == blank_code)
        )
    values = np.empty(len(parsed) + 1, dtype=object)  # the extra None stands for code -1 (a missing cell)
    values[:] = [*parsed, None]
    return pd.Series(values[codes], index=cells.index, dtype=object)


def require_columns(table: TextTable, columns: list[str] | tuple[str, ...]) -> list[Problem]:
    """Problems for required columns missing from the header (matched without regard to case)."""
    have = {c.casefold() for c in table.frame.columns}
    return [
        Problem(table.name, HEADER_ROW, c, None, f"a column named '{c}'") for c in columns if c.casefold() not in have
    ]


def normalise_headers(table: TextTable) -> TextTable:
    """Header names folded to lower case with spaces as underscores, so 'Conf Good Job' finds conf_good_job."""
    frame = table.frame.copy()
    frame.columns = [re.sub(r"\s+", "_", str(c).strip()).casefold() for c in frame.columns]
    return TextTable(table.name, frame, table.sha256)
