"""What the tasking pack for a TCG meeting prints: the whole evidence, restricted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.changelog import os_user
from rpdesk.db.models import Officer, Ward
from rpdesk.domain.vocabulary import MeetingKind
from rpdesk.reports.model import (
    Abstractions,
    AssumptionCheck,
    MonthShare,
    OfficerTime,
    PassedOverRow,
    ReasonHours,
    RoundSize,
    TaskingData,
)
from rpdesk.services import abstractions as abstraction_service
from rpdesk.services import actions as action_service
from rpdesk.services import expectations as expectation_service
from rpdesk.services import periods, report_maps
from rpdesk.services import priorities as priority_service
from rpdesk.services import signals as signal_service
from rpdesk.services import snapshots as snapshot_service
from rpdesk.services.activity import activity_rows
from rpdesk.services.report_data.action_rows import ACTIVE, action_row
from rpdesk.services.report_data.appendix import caveats, method
from rpdesk.services.report_data.eva import eva_rows
from rpdesk.services.report_data.gap import confidence_by_round, crime_by_month, gap
from rpdesk.services.report_data.meetings import meeting_info, open_document, ward_heading
from rpdesk.services.report_data.priority_rows import active_priorities, priority_rows
from rpdesk.services.report_data.signal_rows import issue_labels, ranks_of, signal_rows, welsh_labels
from rpdesk.settings import Settings


@dataclass(frozen=True)
class _Rounds:
    """The survey rounds a document draws on: the latest one finished by the meeting, and the one before."""

    all: tuple[signal_service.RoundInfo, ...]
    latest: signal_service.RoundInfo | None
    previous: signal_service.RoundInfo | None


def _rounds(session: Session, ward: Ward, by: dt.date) -> _Rounds:
    infos = [
        r
        for r in signal_service.list_rounds(session, ward.code)
        if r.respondents and (r.start_date or dt.date.min) <= by
    ]
    infos.sort(key=lambda r: (r.end_date or r.start_date or dt.date.min, r.name))
    latest = infos[-1] if infos else None
    previous = infos[-2] if len(infos) > 1 else None
    return _Rounds(tuple(infos), latest, previous)


def _last_snapshot(session: Session, ward: Ward, before: dt.date) -> tuple[str, dict[str, int]] | None:
    """The name and ranks of the ward's newest ranking snapshot saved before ``before``."""
    for snap in snapshot_service.list_snapshots(session, ward.code):  # newest first
        if snap.created_at.date() < before:
            ranking = snapshot_service.load_snapshot(session, snap.id)
            return snap.name, {s.issue: s.rank for s in ranking.signals}
    return None


def _review_actions(
    session: Session, ward: Ward, since: dt.date, today: dt.date, due_soon_days: int
) -> list[action_service.ActionInfo]:
    """Active actions, and those finished since the last meeting; overdue first, then by due date."""
    every = action_service.list_actions(session, ward=ward.code, today=today, due_soon_days=due_soon_days)
    return [
        a
        for a in every
        if a.status in ACTIVE or (a.completed_on is not None and since <= a.completed_on <= today)
        if a.created_on <= today
    ]


def _passed_over(
    session: Session, ward: Ward, since: dt.date | None, ranks: dict[str, int]
) -> tuple[PassedOverRow, ...]:
    """Signals passed over when the priorities in force were adopted, ranked as in the document's ranking."""
    if since is None:
        return ()
    chosen = [p for p in priority_service.list_passed_over(session, ward.code) if p.decided_on >= since]
    chosen.sort(key=lambda p: (p.issue not in ranks, ranks.get(p.issue, 0), p.evidence_rank))
    return tuple(
        PassedOverRow(p.label, ranks.get(p.issue), p.decided_on, p.decided_by, p.justification, p.evidence_rank)
        for p in chosen
    )


def _assumption(
    session: Session, ward: Ward, on: dt.date, ranking: signal_service.Ranking | None
) -> AssumptionCheck | None:
    """The team's latest expectation recorded by ``on``, compared with the evidence (without writing)."""
    if ranking is None:
        return None
    sets = [e for e in expectation_service.list_expected(session, ward.code) if e.period_start <= on]
    if not sets:
        return None
    latest = sets[0]  # newest first
    result = expectation_service.compare(latest.id, latest.issues, ranking)
    labels = issue_labels(session)
    return AssumptionCheck(
        tuple(labels.get(c, c) for c in result.expected),
        tuple(labels.get(c, c) for c in result.evidence_top),
        result.summary,
    )


