"""How big an import file may be, and the one-line refusal when it is not.

Limits are checked before a file is parsed, not after: a hostile or broken file must not take minutes
or gigabytes before being refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from rpdesk.errors import InputRejected, Problem

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How big an input may be. Beyond these a file is refused before it is parsed, not after.

    A hostile or broken file must not take minutes or gigabytes before being refused: a few KB of
    XLSX can declare gigabytes of XML (a "zip bomb"), and a CSV header of a million commas makes pandas
    build a million columns. So the file size, the workbook's declared uncompressed sizes and the
    header width are checked first, and cells while they are read. The defaults are far above any
    real export (a 100,000-respondent survey is 19 MB of CSV; police.uk force files are 5-40 MB).
    """

    file_bytes: int = 200 * MB  # a CSV file on disk
    xlsx_bytes: int = 50 * MB  # an XLSX file on disk (compressed)
    xlsx_uncompressed: int = 150 * MB  # all members of the workbook's zip, as declared
    shared_strings: int = 40 * MB  # the workbook's shared-string table, as declared
    xlsx_ratio: int = 100  # how many times a workbook part may grow when unpacked (Apache POI's default)
    xlsx_cells: int = 5_000_000  # cells of the workbook that hold a value (openpyxl reads ~100k a second)
    cells: int = 10_000_000  # a CSV's rows x header columns (pandas holds each cell as a Python string)
    columns: int = 1_000
    cell_chars: int = 32_767  # Excel's own limit for one cell


LIMITS = Limits()


def refused(name: str, expected: str, row: int | None = None, column: str | None = None) -> InputRejected:
    """A whole-file (or one-place) refusal: ``name`` was expected to be ``expected``."""
    return InputRejected([Problem(name, row, column, None, expected)])
