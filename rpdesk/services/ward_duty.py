"""What the Officers page shows of a ward: its posted officers, its latest weeks of ring-fence, one abstraction.

Qt-free composition of the officers and abstractions services (no ring-fence maths here), so the
CLI could show the same; the page keeps only its widgets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rpdesk.db.models import DutyRecord, Ward
from rpdesk.domain.ringfence import MonthFigure, WeekFigure, week_start
from rpdesk.services.officers import list_officers

if TYPE_CHECKING:  # the abstractions service loads pandas (its roster importer): only on the database thread
    from rpdesk.services.abstractions import ReasonRow, RingFenceRow
    from rpdesk.services.duty_records import AbstractionInfo


@dataclass(frozen=True)
class OfficerChoice:
    collar: str
    label: str


@dataclass(frozen=True)
class RingFenceView:
    """The ward's ring-fence over the latest weeks with duty recorded, by week and by reason."""

    start: dt.date | None
    end: dt.date | None
    total: RingFenceRow | None
    weeks: tuple[WeekFigure, ...]
    reasons: tuple[ReasonRow, ...]
    months: tuple[MonthFigure, ...] = ()  # the 12-month trend to ``end``


def ward_officers(session: Session, ward_code: str, on: dt.date | None = None) -> list[OfficerChoice]:
    """Officers posted to the ward on ``on`` (default: today), for the form's officer list."""
    return [
        OfficerChoice(o.collar, f"{o.collar}  {o.role} {o.name}") for o in list_officers(session, ward=ward_code, on=on)
    ]


def latest_duty_period(session: Session, ward_code: str, weeks: int) -> tuple[dt.date, dt.date] | None:
    """The last ``weeks`` Monday-to-Sunday weeks up to the ward's latest duty day (not after today)."""
    end = session.scalar(
        select(func.max(DutyRecord.date))
        .join(Ward, Ward.id == DutyRecord.ward_id)
        .where(Ward.code == ward_code, DutyRecord.date <= dt.date.today())
    )
    if end is None:
        return None
    return week_start(end) - dt.timedelta(days=7 * (weeks - 1)), end


def ring_fence_view(session: Session, ward_code: str, target: float, weeks: int = 4) -> RingFenceView:
    from rpdesk.services import abstractions

    period = latest_duty_period(session, ward_code, weeks)
    if period is None:
        return RingFenceView(None, None, None, (), ())
    start, end = period
    total = abstractions.summary(session, ward=ward_code, start=start, end=end, by="ward", target=target).total
    series = abstractions.weekly(session, ward=ward_code, start=start, end=end)
    reasons = abstractions.by_reason(session, ward=ward_code, start=start, end=end)
    months = abstractions.monthly(session, end=end, ward=ward_code)
    return RingFenceView(start, end, total, tuple(series), tuple(reasons), tuple(months))


def find_abstraction(session: Session, abstraction_id: int, officer: str, day: dt.date) -> AbstractionInfo:
    """The abstraction as it is now (after a conflict, or to edit a row of the log)."""
    from rpdesk.errors import UserError
    from rpdesk.services.duty_records import list_abstractions

    for info in list_abstractions(session, officer=officer, start=day, end=day):
        if info.id == abstraction_id:
            return info
    raise UserError("That abstraction was deleted by somebody else.")
