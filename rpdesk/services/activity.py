"""Counts of reassurance work beside recorded crime: "what gets counted gets done" (NRPP).

EVAs walked, residents heard, community meetings held, partner actions completed and hours on ward
duty in the period to the as-at date, the whole period before and the last 365 days, set beside the
police.uk incidents of the whole months that ended in each (:mod:`rpdesk.domain.periods`). The
dashboard and the tasking pack both show these, so they come from here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rpdesk.db.models import AuditVisit, Meeting, PartnerAction, SurveyResponse, SurveyRound, Ward
from rpdesk.domain.vocabulary import ActionStatus, MeetingKind
from rpdesk.reports.model import ActivityRow
from rpdesk.services import abstractions
from rpdesk.services.periods import Frame, crime_count

CRIME_MEASURE = "Recorded crime and ASB (police.uk)"


def _count(session: Session, stmt: Any) -> int:
    return int(session.scalar(stmt) or 0)


def activity_counts(session: Session, ward: Ward, start: dt.date, end: dt.date) -> dict[str, float]:
    """Counts of reassurance work in ``start``..``end`` (inclusive); recorded crime is counted by month apart."""
    rounds = select(SurveyRound.id).where(SurveyRound.ward_id == ward.id)
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
        "Hours on ward duty": abstractions.ward_duty_hours(session, ward.id, start, end),
    }


def crime_row(session: Session, ward: Ward, frame: Frame) -> ActivityRow:
    """Recorded crime in whole police.uk months: each month in the one period it ends in.

    A month not yet published is shown as no figure (None), never as zero, and the note names the
    months each figure covers.
    """
    this = crime_count(session, ward, frame.period.months(), frame)
    before = crime_count(session, ward, frame.previous.months(), frame)
    year = crime_count(session, ward, frame.year_months(), frame)
    note = f"This period: {this.label()}; previous: {before.label()}; 12 months: {year.label()}."
    return ActivityRow(CRIME_MEASURE, this.count, before.count, year.count, note=note)


def activity_rows(session: Session, ward: Ward, frame: Frame) -> tuple[ActivityRow, ...]:
    """Reassurance activity beside recorded crime: this period (to the as-at date), the one before, 12 months.

    Public because the tasking pack and the dashboard must show the same counts.
    """
    period, previous = frame.period, frame.previous
    this = activity_counts(session, ward, period.start, period.end)
    before = activity_counts(session, ward, previous.start, previous.end)
    year = activity_counts(session, ward, frame.as_at - dt.timedelta(days=364), frame.as_at)
    rows = [ActivityRow(k, v, before[k], year[k]) for k, v in this.items()]
    return (*rows, crime_row(session, ward, frame))
