"""Every ward of a force ranked at once: the same rankings as ward by ward, from one grouped query per evidence.

Ranking one ward reads a dozen small queries (:func:`rpdesk.services.signals.rank_signals`); doing
that for the 650 wards of a force costs a minute. Here each kind of evidence is read once for
every ward (the rounds with their respondents, the answer tallies, the EVA findings and walks, the
police.uk counts by month), grouped by ward and day or month, and each ward's counts are then
summed over its own period in Python. Every ward's counts go through the same
:func:`rpdesk.services.signals.ranking_from_evidence` as a single ward's, so a force-wide table
can never disagree with the ward's own Signals page.

What is ranked, per ward: by default the round a view shows as at a day
(:func:`rpdesk.services.periods.current_round`: the latest begun by then, of a rankable size); or
the ward's round called ``round_name``; or the answers dated in one period (``start``..``end``),
the same for every ward. Wards with nothing to rank are named with the reason, not left out silently.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from rpdesk.db.models import AnswerTally, AuditObservation, AuditVisit, CrimeRecord, ResponseTally, SurveyRound, Ward
from rpdesk.domain.ranking import FLAG_MAY_SWAP, FLAG_SMALL_SAMPLE, Weights
from rpdesk.errors import UserError
from rpdesk.services.periods import current_round
from rpdesk.services.signals import (
    Ranking,
    RoundInfo,
    WardEvidence,
    crime_months,
    ranking_catalogue,
    ranking_from_evidence,
    round_period,
)
from rpdesk.services.tallies import AnswerCounts
from rpdesk.settings import Settings

#: Above this many distinct month ranges, police.uk rows are read over their overall span instead.
MAX_MONTH_RANGES = 24
#: The columns of a one-line-per-ward summary (``rpdesk-cli signals --all-wards``, the GUI's force view).
SUMMARY_COLUMNS = ("ward", "name", "ranked", "respondents", "top_signals")
#: What the ``*`` after a signal in :func:`summary_row` means.
SWAP_NOTE = "* may swap places with another issue: residents' answers cannot tell which is the bigger problem"


@dataclass(frozen=True)
class ForceRanking:
    """Every ward's ranking (by ward name), and the wards with nothing to rank, each with the reason."""

    rankings: tuple[Ranking, ...]
    unranked: tuple[tuple[str, str], ...]  # (ward code, why)


@dataclass(frozen=True)
class _Scope:
    """One ward's ranking scope: the round (None: a period of dated answers) and the period."""

    ward_id: int
    ward: tuple[str, str]
    round: RoundInfo | None
    period: tuple[dt.date, dt.date]


def rank_every_ward(
    session: Session,
    *,
    settings: Settings,
    as_at: dt.date | None = None,
    round_name: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    weights: Weights | None = None,
) -> ForceRanking:
    """Rank every ward (those the login may read) for its current round, a named round or one period.

    Give at most one of ``round_name`` and ``start``/``end``; without either, each ward's current
    round as at ``as_at`` (default today). The result is, ward by ward, exactly what
    :func:`rpdesk.services.signals.rank_signals` returns for the same round or period.
    """
    period = _period_asked(round_name, start, end)
    wards = session.execute(select(Ward.id, Ward.code, Ward.name).order_by(Ward.name, Ward.code)).all()
    rounds = _rounds_by_ward(session)
    scopes: list[_Scope] = []
    unranked: list[tuple[str, str]] = []
    for ward_id, code, name in wards:
        found = _scope(ward_id, (code, name), rounds.get(ward_id, ()), settings, as_at, round_name, period)
        if isinstance(found, str):
            unranked.append((code, found))
        else:
            scopes.append(found)
    evidence = _gather(session, scopes, by_round=period is None)
    catalogue = ranking_catalogue(session)
    rankings = tuple(
        ranking_from_evidence(
            sc.ward, sc.round.name if sc.round else None, sc.period, evidence[sc.ward_id], catalogue, settings, weights
        )
        for sc in scopes
    )
    return ForceRanking(rankings, tuple(unranked))


def summary_row(ranking: Ranking) -> dict[str, Any]:
    """One ward's line: its scope and its best signals, ``*`` marking those that may swap places."""

    def named(signal: Any) -> str:
        swap = "*" if FLAG_MAY_SWAP in signal.flags else ""
        small = " (small sample)" if FLAG_SMALL_SAMPLE in signal.flags else ""
        return f"{signal.rank}. {signal.label}{swap}{small}"

    ranked = f"round '{ranking.round_name}'" if ranking.round_name else "period"
    return {
        "ward": ranking.ward_code,
        "name": ranking.ward_name,
        "ranked": f"{ranked} {ranking.period_start} to {ranking.period_end}",
        "respondents": ranking.respondents,
        "top_signals": "; ".join(named(s) for s in ranking.top()) if ranking.respondents else "no answers to rank",
    }


