"""Ring-fence figures from the database, on both backends, against the hand count in tests/support/roster.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from rpdesk.db.database import Database
from rpdesk.db.models import Abstraction, DutyRecord
from rpdesk.errors import ConflictError, UserError
from rpdesk.services import abstractions as ab
from rpdesk.services import duty_records as records
from rpdesk.services import officers, wards
from tests.support.roster import END, EXPECTED, NORTHGATE, ROSTER_CSV, SOUTHMEAD, START, seed_people


@pytest.fixture
def roster_db(db: Database, tmp_path: Path) -> Database:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_CSV, encoding="utf-8")
    with db.session() as s:
        seed_people(s)
        records.import_duty(s, path)
    return db


def test_summary_by_officer_matches_the_hand_count(roster_db):
    with roster_db.session() as s:
        result = ab.summary(s, start=START, end=END, target=0.8)
    got = {
        (r.officer, r.ward): (r.rostered_hours, r.abstracted_hours, r.ring_fence, r.below_target) for r in result.rows
    }
    assert got == EXPECTED
    assert [r.officer for r in result.rows] == ["PC101", "PC102", "PCSO201"]  # worst first
    assert result.total.rostered_hours == 76 and result.total.abstracted_hours == 18
    assert result.total.ring_fence == pytest.approx(58 / 76, abs=1e-6)
    pc101 = result.rows[0]
    assert pc101.by_reason == {"response_cover": 2.0, "aid_central": 8.0}
    assert pc101.team == "North Team" and pc101.officer_name == "Alex Reed" and pc101.ring_fenced


def test_summary_by_ward_and_team(roster_db):
    with roster_db.session() as s:
        by_ward = ab.summary(s, start=START, end=END, by="ward", target=0.8).rows
        by_team = ab.summary(s, start=START, end=END, by="team", target=0.8).rows
    assert [(r.ward, r.rostered_hours, r.abstracted_hours, r.ring_fence, r.below_target) for r in by_ward] == [
        (NORTHGATE, 52, 14, pytest.approx(38 / 52, abs=1e-6), True),
        (SOUTHMEAD, 24, 4, pytest.approx(20 / 24, abs=1e-6), False),
    ]
    assert {r.team: (r.rostered_hours, r.abstracted_hours) for r in by_team} == {
        "North Team": (32, 10),
        "North Team B": (20, 4),
        "South Team": (24, 4),
    }


def test_one_ward_and_a_shorter_period(roster_db):
    with roster_db.session() as s:
        rows = ab.summary(s, ward=SOUTHMEAD, start=START, end=dt.date(2026, 9, 13), target=0.8).rows
    assert [(r.officer, r.rostered_hours, r.abstracted_hours, r.ring_fence) for r in rows] == [("PCSO201", 16, 0, 1.0)]


def test_by_reason_and_weekly(roster_db):
    with roster_db.session() as s:
        reasons = ab.by_reason(s, start=START, end=END)
        weeks = ab.weekly(s, start=START, end=END)
    assert [(r.reason, r.hours) for r in reasons] == [
        ("aid_central", 8),
        ("response_cover", 5),
        ("training", 4),
        ("court", 1),
    ]
    assert reasons[0].share_of_rostered == pytest.approx(8 / 76, abs=1e-6)
    assert [(w.week_start, w.figure.rostered_hours, w.figure.abstracted_hours) for w in weeks] == [
        (dt.date(2026, 9, 7), 68, 14),
        (dt.date(2026, 9, 14), 8, 4),
    ]


def test_supervisor_view_puts_the_worst_ward_first_and_flags_officers(roster_db):
    with roster_db.session() as s:
        view = ab.supervisor_view(s, START, END, target=0.8)
    assert [w.ward.ward for w in view.wards] == [NORTHGATE, SOUTHMEAD]
    north = view.wards[0]
    assert north.ward.team == "North Team" and north.ward.rostered_hours == 52
    assert north.officers_below == 1
    assert [(o.officer, o.below_target) for o in north.officers] == [("PC101", True), ("PC102", False)]
    assert view.total.rostered_hours == 76


def test_supervisor_view_lists_wards_without_duty_last_with_no_figure(roster_db):
    with roster_db.session() as s:
        wards.add_ward(s, "E05000003", "Eastfield")
        view = ab.supervisor_view(s, START, END, target=0.8)
    last = view.wards[-1]
    assert (last.ward.ward, last.ward.rostered_hours, last.ward.ring_fence, last.ward.below_target) == (
        "E05000003",
        0,
        None,
        False,
    )
    assert last.officers == ()


def test_monthly_return_has_hours_ring_fence_and_nil_lines(roster_db, tmp_path):
    with roster_db.session() as s:
        wards.add_ward(s, "E05000003", "Eastfield", neighbourhood="East Team")  # no duty at all this month
        officers.add_officer(s, "PCSO202", "Kim Lowe", "PCSO", ward=SOUTHMEAD, start=dt.date(2026, 1, 1))  # no duty
    with roster_db.session() as s:
        rows = ab.monthly_return(s, dt.date(2026, 9, 1), target=0.8)
    got = [
        (r.level, r.ward, r.team, r.officer, r.rostered_hours, r.abstracted_hours, r.ward_hours, r.below_target)
        for r in rows
    ]
    assert got == [
        ("ward", NORTHGATE, "North Team", None, 52, 14, 38, True),
        ("officer", NORTHGATE, "North Team", "PC101", 32, 10, 22, True),
        ("officer", NORTHGATE, "North Team B", "PC102", 20, 4, 16, False),
        ("ward", SOUTHMEAD, "South Team", None, 24, 4, 20, False),
        ("officer", SOUTHMEAD, "South Team", "PCSO201", 24, 4, 20, False),
        ("officer", SOUTHMEAD, "South Team", "PCSO202", 0, 0, 0, False),  # posted, nothing recorded: a nil line
        ("ward", "E05000003", "East Team", None, 0, 0, 0, False),  # a ward with nothing: a nil line
    ]
    assert rows[1].ring_fence == pytest.approx(22 / 32) and rows[1].by_reason == {
        "response_cover": 2.0,
        "aid_central": 8.0,
    }
    assert rows[5].ring_fence is None and rows[6].ring_fence is None  # nothing rostered: no figure, not 100%
    assert {r.month for r in rows} == {"2026-09"}


def test_monthly_return_files_carry_their_marking(roster_db, tmp_path):
    with roster_db.session() as s:
        n_csv = ab.write_monthly_return(
            s, dt.date(2026, 9, 1), tmp_path / "return.csv", marking="OFFICIAL-SENSITIVE", target=0.8
        )
        n_xlsx = ab.write_monthly_return(
            s, dt.date(2026, 9, 1), tmp_path / "return.xlsx", marking="OFFICIAL-SENSITIVE", target=0.8
        )
    assert n_csv == n_xlsx == 5  # two wards and three officers
    lines = (tmp_path / "return.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == lines[-1] == "OFFICIAL-SENSITIVE"
    assert lines[1].split(",")[:13] == list(ab.RETURN_COLUMNS[:13])
    assert lines[2].startswith(f"2026-09,ward,{NORTHGATE},Northgate,North Team,,,52.0,14.0,38.0,0.7308,0.8,yes")
    sheet = openpyxl.load_workbook(tmp_path / "return.xlsx").active
    assert sheet["A1"].value == "OFFICIAL-SENSITIVE" and sheet.oddFooter.center.text == "OFFICIAL-SENSITIVE"
    assert [c.value for c in sheet[2]] == list(ab.RETURN_COLUMNS) and sheet.freeze_panes == "A3"
    assert sheet.max_row == 7 and sheet["H3"].value == 52


def test_monthly_ring_fence_trend(roster_db):
    with roster_db.session() as s:
        series = ab.monthly(s, end=dt.date(2026, 10, 15), ward=NORTHGATE)
        every = ab.monthly_by_ward(s, end=dt.date(2026, 10, 15))
    assert [m.month for m in series] == [
        dt.date(2025, 11 + i, 1) if i < 2 else dt.date(2026, i - 1, 1) for i in range(12)
    ]
    september = series[-2].figure
    assert (september.rostered_hours, september.abstracted_hours) == (52, 14)
    assert series[-1].figure.share is None  # no duty in October yet: no figure
    assert [m.figure.rostered_hours for m in every[NORTHGATE]] == [m.figure.rostered_hours for m in series]
    assert every[SOUTHMEAD][-2].figure.share == pytest.approx(20 / 24)


def test_record_abstraction_creates_the_day_and_refuses_too_many_hours(db):
    day = dt.date(2026, 9, 1)
    with db.session() as s:
        seed_people(s)
        info = records.record_abstraction(
            s, "pc101", day, 3, "Court", authorised_by="PS Grey", ward=NORTHGATE, rostered_hours=8
        )
        assert (info.officer, info.ward, info.reason, info.hours) == ("PC101", NORTHGATE, "court", 3)
        records.record_abstraction(s, "PC101", day, 5, "training")
        with pytest.raises(UserError, match="exceed the rostered hours"):
            records.record_abstraction(s, "PC101", day, 0.5, "training")
        assert [a.hours for a in records.list_abstractions(s, officer="PC101", start=day, end=day)] == [3, 5]


def test_two_people_abstracting_the_same_day_at_once_is_a_conflict(db):
    day = dt.date(2026, 9, 1)
    with db.session() as s:
        seed_people(s)
        records.record_duty(s, "PC101", NORTHGATE, day, 8)
    with pytest.raises(ConflictError), db.session() as mine:
        stale = mine.scalar(select(DutyRecord))  # I opened the day before the other person saved
        assert stale is not None and stale.version == 1
        with db.session() as theirs:
            records.record_abstraction(theirs, "PC101", day, 5, "court")
        records.record_abstraction(mine, "PC101", day, 3, "training")
    with db.session() as s:
        assert [a.hours for a in records.list_abstractions(s, officer="PC101", start=day, end=day)] == [5]


def test_recording_mistakes_are_user_errors(db):
    day = dt.date(2026, 9, 1)
    with db.session() as s:
        seed_people(s)
        records.record_duty(s, "PC102", NORTHGATE, day, 8, absence="sickness")
        with pytest.raises(UserError, match="Valid reasons: response_cover"):
            records.record_abstraction(s, "PC101", day, 2, "coffee", ward=NORTHGATE, rostered_hours=8)
        with pytest.raises(UserError, match="no officer"):
            records.record_abstraction(s, "PC999", day, 2, "court", ward=NORTHGATE, rostered_hours=8)
        with pytest.raises(UserError, match="no ward"):
            records.record_abstraction(s, "PC101", day, 2, "court", ward="E05999999", rostered_hours=8)
        with pytest.raises(UserError, match="more than 0"):
            records.record_abstraction(s, "PC101", day, -1, "court", ward=NORTHGATE, rostered_hours=8)
        with pytest.raises(UserError, match="absences are not abstractions"):
            records.record_abstraction(s, "PC102", day, 2, "court")
        with pytest.raises(UserError, match="give the ward and rostered hours"):
            records.record_abstraction(s, "PC101", day, 2, "court")
        with pytest.raises(UserError, match="already has a duty record"):
            records.record_duty(s, "PC102", NORTHGATE, day, 8)


def test_postings_do_not_overlap(db):
    with db.session() as s:
        seed_people(s)
        with pytest.raises(UserError, match="already posted"):
            officers.add_posting(s, "PC101", SOUTHMEAD, dt.date(2026, 6, 1))
        (posting,) = officers.list_officers(s, ward=NORTHGATE, on=dt.date(2026, 6, 1))[0].postings
        officers.end_posting(s, posting.id, posting.version, dt.date(2026, 5, 31))
        officers.add_posting(s, "PC101", SOUTHMEAD, dt.date(2026, 6, 1), team="South Team")
        assert [o.collar for o in officers.list_officers(s, ward=SOUTHMEAD, on=dt.date(2026, 6, 2))] == [
            "PC101",
            "PCSO201",
        ]


def test_one_officer_and_their_total(roster_db):
    with roster_db.session() as s:
        result = ab.summary(s, officer="pc102", start=START, end=END, by="ward", target=0.8)
    assert [(r.ward, r.rostered_hours, r.abstracted_hours) for r in result.rows] == [(NORTHGATE, 20, 4)]
    assert (result.total.rostered_hours, result.total.abstracted_hours, result.total.ring_fence) == (20, 4, 0.8)


def test_corrections_keep_the_rules_and_refuse_stale_copies(db):
    day = dt.date(2026, 9, 1)
    with db.session() as s:
        seed_people(s)
        first = records.record_abstraction(s, "PC101", day, 3, "court", ward=NORTHGATE, rostered_hours=8)
        records.record_abstraction(s, "PC101", day, 4, "training")
    with db.session() as s:
        with pytest.raises(UserError, match="exceed the rostered hours"):
            records.update_abstraction(s, first.id, first.version, {"hours": 5})
        fixed = records.update_abstraction(s, first.id, first.version, {"hours": 4, "reason": "Scene guard / cordon"})
        assert (fixed.hours, fixed.reason, fixed.version) == (4, "scene_guard", 2)
    with pytest.raises(ConflictError), db.session() as s:
        records.update_abstraction(s, first.id, first.version, {"note": "stale"})
    with db.session() as s:
        (duty,) = records.list_duty(s, officer="PC101", start=day, end=day)
        with pytest.raises(UserError, match="cannot be fewer"):
            records.update_duty(s, duty.id, duty.version, {"rostered_hours": 6})
        with pytest.raises(UserError, match="delete those"):
            records.update_duty(s, duty.id, duty.version, {"absence": "sickness"})
        records.delete_abstraction(s, fixed.id, fixed.version)
        duty = records.list_duty(s, officer="PC101", start=day, end=day)[0]
        assert records.update_duty(s, duty.id, duty.version, {"rostered_hours": 6}).rostered_hours == 6
        assert [a.hours for a in records.list_abstractions(s, officer="PC101", start=day, end=day)] == [4]


def test_figures_load_without_pandas():
    """Screens that only show figures must not pay pandas' second of start-up (only a roster import needs it)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import rpdesk.services.abstractions, rpdesk.services.duty_records, rpdesk.services.actions\n"
        "import rpdesk.services.officers, rpdesk.exports\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'openpyxl') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_deleting_an_abstraction_can_remove_the_duty_day_it_was_recorded_with(db):
    day = dt.date(2026, 9, 1)
    with db.session() as s:
        seed_people(s)
        made = records.record_abstraction(s, "PC101", day, 3, "court", ward=NORTHGATE, rostered_hours=8)
        lone = records.lone_duty_day(s, made.id)
        assert lone is not None and (lone.officer, lone.date, lone.rostered_hours) == ("PC101", day, 8)
    with db.session() as s:
        records.delete_abstraction(s, made.id, made.version, with_duty_day=True)
    with db.session() as s:
        assert records.list_duty(s, officer="PC101", start=day, end=day) == []  # no 8 h of phantom ward time
        assert records.list_abstractions(s, officer="PC101", start=day, end=day) == []


