"""The shared reader and cell parsers: encodings, layouts and every problem collected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from rpdesk.errors import InputRejected, Problem
from rpdesk.importers.reading import (
    CellError,
    normalise_headers,
    number_parser,
    parse_column,
    parse_date,
    parse_month,
    parse_yes_no,
    read_table,
    require_columns,
    scale_parser,
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "data",
    [
        "a,b\nCafé,1\n".encode(),
        b"\xef\xbb\xbf" + "a,b\nCafé,1\n".encode(),
        "a,b\nCafé,1\n".encode("cp1252"),
        "a;b\r\nCafé;1\r\n".encode(),
    ],
    ids=["utf8", "utf8-bom", "windows-1252", "semicolons-crlf"],
)
def test_encodings_and_separators_read_the_same(tmp_path, data):
    table = read_table(write(tmp_path, "f.csv", data))
    assert list(table.frame.columns) == ["a", "b"]
    assert table.frame.iloc[0].tolist() == ["Café", "1"]


def test_quoted_fields_with_newlines_stay_one_row(tmp_path):
    table = read_table(write(tmp_path, "f.csv", b'a,b\n"line one\nline two",2\nx,3\n'))
    assert table.frame["a"].tolist() == ["line one\nline two", "x"]
    assert table.row_number(1) == 3


def test_xlsx_cells_become_text(tmp_path):
    path = tmp_path / "f.xlsx"
    pd.DataFrame({"date": [dt.datetime(2026, 9, 1)], "n": [3.0], "t": ["x"]}).to_excel(path, index=False)
    table = read_table(path)
    assert table.frame.iloc[0].tolist() == ["2026-09-01", "3", "x"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "it is empty"),
        (b"   \n\n", "it is empty"),
        (b"a,b\n", "at least one data row"),
        (b"\x00\x01\x02binary", "it is binary"),
        (b"a,a\n1,2\n", "each column name once"),
        (b"a,b\n1,2\n3,4,5\n", "the same number of fields"),
        (b"PK\x03\x04not really a workbook", "readable XLSX"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(tmp_path, data, expected):
    with pytest.raises(InputRejected) as caught:
        read_table(write(tmp_path, "f.csv", data))
    assert expected in str(caught.value)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(InputRejected, match="readable file"):
        read_table(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-09-01", dt.date(2026, 9, 1)),
        ("01/09/2026", dt.date(2026, 9, 1)),
        ("1/9/2026", dt.date(2026, 9, 1)),
        ("01.09.2026", dt.date(2026, 9, 1)),
        ("2026-09-01 00:00:00", dt.date(2026, 9, 1)),
    ],
)
def test_dates_iso_and_uk(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["2026-02-30", "31/04/2026", "tomorrow", "09/2026"])
def test_impossible_or_unknown_dates(text):
    with pytest.raises(CellError):
        parse_date(text)


def test_months_yes_no_scales_and_numbers():
    assert parse_month("2026-09") == dt.date(2026, 9, 1)
    assert parse_yes_no("YES") is True and parse_yes_no("n") is False
    scale = scale_parser(0, 3, {"A very big problem": 3})
    assert scale("a VERY big problem") == 3 and scale("2") == 2 and scale("2.0") == 2
    for bad in ("4", "1.5", "-1", "big"):
        with pytest.raises(CellError, match="0 to 3"):
            scale(bad)
    number = number_parser(0, 10)
    assert number_parser()("1,000") == 1000
    assert number("7.5") == 7.5
    with pytest.raises(CellError, match="from 0 to 10"):
        number("11")
    with pytest.raises(CellError):
        number("nan")


def test_parse_column_collects_every_bad_cell_with_its_row(tmp_path):
    table = read_table(write(tmp_path, "f.csv", b"n,m\n1,a\nx,a\n,a\n2,a\nx,a\n9,a\n"))
    problems: list[Problem] = []
    values = parse_column(table, "n", scale_parser(0, 3), problems, required=True)
    assert values.tolist() == [1, None, None, 2, None, None]
    rows = sorted((p.row, p.value) for p in problems)
    assert rows == [(3, "x"), (4, ""), (6, "x"), (7, "9")]
    assert all(p.file == "f.csv" and p.column == "n" for p in problems)


def test_require_and_normalise_headers(tmp_path):
    table = read_table(write(tmp_path, "f.csv", b"Conf Good  Job,Date\n1,2\n"))
    assert list(normalise_headers(table).frame.columns) == ["conf_good_job", "date"]
    missing = require_columns(table, ["date", "respondent"])
    assert [(p.row, p.column) for p in missing] == [(1, "respondent")]
