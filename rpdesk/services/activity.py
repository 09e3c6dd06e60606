"""Counts of reassurance work beside recorded crime: "what gets counted gets done" (DOMAIN.md).

EVAs walked, residents heard, community meetings held, partner actions completed and hours on ward
duty, set beside the police.uk incidents of the same months. The dashboard and the tasking pack
both show these, so they come from here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rpdesk.db.models import AuditVisit, CrimeRecord, Meeting, PartnerAction, SurveyResponse, SurveyRound, Ward
from rpdesk.domain.vocabulary import ActionStatus, MeetingKind
from rpdesk.reports.model import ActivityRow
from rpdesk.services import abstractions


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month: police.uk publishes recorded crime by month."""
    return day.replace(day=1)


def _count(session: Session, stmt: Any) -> int:
    return int(session.scalar(stmt) or 0)


def activity_counts(session: Session, ward: Ward, start: dt.date, end: dt.date) -> dict[str, float]:
    """Counts of reassurance work in ``start``..``end`` (inclusive) and the recorded crime in its months."""
    rounds = select(SurveyRound.id).where(SurveyRound.ward_id == ward.id)
    ring = abstractions.summary(session, ward=ward.code, start=start, end=end, by="ward")
    return {
        "EVAs walked": _count(
            session, select(func.count()).where(AuditVisit.ward_id == ward.id, AuditVisit.date.between(start, end))
        ),
        "Residents heard (survey responses)": _count(
            session,
            select(func.count()).where(SurveyResponse.round_id.in_(rounds), SurveyResponse.date.between(start, end)),
        ),
        "Community meetings held": _count(
            session,
            select(func.count()).where(
                Meeting.ward_id == ward.id, Meeting.kind == MeetingKind.COMMUNITY, Meeting.date.between(start, end)
            ),
        ),
        "Partner actions completed": _count(
            session,
            select(func.count()).where(
                PartnerAction.ward_id == ward.id,
                PartnerAction.status == ActionStatus.DONE,
                PartnerAction.completed_on.between(start, end),
            ),
        ),
        "Hours on ward duty": ring.total.ward_hours,
        "Recorded crime and ASB (police.uk)": _count(
            session,
            select(func.count()).where(
                CrimeRecord.ward_id == ward.id, CrimeRecord.month.between(month_start(start), month_start(end))
            ),
        ),
    }


def activity_rows(session: Session, ward: Ward, start: dt.date, end: dt.date) -> tuple[ActivityRow, ...]:
    """Reassurance activity beside recorded crime: this period, the one before, the last 12 months.

    Public because the tasking pack and the dashboard must show the same counts.
    """
    length = end - start
    this = activity_counts(session, ward, start, end)
    before = activity_counts(session, ward, start - length - dt.timedelta(days=1), start - dt.timedelta(days=1))
    year = activity_counts(session, ward, end - dt.timedelta(days=364), end)
    return tuple(ActivityRow(k, v, before[k], year[k]) for k, v in this.items())
