"""A ward's meetings: the TCG (tasking) meetings and the community (PACT / ward panel) meetings.

Documents are built for a meeting (:mod:`rpdesk.services.documents`): the tasking pack and the
response-team card for a TCG meeting, the community briefing for a community meeting. This module
lists and plans the meetings themselves, each with how many documents were recorded against it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rpdesk.db.editing import changed_meanwhile, update_row
from rpdesk.db.labels import describe
from rpdesk.db.models import Meeting, MeetingDocument, Ward
from rpdesk.domain.vocabulary import DocumentKind, MeetingKind
from rpdesk.errors import ConflictError, UserError
from rpdesk.services.wards import get_ward

#: Which documents belong to which kind of meeting.
DOCUMENTS_FOR: dict[str, tuple[str, ...]] = {
    MeetingKind.TCG.value: (DocumentKind.TASKING.value, DocumentKind.CARD.value),
    MeetingKind.COMMUNITY.value: (DocumentKind.BRIEFING.value,),
}
KIND_LABELS = {MeetingKind.TCG.value: "Tasking (TCG)", MeetingKind.COMMUNITY.value: "Community (PACT)"}
TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class MeetingDocumentRow:
    """A document recorded against a meeting: which, when, by whom, and where the file was written."""

    id: int
    meeting_id: int
    kind: str
    generated_at: dt.datetime
    generated_by: str
    path: str
    pages: int
    marking: str


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as a list shows it, with the number of documents recorded against it."""

    id: int
    ward_code: str
    kind: str
    date: dt.date
    start_time: str | None
    venue: str | None
    notes: str | None
    documents: int
    version: int = 1

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def document_kinds(self) -> tuple[str, ...]:
        """The documents that can be built for this meeting."""
        return DOCUMENTS_FOR.get(self.kind, ())


def list_meetings(session: Session, ward_code: str) -> list[MeetingRow]:
    """The ward's meetings, newest first."""
    ward = get_ward(session, ward_code)
    docs = select(MeetingDocument.meeting_id, func.count().label("n")).group_by(MeetingDocument.meeting_id).subquery()
    rows = session.execute(
        select(Meeting, func.coalesce(docs.c.n, 0))
        .outerjoin(docs, docs.c.meeting_id == Meeting.id)
        .where(Meeting.ward_id == ward.id)
        .order_by(Meeting.date.desc(), Meeting.id.desc())
    )
    return [_row(m, ward.code, int(n)) for m, n in rows]


def _row(m: Meeting, ward_code: str, documents: int) -> MeetingRow:
    return MeetingRow(m.id, ward_code, m.kind.value, m.date, m.start_time, m.venue, m.notes, documents, m.version)


def _kind(kind: str) -> MeetingKind:
    try:
        return MeetingKind(kind.strip().lower())
    except ValueError:
        raise UserError(f"Meeting kind '{kind}' is not one of {', '.join(k.value for k in MeetingKind)}.") from None


def start_time_problem(start_time: str | None) -> str | None:
    """What is wrong with a meeting's start time as typed (blank is allowed), or None: the form asks this too."""
    time = (start_time or "").strip()
    return f"The start time '{time}' is not a time of day like 18:30." if time and not TIME.fullmatch(time) else None


def _time(start_time: str | None) -> str | None:
    problem = start_time_problem(start_time)
    if problem is not None:
        raise UserError(problem)
    return (start_time or "").strip() or None


def _check_free(
    session: Session, ward: Ward, kind: MeetingKind, date: dt.date, *, other_than: int | None = None
) -> None:
    """One meeting of a kind per ward and day: the documents are found by ward, kind and date."""
    clash = session.scalar(
        select(Meeting.id).where(
            Meeting.ward_id == ward.id, Meeting.kind == kind, Meeting.date == date, Meeting.id != (other_than or -1)
        )
    )
    if clash is not None:
        raise UserError(f"Ward {ward.code} already has a {KIND_LABELS[kind.value]} meeting on {date:%d %b %Y}.")


