"""The as-at frame every view and document counts in: as-at date, period, police.uk months, ranking, actions.

The rules are in :mod:`rpdesk.domain.periods`; this module reads what they need from the database.
The dashboard, the tasking pack, the response card, the briefing and ``rpdesk-cli status`` all call
:func:`frame`, :func:`ranking_at` and :func:`active_actions_at`, so that for one ward and one as-at
date they give the same period, the same overdue count, the same ranks and the same crime counts.

Public API:
- ``frame(session, ward, as_at, *, meeting=None) -> Frame`` — the period containing ``as_at`` (or, for a
  meeting's documents, the period before that meeting, cut at ``as_at``), the whole period before it
  and the latest police.uk month the ward holds by ``as_at``.
- ``crime_count(session, ward, months, frame) -> CrimeCount`` and ``crime_by_month(...)``.
- ``ranking_at(session, ward, as_at, settings) -> Ranking | None`` — the ranking of the latest survey
  round begun by ``as_at``: one ranking per document, named on the page.
- ``active_actions_at(session, ward, as_at, settings) -> list[ActionInfo]`` — actions raised by
  ``as_at`` and still active; ``overdue`` means past due at ``as_at``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rpdesk.db.models import CrimeRecord, Meeting, Ward
from rpdesk.domain.periods import (
    YEAR_MONTHS,
    CrimeCount,
    Period,
    add_months,
    count_months,
    cycle_period,
    last_whole_month,
    meeting_period,
    month_label,
    month_range,
    previous_period,
)
from rpdesk.domain.vocabulary import MeetingKind
from rpdesk.reports.model import AsAt
from rpdesk.services import actions as action_service
from rpdesk.services import signals as signal_service
from rpdesk.settings import Settings


@dataclass(frozen=True)
class Frame:
    """What "as at" means for one ward and date: the period, the one before, the police.uk months held."""

    as_at: dt.date
    period: Period
    previous: Period
    crime_latest: dt.date | None  # newest police.uk month the ward holds that had ended by ``as_at``
    crime_first: dt.date | None = None  # the oldest month it holds

    def crime_latest_label(self) -> str:
        """ "police.uk data held to Sep 2026" (or that none is held)."""
        if self.crime_latest is None:
            return "no police.uk data held"
        return f"police.uk data held to {month_label(self.crime_latest)}"

    def year_months(self) -> tuple[dt.date, ...]:
        """The 12 whole months ending with the latest police.uk month held (or the last ended by ``as_at``)."""
        last = last_whole_month(self.as_at)
        if self.crime_latest is not None:
            last = min(last, self.crime_latest)
        return month_range(add_months(last, 1 - YEAR_MONTHS), last)


def tcg_dates(session: Session, ward: Ward) -> list[dt.date]:
    """The ward's TCG meeting dates, oldest first: they mark its tasking cycle."""
    return list(
        session.scalars(
            select(Meeting.date)
            .where(Meeting.ward_id == ward.id, Meeting.kind == MeetingKind.TCG)
            .order_by(Meeting.date)
            .distinct()
        )
    )


def latest_crime_month(session: Session, ward: Ward, as_at: dt.date) -> dt.date | None:
    """The newest police.uk month the ward holds that had ended by ``as_at`` (later rows are not counted)."""
    found: dt.date | None = session.scalar(
        select(func.max(CrimeRecord.month)).where(
            CrimeRecord.ward_id == ward.id, CrimeRecord.month <= last_whole_month(as_at)
        )
    )
    return found


def frame(session: Session, ward: Ward, as_at: dt.date, *, meeting: dt.date | None = None) -> Frame:
    """The as-at frame: the tasking period containing ``as_at`` or, given a ``meeting``, the one before it."""
    dates = tcg_dates(session, ward)
    if meeting is None:
        period = cycle_period(dates, as_at)
    else:
        earlier = [d for d in dates if d < meeting]
        period = meeting_period(earlier[-1] if earlier else None, meeting, as_at)
    first = session.scalar(select(func.min(CrimeRecord.month)).where(CrimeRecord.ward_id == ward.id))
    return Frame(as_at, period, previous_period(period, dates), latest_crime_month(session, ward, as_at), first)


def crime_by_month(session: Session, ward: Ward, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Recorded crime and ASB rows per police.uk month, ``first``..``last`` (months as their first day)."""
    rows = session.execute(
        select(CrimeRecord.month, func.count())
        .where(CrimeRecord.ward_id == ward.id, CrimeRecord.month.between(first, last))
        .group_by(CrimeRecord.month)
    )
    return {m: int(n) for m, n in rows}


def crime_count(session: Session, ward: Ward, months: tuple[dt.date, ...], fr: Frame) -> CrimeCount:
    """Recorded crime over whole ``months``; months not yet published or never imported are named, not zero."""
    per_month = crime_by_month(session, ward, months[0], months[-1]) if months else {}
    return count_months(months, per_month, fr.crime_latest, fr.crime_first)


def current_round(
    rounds: Sequence[signal_service.RoundInfo], as_at: dt.date, small_sample: int
) -> signal_service.RoundInfo | None:
    """The round a view ranks as at ``as_at``: the latest begun by then, of a rankable size.

    A round smaller than the ``small_sample`` setting (a Key Individual Network of twenty people)
    informs the team but does not replace the ranking of the last full survey; it is used only when
    no round is larger.
    """
    begun = [r for r in rounds if r.respondents and (r.start_date or dt.date.min) <= as_at]
    chosen = [r for r in begun if r.respondents >= small_sample] or begun
    if not chosen:
        return None
    return sorted(chosen, key=lambda r: (r.end_date or r.start_date or dt.date.min, r.name))[-1]


def ranking_at(session: Session, ward: Ward, as_at: dt.date, settings: Settings) -> signal_service.Ranking | None:
    """The ranking a view shows as at ``as_at``: that of the ward's :func:`current_round`."""
    rnd = current_round(signal_service.list_rounds(session, ward.code), as_at, settings.small_sample)
    if rnd is None:
        return None
    return signal_service.rank_signals(session, ward.code, round_name=rnd.name, settings=settings)


def ranking_name(ranking: signal_service.Ranking | None) -> str:
    """How a page names the ranking it uses."""
    if ranking is None:
        return "no ranking: no survey round has answers yet"
    return (
        f"ranking of survey round {ranking.round_name} "
        f"({ranking.period_start:%d/%m/%Y} to {ranking.period_end:%d/%m/%Y}, {ranking.respondents:,} respondents)"
    )


def active_actions_at(
    session: Session, ward: Ward, as_at: dt.date, settings: Settings
) -> list[action_service.ActionInfo]:
    """Actions raised by ``as_at`` and still active; ``overdue`` is past due at ``as_at``."""
    every = action_service.list_actions(
        session, ward=ward.code, active=True, today=as_at, due_soon_days=settings.due_soon_days
    )
    return [a for a in every if a.created_on <= as_at]


def overdue_label(as_at: dt.date) -> str:
    """The words every view puts beside the overdue count."""
    return f"Overdue at {as_at:%d/%m/%Y}"


def as_at_info(fr: Frame, ranking: signal_service.Ranking | None) -> AsAt:
    """What a view or document states about its date, period, police.uk months and ranking."""
    return AsAt(
        fr.as_at,
        fr.period.label(),
        fr.period.part,
        fr.crime_latest_label(),
        ranking_name(ranking),
        overdue_label(fr.as_at),
    )
