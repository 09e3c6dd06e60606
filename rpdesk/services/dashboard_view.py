"""Dashboard data: one read on the database thread gathering what the dashboard draws (Qt-free).

Every figure comes from a service: the ward's status as at today (period, ranking, open and overdue
actions, reassurance activity beside recorded crime: :mod:`rpdesk.services.dashboard`, the same
figures the tasking pack and ``rpdesk-cli status`` give), confidence per survey round and the weekly
ring-fence (abstractions). Nothing here computes a rank, an interval or a ring-fence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from rpdesk.reports.model import AsAt
from rpdesk.settings import Settings

if TYPE_CHECKING:  # the confidence service loads with the dashboard's data, on the database thread
    from rpdesk.services.confidence import ReassuranceGap

#: How many weeks of ring-fence the dashboard draws.
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
    note: str = ""


@dataclass(frozen=True)
class DashboardData:
    ward_name: str
    as_at: AsAt
    round_name: str | None
    respondents: int
    signals: tuple[SignalBar, ...]
    confidence: tuple[ConfidencePoint, ...]
    gap: str | None  # the reassurance-gap verdict with its tests, as the tasking pack prints it
    gap_conclusion: str | None  # its last sentence: whether a gap is claimed, and why not
    gap_claimed: bool
    weeks: tuple[WeekShare, ...]
    target: float
    open_actions: int
    overdue_actions: int
    due_soon_actions: int
    period_start: dt.date
    period_end: dt.date
    activity: tuple[Activity, ...]


#: How many signals the dashboard's chart draws (the Signals page draws :data:`SIGNALS_PAGE_BARS`).
DASHBOARD_BARS = 6
SIGNALS_PAGE_BARS = 8


def signal_bars(ranking: Any, limit: int) -> tuple[SignalBar, ...]:
    """The prevalence bars of a ranking's best ``limit`` signals, best first (those with no survey measure left out).

    One source for the dashboard's chart and the Signals page's, so both draw the same bars.
    """
    return tuple(
        SignalBar(s.label, s.prevalence, s.prevalence_low, s.prevalence_high, s.respondents, tuple(s.flags))
        for s in ranking.signals[:limit]
        if s.prevalence is not None
    )


def _confidence(
    session: Session, ward_code: str, as_at: dt.date
) -> tuple[tuple[ConfidencePoint, ...], ReassuranceGap | None]:
    from rpdesk.services.confidence import confidence_by_round, reassurance_gap

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
    if not rounds:
        return (), None
    return tuple(points), reassurance_gap(session, ward_code, by=as_at, rounds=rounds)  # the tasking pack's verdict


def _ring_fence(session: Session, ward_code: str, end: dt.date) -> tuple[WeekShare, ...]:
    from rpdesk.services import abstractions

    start = end - dt.timedelta(days=7 * RING_FENCE_WEEKS - 1)
    series = abstractions.weekly(session, ward=ward_code, start=start, end=end)
    return tuple(WeekShare(w.week_start, w.figure.share) for w in series)


def dashboard_data(session: Session, ward_code: str, settings: Settings, today: dt.date | None = None) -> DashboardData:
    """Everything the dashboard draws for one ward as at ``today``, as plain values."""
    from rpdesk.services.dashboard import ward_status

    status = ward_status(session, ward_code, today or dt.date.today(), settings)
    ranking = status.ranking
    confidence, gap = _confidence(session, ward_code, status.as_at.date)
    return DashboardData(
        ward_name=status.ward_name,
        as_at=status.as_at,
        round_name=ranking.round_name if ranking else None,
        respondents=ranking.respondents if ranking else 0,
        signals=signal_bars(ranking, DASHBOARD_BARS) if ranking else (),
        confidence=confidence,
        gap=gap.headline if gap else None,
        gap_conclusion=gap.conclusion if gap else None,
        gap_claimed=bool(gap and gap.claimed),
        weeks=_ring_fence(session, ward_code, status.as_at.date),
        target=settings.ring_fence_target,
        open_actions=status.open_actions,
        overdue_actions=status.overdue_actions,
        due_soon_actions=status.due_soon_actions,
        period_start=status.period_start,
        period_end=status.period_end,
        activity=tuple(Activity(r.measure, r.this_period, r.previous_period, r.note) for r in status.activity),
    )
