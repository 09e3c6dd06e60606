"""Records named as users know them in messages: the action's title, the officer's collar and name."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from rpdesk.db.editing import update_row
from rpdesk.db.labels import describe
from rpdesk.db.models import Abstraction, Meeting, Officer, PartnerAction
from rpdesk.errors import ConflictError
from rpdesk.services import actions, duty_records, meetings, officers
from rpdesk.services.wards import add_ward


def test_records_are_named_by_what_the_screens_show(db):
    with db.session() as s:
        add_ward(s, "E05000010", "Northgate")
        action = actions.add_action(s, "E05000010", "Clean the underpass", "PC Jo Turner")
        officers.add_officer(s, "PC1234", "Sam Smith", "PC", ward="E05000010", start=dt.date(2026, 1, 1))
        made = duty_records.record_abstraction(
            s, "PC1234", dt.date(2026, 11, 14), 4, "court", ward="E05000010", rostered_hours=8
        )
        meeting = meetings.add_meeting(s, "E05000010", "tcg", dt.date(2026, 12, 2))
    with db.session() as s:
        assert describe(s.get(PartnerAction, action.id)) == "action 'Clean the underpass'"
        assert describe(s.scalars(select(Officer)).one()) == "officer PC1234 Sam Smith"
        assert describe(s.get(Abstraction, made.id)) == "abstraction 4 h of PC1234 Sam Smith on 14/11/2026"
        assert describe(s.get(Meeting, meeting.id)) == "tasking (TCG) meeting of 02/12/2026"


def test_a_stale_edit_of_an_action_names_it_without_ids_or_versions(db):
    with db.session() as s:
        add_ward(s, "E05000011", "Southmead")
        action = actions.add_action(s, "E05000011", "Clean the underpass", "PC Jo Turner")
    with db.session() as s:
        actions.update_action(s, action.id, action.version, {"owner": "PS Somebody Else"})
    with pytest.raises(ConflictError) as caught, db.session() as s:
        update_row(s, PartnerAction, action.id, action.version, {"owner": "Me"})
    text = str(caught.value)
    assert text.startswith("Somebody else changed action 'Clean the underpass' after you opened it")
    assert "partneraction" not in text and "(id" not in text and "→" not in text
