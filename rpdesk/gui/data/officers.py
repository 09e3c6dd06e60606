"""Officers page data: the ward's ring-fence figures and recording an abstraction from the form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rpdesk.db.models import Abstraction, DutyRecord, Officer, Posting
from rpdesk.domain.ringfence import RingFence, ring_fence, week_start
from rpdesk.domain.vocabulary import AbstractionReason
from rpdesk.errors import UserError


@dataclass(frozen=True)
class OfficerChoice:
    id: int
    label: str


@dataclass(frozen=True)
class RingFenceView:
    """The ward's ring-fence over the last four weeks with duty recorded, and the weekly series."""

    start: dt.date | None
    end: dt.date | None
    total: RingFence
    weeks: tuple[tuple[dt.date, RingFence], ...]


def ward_officers(session: Session, ward_id: int, on: dt.date | None = None) -> list[OfficerChoice]:
    """Officers posted to the ward on ``on`` (default: today), for the form's officer list."""
    day = on or dt.date.today()
    rows = session.execute(
        select(Officer.id, Officer.collar, Officer.role, Officer.name)
        .join(Posting, Posting.officer_id == Officer.id)
        .where(
            Posting.ward_id == ward_id,
            Posting.start_date <= day,
            or_(Posting.end_date.is_(None), Posting.end_date >= day),
        )
        .distinct()
        .order_by(Officer.collar)
    )
    return [OfficerChoice(i, f"{collar} {role.value} {name}") for i, collar, role, name in rows]


def ring_fence_view(session: Session, ward_id: int, weeks: int = 4) -> RingFenceView:
    """Rostered and abstracted hours per week (absences left out) for the latest ``weeks`` with duty."""
    end = session.scalar(
        select(func.max(DutyRecord.date)).where(DutyRecord.ward_id == ward_id, DutyRecord.date <= dt.date.today())
    )
    if end is None:
        return RingFenceView(None, None, RingFence(0.0), ())
    start = week_start(end) - dt.timedelta(days=7 * (weeks - 1))
    on_duty = (DutyRecord.ward_id == ward_id, DutyRecord.date.between(start, end), DutyRecord.absence.is_(None))
    rostered: dict[dt.date, float] = {}
    for day, hours in session.execute(
        select(DutyRecord.date, func.sum(DutyRecord.rostered_hours)).where(*on_duty).group_by(DutyRecord.date)
    ):
        rostered[week_start(day)] = rostered.get(week_start(day), 0.0) + float(hours)
    taken: dict[dt.date, dict[AbstractionReason, float]] = {}
    for day, reason, hours in session.execute(
        select(DutyRecord.date, Abstraction.reason, func.sum(Abstraction.hours))
        .join(Abstraction, Abstraction.duty_id == DutyRecord.id)
        .where(*on_duty)
        .group_by(DutyRecord.date, Abstraction.reason)
    ):
        week = taken.setdefault(week_start(day), {})
        week[reason] = week.get(reason, 0.0) + float(hours)
    series = tuple(
        (monday, ring_fence(rostered.get(monday, 0.0), [taken.get(monday, {})]))
        for monday in (start + dt.timedelta(days=7 * i) for i in range(weeks))
    )
    return RingFenceView(start, end, ring_fence(sum(rostered.values()), taken.values()), series)


def record_abstraction(
    session: Session,
    *,
    officer_id: int,
    ward_id: int,
    day: dt.date,
    hours: float,
    reason: AbstractionReason,
    authorised_by: str | None,
    note: str | None,
    rostered_hours: float,
) -> int:
    """Record ``hours`` abstracted from the officer's duty on ``day``; return the abstraction id.

    A day with no duty record gets one (``rostered_hours`` in the ward). An absence cannot carry an
    abstraction, and abstractions never exceed the day's rostered hours.
    """
    duty = session.scalar(select(DutyRecord).where(DutyRecord.officer_id == officer_id, DutyRecord.date == day))
    if duty is None:
        duty = DutyRecord(officer_id=officer_id, ward_id=ward_id, date=day, rostered_hours=rostered_hours)
        session.add(duty)
        session.flush()
    if duty.absence is not None:
        raise UserError(
            f"The officer was recorded as {duty.absence.value.replace('_', ' ')} on {day:%d %b %Y}: "
            "an absence is not an abstraction. Correct the duty record first."
        )
    already = session.scalar(
        select(func.coalesce(func.sum(Abstraction.hours), 0.0)).where(Abstraction.duty_id == duty.id)
    )
    if float(already or 0) + hours > duty.rostered_hours + 1e-9:
        raise UserError(
            f"{hours:g} h would take the abstractions on {day:%d %b %Y} to {float(already or 0) + hours:g} h, "
            f"more than the {duty.rostered_hours:g} h rostered that day."
        )
    row = Abstraction(duty_id=duty.id, hours=hours, reason=reason, authorised_by=authorised_by, note=note)
    session.add(row)
    session.flush()
    return row.id
