"""The Signals page's use case, Qt-free: rank a scope, compare it with the team's expectation, read priorities.

One call on the database thread gathers everything the page shows for a ward and a scope (a survey
round or a period); the CLI could show the same. Comparing is a query: nothing is written here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rpdesk.services.assessment import PriorityAssessment, assess_priorities
from rpdesk.services.expectations import ExpectationComparison, compare_expected, list_expected
from rpdesk.services.issues import issue_choices
from rpdesk.services.priorities import PassedOverInfo, PriorityInfo, list_passed_over, list_priorities
from rpdesk.services.signals import Ranking, RoundInfo, list_rounds, rank_signals
from rpdesk.settings import Settings


@dataclass(frozen=True)
class Scope:
    """What to rank: a survey round by name, or a period."""

    round_name: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class SignalsView:
    ranking: Ranking
    expected_recorded: bool  # an expectation covers this period, so the ranking is not a first look
    comparison: ExpectationComparison | None
    priorities: tuple[PriorityInfo, ...]
    passed_over: tuple[PassedOverInfo, ...]
    assessment: tuple[PriorityAssessment, ...]


def load_rounds(session: Session, ward_code: str) -> tuple[list[RoundInfo], list[tuple[str, str]]]:
    issues = [(i.code, i.label) for i in issue_choices(session, active_only=False)]
    return list_rounds(session, ward_code), issues


def load_view(session: Session, ward_code: str, scope: Scope, settings: Settings) -> SignalsView:
    """Rank, compare with the latest expectation for an overlapping period, and read the priorities."""
    ranking = rank_signals(
        session, ward_code, round_name=scope.round_name, start=scope.start, end=scope.end, settings=settings
    )
    matching = [
        e
        for e in list_expected(session, ward_code)
        if e.period_start <= ranking.period_end and e.period_end >= ranking.period_start
    ]
    comparison = compare_expected(session, ward_code, ranking, set_id=matching[0].id) if matching else None
    return SignalsView(
        ranking,
        bool(matching),
        comparison,
        tuple(list_priorities(session, ward_code, top_n=ranking.top_n)),
        tuple(list_passed_over(session, ward_code)),
        tuple(assess_priorities(session, ward_code, include_closed=True)),
    )
