"""The document's one ranking as printable rows, and the issue labels (English and Welsh) they use."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import Issue
from rpdesk.reports.model import SignalRow
from rpdesk.services import signals as signal_service


def ranks_of(ranking: signal_service.Ranking | None) -> dict[str, int]:
    """Issue code -> rank in the document's one ranking."""
    return {s.issue: s.rank for s in ranking.signals} if ranking is not None else {}


def signal_rows(
    ranking: signal_service.Ranking, earlier: dict[str, int] | None, labels_cy: dict[str, str]
) -> tuple[SignalRow, ...]:
    """The ranking's signals; ``earlier`` (issue -> rank) gives each one's movement since then."""
    rows = []
    for s in ranking.signals:
        if s.respondents == 0 and s.audit == 0 and not s.recorded:
            continue  # nobody mentioned it and nothing was seen: not a signal in this period
        was = earlier.get(s.issue) if earlier is not None else None
        rows.append(
            SignalRow(
                rank=s.rank,
                issue=s.issue,
                label=s.label,
                label_cy=labels_cy.get(s.issue),
                kind=s.kind,
                score=s.score,
                respondents=s.respondents,
                prevalence=s.prevalence,
                prevalence_low=s.prevalence_low if s.respondents else None,
                prevalence_high=s.prevalence_high if s.respondents else None,
                effect=s.effect,
                audit_per_walk=s.audit_per_walk,
                recorded=s.recorded,
                recorded_previous=s.recorded_previous,
                recorded_p=s.recorded_p,
                flags=s.flag_text + (("new",) if earlier is not None and was is None else ()),
                swaps_with=s.swaps_with,
                movement=None if was is None else was - s.rank,
            )
        )
    return tuple(rows)


def issue_labels(session: Session) -> dict[str, str]:
    return {code: label for code, label in session.execute(select(Issue.code, Issue.label))}


def welsh_labels(session: Session) -> dict[str, str]:
    return {code: cy for code, cy in session.execute(select(Issue.code, Issue.label_cy)) if cy}
