"""Assessment (the A of SARA): did the work on a priority move what residents feel?

For each priority, its prevalence and effect in the **baseline** round are set against a **later**
round, with the change and a pooled two-proportion z-test (beyond chance when p < 0.05). A drop
in prevalence beyond chance is "improved", a rise beyond chance "worse".

- **Baseline.** Panels re-adopt a live priority at meeting after meeting; each re-adoption may be
  stored as a new priority, but the work began at the *first* adoption. So the baseline is the
  latest round that started on or before the first adoption of an unbroken run of adoptions of the
  same issue in the ward (a run is unbroken when the next adoption came within
  ``CONTINUITY_DAYS`` of the previous one ending). A priority older than the ward's first round
  takes the first round since as its baseline, and says so.
- **Same method.** Door-step, online, postal and KIN rounds reach different people, so a change
  between them may be who answered rather than what changed. The later round is the latest one of
  the baseline's method; only when there is none is a round of another method used, and then the
  explanation says so.
- **Review: not moving.** A priority with no change beyond chance after two later rounds, or with
  a later round six months or more after its first adoption, is flagged "review: not moving" so
  the panel asks whether the work is the right work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import Issue, Priority, SurveyRound
from rpdesk.domain.stats import format_p, two_proportion_test
from rpdesk.domain.vocabulary import SURVEY_METHOD_WORDS
from rpdesk.services.priorities import ACTIVE
from rpdesk.services.tallies import tallied_counts
from rpdesk.services.wards import get_ward

ALPHA = 0.05
#: The assessment rule in a sergeant's words (the pack's method appendix).
METHOD = (
    "Assessment: a priority's prevalence in the round before it was first adopted (kept through re-adoptions) "
    "against the latest later round of the same method (two-proportion test, 5% level); rounds of different "
    "methods are compared only with a caveat. No change beyond chance after two later rounds or six months is "
    "flagged 'review: not moving'."
)
IMPROVED = "improved"
WORSE = "worse"
NO_CLEAR_CHANGE = "no clear change"
NOT_MOVING = "review: not moving"
NOT_YET = "no round since adoption"
NO_BASELINE = "no round before adoption"
#: A re-adoption within this many days of the previous adoption ending continues the same priority.
CONTINUITY_DAYS = 92
#: "Not moving" after this many later rounds, or a later round this many months after first adoption.
REVIEW_ROUNDS = 2
REVIEW_MONTHS = 6
#: Survey methods as a sentence names them.


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
    first_adopted_on: dt.date  # the start of its unbroken run of adoptions: the baseline is before this
    status: str
    baseline_round: str | None
    latest_round: str | None
    rounds_since: int  # survey rounds started since the first adoption
    caveat: str | None  # rounds of different methods, or a baseline taken after the first adoption
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


def first_adoption(priority: Priority, same_issue: Sequence[Priority]) -> dt.date:
    """The first adoption of the unbroken run of adoptions ``priority`` belongs to."""
    current = priority
    while True:
        since = current.adopted_on - dt.timedelta(days=CONTINUITY_DAYS)
        earlier = [p for p in same_issue if p.adopted_on < current.adopted_on and _in_force_since(p, since)]
        if not earlier:
            return current.adopted_on
        current = min(earlier, key=lambda p: p.adopted_on)


def _in_force_since(p: Priority, since: dt.date) -> bool:
    """Still in force on ``since``, or ended no earlier than it."""
    end = p.closed_on or p.period_end
    return end is None or end >= since


def _method(rnd: SurveyRound) -> str:
    return SURVEY_METHOD_WORDS.get(rnd.method, rnd.method.value)


def _later_round(base: SurveyRound, later: Sequence[SurveyRound]) -> tuple[SurveyRound, str | None]:
    """The latest later round of the baseline's method, else the latest one with a caveat saying why."""
    same = [r for r in later if r.method == base.method]
    if same:
        return same[-1], None
    last = later[-1]
    caveat = (
        f"{base.name} ({_method(base)}) and {last.name} ({_method(last)}) were gathered by different methods, "
        "which reach different people: read the change with caution."
    )
    return last, caveat


def _baseline(
    before: Sequence[SurveyRound], since: Sequence[SurveyRound], first: dt.date
) -> tuple[SurveyRound | None, str | None]:
    """The round before the first adoption; failing that, the first round since, with a caveat saying so."""
    if before:
        return before[-1], None
    if len(since) < 2:
        return None, None
    base = since[0]
    return base, (
        f"No survey round came before it was first adopted on {first:%d/%m/%Y}, so {base.name}, the first round "
        "since, is the baseline: any change the work made before then is not seen."
    )


