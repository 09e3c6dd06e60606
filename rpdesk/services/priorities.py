"""Adopting ward priorities from the evidence, and making every departure from it visible.

PACT panels usually adopt up to three priorities (the ``priorities_top_n`` setting). The failure the
NRPP study warns about is officers choosing what they "already knew"; so adopting an issue outside
the evidence top N, or passing over one inside it, is refused without a written justification, and
the justification is kept beside the priority (or in :class:`PassedOverSignal`) for anyone to read.

Every adoption is tied to a frozen ranking snapshot: the one named, or one saved there and then.
A new adoption replaces the ward's active set: priorities adopted again continue (keeping their
adoption date, so the assessment compares against the round before they first started); the others
are closed, never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.changelog import os_user
from rpdesk.db.models import Issue, PassedOverSignal, Priority
from rpdesk.errors import FieldProblem, InvalidFields, UserError
from rpdesk.services.signals import Ranking
from rpdesk.services.snapshots import load_snapshot, save_snapshot
from rpdesk.services.wards import get_ward

ACTIVE = "active"
CLOSED = "closed"


@dataclass(frozen=True)
class PriorityInfo:
    id: int
    ward_code: str
    issue: str
    label: str
    evidence_rank: int | None
    departure: bool  # adopted from outside the evidence top N
    wording: str | None
    period_start: dt.date
    period_end: dt.date | None
    adopted_on: dt.date
    adopted_by: str
    justification: str | None
    status: str
    snapshot_id: int | None
    public_reason: str | None = None  # for release: why the team chose it, printed on the briefing


@dataclass(frozen=True)
class PassedOverInfo:
    id: int
    issue: str
    label: str
    evidence_rank: int
    decided_on: dt.date
    decided_by: str
    justification: str
    snapshot_id: int | None


@dataclass(frozen=True)
class AdoptionResult:
    snapshot_id: int
    top_n: int
    adopted: tuple[PriorityInfo, ...]
    passed_over: tuple[PassedOverInfo, ...]
    closed: tuple[str, ...]  # issue codes of active priorities this adoption closed


def _text(mapping: Mapping[str, str] | None, code: str) -> str | None:
    value = (mapping or {}).get(code)
    return value.strip() if value and value.strip() else None


@dataclass(frozen=True)
class Departure:
    """One departure from the evidence a choice of priorities makes, and the question it must answer."""

    issue: str
    label: str
    evidence_rank: int
    adopting: bool  # True: adopting an issue outside the top N; False: passing one inside it over
    question: str


def departures(ranking: Ranking, chosen: Sequence[str], top_n: int | None = None) -> list[Departure]:
    """Every departure that choosing ``chosen`` makes from the evidence top N of ``ranking``.

    The evidence top N is the ranking's own order, which residents lead (see
    :mod:`rpdesk.domain.ranking`); the question names the issues it may swap with, since a swap
    between overlapping issues is the easiest departure to justify.
    """
    top_n = ranking.top_n if top_n is None else top_n
    picked = set(chosen)
    labels = {s.issue: s.label for s in ranking.signals}
    out = []
    for s in ranking.signals:
        swaps = [labels[c] for c in s.swaps_with if c in labels]
        note = f"; it may swap with {', '.join(swaps)}" if swaps else ""
        if s.issue in picked and s.rank > top_n:
            question = f"Why adopt {s.label} (evidence rank {s.rank}, outside the top {top_n}{note})?"
            out.append(Departure(s.issue, s.label, s.rank, True, question))
        elif s.issue not in picked and s.rank <= top_n:
            question = f"Why pass over {s.label} (evidence rank {s.rank}{note})?"
            out.append(Departure(s.issue, s.label, s.rank, False, question))
    return out


REASON_NEEDED = "A written reason is needed."


def departure_problems(
    ranking: Ranking,
    chosen: Sequence[str],
    justifications: Mapping[str, str] | None,
    passed_over: Mapping[str, str] | None,
) -> list[FieldProblem]:
    """Every departure from the evidence top N without a written reason (no database: the adoption form asks it too).

    Each is named ``justifications.CODE`` (adopting an issue outside the top N) or ``passed_over.CODE``
    (not adopting one inside it), so the CLI can add the option that gives it.
    """
    return [
        FieldProblem(f"{'justifications' if d.adopting else 'passed_over'}.{d.issue}", f"{d.question} {REASON_NEEDED}")
        for d in departures(ranking, chosen)
        if not _text(justifications if d.adopting else passed_over, d.issue)
    ]


def _check_departures(
    ranking: Ranking,
    issues: Sequence[str],
    justifications: Mapping[str, str] | None,
    passed_over: Mapping[str, str] | None,
) -> None:
    """Refuse (listing all of them) departures from the evidence that carry no justification."""
    missing = departure_problems(ranking, issues, justifications, passed_over)
    for code in issues:
        ranking.signal(code)  # an unknown code is a user mistake, named before anything else
    if missing:
        heading = "Departures from the evidence must be justified in writing; nothing was adopted:"
        raise InvalidFields(missing, heading)


def adopt_priorities(
    session: Session,
    ward_code: str,
    issues: Sequence[str],
    *,
    ranking: Ranking | None = None,
    snapshot_id: int | None = None,
    justifications: Mapping[str, str] | None = None,
    passed_over: Mapping[str, str] | None = None,
    wording: Mapping[str, str] | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    adopted_on: dt.date | None = None,
    public_reasons: Mapping[str, str] | None = None,
) -> AdoptionResult:
    """Adopt ``issues`` (codes, in the team's order) as the ward's priorities from a ranking or snapshot.

    ``justifications[code]`` explains adopting an issue outside the evidence top N;
    ``passed_over[code]`` explains not adopting one inside it. Missing ones are refused together.
    ``public_reasons[code]`` is what the public briefing says about a departure (the justification
    is for the tasking meeting and may not be fit for release).
    """
    ward = get_ward(session, ward_code)
    if (ranking is None) == (snapshot_id is None):
        raise UserError("Adopt priorities from a ranking or from a saved snapshot (one of them).")
    if ranking is None:
        assert snapshot_id is not None
        ranking = load_snapshot(session, snapshot_id)
    elif snapshot_id is None:
        snapshot_id = save_snapshot(session, ranking, f"{ranking.ward_code} priorities evidence").id
    if ranking.ward_code != ward.code:
        raise UserError(f"That ranking is of ward {ranking.ward_code}, not {ward.code}.")
    codes = [c.strip() for c in issues]
    if len(set(codes)) != len(codes):
        raise UserError("Each issue can be adopted once.")
    top_n = ranking.top_n
    _check_departures(ranking, codes, justifications, passed_over)
    today = adopted_on or dt.date.today()
    user = os_user()
    issue_ids = {code: iid for code, iid in session.execute(select(Issue.code, Issue.id))}
    active = {
        p.issue_id: p
        for p in session.scalars(select(Priority).where(Priority.ward_id == ward.id, Priority.status == ACTIVE))
    }
    adopted = []
    for code in codes:
        signal = ranking.signal(code)
        row = active.pop(issue_ids[code], None)
        if row is None:
            row = Priority(
                ward_id=ward.id,
                issue_id=issue_ids[code],
                period_start=period_start or today,
                adopted_on=today,
                adopted_by=user,
                status=ACTIVE,
            )
            session.add(row)
        row.snapshot_id = snapshot_id
        row.evidence_rank = signal.rank
        row.wording = _text(wording, code) or row.wording or signal.label
        row.period_end = period_end
        row.justification = _text(justifications, code) if signal.rank > top_n else None
        row.public_reason = _text(public_reasons, code) or (row.public_reason if signal.rank > top_n else None)
        adopted.append(row)
    closed = []
    for row in active.values():
        row.status, row.closed_on = CLOSED, today
        closed.append(row)
    passed = []
    for signal in ranking.top(top_n):
        if signal.issue not in codes:
            entry = PassedOverSignal(
                ward_id=ward.id,
                issue_id=issue_ids[signal.issue],
                snapshot_id=snapshot_id,
                evidence_rank=signal.rank,
                decided_on=today,
                decided_by=user,
                justification=_text(passed_over, signal.issue) or "",
            )
            session.add(entry)
            passed.append(entry)
    session.flush()
    labels = _labels(session)
    return AdoptionResult(
        snapshot_id,
        top_n,
        tuple(_priority_info(p, ward.code, labels, top_n) for p in adopted),
        tuple(_passed_info(p, labels) for p in passed),
        tuple(labels[p.issue_id][0] for p in closed),
    )


def _labels(session: Session) -> dict[int, tuple[str, str]]:
    return {iid: (code, label) for iid, code, label in session.execute(select(Issue.id, Issue.code, Issue.label))}


def _priority_info(p: Priority, ward_code: str, labels: Mapping[int, tuple[str, str]], top_n: int) -> PriorityInfo:
    code, label = labels[p.issue_id]
    return PriorityInfo(
        p.id,
        ward_code,
        code,
        label,
        p.evidence_rank,
        p.evidence_rank is None or p.evidence_rank > top_n,
        p.wording,
        p.period_start,
        p.period_end,
        p.adopted_on,
        p.adopted_by,
        p.justification,
        p.status,
        p.snapshot_id,
        p.public_reason,
    )


def _passed_info(p: PassedOverSignal, labels: Mapping[int, tuple[str, str]]) -> PassedOverInfo:
    code, label = labels[p.issue_id]
    return PassedOverInfo(
        p.id, code, label, p.evidence_rank, p.decided_on, p.decided_by, p.justification, p.snapshot_id
    )


def list_priorities(
    session: Session, ward_code: str, *, top_n: int, include_closed: bool = False
) -> list[PriorityInfo]:
    """The ward's priorities (active ones first, by evidence rank), each with its justification.

    ``top_n`` (the force's ``priorities_top_n`` setting) decides which count as departures.
    """
    ward = get_ward(session, ward_code)
    stmt = select(Priority).where(Priority.ward_id == ward.id)
    if not include_closed:
        stmt = stmt.where(Priority.status == ACTIVE)
    rows = session.scalars(stmt.order_by(Priority.status, Priority.adopted_on.desc(), Priority.evidence_rank))
    labels = _labels(session)
    return [_priority_info(p, ward.code, labels, top_n) for p in rows]


def list_passed_over(session: Session, ward_code: str) -> list[PassedOverInfo]:
    """Signals inside the evidence top N that the team chose not to adopt, newest decision first."""
    ward = get_ward(session, ward_code)
    rows = session.scalars(
        select(PassedOverSignal)
        .where(PassedOverSignal.ward_id == ward.id)
        .order_by(PassedOverSignal.decided_on.desc(), PassedOverSignal.evidence_rank)
    )
    labels = _labels(session)
    return [_passed_info(p, labels) for p in rows]
