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
import math
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from rpdesk.errors import InputRejected, Problem
from rpdesk.importers.limits import LIMITS, MB, Limits, refused
from rpdesk.importers.wording import close_match, own_wording
from rpdesk.importers.xlsx import read_xlsx

T = TypeVar("T")
Parser = Callable[[str], Any]

XLSX_MAGIC = b"PK\x03\x04"
HEADER_ROW = 1
MAX_HEADER = 1_000  # characters of one column name (form tools put whole questions there)


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


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line of ``offset`` (a spreadsheet row, unless a quoted cell spans lines)."""
    return data.count(b"\n", 0, offset) + 1


def decode_text(data: bytes, name: str = "the file") -> str:
    """UTF-8 (with or without BOM) or UTF-16 with its BOM, else Windows-1252 (Excel's "CSV" on Windows).

    A UTF-8 byte-order mark promises UTF-8 throughout; bytes after it that are not UTF-8 (a file
    edited in a Windows-1252 program that kept the mark) would be misread either way, so the file
    is refused naming the line, rather than guessed at.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            row, column = _first_undecodable_cell(data[3:].decode("utf-8", errors="replace"))
            raise refused(
                name,
                "UTF-8 text throughout, as the file's byte-order mark says (this cell has bytes that are not "
                "UTF-8, e.g. Windows-1252 from another program): save the file again as 'CSV UTF-8'",
                row=row,
                column=column,
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise refused(name, "UTF-16 text throughout, as its byte-order mark says") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _first_undecodable_cell(text: str) -> tuple[int | None, str | None]:
    """Row and column of the first cell with an undecodable byte (shown as U+FFFD), for the message."""
    try:
        sep = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        sep = ","
    header: list[str] = []
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text), delimiter=sep), start=1):
            header = header or record
            for i, cell in enumerate(record):
                if "\ufffd" in cell:
                    return number, (header[i].strip() if i < len(header) and number > 1 else f"#{i + 1}")
    except csv.Error:
        pass  # a cell too long for the csv module: the message goes without row and column
    return None, None


def _file_bytes(path: Path, name: str, limits: Limits) -> bytes:
    """The file's bytes, refusing one too big to read before reading it."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            is_xlsx = handle.read(4) == XLSX_MAGIC or path.suffix.lower() in (".xlsx", ".xlsm")
            cap = limits.xlsx_bytes if is_xlsx else limits.file_bytes
            if size > cap:
                raise refused(name, f"a file of at most {cap // MB} MB (it has {size / MB:,.0f} MB): split it")
            handle.seek(0)
            return handle.read()
    except OSError as exc:
        raise refused(name, f"a readable file ({exc.strerror})") from exc


def read_table(path: Path | str, *, display_name: str | None = None, limits: Limits = LIMITS) -> TextTable:
    """Read a CSV or XLSX file into text cells, or raise InputRejected saying why it cannot be read."""
    path = Path(path)
    name = display_name or path.name
    data = _file_bytes(path, name, limits)
    if not data.strip():
        raise refused(name, "a file with a header row and data (it is empty)")
    if data.startswith(XLSX_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = read_xlsx(data, name, limits)
    else:
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data[:8192]:
            raise refused(
                name,
                "a CSV text file or an XLSX workbook (it is binary: it has NUL bytes, as .xls files do)",
                row=_line_of(data, data.index(b"\x00")),
            )
        frame = _read_csv(decode_text(data, name), name, limits)
    return TextTable(name, _checked_cells(frame, name, limits), file_sha256(data))


def _read_csv(text: str, name: str, limits: Limits) -> pd.DataFrame:
    try:
        sep = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        sep = ","
    width = _header_width(text, sep, name, limits)
    lines = text.rstrip("\r\n").count("\n")  # data rows at most (a quoted cell may span lines)
    if lines * width > limits.cells:
        raise refused(
            name,
            f"at most {limits.cells:,} cells, rows x columns (it has up to {lines:,} rows of {width} columns): "
            "split it",
        )
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=object, keep_default_na=False, header=None, skip_blank_lines=True
        )
    except pd.errors.ParserError as exc:
        raise InputRejected([_parser_problem(name, str(exc))]) from None
    except pd.errors.EmptyDataError as exc:
        raise refused(name, "a header row and data (it is empty)") from exc
    last = _last_record_width(text, sep)
    if len(frame) > 1 and last < width:
        raise refused(
            name,
            f"all {width} fields of the header on the last row (it has {last}: the file may have been cut off "
            "mid-row; if the row is complete, add its empty fields)",
            row=len(frame),
        )
    return frame


def _header_width(text: str, sep: str, name: str, limits: Limits) -> int:
    """The header's number of fields, refusing a header too wide before pandas builds its columns."""
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=sep), [])
    except csv.Error as exc:
        raise refused(name, f"a header row of column names ({exc})", row=HEADER_ROW) from None
    if len(header) > limits.columns:
        raise refused(name, f"at most {limits.columns:,} columns (the header has {len(header):,})", row=HEADER_ROW)
    return len(header)


