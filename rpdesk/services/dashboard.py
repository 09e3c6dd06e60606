"""A ward's figures as at a date: what the dashboard heads with and ``rpdesk-cli status`` prints.

The tasking pack and the response card state the same figures for the same ward and as-at date,
because all of them take the period, the ranking, the actions and the recorded crime from
:mod:`rpdesk.services.periods` and :mod:`rpdesk.services.activity`. This module composes them for a
view (the GUI's dashboard reads it; the CLI prints it as a table or JSON).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rpdesk.reports.model import ActivityRow, AsAt
from rpdesk.services import periods
from rpdesk.services.actions import count_actions
from rpdesk.services.activity import activity_rows
from rpdesk.services.signals import Ranking
from rpdesk.services.wards import get_ward
from rpdesk.settings import Settings


@dataclass(frozen=True)
class WardStatus:
    """One ward's headline figures as at ``as_at.date``."""

    ward_code: str
    ward_name: str
    as_at: AsAt
    period_start: dt.date
    period_end: dt.date
    open_actions: int
    overdue_actions: int
    due_soon_actions: int
    ranking: Ranking | None
    activity: tuple[ActivityRow, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values: the CLI's ``status --format json``."""
        return {
            "ward": self.ward_code,
            "ward_name": self.ward_name,
            "as_at": self.as_at.date.isoformat(),
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "period": self.as_at.period,
            "part_period": self.as_at.period_part,
            "crime_held": self.as_at.crime_held,
            "ranking": self.as_at.ranking,
            "open_actions": self.open_actions,
            "overdue_actions": self.overdue_actions,
            "overdue_label": self.as_at.overdue,
            "due_soon_actions": self.due_soon_actions,
            "ranks": [
                {"rank": s.rank, "issue": s.issue, "label": s.label}
                for s in (self.ranking.signals if self.ranking else ())
            ],
            "activity": [
                {
                    "measure": r.measure,
                    "this_period": r.this_period,
                    "previous_period": r.previous_period,
                    "last_12_months": r.last_12_months,
                    "note": r.note,
                }
                for r in self.activity
            ],
        }


def ward_status(session: Session, ward_code: str, as_at: dt.date, settings: Settings) -> WardStatus:
    """The ward's period, actions, ranking and activity as at ``as_at`` (the period is the TCG cycle containing it)."""
    ward = get_ward(session, ward_code)
    fr = periods.frame(session, ward, as_at)
    ranking = periods.ranking_at(session, ward, as_at, settings)
    counts = count_actions(periods.active_actions_at(session, ward, as_at, settings))
    return WardStatus(
        ward.code,
        ward.name,
        periods.as_at_info(fr, ranking),
        fr.period.start,
        fr.period.end,
        counts.active,
        counts.overdue,
        counts.due_soon,
        ranking,
        activity_rows(session, ward, fr),
    )
