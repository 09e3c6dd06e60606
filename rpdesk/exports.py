"""CSV and XLSX files that a spreadsheet opens without running anything (formula injection).

Text typed by users (an action title, an abstraction note, a partner's name) ends up in exports
that supervisors open in Excel or LibreOffice. A cell beginning with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return, which some spreadsheets strip before looking for those) is read as a
formula, which can run commands or send data away (OWASP "CSV Injection"). Every text cell is
therefore *neutralised*: such a cell gets a leading apostrophe, which spreadsheets show as text.

Numbers, dates and booleans are written as themselves (a negative number is a number, not a
formula). Every export in rpdesk, CLI and GUI alike, goes through :func:`write_table`.

Public API:
- ``neutralise(value) -> value`` — one cell made safe (non-text passes through).
- ``write_csv(path, columns, rows)``, ``write_xlsx(path, columns, rows, *, sheet="Sheet1")``.
- ``write_table(path, columns, rows, *, sheet=..., marking=None)`` — by the file's suffix (.csv or .xlsx).

A ``marking`` (e.g. OFFICIAL-SENSITIVE) is written where whoever opens the file sees it: in a CSV
as a line of its own before the header and again after the last row; in an XLSX as the first row
(the header is the second, frozen with it) and in the printed page's header and footer.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from rpdesk.domain.values import plain
from rpdesk.errors import UserError
from rpdesk.outputs import private_dir, write_aside

#: A text cell starting with any of these would be read as a formula (or stripped down to one).
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limit on a sheet name; it also refuses some characters.
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def neutralise(value: Any) -> Any:
    """``value`` safe for a spreadsheet cell: dangerous text gets a leading apostrophe; enums become text."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    value = plain(neutralise(value))
    return "" if value is None else value


def _atomic_write(path: Path, write: Any) -> None:
    """Write through a temporary file in the same folder, so a failed export never leaves half a file."""
    private_dir(path.parent)
    with write_aside(path) as tmp:
        write(tmp)


def write_csv(
    path: Path | str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, marking: str | None = None
) -> None:
    """UTF-8 CSV with a byte-order mark (so Excel on Windows reads accents), header first (after any marking)."""

    def write(target: Path) -> None:
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            if marking:
                writer.writerow([_csv_cell(marking)])
            writer.writerow([_csv_cell(c) for c in columns])
            for row in rows:
                writer.writerow([_csv_cell(v) for v in row])
            if marking:
                writer.writerow([_csv_cell(marking)])

    _atomic_write(Path(path), write)


def write_xlsx(
    path: Path | str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "Sheet1",
    marking: str | None = None,
) -> None:
    """One-sheet XLSX with a bold, frozen header row; every text cell stored as text, never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    def write(target: Path) -> None:
        book = Workbook(write_only=False)
        ws = book.active
        ws.title = (sheet.translate(_SHEET_FORBIDDEN).strip() or "Sheet1")[:SHEET_NAME_MAX]
        if marking:
            ws.append([neutralise(marking)])
            ws["A1"].font = Font(bold=True, color="B00020")
            ws.oddHeader.center.text = ws.oddFooter.center.text = marking.replace("&", "&&")
        ws.append([neutralise(c) for c in columns])
        header = ws.max_row
        for cell in ws[header]:
            cell.font = Font(bold=True)
        ws.freeze_panes = f"A{header + 1}"
        for row in rows:
            ws.append([neutralise(v) for v in row])
        for row_cells in ws.iter_rows(min_row=1):
            for cell in row_cells:
                if cell.data_type == "f":  # belt and braces: openpyxl reads any "=..." as a formula
                    cell.data_type = "s"
        book.save(target)

    _atomic_write(Path(path), write)


def write_table(
    path: Path | str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "Sheet1",
    marking: str | None = None,
) -> None:
    """Write ``rows`` under ``columns`` as CSV or XLSX according to the file name's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        write_csv(path, columns, rows, marking=marking)
    elif suffix == ".xlsx":
        write_xlsx(path, columns, rows, sheet=sheet, marking=marking)
    else:
        raise UserError(f"Cannot export to '{Path(path).name}': the file name should end in .csv or .xlsx.")