def _last_record_width(text: str, sep: str) -> int:
    """Fields in the file's last record, found from the end: a line break ends a record only outside quotes.

    pandas fills a short row with blanks, so a file cut off mid-row would read as complete.
    """
    body = text.rstrip("\r\n")
    quotes_after = 0
    start = body.rfind("\n")
    while start >= 0:
        quotes_after = body.count('"', start)
        if quotes_after % 2 == 0:
            break
        start = body.rfind("\n", 0, start)
    record = body[start + 1 :]
    if not record.strip(" "):
        return sys.maxsize  # a trailing line of spaces: pandas keeps it as a blank row, nothing is cut
    try:
        return len(next(csv.reader([record.replace("\r\n", "\n")], delimiter=sep), []))
    except csv.Error:
        return sys.maxsize  # a cell too long for the csv module: the cell-length check refuses it


def _parser_problem(name: str, message: str) -> Problem:
    """pandas' tokenizer message as a Problem with the row it names."""
    line = re.search(r"(line|row) (\d+)", message)  # pandas counts lines from 1 but records ("row") from 0
    row = int(line.group(2)) + (line.group(1) == "row") if line else None
    if "EOF inside string" in message:
        return Problem(
            name,
            row,
            None,
            None,
            "a closing quote for the cell opened on this row (the file ends "
            "inside a quoted cell: it may have been cut off)",
        )
    found = re.search(r"saw (\d+)", message)
    return Problem(
        name,
        row,
        None,
        None,
        "the same number of fields as the header" + (f" (this row has {found.group(1)})" if found else ""),
    )


def _checked_cells(frame: pd.DataFrame, name: str, limits: Limits) -> pd.DataFrame:
    """The data rows under their header, stripped; refused for a bad header, a NUL or an over-long cell."""
    if frame.empty:
        raise refused(name, "a header row and data (it is empty)")
    frame = frame.fillna("").astype(object)
    header = [str(h).strip() for h in frame.iloc[0]]
    problems = _header_problems(frame, header, name)
    if problems:
        raise InputRejected(problems)
    body = frame.iloc[1:].copy()
    body.columns = header
    body = body.loc[:, [h != "" for h in header]]
    for col in body.columns:
        body[col] = _checked_column(body[col], name, str(col), limits, problems)
    if problems:
        raise InputRejected(problems)
    if body.empty:
        raise refused(name, "at least one data row below the header")
    return body.reset_index(drop=True)


def _header_problems(frame: pd.DataFrame, header: list[str], name: str) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for i, h in enumerate(header):
        if not h:
            if (strip_cells(frame.iloc[1:, i]) != "").any():
                problems.append(Problem(name, HEADER_ROW, f"#{i + 1}", "", "a column name for a column with data"))
        elif "\x00" in h or len(h) > MAX_HEADER:
            problems.append(
                Problem(
                    name, HEADER_ROW, f"#{i + 1}", h, f"a column name without NUL of at most {MAX_HEADER} characters"
                )
            )
        elif h.casefold() in seen:
            problems.append(Problem(name, HEADER_ROW, h, h, "each column name once"))
        seen.add(h.casefold())
    return problems


def _checked_column(cells: pd.Series, name: str, column: str, limits: Limits, problems: list[Problem]) -> pd.Series:
    """A column stripped, with a problem for each cell holding a NUL or longer than the cell limit.

    Checked per distinct value, like every other cell rule here.
    """
    codes, uniques = pd.factorize(cells)
    bad = {}
    for code, value in enumerate(uniques):
        text = str(value)
        if "\x00" in text:
            bad[code] = "text without NUL characters (a damaged or binary file)"
        elif len(text) > limits.cell_chars:
            bad[code] = f"a cell of at most {limits.cell_chars:,} characters (it has {len(text):,})"
    for i in np.flatnonzero(np.isin(codes, list(bad))) if bad else ():
        code = int(codes[i])
        problems.append(Problem(name, int(i) + HEADER_ROW + 1, column, str(uniques[code]), bad[code]))
    return _stripped(cells, codes, uniques)


