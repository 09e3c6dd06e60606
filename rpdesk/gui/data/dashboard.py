"""Dashboard data: one read on the database thread gathering what the dashboard draws.

Every figure comes from a service: the ranking (signals), confidence per survey round, the weekly
ring-fence (abstractions), open and overdue actions, and the period's reassurance activity beside
recorded crime (report data). Nothing here computes a rank, an interval or a ring-fence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rpdesk.errors import UserError

#: The dashboard's period for activity counts, and how many weeks of ring-fence it draws.
ACTIVITY_DAYS = 91
RING_FENCE_WEEKS = 12


@dataclass(frozen=True)
class SignalBar:
    label: str
    prevalence: float
    low: float
    high: float
    respondents: int
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ConfidencePoint:
    round_name: str
    start: dt.date
    good_job: float | None
    good_job_low: float
    good_job_high: float
    safe: float | None
    respondents: int


@dataclass(frozen=True)
class WeekShare:
    week_start: dt.date
    share: float | None


@dataclass(frozen=True)
class Activity:
    measure: str
    this_period: float | None
    previous_period: float | None


@dataclass(frozen=True)
class DashboardData:
    ward_name: str
    round_name: str | None
    respondents: int
    signals: tuple[SignalBar, ...]
    confidence: tuple[ConfidencePoint, ...]
    gap: str | None
    weeks: tuple[WeekShare, ...]
    target: float
    open_actions: int
    overdue_actions: int
    due_soon_actions: int
    period_start: dt.date
    period_end: dt.date
    activity: tuple[Activity, ...]


def _signals(session: Session, ward_code: str, settings: Any) -> tuple[str | None, int, tuple[SignalBar, ...]]:
    from rpdesk.services.signals import list_rounds, rank_signals

    rounds = [r for r in list_rounds(session, ward_code) if r.respondents]
    if not rounds:
        return None, 0, ()
    ranking = rank_signals(session, ward_code, round_name=rounds[-1].name, settings=settings)
    bars = tuple(
        SignalBar(s.label, s.prevalence, s.prevalence_low, s.prevalence_high, s.respondents, s.flags)
        for s in ranking.signals[:6]
        if s.prevalence is not None
    )
    return ranking.round_name, ranking.respondents, bars


def _confidence(session: Session, ward_code: str) -> tuple[tuple[ConfidencePoint, ...], str | None]:
    from rpdesk.services.confidence import confidence_by_round

    rounds = confidence_by_round(session, ward_code)
    points = []
    for r in rounds:
        good, safe = r.item("conf_good_job"), r.item("safe_after_dark")
        points.append(
            ConfidencePoint(
                r.round_name,
                r.period_start,
                good.favourable,
                good.favourable_low,
                good.favourable_high,
                safe.favourable,
                r.respondents,
            )
        )
    return tuple(points), (rounds[-1].gap if rounds else None)


def _ring_fence(session: Session, ward_code: str, end: dt.date) -> tuple[WeekShare, ...]:
    from rpdesk.services import abstractions

    start = end - dt.timedelta(days=7 * RING_FENCE_WEEKS - 1)
    series = abstractions.weekly(session, ward=ward_code, start=start, end=end)
    return tuple(WeekShare(w.week_start, w.figure.share) for w in series)


def _activity(session: Session, ward_code: str, start: dt.date, end: dt.date) -> tuple[Activity, ...]:
    from rpdesk.services.activity import activity_rows
    from rpdesk.services.wards import get_ward

    # The same counts the tasking pack prints.
    rows = activity_rows(session, get_ward(session, ward_code), start, end)
    return tuple(Activity(r.measure, r.this_period, r.previous_period) for r in rows)


def dashboard_data(session: Session, ward_code: str, settings: Any, today: dt.date | None = None) -> DashboardData:
    """Everything the dashboard draws for one ward, as plain values."""
    from rpdesk.services import actions
    from rpdesk.services.wards import get_ward

    from rpdesk.gui.data.officers import latest_duty_period

    today = today or dt.date.today()
    ward = get_ward(session, ward_code)
    period = latest_duty_period(session, ward_code, 1)
    end = period[1] if period else today
    start = end - dt.timedelta(days=ACTIVITY_DAYS - 1)
    try:
        round_name, respondents, signals = _signals(session, ward_code, settings)
    except UserError:
        round_name, respondents, signals = None, 0, ()
    confidence, gap = _confidence(session, ward_code)
    active = actions.list_actions(
        session, ward=ward_code, active=True, today=today, due_soon_days=int(settings["due_soon_days"])
    )
    return DashboardData(
        ward_name=ward.name,
        round_name=round_name,
        respondents=respondents,
        signals=signals,
        confidence=confidence,
        gap=gap,
        weeks=_ring_fence(session, ward_code, end),
        target=float(settings["ring_fence_target"]),
        open_actions=len(active),
        overdue_actions=sum(a.overdue for a in active),
        due_soon_actions=sum(a.due_soon for a in active),
        period_start=start,
        period_end=end,
        activity=_activity(session, ward_code, start, end),
    )
