"""The meeting a document is for, its as-at date and period, the next meeting, and the ward heading."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import Meeting, Ward
from rpdesk.domain.periods import as_at_for
from rpdesk.domain.vocabulary import MeetingKind
from rpdesk.errors import UserError
from rpdesk.reports.model import MeetingInfo, WardHeading
from rpdesk.services import periods
from rpdesk.services.wards import get_ward


def meeting_info(m: Meeting) -> MeetingInfo:
    return MeetingInfo(m.id, m.kind.value, m.date, m.start_time, m.venue)


def find_meeting(
    session: Session, ward: Ward, kind: MeetingKind, on: dt.date | None, *, today: dt.date | None = None
) -> Meeting:
    """The ward's ``kind`` meeting on ``on``; without a date, the next one from today, else the latest."""
    base = select(Meeting).where(Meeting.ward_id == ward.id, Meeting.kind == kind)
    if on is not None:
        found = session.scalars(base.where(Meeting.date == on).order_by(Meeting.id)).first()
        if found is None:
            dates = session.scalars(base.with_only_columns(Meeting.date).order_by(Meeting.date.desc()).limit(5)).all()
            listed = ", ".join(d.isoformat() for d in dates) or "none recorded"
            word = "tasking (TCG)" if kind is MeetingKind.TCG else "community"
            raise UserError(f"Ward {ward.code} has no {word} meeting on {on}. Latest meetings: {listed}.")
        return found
    today = today or dt.date.today()
    upcoming = session.scalars(base.where(Meeting.date >= today).order_by(Meeting.date)).first()
    latest = upcoming or session.scalars(base.order_by(Meeting.date.desc())).first()
    if latest is None:
        raise UserError(
            f"Ward {ward.code} has no {kind.value} meeting recorded; add one with 'rpdesk-cli meetings add --ward "
            f"{ward.code} --kind {kind.value} --date DATE' or on the Meetings & Reports page first."
        )
    return latest


def next_meeting(session: Session, ward: Ward, after: dt.date, kind: MeetingKind) -> MeetingInfo | None:
    m = session.scalars(
        select(Meeting)
        .where(Meeting.ward_id == ward.id, Meeting.kind == kind, Meeting.date > after)
        .order_by(Meeting.date)
    ).first()
    return meeting_info(m) if m else None


def ward_heading(ward: Ward) -> WardHeading:
    return WardHeading(ward.code, ward.name, ward.neighbourhood)


@dataclass(frozen=True)
class Opening:
    """What every document starts from: when it is made, the ward, its meeting, the as-at date and the period.

    A document for a meeting still to come is as at the day it is made; one for a past meeting is as
    at the meeting (:func:`rpdesk.domain.periods.as_at_for`), unless ``as_at`` is given.
    """

    now: dt.datetime
    ward: Ward
    meeting: Meeting
    as_at: dt.date
    frame: periods.Frame


def open_document(
    session: Session,
    ward_code: str,
    kind: MeetingKind,
    meeting_date: dt.date | None,
    *,
    now: dt.datetime | None,
    as_at: dt.date | None,
) -> Opening:
    """The ward's ``kind`` meeting on ``meeting_date`` (else the next, else the latest) and the as-at frame."""
    now = now or dt.datetime.now()
    ward = get_ward(session, ward_code)
    meeting = find_meeting(session, ward, kind, meeting_date, today=now.date())
    as_at = as_at or as_at_for(meeting.date, now.date())
    return Opening(now, ward, meeting, as_at, periods.frame(session, ward, as_at, meeting=meeting.date))
