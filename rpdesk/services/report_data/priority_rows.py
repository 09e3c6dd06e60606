"""The priorities in force on a date, in the order of the document's ranking, as printable rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from rpdesk.db.models import Ward
from rpdesk.reports.model import PriorityRow
from rpdesk.services import assessment as assessment_service
from rpdesk.services import priorities as priority_service


def active_priorities(
    session: Session, ward: Ward, on: dt.date, top_n: int, ranks: dict[str, int]
) -> list[priority_service.PriorityInfo]:
    """The priorities in force on ``on`` (adopted by then and not yet ended), in the order of the document's ranking."""
    every = priority_service.list_priorities(session, ward.code, include_closed=True, top_n=top_n)
    live = [
        p
        for p in every
        if p.period_start <= on and (p.period_end is None or p.period_end >= on)
        if p.status == priority_service.ACTIVE or p.period_end is not None
    ]
    return sorted(live, key=lambda p: (p.issue not in ranks, ranks.get(p.issue, 0), p.id))


def priority_rows(
    session: Session, ward: Ward, priorities: Sequence[priority_service.PriorityInfo], ranks: dict[str, int]
) -> tuple[PriorityRow, ...]:
    """The priorities with their rank in the document's ranking (and the rank they were adopted at)."""
    assessed = {a.priority_id: a for a in assessment_service.assess_priorities(session, ward.code, include_closed=True)}
    return tuple(
        PriorityRow(
            label=p.label,
            wording=p.wording,
            evidence_rank=ranks.get(p.issue),
            adopted_on=p.adopted_on,
            adopted_by=p.adopted_by,
            justification=p.justification,
            departure=p.departure,
            assessment=assessed[p.id].explanation if p.id in assessed else "Not assessed.",
            adopted_rank=p.evidence_rank,
            verdict=assessed[p.id].verdict if p.id in assessed else None,
        )
        for p in priorities
    )
