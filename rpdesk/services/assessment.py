"""Assessment (the A of SARA): did the work on a priority move what residents feel?

For each adopted priority: its prevalence and effect in the survey round before adoption (the
latest round that started on or before the adoption date) against the ward's latest round since,
with the change and a pooled two-proportion z-test saying whether the change is beyond chance
(p < 0.05). A drop in prevalence beyond chance is "improved", a rise beyond chance "worse".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import Issue, Priority, SurveyResponse, SurveyRound
from rpdesk.domain.stats import two_proportion_test
from rpdesk.services.priorities import ACTIVE
from rpdesk.services.signals import answer_counts
from rpdesk.services.wards import get_ward

ALPHA = 0.05
IMPROVED = "improved"
WORSE = "worse"
NO_CLEAR_CHANGE = "no clear change"
NOT_YET = "no round since adoption"
NO_BASELINE = "no round before adoption"


@dataclass(frozen=True)
class MeasureChange:
    """One share in two rounds: counts, shares, the change and whether it is beyond chance."""

    yes_before: int
    n_before: int
    yes_after: int
    n_after: int
    before: float | None
    after: float | None
    change: float | None
    z: float | None
    p_value: float | None
    beyond_chance: bool


@dataclass(frozen=True)
class PriorityAssessment:
    priority_id: int
    issue: str
    label: str
    adopted_on: dt.date
    status: str
    baseline_round: str | None
    latest_round: str | None
    prevalence: MeasureChange | None
    effect: MeasureChange | None
    verdict: str
    explanation: str


def _change(k1: int, n1: int, k2: int, n2: int) -> MeasureChange:
    test = two_proportion_test(k1, n1, k2, n2)
    return MeasureChange(
        k1,
        n1,
        k2,
        n2,
        k1 / n1 if n1 else None,
        k2 / n2 if n2 else None,
        test.change if test else None,
        test.z if test else None,
        test.p_value if test else None,
        bool(test and test.beyond_chance(ALPHA)),
    )


def _verdict(prevalence: MeasureChange) -> str:
    if prevalence.change is None or not prevalence.beyond_chance:
        return NO_CLEAR_CHANGE
    return IMPROVED if prevalence.change < 0 else WORSE


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _explain(label: str, base: SurveyRound, last: SurveyRound, prev: MeasureChange, eff: MeasureChange) -> str:
    text = (
        f"{label}: {_pct(prev.before)} of {prev.n_before} called it a fairly or very big problem in {base.name}, "
        f"{_pct(prev.after)} of {prev.n_after} in {last.name}"
    )
    if prev.p_value is not None:
        text += f" ({'beyond chance' if prev.beyond_chance else 'within chance'}, p = {prev.p_value:.3f})"
    if eff.n_before and eff.n_after:
        text += f"; effect on residents {_pct(eff.before)} → {_pct(eff.after)}"
        if eff.beyond_chance:
            text += " (beyond chance)"
    return text + "."


def assess_priorities(session: Session, ward_code: str, *, include_closed: bool = False) -> list[PriorityAssessment]:
    """Before-and-after figures for each of the ward's priorities (active ones, or all)."""
    ward = get_ward(session, ward_code)
    rounds = list(
        session.scalars(
            select(SurveyRound)
            .where(SurveyRound.ward_id == ward.id, SurveyRound.start_date.is_not(None))
            .order_by(SurveyRound.start_date, SurveyRound.id)
        )
    )
    stmt = (
        select(Priority, Issue.code, Issue.label)
        .join(Issue, Issue.id == Priority.issue_id)
        .where(Priority.ward_id == ward.id)
    )
    if not include_closed:
        stmt = stmt.where(Priority.status == ACTIVE)
    counts: dict[int, dict[int, tuple[int, int, int, int, int]]] = {}

    def round_counts(rnd: SurveyRound) -> dict[int, tuple[int, int, int, int, int]]:
        if rnd.id not in counts:
            counts[rnd.id] = answer_counts(session, SurveyResponse.round_id == rnd.id)[1]
        return counts[rnd.id]

    out = []
    for priority, code, label in session.execute(stmt.order_by(Priority.adopted_on, Priority.evidence_rank)):
        before = [r for r in rounds if r.start_date is not None and r.start_date <= priority.adopted_on]
        after = [r for r in rounds if r.start_date is not None and r.start_date > priority.adopted_on]
        base = before[-1] if before else None
        last = after[-1] if after else None
        if base is None or last is None:
            verdict = NO_BASELINE if base is None else NOT_YET
            out.append(
                PriorityAssessment(
                    priority.id,
                    code,
                    label,
                    priority.adopted_on,
                    priority.status,
                    base.name if base else None,
                    last.name if last else None,
                    None,
                    None,
                    verdict,
                    f"{label}: {verdict}, so there is nothing to compare yet.",
                )
            )
            continue
        n1, big1, _, en1, ey1 = round_counts(base).get(priority.issue_id, (0, 0, 0, 0, 0))
        n2, big2, _, en2, ey2 = round_counts(last).get(priority.issue_id, (0, 0, 0, 0, 0))
        prevalence, effect = _change(big1, n1, big2, n2), _change(ey1, en1, ey2, en2)
        out.append(
            PriorityAssessment(
                priority.id,
                code,
                label,
                priority.adopted_on,
                priority.status,
                base.name,
                last.name,
                prevalence,
                effect,
                _verdict(prevalence),
                _explain(label, base, last, prevalence, effect),
            )
        )
    return out