def _verdict(prevalence: MeasureChange, rounds_since: int, months_since: int) -> str:
    if prevalence.change is None or not prevalence.beyond_chance:
        stale = rounds_since >= REVIEW_ROUNDS or months_since >= REVIEW_MONTHS
        return NOT_MOVING if stale else NO_CLEAR_CHANGE
    return IMPROVED if prevalence.change < 0 else WORSE


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _months_between(first: dt.date, later: dt.date) -> int:
    return (later.year - first.year) * 12 + later.month - first.month - (later.day < first.day)


def _explain(label: str, base: SurveyRound, last: SurveyRound, prev: MeasureChange, eff: MeasureChange) -> str:
    text = (
        f"{label}: {_pct(prev.before)} of {prev.n_before} called it a fairly or very big problem in {base.name} "
        f"({_method(base)}), {_pct(prev.after)} of {prev.n_after} in {last.name} ({_method(last)})"
    )
    if prev.p_value is not None:
        words = "beyond chance" if prev.beyond_chance else "no clear change"
        text += f" – {words} (two-proportion test, {format_p(prev.p_value)})"
    if eff.n_before and eff.n_after:
        text += f"; effect on residents {_pct(eff.before)} → {_pct(eff.after)}"
        if eff.beyond_chance and eff.p_value is not None:
            text += f" (beyond chance, {format_p(eff.p_value)})"
    return text + "."


def _review_words(rounds_since: int, first: dt.date) -> str:
    return (
        f" Review: not moving – {rounds_since} round(s) since it was first adopted on {first:%d/%m/%Y} and no "
        "change beyond chance."
    )


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
    every = list(session.scalars(select(Priority).where(Priority.ward_id == ward.id)))
    labels = {iid: (code, label) for iid, code, label in session.execute(select(Issue.id, Issue.code, Issue.label))}
    chosen = [p for p in every if include_closed or p.status == ACTIVE]
    chosen.sort(key=lambda p: (p.adopted_on, p.evidence_rank or 0, p.id))
    counts: dict[int, dict[int, tuple[int, int, int, int, int]]] = {}

    def round_counts(rnd: SurveyRound) -> dict[int, tuple[int, int, int, int, int]]:
        if rnd.id not in counts:
            counts[rnd.id] = tallied_counts(session, [rnd.id])[1]
        return counts[rnd.id]

    out = []
    for priority in chosen:
        code, label = labels[priority.issue_id]
        first = first_adoption(priority, [p for p in every if p.issue_id == priority.issue_id])
        before = [r for r in rounds if r.start_date is not None and r.start_date <= first]
        since = [r for r in rounds if r.start_date is not None and r.start_date > first]
        base, late_caveat = _baseline(before, since, first)
        after = [r for r in since if r is not base]
        if base is None or not after:
            verdict = NO_BASELINE if base is None else NOT_YET
            out.append(
                PriorityAssessment(
                    priority.id,
                    code,
                    label,
                    priority.adopted_on,
                    first,
                    priority.status,
                    base.name if base else None,
                    None,
                    len(after),
                    None,
                    None,
                    None,
                    verdict,
                    f"{label}: {verdict}, so there is nothing to compare yet.",
                )
            )
            continue
        last, caveat = _later_round(base, after)
        n1, big1, _, en1, ey1 = round_counts(base).get(priority.issue_id, (0, 0, 0, 0, 0))
        n2, big2, _, en2, ey2 = round_counts(last).get(priority.issue_id, (0, 0, 0, 0, 0))
        prevalence, effect = _change(big1, n1, big2, n2), _change(ey1, en1, ey2, en2)
        assert last.start_date is not None
        verdict = _verdict(prevalence, len(after), _months_between(first, last.start_date))
        text = _explain(label, base, last, prevalence, effect)
        if verdict == NOT_MOVING:
            text += _review_words(len(after), first)
        caveat = " ".join(c for c in (late_caveat, caveat) if c) or None
        if caveat:
            text += " " + caveat
        out.append(
            PriorityAssessment(
                priority.id,
                code,
                label,
                priority.adopted_on,
                first,
                priority.status,
                base.name,
                last.name,
                len(after),
                caveat,
                prevalence,
                effect,
                verdict,
                text,
            )
        )
    return out
