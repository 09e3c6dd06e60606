"""The Signals page's use case, Qt-free: rank a scope, compare it with the team's expectation, read priorities.

One call on the database thread gathers everything the page shows for a ward and a scope (a survey
round or a period); the CLI could show the same. Comparing is a query: nothing is written here.
The rules the page applies to what it shows live here too, so the page only lays them out: the
period offered when a ward has no survey round, the words saying how each signal matched the team's
expectation, and which reasons an adoption needs and where each one is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rpdesk.services.assessment import PriorityAssessment, assess_priorities
from rpdesk.services.expectations import ExpectationComparison, compare_expected, list_expected
from rpdesk.services.issues import issue_choices
from rpdesk.services.priorities import (
    PassedOverInfo,
    PriorityInfo,
    departure_problems,
    list_passed_over,
    list_priorities,
)
from rpdesk.services.signals import Ranking, RoundInfo, list_rounds, rank_signals
from rpdesk.settings import Settings

#: The period ranked by default when a ward has no survey round: the last 90 days.
DEFAULT_PERIOD_DAYS = 90


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


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The period offered when the ward has no survey round to rank: the :data:`DEFAULT_PERIOD_DAYS` to ``today``."""
    return today - dt.timedelta(days=DEFAULT_PERIOD_DAYS), today


# --- the expectation beside the evidence -----------------------------------------------------------------


@dataclass(frozen=True)
class ExpectationLine:
    """One ranked signal beside the team's expectation, as the assumption check lists it."""

    evidence_rank: int
    label: str
    expected_position: int | None  # the team's order, None when the team did not name it
    matched: str  # in words: expected and in the evidence top k, expected and not, or in the top k unexpected

    @property
    def id(self) -> int:
        """The line's key in a table: its evidence rank, unique within a ranking."""
        return self.evidence_rank


def expectation_lines(comparison: ExpectationComparison) -> list[ExpectationLine]:
    """Every ranked signal, in evidence order, saying how it matched the team's list of k signals."""
    k = len(comparison.expected)
    overlap = set(comparison.overlap)
    lines = []
    for row in comparison.rows:
        if row.expected_position is not None:
            matched = f"expected, in the evidence top {k}" if row.issue in overlap else f"expected, not in the top {k}"
        else:
            matched = f"in the top {k}, not expected" if row.evidence_rank <= k else ""
        lines.append(ExpectationLine(row.evidence_rank, row.label, row.expected_position, matched))
    return lines


# --- adopting priorities ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdoptionReasons:
    """The written reasons for a choice of priorities, split the way :func:`adopt_priorities` keeps them."""

    justifications: dict[str, str]  # issue code -> why adopt it from outside the evidence top N
    passed_over: dict[str, str]  # issue code -> why pass over one inside it


def adoption_problems(ranking: Ranking, chosen: Sequence[str], reasons: Mapping[str, str]) -> list[str]:
    """What stops adopting ``chosen`` from ``ranking``: none chosen, more than the top N, a departure unexplained.

    ``reasons`` maps an issue code to the reason written for its departure; blank counts as missing.
    """
    found = []
    if not chosen:
        found.append("Tick at least one signal to adopt.")
    if len(chosen) > ranking.top_n:
        found.append(f"Adopt at most {ranking.top_n} priorities (ticked: {len(chosen)}).")
    given = adoption_reasons(chosen, reasons)
    return found + [str(p) for p in departure_problems(ranking, chosen, given.justifications, given.passed_over)]


def adoption_reasons(chosen: Sequence[str], reasons: Mapping[str, str]) -> AdoptionReasons:
    """A reason for a chosen issue justifies adopting it; a reason for one not chosen explains passing it over."""
    picked = set(chosen)
    texts = {code: text.strip() for code, text in reasons.items()}
    return AdoptionReasons(
        {c: t for c, t in texts.items() if c in picked}, {c: t for c, t in texts.items() if c not in picked}
    )
