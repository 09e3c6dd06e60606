"""The pages' record tables: what each user may see in them, and which rows each lists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rpdesk.db import models as m
from rpdesk.domain.vocabulary import AbsenceKind, ObservationStatus
from rpdesk.services.record_tables import Order
from rpdesk.services.ward_tables import duty_table, observation_stands_out, officers_table

TODAY = dt.date(2026, 10, 31)  # the demo's today


def test_an_absence_reason_shows_and_is_found_only_for_a_supervisor(demo_db):
    with demo_db.session() as s:
        day = s.scalars(
            select(m.DutyRecord).where(m.DutyRecord.ward_id == 1, m.DutyRecord.absence.is_not(None))
        ).first()
        day.absence = AbsenceKind.SICKNESS
        key = day.id
    for supervisor, shown, found in ((False, "absent", 0), (True, "sickness", 1)):
        source = duty_table(demo_db, 1, supervisor=supervisor)
        rows = source.page(Order(), "", 1, after=(key - 1,))
        assert rows[0][0] == key and source.cells(rows[0])[-1] == shown
        assert source.count("sickness") == found


def test_officers_are_listed_while_their_posting_is_in_force(demo_db):
    with demo_db.session() as s:
        posting = s.scalars(select(m.Posting).where(m.Posting.ward_id == 1)).first()
        posting.end_date = TODAY - dt.timedelta(days=1)
        ended = posting.id
    today = officers_table(demo_db, 1, TODAY).page(Order(), "", 1000)
    before = officers_table(demo_db, 1, TODAY - dt.timedelta(days=1)).page(Order(), "", 1000)
    assert ended not in {r[0] for r in today} and ended in {r[0] for r in before}


def test_only_open_severe_findings_stand_out():
    def row(severity: int, status: ObservationStatus) -> tuple:
        return (1, "Litter", "High St", severity, 1, None, None, status, None)

    assert observation_stands_out(row(4, ObservationStatus.OPEN))
    assert not observation_stands_out(row(3, ObservationStatus.OPEN))
    assert not observation_stands_out(row(5, ObservationStatus.RESOLVED))
