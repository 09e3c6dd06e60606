"""Change sets: every committed unit of work names the tables it wrote, however it wrote them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select

from rpdesk.db import models as m
from rpdesk.db.bulk import bulk_insert
from rpdesk.db.changelog import collecting
from rpdesk.services.actions import add_action, list_actions
from rpdesk.services.wards import add_ward

WARD = "E05000650"


def test_orm_writes_bulk_inserts_and_statements_are_collected_and_reads_are_not(db):
    with collecting() as added, db.session() as s:
        add_ward(s, WARD, "Change Set Ward", lsoas=["E01000001"])
    assert {"ward", "ward_lsoa"} <= added and "change_log" not in added

    with collecting() as action, db.session() as s:
        add_action(s, WARD, "Clear the alley", "PCSO Lane", created_on=dt.date(2026, 9, 1))
    assert action == {"partner_action", "action_status_change"}

    with collecting() as read, db.session() as s:
        list_actions(s, ward=WARD, due_soon_days=14)
        s.scalars(select(m.Ward)).all()
    assert read == set()

    with collecting() as bulk, db.session() as s:
        ward_id = s.scalar(select(m.Ward.id))
        bulk_insert(s, m.SurveyRound, ("ward_id", "name", "method", "version"), [(ward_id, "Autumn", "door", 1)])
        s.execute(delete(m.ActionStatusChange))
    assert bulk == {"survey_round", "action_status_change"}


def test_a_rolled_back_unit_of_work_announces_nothing(db):
    with collecting() as tables, pytest.raises(RuntimeError), db.session() as s:
        add_ward(s, WARD, "Never Saved", lsoas=[])
        raise RuntimeError("the user cancelled")
    assert tables == set()
    with db.session() as s:
        assert s.scalar(select(m.Ward.id)) is None


def test_two_units_of_work_in_one_task_announce_both(db):
    with collecting() as tables:
        with db.session() as s:
            add_ward(s, WARD, "First", lsoas=[])
        with db.session() as s:
            add_action(s, WARD, "Then an action", "PC Reed", created_on=dt.date(2026, 9, 1))
    assert {"ward", "partner_action", "action_status_change"} <= tables
