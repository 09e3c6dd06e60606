"""Signals of a ward from its evidence: the ranking service, and the map of the whole signals API.

Public API of the signals area (all Qt-free; every function takes an open ``Session`` from
``Database.session()`` and returns frozen dataclasses; only the lookups other services share inside
one session, ``wards.get_ward`` and ``officers.get_officer``, return ORM rows; user mistakes raise
``rpdesk.errors.UserError`` / ``InputRejected``):

``rpdesk.services.signals`` (this module)
    ``rank_signals(session, ward_code, *, settings, round_name=None, start=None, end=None,
    weights=None) -> Ranking`` – rank every issue for a survey round or a date period.
    ``list_rounds(session, ward_code) -> list[RoundInfo]`` – the ward's survey rounds, oldest first.
    ``Ranking``: ward_code, ward_name, round_name, period_start, period_end, crime_start, crime_end,
    previous_start, previous_end, respondents, weights (``domain.ranking.Weights``), small_sample,
    top_n, signals (tuple of ``domain.ranking.RankedSignal``, best first); ``top(n=None)``,
    ``signal(code)``, ``as_dict()`` / ``Ranking.from_dict()``, ``rows()`` (flat dicts for tables).
    ``RankedSignal``: issue, label, kind, rank, score, respondents, big_problem, prevalence,
    prevalence_low, prevalence_high, mean_problem, effect, effect_answered, effect_yes, audit,
    audit_observations, audit_walks, audit_per_walk, recorded, recorded_previous, recorded_change,
    recorded_p (None: no crime type mapped), flags, swaps_with, flag_text, contributions
    (``Contribution(component, measure, weight, points)``; the points add up to the score) and
    explanation (sentences a sergeant can read out). The order is led by residents: see
    :mod:`rpdesk.domain.ranking`.
``rpdesk.services.imports``
    ``import_surveys(session, path, ward_code, round_name, *, mapping=None, method=None,
    replace=False, progress, check) -> ImportResult``; ``import_audits(session, path, ward_code, *,
    replace=False, ...)``; ``import_crimes(session, path, ward_code, *, replace=False, ...)``.
    ``ImportResult``: kind, file_name, batch_id, rows, replaced, round_name, skipped, notes.
``rpdesk.importers.mapping``
    ``ColumnMapping``, ``load_mapping(path)``, ``save_mapping(mapping, path)``.
``rpdesk.services.snapshots``
    ``save_snapshot(session, ranking, name=None) -> SnapshotInfo``; ``list_snapshots(session,
    ward_code)``; ``load_snapshot(session, snapshot_id) -> Ranking`` (the figures as they were).
``rpdesk.services.priorities``
    ``adopt_priorities(session, ward_code, issues, *, ranking=None, snapshot_id=None,
    justifications=None, passed_over=None, wording=None, period_start=None, period_end=None,
    adopted_on=None) -> AdoptionResult(snapshot_id, top_n, adopted, passed_over, closed)``;
    ``list_priorities(session, ward_code, *, top_n, include_closed=False) -> list[PriorityInfo]``
    (PriorityInfo: id, issue, label, evidence_rank, departure, wording, period, adopted_on/by,
    justification, status, snapshot_id); ``list_passed_over(session, ward_code) ->
    list[PassedOverInfo]`` (issue, label, evidence_rank, decided_on/by, justification).
``rpdesk.services.assessment``
    ``assess_priorities(session, ward_code, *, include_closed=False) -> list[PriorityAssessment]``
    (issue, label, adopted_on, baseline_round, latest_round, prevalence and effect as
    ``MeasureChange(before, after, change, z, p_value, beyond_chance, counts)``, verdict, explanation).
``rpdesk.services.expectations``
    ``set_expected(session, ward_code, issues, *, period_start, period_end, note=None) ->
    ExpectedSetInfo``; ``compare_expected(session, ward_code, ranking, *, set_id=None) ->
    ExpectationComparison`` (overlap and Spearman rank correlation; a query); ``keep_comparison(...)``
    (the same, kept with the set: a command); ``list_expected(session, ward_code)``.
``rpdesk.services.confidence``
    ``confidence_by_round(session, ward_code) -> list[RoundConfidence]`` – confidence items with
    intervals (``ItemFigures``: n, mean with interval, favourable share with Wilson interval) beside
    the recorded-crime count of the same months, the change on the previous round and a ``gap``
    sentence when crime fell but confidence did not rise (the reassurance gap).
``rpdesk.domain.stats``
    ``wilson_interval``, ``two_proportion_test``, ``spearman``, ``mean_interval`` (pure).

Recorded crime is published by month, so a period is taken as the whole months it touches, and
compared with the same calendar months a year before. An issue with no police.uk crime type mapped
has no recorded figure (``None``, "n/a"), which is not the same as none recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rpdesk.db.models import (
    AuditObservation,
    AuditVisit,
    CrimeRecord,
    Issue,
    IssueCrimeType,
    ResponseTally,
    SurveyRound,
    Ward,
)
from rpdesk.domain.ranking import IssueEvidence, RankedSignal, Weights, rank_issues
from rpdesk.errors import UserError
from rpdesk.services.tallies import AnswerCounts, round_days, tallied_counts
from rpdesk.services.wards import get_ward
from rpdesk.settings import Settings

#: The columns of ``rpdesk-cli signals`` and of ``Ranking.rows()``, in order.
SIGNAL_COLUMNS: tuple[str, ...] = (
    "rank",
    "issue",
    "label",
    "kind",
    "score",
    "respondents",
    "prevalence",
    "prevalence_low",
    "prevalence_high",
    "mean_problem",
    "effect",
    "audit_per_walk",
    "audit_observations",
    "audit_walks",
    "recorded",
    "recorded_previous",
    "recorded_change",
    "recorded_p",
    "flags",
    "swaps_with",
    "explanation",
)


@dataclass(frozen=True)
class RoundInfo:
    id: int
    name: str
    method: str
    start_date: dt.date | None
    end_date: dt.date | None
    respondents: int


@dataclass(frozen=True)
class Ranking:
    """The ranked signals of one ward for one round or period, with the settings that made it."""

    ward_code: str
    ward_name: str
    round_name: str | None
    period_start: dt.date
    period_end: dt.date
    crime_start: dt.date  # first month counted for recorded crime
    crime_end: dt.date  # last month counted
    previous_start: dt.date  # the same calendar months a year before: first
    previous_end: dt.date  # and last
    respondents: int
    weights: Weights
    small_sample: int
    top_n: int
    signals: tuple[RankedSignal, ...]

    def top(self, n: int | None = None) -> tuple[RankedSignal, ...]:
        """The best ``n`` signals (default: the ``priorities_top_n`` setting at ranking time)."""
        return self.signals[: self.top_n if n is None else n]

    def signal(self, issue_code: str) -> RankedSignal:
        for s in self.signals:
            if s.issue == issue_code:
                return s
        raise UserError(f"Issue '{issue_code}' is not in this ranking. 'rpdesk-cli signals' lists the issue codes.")

    def rows(self) -> list[dict[str, Any]]:
        """One flat dict per signal, best first (the CLI's table, CSV and JSON)."""
        return [s.as_dict() for s in self.signals]

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in ("signals", "weights")}
        for key in ("period_start", "period_end", "crime_start", "crime_end", "previous_start", "previous_end"):
            out[key] = out[key].isoformat()
        out["weights"] = asdict(self.weights)
        out["signals"] = self.rows()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Ranking:
        values = dict(data)
        for key in ("period_start", "period_end", "crime_start", "crime_end", "previous_start", "previous_end"):
            values[key] = dt.date.fromisoformat(values[key])
        values["weights"] = Weights(**values["weights"])
        values["signals"] = tuple(RankedSignal.from_dict(s) for s in values["signals"])
        return cls(**values)