def test_a_duty_day_with_other_abstractions_or_from_a_roster_stays_and_nothing_is_deleted(roster_db):
    day = dt.date(2026, 9, 1)
    with roster_db.session() as s:
        first = records.record_abstraction(s, "PC102", day, 1, "court", ward=NORTHGATE, rostered_hours=8)
        second = records.record_abstraction(s, "PC102", day, 2, "training")
        assert records.lone_duty_day(s, first.id) is None
    stays = r"duty day of abstraction 1 h of PC102 .* on 01/09/2026 stays"
    with pytest.raises(UserError, match=stays), roster_db.session() as s:
        records.delete_abstraction(s, first.id, first.version, with_duty_day=True)
    with roster_db.session() as s:
        assert len(records.list_abstractions(s, officer="PC102", start=day, end=day)) == 2  # nothing deleted
        records.delete_abstraction(s, first.id, first.version)  # alone, the day keeps its other abstraction
        assert records.lone_duty_day(s, second.id) is not None
        on_roster = s.scalars(
            select(Abstraction.id)
            .join(DutyRecord, DutyRecord.id == Abstraction.duty_id)
            .where(DutyRecord.import_id.is_not(None))
        ).first()
        assert on_roster is not None and records.lone_duty_day(s, on_roster) is None


def test_an_abstraction_dated_after_today_is_refused_and_writes_nothing(db):
    day = dt.date(2026, 9, 2)
    with db.session() as s:
        seed_people(s)
    with pytest.raises(UserError, match="in the future"), db.session() as s:
        records.record_abstraction(
            s, "PC101", day, 2, "court", ward=NORTHGATE, rostered_hours=8, today=dt.date(2026, 9, 1)
        )
    with db.session() as s:
        assert records.list_duty(s, officer="PC101", start=day, end=day) == []


def test_a_day_on_duty_without_rostered_hours_is_refused_and_so_is_putting_an_absence_back_on_duty(db):
    day = dt.date(2026, 9, 3)
    with db.session() as s:
        seed_people(s)
    with pytest.raises(UserError, match="A day on duty needs its rostered hours"), db.session() as s:
        records.record_duty(s, "PC101", NORTHGATE, day, 0)
    with db.session() as s:
        duty = records.record_duty(s, "PC101", NORTHGATE, day, 0, absence="sickness")
    with pytest.raises(UserError, match="A day on duty needs its rostered hours"), db.session() as s:
        records.update_duty(s, duty.id, duty.version, {"absence": None})
