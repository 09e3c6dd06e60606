"""A ward's meetings: the TCG (tasking) meetings and the community (PACT / ward panel) meetings.

Documents are built for a meeting (:mod:`rpdesk.services.documents`): the tasking pack and the
response-team card for a TCG meeting, the community briefing for a community meeting. This module
lists and plans the meetings themselves, each with how many documents were recorded against it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rpdesk.db.models import Meeting, MeetingDocument
from rpdesk.domain.vocabulary import DocumentKind, MeetingKind
from rpdesk.errors import UserError
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
    return MeetingRow(m.id, ward_code, m.kind.value, m.date, m.start_time, m.venue, m.notes, documents)


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
    try:
        chosen = MeetingKind(kind)
    except ValueError:
        raise UserError(f"Meeting kind '{kind}' is not one of {', '.join(k.value for k in MeetingKind)}.") from None
    time = (start_time or "").strip() or None
    if time is not None and not TIME.fullmatch(time):
        raise UserError(f"The start time '{time}' is not a time of day like 18:30.")
    clash = session.scalar(
        select(Meeting.id).where(Meeting.ward_id == ward.id, Meeting.kind == chosen, Meeting.date == date)
    )
    if clash is not None:
        raise UserError(f"Ward {ward.code} already has a {KIND_LABELS[chosen.value]} meeting on {date:%d %b %Y}.")
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