# --- periods ---------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_count(first: dt.date, last: dt.date) -> int:
    """How many calendar months first..last spans (both counted)."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def crime_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(first, last) month of a period and (first, last) of the same calendar months a year before.

    Comparing like months a year apart lets the seasons cancel: crime and anti-social behaviour
    peak in summer, so a spring period set against the winter before it would show a rise that is
    only the weather.
    """
    first, last = month_start(start), month_start(end)
    return first, last, add_months(first, -12), add_months(last, -12)


# --- gathering the evidence ---------------------------------------------------------------------


def list_rounds(session: Session, ward_code: str) -> list[RoundInfo]:
    """The ward's survey rounds, oldest first, with how many respondents each holds."""
    ward = get_ward(session, ward_code)
    counts = (
        select(ResponseTally.round_id, func.sum(ResponseTally.respondents).label("n"))
        .join(SurveyRound, SurveyRound.id == ResponseTally.round_id)
        .where(SurveyRound.ward_id == ward.id)
        .group_by(ResponseTally.round_id)
        .subquery()
    )
    rows = session.execute(
        select(SurveyRound, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.round_id == SurveyRound.id)
        .where(SurveyRound.ward_id == ward.id)
        .order_by(SurveyRound.start_date, SurveyRound.id)
    )
    return [RoundInfo(r.id, r.name, r.method.value, r.start_date, r.end_date, int(n)) for r, n in rows]