def _abstractions(session: Session, ward: Ward, start: dt.date, end: dt.date, settings: Settings) -> Abstractions:
    target = settings.ring_fence_target
    figures = abstraction_service.summary(session, ward=ward.code, start=start, end=end, by="officer", target=target)
    roles = {collar: role for collar, role in session.execute(select(Officer.collar, Officer.role))}
    officers = tuple(
        OfficerTime(
            r.officer_name or r.officer or "Unknown",
            roles[r.officer].value if r.officer in roles else "",
            r.rostered_hours,
            r.abstracted_hours,
            r.ring_fence,
            r.below_target,
        )
        for r in figures.rows
    )
    total = sum(r.hours for r in abstraction_service.by_reason(session, ward=ward.code, start=start, end=end)) or 1.0
    reasons = tuple(
        ReasonHours(r.label, r.hours, r.hours / total)
        for r in abstraction_service.by_reason(session, ward=ward.code, start=start, end=end)
    )
    trend = tuple(
        MonthShare(
            m.month, m.figure.rostered_hours, m.figure.abstracted_hours, m.figure.share, m.figure.below_target(target)
        )
        for m in abstraction_service.monthly(session, end=end, ward=ward.code)
    )
    return Abstractions(target, figures.total.ring_fence, officers, reasons, trend)


def tasking_data(
    session: Session,
    ward_code: str,
    meeting_date: dt.date | None = None,
    *,
    settings: Settings,
    prepared_by: str | None = None,
    now: dt.datetime | None = None,
    as_at: dt.date | None = None,
) -> TaskingData:
    """Everything the tasking pack for the ward's TCG meeting on ``meeting_date`` prints.

    Every figure is as at ``as_at`` (default: the meeting, or today if the meeting is still to come);
    the period runs from the previous TCG to the day before this one, cut at the as-at date.
    """
    doc = open_document(session, ward_code, MeetingKind.TCG, meeting_date, now=now, as_at=as_at)
    now, ward, meeting, as_at, fr = doc.now, doc.ward, doc.meeting, doc.as_at, doc.frame
    start, end = fr.period.start, fr.period.end
    top_n = settings.priorities_top_n
    rounds = _rounds(session, ward, as_at)
    ranking = periods.ranking_at(session, ward, as_at, settings)
    ranks = ranks_of(ranking)
    snapshot = _last_snapshot(session, ward, as_at + dt.timedelta(days=1))
    signals = signal_rows(ranking, snapshot[1] if snapshot else None, welsh_labels(session)) if ranking else ()
    if ranking is None:
        note = "No survey round has responses yet: no signals can be ranked."
    else:
        note = f"Ranked over survey round {ranking.round_name} ({ranking.respondents:,} respondents); " + (
            f"movement is against the snapshot '{snapshot[0]}'." if snapshot else "no earlier snapshot to compare with."
        )
    labels = issue_labels(session)
    active = periods.active_actions_at(session, ward, as_at, settings)
    review = _review_actions(session, ward, start, as_at, settings.due_soon_days)
    priorities = active_priorities(session, ward, as_at, top_n, ranks)
    conf = confidence_by_round(session, ward, as_at)
    crime = crime_by_month(session, ward, fr.crime_latest, conf[0].period_start if conf else None)
    return TaskingData(
        ward=ward_heading(ward),
        meeting=meeting_info(meeting),
        period_start=start,
        period_end=end,
        prepared_by=prepared_by or os_user(),
        generated_at=now,
        signals=signals,
        signals_note=note,
        open_actions=len(active),
        overdue_actions=sum(a.overdue for a in active),
        activity=activity_rows(session, ward, fr),
        actions=tuple(action_row(a, labels) for a in review),
        gap=gap(session, ward, as_at, conf, crime),
        priorities=priority_rows(session, ward, priorities, ranks),
        passed_over=_passed_over(session, ward, min((p.adopted_on for p in priorities), default=None), ranks),
        assumption=_assumption(session, ward, as_at, ranking),
        eva=eva_rows(session, ward, as_at),
        abstractions=_abstractions(session, ward, start, end, settings),
        rounds=tuple(RoundSize(r.name, r.method, r.start_date, r.end_date, r.respondents) for r in rounds.all),
        method=method(ranking, settings),
        caveats=caveats(ranking, signals, settings.small_sample),
        top_n=top_n,
        as_at=periods.as_at_info(fr, ranking),
        maps=report_maps.tasking_maps(session, ward, priorities, as_at, settings),
    )