def strip_cells(cells: pd.Series) -> pd.Series:
    """Cells without surrounding spaces, stripping each distinct value once (columns repeat a lot)."""
    codes, uniques = pd.factorize(cells)
    return _stripped(cells, codes, uniques)


def _stripped(cells: pd.Series, codes: np.ndarray, uniques: Any) -> pd.Series:
    stripped = [str(u).strip() for u in uniques]
    if all(a == b for a, b in zip(stripped, uniques, strict=True)) and (codes >= 0).all():
        return cells
    values = np.array([*stripped, ""], dtype=object)  # code -1 (a missing cell) reads as blank
    return pd.Series(values[codes], index=cells.index, dtype=object)


# --- cell parsers: each takes stripped, non-blank text and returns a value or raises ValueError ----


class CellError(ValueError):
    """A cell that does not parse; the message says what was expected."""


TIME_OF_DAY = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|\s?[+-]\d{2}:?\d{2})?)?"
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + TIME_OF_DAY, re.ASCII)
UK_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}),?" + TIME_OF_DAY, re.ASCII)


def parse_date(text: str) -> dt.date:
    """ISO (2026-09-01), UK (01/09/2026, 1/9/2026, 01-09-2026, 01.09.2026), or either with a time of day.

    Online form tools export when a form was completed as a date-time ("2026-09-01 10:15:00",
    "01/09/2026 10:15"); the answer belongs to that day. Digits are ASCII only: Python's ``int``
    would read other scripts' digits, which no UK export writes.
    """
    iso = ISO_DATE.fullmatch(text)
    uk = UK_DATE.fullmatch(text)
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
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text, re.ASCII)
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


#: A number as spreadsheets write it: ASCII digits, an optional sign, decimal point, exponent and
#: thousands commas in groups of three. Python's ``float`` also takes "1_0", "٨", "inf" and "nan".
NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?", re.ASCII)


def parse_number(text: str) -> float:
    """A number in plain ASCII digits, or ValueError."""
    if not NUMBER.fullmatch(text):
        raise ValueError(text)
    number = float(text.replace(",", ""))
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def scale_parser(low: int, high: int, labels: dict[str, int] | None = None) -> Parser:
    """A parser for a whole number from ``low`` to ``high`` or one of its labels (any case, or worded
    closely: :mod:`rpdesk.importers.wording`). Its message names the scale's two ends, not every label."""
    folded = {k.casefold(): v for k, v in (labels or {}).items()}
    expected = f"a whole number from {low} to {high}"
    if labels:
        wording = own_wording(labels)
        expected += f' or the scale\'s wording, "{wording[min(wording)]}" to "{wording[max(wording)]}"'

    def parse(text: str) -> int:
        key = text.casefold()
        if key in folded:
            return folded[key]
        close = close_match(text, labels) if labels else None
        if close is not None:
            return close
        try:
            number = parse_number(text)
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
            number = parse_number(text)
        except ValueError:
            raise CellError(f"a number{bounds} (digits 0-9)") from None
        if (low is not None and number < low) or (high is not None and number > high):
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


def normalise_headers(table: TextTable, aliases: Mapping[str, str] | None = None) -> TextTable:
    """Header names folded to lower case with spaces as underscores, so 'Conf Good Job' finds conf_good_job.

    ``aliases`` then renames other names of a column ('lat' -> 'latitude'). Two headers that become
    the same name ('litter_problem' and 'Litter Problem', 'officer' and 'auditor') are refused by
    name: which one to read is the user's call, not rpdesk's.
    """
    first: dict[str, str] = {}
    problems = []
    names = []
    for column in table.frame.columns:
        folded = re.sub(r"\s+", "_", str(column).strip()).casefold()
        folded = (aliases or {}).get(folded, folded)
        if folded in first:
            problems.append(
                Problem(
                    table.name,
                    HEADER_ROW,
                    str(column),
                    str(column),
                    f"each column once: '{first[folded]}' and '{column}' are both read as '{folded}' "
                    "(remove or rename one)",
                )
            )
        first.setdefault(folded, str(column))
        names.append(folded)
    if problems:
        raise InputRejected(problems)
    frame = table.frame.copy()
    frame.columns = names
    return TextTable(table.name, frame, table.sha256)
