"""Planning and listing a ward's meetings, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.db.database import Database
from rpdesk.db.models import MeetingDocument
from rpdesk.domain.vocabulary import DocumentKind
from rpdesk.errors import ConflictError, UserError
from rpdesk.services.meetings import (
    add_meeting,
    cancel_meeting,
    list_meetings,
    meeting_documents,
    update_meeting,
)
from rpdesk.services.wards import add_ward


@pytest.fixture
def ward_db(db: Database) -> Database:
    with db.session() as s:
        add_ward(s, "E05000001", "Northgate")
    return db


def test_planned_meetings_are_listed_newest_first_with_their_documents(ward_db):
    with ward_db.session() as s:
        add_meeting(s, "E05000001", "tcg", dt.date(2026, 11, 10), start_time="10:00", venue="Station")
        add_meeting(s, "e05000001", "community", dt.date(2026, 12, 1), venue=" Church hall ")
    with ward_db.session() as s:
        rows = list_meetings(s, "E05000001")
    assert [(r.kind, r.date, r.venue, r.documents) for r in rows] == [
        ("community", dt.date(2026, 12, 1), "Church hall", 0),
        ("tcg", dt.date(2026, 11, 10), "Station", 0),
    ]
    assert rows[0].document_kinds == ("briefing",)
    assert rows[1].document_kinds == ("tasking", "card") and rows[1].start_time == "10:00"


def test_a_second_meeting_of_the_same_kind_on_a_day_is_refused(ward_db):
    with ward_db.session() as s:
        add_meeting(s, "E05000001", "tcg", dt.date(2026, 11, 10))
    with pytest.raises(UserError, match="already has"), ward_db.session() as s:
        add_meeting(s, "E05000001", "tcg", dt.date(2026, 11, 10))


@pytest.mark.parametrize(("kind", "time", "words"), [("pact", None, "not one of"), ("tcg", "25:00", "time of day")])
def test_bad_kind_or_time_is_refused(ward_db, kind, time, words):
    with pytest.raises(UserError, match=words), ward_db.session() as s:
        add_meeting(s, "E05000001", kind, dt.date(2026, 11, 10), start_time=time)


def _record_document(s, meeting_id: int, kind: DocumentKind = DocumentKind.TASKING, hour: int = 9) -> None:
    s.add(
        MeetingDocument(
            meeting_id=meeting_id,
            kind=kind,
            generated_at=dt.datetime(2026, 11, 9, hour),
            generated_by="ps1234",
            path=f"/tmp/{kind.value}.pdf",
            sha256="0" * 64,
            pages=3,
            marking="OFFICIAL-SENSITIVE",
        )
    )


def test_a_meeting_is_moved_and_re_described_at_the_version_read(ward_db):
    with ward_db.session() as s:
        tcg = add_meeting(s, "E05000001", "tcg", dt.date(2026, 11, 10), start_time="10:00", venue="Station")
    with ward_db.session() as s:
        moved = update_meeting(s, tcg.id, tcg.version, {"date": dt.date(2026, 11, 12), "start_time": "14:30"})
    assert (moved.date, moved.start_time, moved.venue, moved.version) == (dt.date(2026, 11, 12), "14:30", "Station", 2)
    with pytest.raises(ConflictError), ward_db.session() as s:
        update_meeting(s, tcg.id, tcg.version, {"venue": "Library"})  # read before the move: refused
    with ward_db.session() as s:
        (row,) = list_meetings(s, "E05000001")
    assert row.venue == "Station"


def test_moving_onto_a_day_with_a_meeting_of_that_kind_is_refused(ward_db):
    with ward_db.session() as s:
        add_meeting(s, "E05000001", "tcg", dt.date(2026, 11, 10))
        other = add_meeting(s, "E05000001", "tcg", dt.date(2026, 11, 17))
    with pytest.raises(UserError, match="already has"), ward_db.session() as s:
        update_meeting(s, other.id, other.version, {"date": dt.date(2026, 11, 10)})
    with pytest.raises(UserError, match="Nothing to change"), ward_db.session() as s:
        update_meeting(s, other.id, other.version, {})


def test_a_meeting_is_cancelled_unless_documents_were_recorded_against_it(ward_db):
    with ward_db.session() as s:
        planned = add_meeting(s, "E05000001", "community", dt.date(2026, 12, 1))
        printed = add_meeting(s, "E05000001", "tcg", dt.date(2026, 11, 10))
        _record_document(s, printed.id)
    with ward_db.session() as s:
        cancel_meeting(s, planned.id, planned.version)
    with pytest.raises(UserError, match="move it with 'rpdesk-cli meetings update"), ward_db.session() as s:
        cancel_meeting(s, printed.id, printed.version)
    with ward_db.session() as s:
        assert [r.id for r in list_meetings(s, "E05000001")] == [printed.id]
    with pytest.raises(UserError, match="meetings list --ward CODE"), ward_db.session() as s:
        cancel_meeting(s, planned.id, planned.version)


def test_documents_of_a_meeting_are_listed_newest_first_and_counted(ward_db):
    with ward_db.session() as s:
        tcg = add_meeting(s, "E05000001", "tcg", dt.date(2026, 11, 10))
        for kind, hour in ((DocumentKind.TASKING, 9), (DocumentKind.CARD, 11)):
            _record_document(s, tcg.id, kind, hour)
    with ward_db.session() as s:
        docs = meeting_documents(s, tcg.id)
        (row,) = list_meetings(s, "E05000001")
    assert [d.kind for d in docs] == ["card", "tasking"]
    assert docs[0].path == "/tmp/card.pdf" and docs[0].pages == 3
    assert row.documents == 2
