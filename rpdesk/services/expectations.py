"""The assumption check: what the team expected the signals to be, against what the evidence says.

Before results are shown the team records the signals it expects, in order. Afterwards rpdesk
shows how many of them are in the evidence top k (k = how many were expected) and the Spearman
rank correlation between the team's order and the evidence ranks over every ranked issue (issues
the team did not name share the place after its list). Both figures are kept with the set, so the
habit of "we already knew" can be checked over time.

Comparing is a query (:func:`compare_expected` writes nothing, so opening a page or running
``rpdesk-cli expected compare`` leaves the database as it was); keeping the figures with the set is
a command the user gives (:func:`keep_comparison`: the Signals page's "Keep comparison" button,
``rpdesk-cli expected compare --keep``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rpdesk.db.changelog import os_user
from rpdesk.db.models import ExpectedSignal, ExpectedSignalSet, Issue, RankingSnapshot, utcnow
from rpdesk.domain.stats import spearman
from rpdesk.errors import UserError
from rpdesk.services.signals import Ranking
from rpdesk.services.wards import get_ward


@dataclass(frozen=True)
class ExpectationRow:
    issue: str
    label: str
    expected_position: int | None
    evidence_rank: int


@dataclass(frozen=True)
class ExpectationComparison:
    set_id: int
    expected: tuple[str, ...]
    evidence_top: tuple[str, ...]  # the evidence's best k, k = len(expected)
    overlap: tuple[str, ...]  # expected issues that are in the evidence top k
    overlap_share: float
    spearman: float | None
    rows: tuple[ExpectationRow, ...]  # every ranked issue, in evidence order
    summary: str


@dataclass(frozen=True)
class ExpectedSetInfo:
    id: int
    ward_code: str
    period_start: dt.date
    period_end: dt.date
    issues: tuple[str, ...]
    recorded_at: dt.datetime
    recorded_by: str
    note: str | None
    compared_at: dt.datetime | None
    overlap_share: float | None
    spearman: float | None
    after_evidence: bool = False  # a ranking of an overlapping period had been saved before it was recorded


def _after_evidence(session: Session, row: ExpectedSignalSet) -> bool:
    """Whether the team could have seen the evidence first: a snapshot of the ward overlapping the
    period (saved by hand or by adopting priorities) already existed when the set was recorded."""
    found = session.scalar(
        select(RankingSnapshot.id)
        .where(
            RankingSnapshot.ward_id == row.ward_id,
            RankingSnapshot.period_start <= row.period_end,
            RankingSnapshot.period_end >= row.period_start,
            RankingSnapshot.created_at < row.recorded_at,
        )
        .limit(1)
    )
    return found is not None


def _info(session: Session, row: ExpectedSignalSet, ward_code: str, codes: dict[int, str]) -> ExpectedSetInfo:
    comparison = json.loads(row.comparison_json) if row.comparison_json else {}
    return ExpectedSetInfo(
        row.id,
        ward_code,
        row.period_start,
        row.period_end,
        tuple(codes[s.issue_id] for s in row.signals),
        row.recorded_at,
        row.recorded_by,
        row.note,
        row.compared_at,
        comparison.get("overlap_share"),
        comparison.get("spearman"),
        _after_evidence(session, row),
    )


def _codes(session: Session) -> dict[int, str]:
    return {iid: code for iid, code in session.execute(select(Issue.id, Issue.code))}


def set_expected(
    session: Session,
    ward_code: str,
    issues: Sequence[str],
    *,
    period_start: dt.date,
    period_end: dt.date,
    note: str | None = None,
) -> ExpectedSetInfo:
    """Record the signals the team expects for a period, most important first."""
    ward = get_ward(session, ward_code)
    by_code = {code: iid for iid, code in _codes(session).items()}
    codes = [c.strip() for c in issues if c.strip()]
    unknown = [c for c in codes if c not in by_code]
    if not codes:
        raise UserError("Name at least one issue the team expects to be a signal.")
    if unknown:
        raise UserError(f"Not issue codes of the catalogue: {', '.join(unknown)}. 'rpdesk-cli signals' lists them.")
    if len(set(codes)) != len(codes):
        raise UserError("Name each expected issue once.")
    if period_end < period_start:
        raise UserError(f"The period ends ({period_end}) before it starts ({period_start}).")
    row = ExpectedSignalSet(
        ward_id=ward.id, period_start=period_start, period_end=period_end, recorded_by=os_user(), note=(note or None)
    )
    row.signals = [ExpectedSignal(issue_id=by_code[c], position=i) for i, c in enumerate(codes, 1)]
    session.add(row)
    session.flush()
    return _info(session, row, ward.code, _codes(session))


def _latest_set(session: Session, ward_id: int, set_id: int | None) -> ExpectedSignalSet:
    stmt = (
        select(ExpectedSignalSet)
        .options(selectinload(ExpectedSignalSet.signals))
        .where(ExpectedSignalSet.ward_id == ward_id)
    )
    if set_id is not None:
        stmt = stmt.where(ExpectedSignalSet.id == set_id)
    row = session.scalars(stmt.order_by(ExpectedSignalSet.id.desc()).limit(1)).first()
    if row is None:
        raise UserError(
            "No expected signals are recorded for this ward"
            + (f" with id {set_id}" if set_id else "")
            + ". Record them first with 'rpdesk-cli expected set'."
        )
    return row


def compare(set_id: int, expected: Sequence[str], ranking: Ranking) -> ExpectationComparison:
    """Overlap with the evidence top k and Spearman correlation over all ranked issues (pure)."""
    k = len(expected)
    position = {code: i for i, code in enumerate(expected, 1)}
    top = tuple(s.issue for s in ranking.top(k))
    overlap = tuple(c for c in expected if c in top)
    team = [float(position.get(s.issue, k + 1)) for s in ranking.signals]
    evidence = [float(s.rank) for s in ranking.signals]
    rho = spearman(team, evidence)
    rows = tuple(ExpectationRow(s.issue, s.label, position.get(s.issue), s.rank) for s in ranking.signals)
    summary = (
        f"{len(overlap)} of the {k} expected signal(s) are in the evidence top {k}"
        + (f" ({', '.join(overlap)})" if overlap else "")
        + "; rank correlation with the evidence "
        + ("cannot be computed" if rho is None else f"{rho:.2f}")
        + "."
    )
    return ExpectationComparison(
        set_id, tuple(expected), top, overlap, len(overlap) / k if k else 0.0, rho, rows, summary
    )


def _compared(
    session: Session, ward_code: str, ranking: Ranking, set_id: int | None
) -> tuple[ExpectedSignalSet, ExpectationComparison]:
    ward = get_ward(session, ward_code)
    if ranking.ward_code != ward.code:
        raise UserError(f"That ranking is of ward {ranking.ward_code}, not {ward.code}.")
    row = _latest_set(session, ward.id, set_id)
    codes = _codes(session)
    return row, compare(row.id, [codes[s.issue_id] for s in row.signals], ranking)


def compare_expected(
    session: Session, ward_code: str, ranking: Ranking, *, set_id: int | None = None
) -> ExpectationComparison:
    """Compare the ward's latest (or the given) expected set with ``ranking``; a query, nothing is written."""
    return _compared(session, ward_code, ranking, set_id)[1]


def keep_comparison(
    session: Session, ward_code: str, ranking: Ranking, *, set_id: int | None = None
) -> ExpectationComparison:
    """Compare as :func:`compare_expected` does and keep the figures with the expected set (a command)."""
    row, result = _compared(session, ward_code, ranking, set_id)
    kept = asdict(result)
    kept["ranking"] = {
        "round_name": ranking.round_name,
        "period_start": ranking.period_start.isoformat(),
        "period_end": ranking.period_end.isoformat(),
    }
    row.comparison_json = json.dumps(kept, sort_keys=True)
    row.compared_at = utcnow()
    session.flush()
    return result


def list_expected(session: Session, ward_code: str) -> list[ExpectedSetInfo]:
    """The ward's recorded expectations, newest first, with their kept comparison figures."""
    ward = get_ward(session, ward_code)
    rows = session.scalars(
        select(ExpectedSignalSet)
        .options(selectinload(ExpectedSignalSet.signals))
        .where(ExpectedSignalSet.ward_id == ward.id)
        .order_by(ExpectedSignalSet.id.desc())
    )
    codes = _codes(session)
    return [_info(session, r, ward.code, codes) for r in rows]