def get_meeting(session: Session, meeting_id: int) -> MeetingRow:
    """One meeting by id, or UserError saying how to find the ids."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise UserError(
            f"There is no meeting with id {meeting_id}. 'rpdesk-cli meetings list --ward CODE' shows the ids."
        )
    ward = session.get(Ward, meeting.ward_id)
    return _row(meeting, ward.code if ward else "", _document_count(session, meeting_id))


def _document_count(session: Session, meeting_id: int) -> int:
    return int(session.scalar(select(func.count()).where(MeetingDocument.meeting_id == meeting_id)) or 0)


def add_meeting(
    session: Session,
    ward_code: str,
    kind: str,
    date: dt.date,
    *,
    start_time: str | None = None,
    venue: str | None = None,
    notes: str | None = None,
) -> MeetingRow:
    """Plan a meeting; refused when the ward already has a meeting of that kind on that day."""
    ward = get_ward(session, ward_code)
    chosen = _kind(kind)
    time = _time(start_time)
    _check_free(session, ward, chosen, date)
    meeting = Meeting(
        ward_id=ward.id,
        kind=chosen,
        date=date,
        start_time=time,
        venue=(venue or "").strip()[:200] or None,
        notes=(notes or "").strip() or None,
    )
    session.add(meeting)
    session.flush()
    return _row(meeting, ward.code, 0)


def meeting_documents(session: Session, meeting_id: int) -> list[MeetingDocumentRow]:
    """The documents recorded against one meeting, newest first."""
    rows = session.scalars(
        select(MeetingDocument)
        .where(MeetingDocument.meeting_id == meeting_id)
        .order_by(MeetingDocument.generated_at.desc(), MeetingDocument.id.desc())
    )
    return [
        MeetingDocumentRow(r.id, r.meeting_id, r.kind.value, r.generated_at, r.generated_by, r.path, r.pages, r.marking)
        for r in rows
    ]


def update_meeting(session: Session, meeting_id: int, expected_version: int, changes: Mapping[str, Any]) -> MeetingRow:
    """Move or re-describe a meeting read at ``expected_version``: ``date``, ``start_time``, ``venue``, ``notes``.

    Its kind stays: the documents already built for it belong to that kind of meeting.
    """
    current = get_meeting(session, meeting_id)
    meeting = session.get(Meeting, meeting_id)
    assert meeting is not None  # get_meeting has refused a missing id
    fields: dict[str, Any] = {}
    if changes.get("date") is not None:
        ward = session.get(Ward, meeting.ward_id)
        assert ward is not None  # meeting.ward_id is a foreign key
        _check_free(session, ward, meeting.kind, changes["date"], other_than=meeting_id)
        fields["date"] = changes["date"]
    if changes.get("start_time") is not None:
        fields["start_time"] = _time(changes["start_time"])
    for key, limit in (("venue", 200), ("notes", None)):
        if changes.get(key) is not None:
            fields[key] = changes[key].strip()[:limit] or None
    if not fields:
        raise UserError("Nothing to change: give at least one of --date, --time, --venue, --notes.")
    update_row(session, Meeting, meeting_id, expected_version, fields)
    return get_meeting(session, current.id)


def cancel_meeting(session: Session, meeting_id: int, expected_version: int) -> MeetingRow:
    """Take a planned meeting off the ward's calendar (the change log keeps it).

    Refused once a document has been recorded against it: that record says what was printed for
    whom, so a meeting with documents is moved (:func:`update_meeting`), never removed.
    """
    current = get_meeting(session, meeting_id)
    if current.documents:
        raise UserError(
            f"Meeting {meeting_id} ({current.date:%d %b %Y}) has {current.documents} document(s) recorded against "
            f"it, which stay as the record of what was printed; move it with 'rpdesk-cli meetings update "
            f"{meeting_id} --date DATE' instead."
        )
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise ConflictError("That meeting was cancelled by somebody else.")
    if meeting.version != expected_version:
        raise changed_meanwhile(describe(meeting))
    session.delete(meeting)
    session.flush()
    return current