def _period_asked(round_name: str | None, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date] | None:
    if start is None and end is None:
        return None
    if round_name is not None:
        raise UserError("Rank either a survey round or a period (from and to dates), not both.")
    if start is None or end is None:
        raise UserError("Give both the first and the last date of the period to rank.")
    if end < start:
        raise UserError(f"The period ends ({end}) before it starts ({start}).")
    return start, end


_RoundRow = tuple[RoundInfo, tuple[dt.date | None, dt.date | None]]


def _rounds_by_ward(session: Session) -> dict[int, list[_RoundRow]]:
    """Every ward's rounds with their respondents and first and last response day: one query."""
    tally = (
        select(
            ResponseTally.round_id,
            func.sum(ResponseTally.respondents).label("n"),
            func.min(ResponseTally.day).label("first"),
            func.max(ResponseTally.day).label("last"),
        )
        .group_by(ResponseTally.round_id)
        .subquery()
    )
    rows = session.execute(
        select(SurveyRound, func.coalesce(tally.c.n, 0), tally.c.first, tally.c.last)
        .outerjoin(tally, tally.c.round_id == SurveyRound.id)
        .order_by(SurveyRound.start_date, SurveyRound.id)
    )
    out: dict[int, list[_RoundRow]] = defaultdict(list)
    for r, n, first, last in rows:
        info = RoundInfo(r.id, r.name, r.method.value, r.start_date, r.end_date, int(n))
        out[r.ward_id].append((info, (first, last)))
    return out


def _scope(
    ward_id: int,
    ward: tuple[str, str],
    rounds: Sequence[_RoundRow],
    settings: Settings,
    as_at: dt.date | None,
    round_name: str | None,
    period: tuple[dt.date, dt.date] | None,
) -> _Scope | str:
    """The ward's scope, or why it has none."""
    if period is not None:
        return _Scope(ward_id, ward, None, period)
    days = {info.id: d for info, d in rounds}
    if round_name is not None:
        wanted = round_name.strip().lower()
        rnd = next((info for info, _ in rounds if info.name.lower() == wanted), None)
        if rnd is None:
            return f"no survey round called '{round_name}'"
    else:
        rnd = current_round([info for info, _ in rounds], as_at or dt.date.today(), settings.small_sample)
        if rnd is None:
            return "no survey round with answers"
    try:
        return _Scope(ward_id, ward, rnd, round_period(rnd.name, rnd.start_date, rnd.end_date, days[rnd.id]))
    except UserError as exc:
        return str(exc)


# --- the grouped queries ---------------------------------------------------------------------------


def _gather(session: Session, scopes: Sequence[_Scope], *, by_round: bool) -> dict[int, WardEvidence]:
    """Every scoped ward's evidence, keyed by ward id: one grouped query per kind of evidence."""
    if not scopes:
        return {}
    answers = _round_answers(session, scopes) if by_round else _period_answers(session, scopes)
    first = min(sc.period[0] for sc in scopes)
    last = max(sc.period[1] for sc in scopes)
    audits = _by_ward(session.execute(_audit_rows(first, last)))
    walks = _by_ward(
        session.execute(
            select(AuditVisit.ward_id, AuditVisit.date, func.count())
            .where(AuditVisit.date.between(first, last))
            .group_by(AuditVisit.ward_id, AuditVisit.date)
        )
    )
    months = {sc.ward_id: crime_months(*sc.period) for sc in scopes}
    crimes = _by_ward(session.execute(_crime_rows(months.values())))
    out = {}
    for sc in scopes:
        low, high = sc.period
        first_month, last_month, prev_first, prev_last = months[sc.ward_id]
        ward_crimes = crimes.get(sc.ward_id, ())
        respondents, counts = answers.get(sc.ward_id, (0, {}))
        out[sc.ward_id] = WardEvidence(
            respondents=respondents,
            answers=counts,
            audits=_audit_sums(audits.get(sc.ward_id, ()), low, high),
            walks=sum(n for day, n in walks.get(sc.ward_id, ()) if low <= day <= high),
            crimes=_crime_sums(ward_crimes, first_month, last_month),
            crimes_before=_crime_sums(ward_crimes, prev_first, prev_last),
        )
    return out


def _by_ward(rows: Iterable[Any]) -> dict[int, list[tuple[Any, ...]]]:
    """Rows whose first column is the ward id, as lists of the remaining columns per ward."""
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for ward_id, *rest in rows:
        out[ward_id].append(tuple(rest))
    return out


