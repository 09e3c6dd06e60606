"""The reassurance gap: confidence per survey round beside recorded crime per month, and the verdict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rpdesk.db.models import CrimeRecord, Ward
from rpdesk.domain.periods import add_months
from rpdesk.reports.model import ConfidenceItem, ConfidenceRound, MonthCount, ReassuranceGap
from rpdesk.services import confidence as confidence_service
from rpdesk.services import periods


def crime_by_month(
    session: Session, ward: Ward, latest: dt.date | None, since: dt.date | None
) -> tuple[MonthCount, ...]:
    """Recorded crime per police.uk month up to the latest month held, from ``since`` (the first survey round).

    At most 6 years, and 3 years when there is no survey round; months with no rows count 0.
    """
    if latest is None:
        return ()
    first = add_months(latest, -35)
    if since is not None:
        first = max(since.replace(day=1), add_months(latest, -71))
    per_month = periods.crime_by_month(session, ward, first, latest)
    held = session.scalar(select(func.min(CrimeRecord.month)).where(CrimeRecord.ward_id == ward.id))
    first = max(first, held or latest)
    out, month = [], first
    while month <= latest:
        out.append(MonthCount(month, per_month.get(month, 0)))
        month = add_months(month, 1)
    return tuple(out)


def confidence_by_round(session: Session, ward: Ward, by: dt.date) -> list[confidence_service.RoundConfidence]:
    return [r for r in confidence_service.confidence_by_round(session, ward.code) if r.period_start <= by]


def _item_label(label: str) -> str:
    """ "Police doing a good job in this area (1-5)" -> "Police doing a good job in this area"."""
    return label.rsplit(" (", 1)[0]


def _confidence_rounds(rounds: Sequence[confidence_service.RoundConfidence]) -> tuple[ConfidenceRound, ...]:
    return tuple(
        ConfidenceRound(
            r.round_name,
            r.period_end,
            r.respondents,
            tuple(
                ConfidenceItem(
                    _item_label(i.label),
                    i.favourable,
                    i.favourable_low if i.n else None,
                    i.favourable_high if i.n else None,
                )
                for i in r.items
            ),
        )
        for r in rounds
    )


def gap(
    session: Session,
    ward: Ward,
    as_at: dt.date,
    rounds: Sequence[confidence_service.RoundConfidence],
    crime: tuple[MonthCount, ...],
) -> ReassuranceGap:
    """The gap page: confidence per round, crime per month and the verdict of :func:`reassurance_gap`."""
    verdict = confidence_service.reassurance_gap(session, ward.code, by=as_at)
    headline = verdict.headline + " Shares are the favourable answers (good or excellent; agree; fairly or very safe)."
    return ReassuranceGap(_confidence_rounds(rounds), crime, headline, verdict.claimed)
