"""Partner actions on both backends: adding, status flow with history, overdue, due soon, "we did"."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.db.database import Database
from rpdesk.db.models import Meeting
from rpdesk.domain.vocabulary import MeetingKind
from rpdesk.errors import ConflictError, UserError
from rpdesk.services import actions as ac
from rpdesk.services import wards
from rpdesk.services.wards import get_ward

WARD = "E05000001"
OTHER = "E05000002"
TODAY = dt.date(2026, 10, 15)


@pytest.fixture
def ward_db(db: Database) -> Database:
    with db.session() as s:
        wards.add_ward(s, WARD, "Northgate", neighbourhood="North Team")
        wards.add_ward(s, OTHER, "Southmead")
    return db


def _add(s, title, due, *, ward=WARD, **kw):
    return ac.add_action(
        s, ward, title, "PCSO Evans", due_date=due, created_on=dt.date(2026, 9, 1), changed_by="tester", **kw
    )


def test_overdue_and_due_soon_are_listed_correctly(ward_db):
    with ward_db.session() as s:
        late = _add(s, "Clean graffiti on the underpass", dt.date(2026, 10, 1))
        later = _add(s, "Fix the lights in Mill Lane", dt.date(2026, 10, 10))
        today = _add(s, "Letter drop on Elm Court", TODAY)
        soon = _add(s, "Dog warden patrols", TODAY + dt.timedelta(days=14))
        _add(s, "Youth club bid", TODAY + dt.timedelta(days=15))
        _add(s, "Leaflets", None)
        done = _add(s, "Bins emptied", dt.date(2026, 9, 20))
        ac.close_action(s, done.id, done.version, "Bins emptied weekly", today=dt.date(2026, 9, 19))
        blocked = _add(s, "CCTV camera", dt.date(2026, 9, 30))
        ac.change_status(s, blocked.id, blocked.version, "blocked", note="awaiting funding", today=TODAY)
        _add(s, "Elsewhere", dt.date(2026, 9, 1), ward=OTHER)

        overdue = ac.overdue_actions(s, ward=WARD, today=TODAY, due_soon_days=14)
        soon_list = ac.list_actions(s, ward=WARD, due_soon=True, today=TODAY, due_soon_days=14)
        everything = ac.list_actions(s, ward=WARD, today=TODAY, due_soon_days=14)
    assert [a.id for a in overdue] == [blocked.id, late.id, later.id]  # most overdue first
    assert [a.days_overdue for a in overdue] == [15, 14, 5]
    assert [a.id for a in soon_list] == [today.id, soon.id]
    assert len(everything) == 8 and everything[-1].due_date is None  # undated last
    assert not any(a.overdue for a in everything if a.status == "done")


def test_done_and_cancelled_actions_are_not_counted_and_the_counts_match_the_lists(ward_db):
    with ward_db.session() as s:
        _add(s, "Clean graffiti on the underpass", dt.date(2026, 10, 1))
        _add(s, "Dog warden patrols", TODAY + dt.timedelta(days=3))
        _add(s, "Leaflets", None, partner="Council street scene")
        done = _add(s, "Bins emptied", dt.date(2026, 9, 20))
        ac.close_action(s, done.id, done.version, "Bins emptied weekly", today=TODAY)
        dropped = _add(s, "CCTV camera", dt.date(2026, 9, 30))
        ac.change_status(s, dropped.id, dropped.version, "cancelled", note="no funding", today=TODAY)
        everything = ac.list_actions(s, ward=WARD, today=TODAY, due_soon_days=14)
        overdue = ac.overdue_actions(s, ward=WARD, today=TODAY, due_soon_days=14)
        active = ac.list_actions(s, ward=WARD, active=True, today=TODAY, due_soon_days=14)
        listed, partners = ac.actions_and_partners(s, WARD, due_soon_days=14)
    assert len(listed) == len(everything) == 5 and "Council street scene" in partners
    assert ac.count_actions(everything) == ac.ActionCounts(active=3, overdue=1, due_soon=1)
    assert ac.count_actions(everything).active == len(active) and ac.count_actions(everything).overdue == len(overdue)
    assert {a.title for a in everything if not ac.is_active(a)} == {"CCTV camera", "Bins emptied"}


def test_a_past_as_at_date_lists_actions_as_they_stood_that_day(ward_db):
    """A pack re-printed for an earlier meeting counts what was overdue then, not what is overdue now."""
    with ward_db.session() as s:
        late = _add(s, "Clean graffiti on the underpass", dt.date(2026, 9, 20))
        ac.close_action(s, late.id, late.version, "Graffiti removed", today=dt.date(2026, 10, 5))
        reopened = _add(s, "CCTV camera", dt.date(2026, 9, 25))
        reopened = ac.change_status(
            s, reopened.id, reopened.version, "blocked", note="funding", today=dt.date(2026, 9, 22)
        )
        ac.change_status(s, reopened.id, reopened.version, "open", note="funded", today=dt.date(2026, 10, 2))
        ac.add_action(
            s, WARD, "Raised later", "PC Shah", due_date=dt.date(2026, 10, 20), created_on=dt.date(2026, 10, 10)
        )

        def overdue_on(day: dt.date) -> dict[str, str]:
            return {a.title: a.status for a in ac.overdue_actions(s, ward=WARD, today=day, due_soon_days=14)}

        def listed_on(day: dt.date) -> set[str]:
            return {a.title for a in ac.list_actions(s, ward=WARD, today=day, due_soon_days=14)}

        assert overdue_on(dt.date(2026, 9, 30)) == {"Clean graffiti on the underpass": "open", "CCTV camera": "blocked"}
        assert overdue_on(dt.date(2026, 10, 3)) == {"Clean graffiti on the underpass": "open", "CCTV camera": "open"}
        assert overdue_on(dt.date(2026, 10, 6)) == {"CCTV camera": "open"}  # done on the 5th
        assert "Raised later" not in listed_on(dt.date(2026, 10, 6))  # not raised yet
        assert "Raised later" in listed_on(dt.date(2026, 10, 10))
        done_then = [a for a in ac.list_actions(s, ward=WARD, today=dt.date(2026, 10, 1), due_soon_days=14)]
        assert all(a.completed_on is None for a in done_then)  # nothing was done by 1 October


def test_status_changes_are_kept_in_history_and_done_sets_completed_on(ward_db):
    with ward_db.session() as s:
        a = _add(s, "Clean graffiti", dt.date(2026, 10, 1))
        a = ac.change_status(s, a.id, a.version, "in progress", changed_by="PS Grey", today=dt.date(2026, 9, 5))
        a = ac.close_action(s, a.id, a.version, "Wall cleaned and sealed", changed_by="PS Grey", today=TODAY)
        assert (a.status, a.completed_on, a.outcome) == ("done", TODAY, "Wall cleaned and sealed")
        with pytest.raises(UserError, match="reopen"):
            ac.change_status(s, a.id, a.version, "cancelled", note="oops", today=TODAY)
        a = ac.change_status(s, a.id, a.version, "open", note="graffiti is back", today=TODAY)
        assert a.completed_on is None
        history = ac.action_history(s, a.id)
    assert [(h.from_status, h.to_status) for h in history] == [
        (None, "open"),
        ("open", "in_progress"),
        ("in_progress", "done"),
        ("done", "open"),
    ]
    assert history[-1].note == "graffiti is back" and history[1].changed_by == "PS Grey"


def test_a_stale_edit_is_a_conflict_not_an_overwrite(ward_db):
    with ward_db.session() as s:
        a = _add(s, "Clean graffiti", dt.date(2026, 10, 1))
    with ward_db.session() as s:
        ac.update_action(s, a.id, a.version, {"owner": "PC Reed"})
    with pytest.raises(ConflictError), ward_db.session() as s:
        ac.update_action(s, a.id, a.version, {"owner": "PC Khan"})
    with ward_db.session() as s:
        assert ac.get_action(s, a.id).owner == "PC Reed"


def test_fields_partner_epic_and_links(ward_db):
    with ward_db.session() as s:
        with pytest.raises(UserError, match="control signal"):
            _add(s, "Fix lights", dt.date(2026, 10, 1), public=True)
        with pytest.raises(UserError, match="review date"):
            _add(s, "Fix lights", dt.date(2026, 10, 1), review_date=dt.date(2026, 10, 2))
        a = _add(
            s, "Fix lights", dt.date(2026, 10, 1), partner="Parks  Trust", epic="P", public=True, control_signal="Lamps"
        )
        assert (a.partner, a.epic, a.public) == ("Parks Trust", "prevention", True)
        a = ac.update_action(s, a.id, a.version, {"partner": "parks trust", "control_signal": "New lamps"})
        assert a.partner == "Parks Trust"  # same agency, any case
        assert [p.name for p in ac.list_partners(s)].count("Parks Trust") == 1
        with pytest.raises(UserError, match="already exists"):
            ac.add_partner(s, "PARKS TRUST")
        with pytest.raises(UserError, match="EPIC"):
            ac.update_action(s, a.id, a.version, {"epic": "publicity"})
        with pytest.raises(UserError, match="no priority"):
            ac.update_action(s, a.id, a.version, {"priority_id": 9999})
        with pytest.raises(UserError, match="control signal"):
            ac.update_action(s, a.id, a.version, {"control_signal": " "})
        with pytest.raises(UserError, match="Cannot change"):
            ac.update_action(s, a.id, a.version, {"ward_id": 2})
        with pytest.raises(UserError, match="title"):
            _add(s, "  ", None)
        with pytest.raises(UserError, match="no ward"):
            _add(s, "x", None, ward="E05999999")


def test_completed_since_last_meeting(ward_db, due_soon_days=14):
    with ward_db.session() as s:
        ward_id = get_ward(s, WARD).id
        s.add(Meeting(ward_id=ward_id, kind=MeetingKind.COMMUNITY, date=dt.date(2026, 9, 10)))
        s.add(Meeting(ward_id=ward_id, kind=MeetingKind.TCG, date=dt.date(2026, 10, 1)))
        before = _add(s, "Done before", None)
        ac.close_action(s, before.id, before.version, "done early", today=dt.date(2026, 9, 5))
        between = _add(s, "Done between", None, public=True, control_signal="Clean wall")
        ac.close_action(s, between.id, between.version, "done mid", today=dt.date(2026, 9, 20))
        after = _add(s, "Done after", None)
        ac.close_action(s, after.id, after.version, "done late", today=dt.date(2026, 10, 5))
        since_any = ac.completed_since_last_meeting(s, WARD, today=TODAY, due_soon_days=14)
        since_pact = ac.completed_since_last_meeting(s, WARD, today=TODAY, kind=MeetingKind.COMMUNITY, due_soon_days=14)
        public = ac.completed_since_last_meeting(
            s, WARD, today=TODAY, kind=MeetingKind.COMMUNITY, public_only=True, due_soon_days=14
        )
    assert since_any.since == dt.date(2026, 10, 1)
    assert [a.title for a in since_any.actions] == ["Done after"]
    assert [a.title for a in since_pact.actions] == ["Done between", "Done after"]
    assert [a.title for a in public.actions] == ["Done between"]