def _answer_sums() -> list[ColumnElement[Any]]:
    """The five tallies a ranking sums, in :data:`rpdesk.services.tallies.AnswerCounts` order."""
    tallies = (AnswerTally.answered, AnswerTally.big, AnswerTally.problem_sum, AnswerTally.effect_answered)
    return [func.sum(c) for c in (*tallies, AnswerTally.effect_yes)]


def _round_answers(session: Session, scopes: Sequence[_Scope]) -> dict[int, tuple[int, AnswerCounts]]:
    """Per ward: its round's respondents and answer counts per issue, from the tallies of every chosen round."""
    ward_of = {sc.round.id: sc for sc in scopes if sc.round is not None}
    stmt = (
        select(AnswerTally.round_id, AnswerTally.issue_id, *_answer_sums())
        .where(AnswerTally.round_id.in_(sorted(ward_of)))
        .group_by(AnswerTally.round_id, AnswerTally.issue_id)
    )
    counts: dict[int, AnswerCounts] = defaultdict(dict)
    for round_id, issue_id, *sums in session.execute(stmt):
        counts[round_id][issue_id] = tuple(int(v) for v in sums)  # type: ignore[assignment]
    out: dict[int, tuple[int, AnswerCounts]] = {}
    for round_id, sc in ward_of.items():
        assert sc.round is not None
        respondents = sc.round.respondents
        out[sc.ward_id] = (respondents, counts.get(round_id, {})) if respondents else (0, {})
    return out


def _period_answers(session: Session, scopes: Sequence[_Scope]) -> dict[int, tuple[int, AnswerCounts]]:
    """Per ward: respondents and answer counts per issue of every answer dated in the (common) period."""
    low, high = scopes[0].period
    respondents = session.execute(
        select(SurveyRound.ward_id, func.sum(ResponseTally.respondents))
        .join(SurveyRound, SurveyRound.id == ResponseTally.round_id)
        .where(ResponseTally.day.between(low, high))
        .group_by(SurveyRound.ward_id)
    )
    stmt = (
        select(SurveyRound.ward_id, AnswerTally.issue_id, *_answer_sums())
        .join(SurveyRound, SurveyRound.id == AnswerTally.round_id)
        .where(AnswerTally.day.between(low, high))
        .group_by(SurveyRound.ward_id, AnswerTally.issue_id)
    )
    counts: dict[int, AnswerCounts] = defaultdict(dict)
    for ward_id, issue_id, *sums in session.execute(stmt):
        counts[ward_id][issue_id] = tuple(int(v) for v in sums)  # type: ignore[assignment]
    return {ward: (int(n), counts.get(ward, {})) for ward, n in respondents if n}


def _audit_rows(first: dt.date, last: dt.date) -> Any:
    """EVA findings per ward, walk day and issue: severity x count summed, and how many."""
    return (
        select(
            AuditVisit.ward_id,
            AuditVisit.date,
            AuditObservation.issue_id,
            func.sum(AuditObservation.severity * AuditObservation.count),
            func.count(),
        )
        .join(AuditVisit, AuditVisit.id == AuditObservation.visit_id)
        .where(AuditVisit.date.between(first, last))
        .group_by(AuditVisit.ward_id, AuditVisit.date, AuditObservation.issue_id)
    )


def _audit_sums(rows: Iterable[tuple[Any, ...]], low: dt.date, high: dt.date) -> dict[int, tuple[float, int]]:
    totals: dict[int, list[int]] = {}
    for day, issue_id, weighted, n in rows:
        if low <= day <= high:
            total = totals.setdefault(issue_id, [0, 0])
            total[0] += int(weighted or 0)
            total[1] += int(n)
    return {issue_id: (float(w), n) for issue_id, (w, n) in totals.items()}


def _crime_rows(months: Iterable[tuple[dt.date, dt.date, dt.date, dt.date]]) -> Any:
    """police.uk rows per ward, month and crime type, in the months any ward's period or year before touches."""
    ranges = sorted({(a, b) for m in months for a, b in ((m[0], m[1]), (m[2], m[3]))})
    if len(ranges) > MAX_MONTH_RANGES:
        ranges = [(ranges[0][0], max(b for _, b in ranges))]
    return (
        select(CrimeRecord.ward_id, CrimeRecord.month, CrimeRecord.crime_type, func.count())
        .where(or_(*(CrimeRecord.month.between(a, b) for a, b in ranges)))
        .group_by(CrimeRecord.ward_id, CrimeRecord.month, CrimeRecord.crime_type)
    )


def _crime_sums(rows: Iterable[tuple[Any, ...]], first: dt.date, last: dt.date) -> Mapping[str, int]:
    totals: dict[str, int] = {}
    for month, crime_type, n in rows:
        if first <= month <= last:
            totals[crime_type] = totals.get(crime_type, 0) + int(n)
    return totals