def find_round(session: Session, ward: Ward, name: str) -> SurveyRound:
    """The ward's round called ``name`` (any case), or UserError naming the rounds there are."""
    found = session.scalar(
        select(SurveyRound).where(SurveyRound.ward_id == ward.id, func.lower(SurveyRound.name) == name.strip().lower())
    )
    if found is None:
        names = session.scalars(select(SurveyRound.name).where(SurveyRound.ward_id == ward.id).order_by(SurveyRound.id))
        listed = ", ".join(f"'{n}'" for n in names) or "none yet"
        raise UserError(
            f"Ward {ward.code} has no survey round called '{name}'. Its rounds: {listed}. "
            f"'rpdesk-cli import surveys FILE --ward {ward.code} --round NAME' makes one."
        )
    return found


def round_period(
    name: str, start: dt.date | None, end: dt.date | None, days: tuple[dt.date | None, dt.date | None]
) -> tuple[dt.date, dt.date]:
    """A round's own dates; where one is missing, its responses' first or last date (``days``)."""
    if start is None or end is None:
        first, last = days
        start, end = start or first, end or last
    if start is None or end is None:
        raise UserError(f"Survey round '{name}' has no dates and no responses, so it has no period to rank.")
    return start, max(end, start)


def _round_period(session: Session, rnd: SurveyRound) -> tuple[dt.date, dt.date]:
    days = round_days(session, rnd.id) if rnd.start_date is None or rnd.end_date is None else (None, None)
    return round_period(rnd.name, rnd.start_date, rnd.end_date, days)


def _audit_counts(session: Session, ward_id: int, start: dt.date, end: dt.date) -> dict[int, tuple[float, int]]:
    """Per issue id: (severity x count summed, observations) over EVA walks in the period."""
    stmt = (
        select(
            AuditObservation.issue_id,
            func.sum(AuditObservation.severity * AuditObservation.count),
            func.count(),
        )
        .join(AuditVisit, AuditVisit.id == AuditObservation.visit_id)
        .where(AuditVisit.ward_id == ward_id, AuditVisit.date.between(start, end))
        .group_by(AuditObservation.issue_id)
    )
    return {row[0]: (float(row[1] or 0), int(row[2])) for row in session.execute(stmt)}


def _walks(session: Session, ward_id: int, start: dt.date, end: dt.date) -> int:
    """EVA walks in the ward in the period: the denominator of "observations per walk"."""
    stmt = select(func.count()).where(AuditVisit.ward_id == ward_id, AuditVisit.date.between(start, end))
    return int(session.scalar(stmt) or 0)


def _crime_counts(session: Session, ward_id: int, first: dt.date, last: dt.date) -> dict[str, int]:
    """Recorded incidents per police.uk crime type in the months first..last."""
    stmt = (
        select(CrimeRecord.crime_type, func.count())
        .where(CrimeRecord.ward_id == ward_id, CrimeRecord.month.between(first, last))
        .group_by(CrimeRecord.crime_type)
    )
    return {t: int(n) for t, n in session.execute(stmt)}


def _answers(
    session: Session, ward: Ward, rnd: SurveyRound | None, start: dt.date, end: dt.date
) -> tuple[int, AnswerCounts]:
    """Respondents and per-issue answer counts of the round, or of the ward's answers dated in the period.

    Read from the tallies kept at import (:mod:`rpdesk.services.tallies`): the cost does not grow
    with the number of respondents.
    """
    if rnd is not None:
        return tallied_counts(session, [rnd.id])
    rounds = list(session.scalars(select(SurveyRound.id).where(SurveyRound.ward_id == ward.id)))
    return tallied_counts(session, rounds, start, end)


def _resolve_period(
    session: Session, ward: Ward, round_name: str | None, start: dt.date | None, end: dt.date | None
) -> tuple[SurveyRound | None, dt.date, dt.date]:
    if round_name is not None:
        if start is not None or end is not None:
            raise UserError("Rank either a survey round or a period (from and to dates), not both.")
        rnd = find_round(session, ward, round_name)
        return (rnd, *_round_period(session, rnd))
    if start is None or end is None:
        raise UserError("Say which survey round to rank, or both the first and the last date of a period.")
    if end < start:
        raise UserError(f"The period ends ({end}) before it starts ({start}).")
    return None, start, end


def ranking_weights(settings: Settings) -> Weights:
    """The ranking weights the force chose in its settings."""
    return Weights(settings.weight_prevalence, settings.weight_effect, settings.weight_audit, settings.weight_recorded)


@dataclass(frozen=True)
class CatalogueIssue:
    """What a ranking needs of a catalogue issue, and the police.uk crime types mapped to it."""

    id: int
    code: str
    label: str
    kind: str
    active: bool
    crime_types: tuple[str, ...]  # empty: no crime type maps to it, so no recorded measure


