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


def test_utf16_text_as_excel_saves_unicode_text_is_read(tmp_path):
    table = read_table(write(tmp_path, "f.txt", "a\tb\r\nCafé\t1\r\n".encode("utf-16")))
    assert table.frame.iloc[0].tolist() == ["Café", "1"]


def test_a_short_row_before_the_last_reads_as_blanks_but_a_short_last_row_is_cut_off(tmp_path):
    table = read_table(write(tmp_path, "f.csv", b"a,b,c\n1\n2,3,4\n"))  # as Excel leaves trailing blanks out
    assert table.frame.iloc[0].tolist() == ["1", "", ""]
    with pytest.raises(InputRejected) as caught:
        read_table(write(tmp_path, "g.csv", b"a,b,c\n1,2,3\n4,5"))
    assert caught.value.problems[0].row == 3 and "cut off" in str(caught.value)


def test_a_file_ending_inside_a_quoted_cell_is_refused_with_its_row(tmp_path):
    with pytest.raises(InputRejected, match="closing quote") as caught:
        read_table(write(tmp_path, "f.csv", b'a,b\n1,2\n3,"a comment that was cut'))
    assert caught.value.problems[0].row == 3


@pytest.mark.parametrize(
    "text", ["2026-09-01 10:15:00", "2026-09-01T10:15:00Z", "01/09/2026 10:15", "01/09/2026, 23:59:59", "1/9/2026 7:05"]
)
def test_a_date_time_is_read_as_its_date(text):
    assert parse_date(text) == dt.date(2026, 9, 1)


@pytest.mark.parametrize("text", ["1_0", "٨", "１０", "inf", "nan", "1,0", "0x10", "1e999", "10 hours"])
def test_numbers_are_plain_ascii_digits(text):
    with pytest.raises(CellError):
        number_parser()(text)
    with pytest.raises(CellError):
        scale_parser(0, 24)(text)


def test_a_formula_is_read_from_its_saved_result_even_when_that_is_empty_text(tmp_path):
    import io
    import zipfile

    from tests.support.malformed import to_xlsx

    formulas = {(2, 1): '=CONCAT("a","b")', (2, 2): '=IF(A2="","","x")', (3, 1): "=1+1"}
    source = io.BytesIO(to_xlsx([["a", "b"], ["x", "1"], ["y", "2"]], formulas))
    saved = {  # as Excel saves them: each formula with its result; text results typed "str"
        b'<c r="A2"><f>CONCAT("a","b")</f><v /></c>': b'<c r="A2" t="str"><f>CONCAT("a","b")</f><v>ab</v></c>',
        b'<c r="B2"><f>IF(A2="","","x")</f><v /></c>': b'<c r="B2" t="str"><f>IF(A2="","","x")</f><v></v></c>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            for before, after in saved.items() if info.filename == "xl/worksheets/sheet1.xml" else ():
                assert before in data
                data = data.replace(before, after)
            dst.writestr(info, data)
    with pytest.raises(InputRejected) as caught:  # A3's =1+1 was saved without its result
        read_table(write(tmp_path, "f.xlsx", out.getvalue()))
    assert [(p.row, p.column, p.value) for p in caught.value.problems] == [(3, "a", "=1+1")]
    resolved = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(resolved)) as src, zipfile.ZipFile(out := io.BytesIO(), "w") as dst:
        for info in src.infolist():
            data = src.read(info).replace(b"<f>1+1</f><v /></c>", b"<f>1+1</f><v>2</v></c>")
            dst.writestr(info, data)
    table = read_table(write(tmp_path, "g.xlsx", out.getvalue()))
    assert table.frame.values.tolist() == [["ab", ""], ["2", "2"]]


def test_headers_that_collide_once_normalised_are_refused_by_name(tmp_path):
    table = read_table(write(tmp_path, "f.csv", b"litter_problem,Litter  Problem\n1,2\n"))
    with pytest.raises(InputRejected, match="'litter_problem' and 'Litter  Problem' are both read as 'litter_problem'"):
        normalise_headers(table)
    lat = read_table(write(tmp_path, "g.csv", b"lat,latitude\n1,2\n"))
    with pytest.raises(InputRejected, match="both read as 'latitude'"):
        normalise_headers(lat, {"lat": "latitude"})


def test_long_values_are_cut_in_messages():
    shown = str(Problem("f.csv", 2, "comments", "x" * 10_000_000, "short text"))
    assert len(shown) < 200 and "10,000,000 characters" in shown


def test_limits_are_checked_before_parsing(tmp_path):
    from rpdesk.importers.reading import Limits
    from tests.support.malformed import to_xlsx

    csv_path = write(tmp_path, "f.csv", b"a,b,c\n" + b"1,2,3\n" * 4)
    assert read_table(csv_path, limits=Limits(cells=12)).frame.shape == (4, 3)
    with pytest.raises(InputRejected, match="at most 11 cells"):
        read_table(csv_path, limits=Limits(cells=11))
    with pytest.raises(InputRejected, match="at most 2 columns"):
        read_table(csv_path, limits=Limits(columns=2))
    with pytest.raises(InputRejected, match="at most 3 characters"):
        read_table(write(tmp_path, "g.csv", b"a,b\n1,2345\n"), limits=Limits(cell_chars=3))
    xlsx_path = write(tmp_path, "f.xlsx", to_xlsx([["a", "b"], ["1", "2"], ["3", "4"]]))
    assert read_table(xlsx_path, limits=Limits(xlsx_cells=6)).frame.shape == (2, 2)
    with pytest.raises(InputRejected, match="at most 5 cells with values"):
        read_table(xlsx_path, limits=Limits(xlsx_cells=5))
    with pytest.raises(InputRejected, match="at most 1 columns"):
        read_table(xlsx_path, limits=Limits(columns=1))
