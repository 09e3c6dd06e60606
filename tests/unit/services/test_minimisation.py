"""Minimisation: an absence is stored as "absent" unless the force keeps reasons; then only supervisors see them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select, text

from rpdesk.db.models import DutyRecord
from rpdesk.services import duty_records as records
from rpdesk.settings import Settings
from tests.support.roster import NORTHGATE, ROSTER_CSV, seed_people

DAY = dt.date(2026, 9, 1)


def _stored(db) -> list[str]:
    with db.engine.connect() as con:  # the raw column: what a copy of the file would give away
        return [r[0] for r in con.execute(text("SELECT absence FROM duty_record WHERE absence IS NOT NULL"))]


def test_by_default_the_reason_is_never_stored(db, tmp_path: Path):
    with db.session() as s:
        seed_people(s)
        info = records.record_duty(s, "PC102", NORTHGATE, DAY, 0, absence="sickness")
        duty = s.scalar(select(DutyRecord))
        assert duty is not None
        records.update_duty(s, duty.id, duty.version, {"absence": "annual_leave"})
    assert info.absence == "absent" and _stored(db) == ["absent"]
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    with db.session() as s:
        summary = records.import_duty(s, roster, replace=True)
    assert summary.absences >= 2 and set(_stored(db)) == {"absent"}


def test_a_force_that_keeps_reasons_shows_them_only_to_supervisors(db):
    keeps = Settings.with_values({"absence_detail": "reason"})
    with db.session() as s:
        seed_people(s)
        records.record_duty(s, "PC102", NORTHGATE, DAY, 0, absence="sickness", settings=keeps)
        officer_view = records.list_duty(s, officer="PC102", start=DAY, end=DAY, settings=keeps)
    assert _stored(db) == ["sickness"] and [d.absence for d in officer_view] == ["absent"]
    supervisor = Settings.with_values({"absence_detail": "reason", "user_role": "supervisor"})
    with db.session() as s:
        supervisor_view = records.list_duty(s, officer="PC102", start=DAY, end=DAY, settings=supervisor)
    assert [d.absence for d in supervisor_view] == ["sickness"]


def test_the_demo_stores_no_absence_reason(demo_db):
    with demo_db.engine.connect() as con:
        held = {r[0] for r in con.execute(text("SELECT DISTINCT absence FROM duty_record WHERE absence IS NOT NULL"))}
    assert held == {"absent"}
