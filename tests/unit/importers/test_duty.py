"""Roster import: every problem named (file, row, column, expectation), and nothing written on any."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from rpdesk.db.database import Database
from rpdesk.db.models import Abstraction, DutyRecord, ImportBatch
from rpdesk.errors import InputRejected
from rpdesk.importers.duty import read_roster
from rpdesk.services import abstractions as ab
from rpdesk.services import duty_records as records
from tests.support.roster import NORTHGATE, ROSTER_CSV, START, seed_people

OFFICERS = {"PC101": 1, "PC102": 2}
WARDS = {NORTHGATE: 10}
HEADER = "date,officer,ward,rostered_hours,abstracted_hours,reason,authorised_by,note\n"


def _write(tmp_path: Path, body: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _problems(path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(InputRejected) as caught:
        read_roster(path, OFFICERS, WARDS)
    return [(p.row, p.column, p.expected) for p in caught.value.problems]


def test_a_good_roster_groups_rows_into_officer_days(tmp_path):
    roster = read_roster(
        _write(
            tmp_path,
            "2026-09-08,PC101,E05000001,10,1,court,PS Grey,\n"
            "2026-09-08,pc101,e05000001,10,3,Response cover,PS Grey,second reason\n"
            "09/09/2026,PC102,E05000001,8,0,Annual leave,,\n"
            "2026-09-10,PC102,E05000001,8,,,,\n",
        ),
        OFFICERS,
        WARDS,
    )
    assert roster.name == "roster.csv"
    first, leave, plain = roster.days
    assert (first.officer_id, first.ward_id, first.rostered_hours, first.rows) == (1, 10, 10, (2, 3))
    assert [(a.hours, a.reason.value, a.note) for a in first.abstractions] == [
        (1, "court", None),
        (3, "response_cover", "second reason"),
    ]
    assert (leave.date, leave.absence.value, leave.abstractions) == (dt.date(2026, 9, 9), "annual_leave", ())
    assert plain.absence is None and plain.abstractions == ()


def test_cell_problems_name_row_column_and_expectation(tmp_path):
    problems = _problems(
        _write(
            tmp_path,
            "2026-02-30,PC101,E05000001,8,0,,,\n"
            "2026-09-08,PC999,E05000001,8,0,,,\n"
            "2026-09-09,PC101,E05999999,-2,0,,,\n"
            "2026-09-10,PC101,E05000001,8,1,coffee break,,\n",
        )
    )
    assert (2, "date", "a date that exists (e.g. 2026-09-01 or 01/09/2026)") in problems
    assert any(p[:2] == (3, "officer") and "collar number" in p[2] for p in problems)
    assert any(p[:2] == (4, "ward") and "ONS code" in p[2] for p in problems)
    assert (4, "rostered_hours", "a number from 0 to 24") in problems
    (reason,) = [p for p in problems if p[1] == "reason"]
    assert reason[0] == 5 and "response_cover" in reason[2] and "annual_leave" in reason[2]


def test_rules_between_cells(tmp_path):
    problems = _problems(
        _write(
            tmp_path,
            "2026-09-07,PC101,E05000001,8,9,court,,\n"  # more than rostered
            "2026-09-08,PC101,E05000001,8,2,sickness,,\n"  # absence with hours abstracted
            "2026-09-09,PC101,E05000001,8,2,,,\n"  # hours without a reason
            "2026-09-10,PC101,E05000001,8,0,court,,\n"  # a reason without hours
            "2026-09-11,PC102,E05000001,8,5,court,,\n"
            "2026-09-11,PC102,E05000001,8,4,training,,\n"  # together more than rostered
            "2026-09-12,PC102,E05000001,8,1,court,,\n"
            "2026-09-12,PC102,E05000001,10,1,court,,\n",  # second row disagrees on rostered hours
        )
    )
    assert [(row, column) for row, column, _ in problems] == [
        (2, "abstracted_hours"),
        (3, "abstracted_hours"),
        (4, "reason"),
        (5, "abstracted_hours"),
        (7, "abstracted_hours"),
        (9, "rostered_hours"),
    ]
    assert "at most the rostered hours (8)" in problems[0][2]
    assert "absence is not an abstraction" in problems[1][2]


def test_missing_columns_are_listed(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("date,officer,hours\n2026-09-07,PC101,8\n", encoding="utf-8")
    with pytest.raises(InputRejected) as caught:
        read_roster(path, OFFICERS, WARDS)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "ward"), (1, "rostered_hours")]


def test_xlsx_roster_with_spreadsheet_dates_and_spaced_headers(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Date", "Officer", "Ward", "Rostered Hours", "Abstracted Hours", "Reason"])
    ws.append([dt.datetime(2026, 9, 7), "PC101", NORTHGATE, 8, 2.5, "Scene guard / cordon"])
    book.save(tmp_path / "r.xlsx")
    (day,) = read_roster(tmp_path / "r.xlsx", OFFICERS, WARDS).days
    assert (day.date, day.abstractions[0].hours, day.abstractions[0].reason.value) == (
        dt.date(2026, 9, 7),
        2.5,
        "scene_guard",
    )


def _counts(db: Database) -> tuple[int, int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(DutyRecord)) or 0,
            s.scalar(select(func.count()).select_from(Abstraction)) or 0,
            s.scalar(select(func.count()).select_from(ImportBatch)) or 0,
        )


def test_import_is_all_or_nothing(db, tmp_path):
    with db.session() as s:
        seed_people(s)
    bad = _write(tmp_path, ROSTER_CSV.split("\n", 1)[1] + "2026-09-15,PC101,E05000001,8,9,court,,\n")
    with pytest.raises(InputRejected, match="row 14"), db.session() as s:
        records.import_duty(s, bad)
    assert _counts(db) == (0, 0, 0)


def test_import_writes_days_batches_and_refuses_days_already_recorded(db, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_CSV, encoding="utf-8")
    with db.session() as s:
        seed_people(s)
        result = records.import_duty(s, path)
    assert (result.days, result.absences, result.abstractions, result.replaced) == (11, 2, 5, 0)
    assert result.wards == ("E05000001", "E05000002")
    assert _counts(db) == (11, 5, 2)
    with pytest.raises(InputRejected, match="--replace") as caught, db.session() as s:
        records.import_duty(s, path)
    assert len(caught.value.problems) == 11
    assert _counts(db) == (11, 5, 2)
    with db.session() as s:
        again = records.import_duty(s, path, replace=True)
        total = ab.summary(s, start=START, end=dt.date(2026, 9, 14), target=0.8).total
    assert again.replaced == 11
    assert _counts(db)[:2] == (11, 5)
    assert (total.rostered_hours, total.abstracted_hours) == (76, 18)


def test_import_can_be_cancelled(db, tmp_path):
    from rpdesk.errors import Cancelled

    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_CSV, encoding="utf-8")
    with db.session() as s:
        seed_people(s)

    def cancel() -> None:
        raise Cancelled

    with pytest.raises(Cancelled), db.session() as s:
        records.import_duty(s, path, check=cancel)
    assert _counts(db) == (0, 0, 0)