def ranking_catalogue(session: Session) -> tuple[CatalogueIssue, ...]:
    """Every catalogue issue with its mapped crime types: two queries, read once however many wards are ranked."""
    mapped: dict[int, list[str]] = {}
    for issue_id, crime_type in session.execute(select(IssueCrimeType.issue_id, IssueCrimeType.crime_type)):
        mapped.setdefault(issue_id, []).append(crime_type)
    rows = session.execute(select(Issue.id, Issue.code, Issue.label, Issue.kind, Issue.active).order_by(Issue.id))
    return tuple(CatalogueIssue(i, c, lb, k.value, bool(a), tuple(mapped.get(i, ()))) for i, c, lb, k, a in rows)


@dataclass(frozen=True)
class WardEvidence:
    """The counts one ward-period's ranking reads, gathered for one ward or for every ward at once."""

    respondents: int
    answers: AnswerCounts
    audits: Mapping[int, tuple[float, int]]  # per issue id: severity x count summed, observations
    walks: int
    crimes: Mapping[str, int]  # recorded incidents per crime type, the period's months
    crimes_before: Mapping[str, int]  # the same calendar months a year before


def ranking_from_evidence(
    ward: tuple[str, str],
    round_name: str | None,
    period: tuple[dt.date, dt.date],
    evidence: WardEvidence,
    catalogue: Sequence[CatalogueIssue],
    settings: Settings,
    weights: Weights | None = None,
) -> Ranking:
    """The ranking of ``ward`` (code, name) over ``period`` from its gathered counts: the one path from counts to order.

    Active catalogue issues are always listed (so "nobody mentioned it" is visible), as are inactive
    ones that have answers in scope.
    """
    start, end = period
    first, last, prev_first, prev_last = crime_months(start, end)
    months = month_count(first, last)
    crimes, before = evidence.crimes, evidence.crimes_before
    items = []
    for issue in catalogue:
        if not issue.active and issue.id not in evidence.answers:
            continue
        answered, big, total, eff_n, eff_yes = evidence.answers.get(issue.id, (0, 0, 0, 0, 0))
        audit, observations = evidence.audits.get(issue.id, (0.0, 0))
        types = issue.crime_types
        items.append(
            IssueEvidence(
                issue=issue.code,
                label=issue.label,
                kind=issue.kind,
                respondents=answered,
                big_problem=big,
                problem_total=total,
                effect_answered=eff_n,
                effect_yes=eff_yes,
                audit=audit,
                audit_observations=observations,
                audit_walks=evidence.walks,
                recorded=sum(crimes.get(t, 0) for t in types) if types else None,
                recorded_previous=sum(before.get(t, 0) for t in types) if types else None,
                months=months,
            )
        )
    chosen = weights or ranking_weights(settings)
    return Ranking(
        ward_code=ward[0],
        ward_name=ward[1],
        round_name=round_name,
        period_start=start,
        period_end=end,
        crime_start=first,
        crime_end=last,
        previous_start=prev_first,
        previous_end=prev_last,
        respondents=evidence.respondents,
        weights=chosen,
        small_sample=settings.small_sample,
        top_n=settings.priorities_top_n,
        signals=rank_issues(items, chosen, settings.small_sample),
    )


def rank_signals(
    session: Session,
    ward_code: str,
    *,
    round_name: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    settings: Settings,
    weights: Weights | None = None,
) -> Ranking:
    """Rank every issue for a ward over one survey round (``round_name``) or a period (``start``..``end``).

    ``settings`` (the caller's) give the weights, the small-sample threshold and the priorities' top
    N; ``weights`` overrides its ranking weights. Every ward of a force at once:
    :func:`rpdesk.services.force_ranking.rank_every_ward` (the same ranking from grouped queries).
    """
    ward = get_ward(session, ward_code)
    rnd, start, end = _resolve_period(session, ward, round_name, start, end)
    first, last, prev_first, prev_last = crime_months(start, end)
    respondents, answers = _answers(session, ward, rnd, start, end)
    evidence = WardEvidence(
        respondents=respondents,
        answers=answers,
        audits=_audit_counts(session, ward.id, start, end),
        walks=_walks(session, ward.id, start, end),
        crimes=_crime_counts(session, ward.id, first, last),
        crimes_before=_crime_counts(session, ward.id, prev_first, prev_last),
    )
    catalogue = ranking_catalogue(session)
    return ranking_from_evidence(
        (ward.code, ward.name), rnd.name if rnd else None, (start, end), evidence, catalogue, settings, weights
    )
