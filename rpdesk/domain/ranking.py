"""Ranking signals from evidence: pure maths over per-issue counts, explainable line by line.

The composite score (DOMAIN.md §1.4 asks for a documented, force-changeable formula) is a
weighted mean of four measures, each on a 0..1 scale:

- **prevalence** – share of respondents who answered the issue and rated it 2 or 3
  ("a fairly big" or "a very big problem");
- **effect** – share of those who answered the effect question saying the issue changed how they
  feel or what they do (the part of a signal that makes it one, in the signal crimes perspective);
- **audit** – EVA evidence: severity × count summed over the period's observations, divided by the
  highest such figure of any issue in the same ranking (so the most-seen issue scores 1);
- **recorded** – police.uk incidents of the crime types mapped to the issue in the period, divided
  by the highest such figure of any issue in the ranking.

``score = (w_p·prevalence + w_e·effect + w_a·audit + w_r·recorded) / (w_p + w_e + w_a + w_r)``, with
the weights from the settings ``weight_prevalence``, ``weight_effect``, ``weight_audit`` and
``weight_recorded``. Each term of the sum is kept as a :class:`Contribution`, so the score of any
issue is the sum of its listed contributions and a sergeant can say which evidence put it there.

Ties are broken by prevalence, then by the number of respondents, then by the issue code, so the
result never depends on the order the inputs arrive in.

Flags: ``no_answers`` (nobody answered it), ``small_sample`` (fewer respondents than the
``small_sample`` setting), ``overlaps_above`` / ``overlaps_below`` (its 95% prevalence interval
overlaps that of the issue ranked just above / below, so that order is not certain).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from rpdesk.domain.stats import wilson_interval

COMPONENTS = ("prevalence", "effect", "audit", "recorded")
COMPONENT_LABELS = {
    "prevalence": "residents calling it a big problem",
    "effect": "residents saying it changed how they feel or act",
    "audit": "EVA observations",
    "recorded": "recorded incidents",
}

FLAG_NO_ANSWERS = "no_answers"
FLAG_SMALL_SAMPLE = "small_sample"
FLAG_OVERLAPS_ABOVE = "overlaps_above"
FLAG_OVERLAPS_BELOW = "overlaps_below"


@dataclass(frozen=True)
class Weights:
    """How much each measure counts in the composite score (any non-negative numbers)."""

    prevalence: float = 1.0
    effect: float = 1.0
    audit: float = 0.5
    recorded: float = 0.5

    @classmethod
    def from_settings(cls, settings: Any) -> Weights:
        """From anything with ``get(key)``: :class:`rpdesk.settings.Settings` or a dict."""
        return cls(*(float(settings.get(f"weight_{c}")) for c in COMPONENTS))

    def as_dict(self) -> dict[str, float]:
        return {c: getattr(self, c) for c in COMPONENTS}

    @property
    def total(self) -> float:
        return sum(self.as_dict().values())


@dataclass(frozen=True)
class IssueEvidence:
    """Everything the ranking knows about one issue in one ward and period: plain counts."""

    issue: str
    label: str
    kind: str
    respondents: int = 0  # answered the problem question
    big_problem: int = 0  # of those, rated it 2 or 3
    problem_total: int = 0  # sum of their 0..3 ratings
    effect_answered: int = 0
    effect_yes: int = 0
    audit: float = 0.0  # severity x count over the period's EVA observations
    audit_observations: int = 0
    recorded: int = 0  # police.uk incidents of the mapped crime types in the period
    recorded_previous: int = 0  # the same in the previous period of equal length


@dataclass(frozen=True)
class Contribution:
    """One measure's part in a score: its 0..1 value, its weight and the points it adds."""

    component: str
    measure: float
    weight: float
    points: float


@dataclass(frozen=True)
class RankedSignal:
    """One issue's place in a ranking, with the figures and the reasons behind it."""

    issue: str
    label: str
    kind: str
    rank: int
    score: float
    respondents: int
    big_problem: int
    prevalence: float | None  # None when nobody answered
    prevalence_low: float
    prevalence_high: float
    mean_problem: float | None
    effect: float | None
    effect_answered: int
    effect_yes: int
    audit: float
    audit_observations: int
    recorded: int
    recorded_previous: int
    recorded_change: int
    flags: tuple[str, ...]
    contributions: tuple[Contribution, ...]
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (contributions as a list of dicts)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "contributions"}
        out["flags"] = list(self.flags)
        out["contributions"] = [vars(c).copy() for c in self.contributions]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RankedSignal:
        values = dict(data)
        values["flags"] = tuple(values["flags"])
        values["contributions"] = tuple(Contribution(**c) for c in values["contributions"])
        return cls(**values)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _measures(ev: IssueEvidence, max_audit: float, max_recorded: int) -> dict[str, float]:
    return {
        "prevalence": _share(ev.big_problem, ev.respondents) or 0.0,
        "effect": _share(ev.effect_yes, ev.effect_answered) or 0.0,
        "audit": ev.audit / max_audit if max_audit > 0 else 0.0,
        "recorded": ev.recorded / max_recorded if max_recorded > 0 else 0.0,
    }


def _contributions(measures: Mapping[str, float], weights: Weights) -> tuple[Contribution, ...]:
    total = weights.total
    return tuple(
        Contribution(c, measures[c], getattr(weights, c), getattr(weights, c) * measures[c] / total if total else 0.0)
        for c in COMPONENTS
    )


def _sort_key(ev: IssueEvidence, score: float) -> tuple[float, float, int, str]:
    return (-round(score, 12), -(_share(ev.big_problem, ev.respondents) or 0.0), -ev.respondents, ev.issue)


def _overlaps(a: RankedSignal, b: RankedSignal) -> bool:
    if not a.respondents or not b.respondents:
        return False
    return a.prevalence_low <= b.prevalence_high and b.prevalence_low <= a.prevalence_high


def rank_issues(
    evidence: Iterable[IssueEvidence], weights: Weights | None = None, small_sample: int = 30
) -> tuple[RankedSignal, ...]:
    """Score and rank ``evidence`` (one item per issue), best first; see the module docstring."""
    weights = weights or Weights()
    items = list(evidence)
    if any(w < 0 for w in weights.as_dict().values()):
        raise ValueError("ranking weights must not be negative")
    max_audit = max((e.audit for e in items), default=0.0)
    max_recorded = max((e.recorded for e in items), default=0)
    scored = []
    for ev in items:
        contributions = _contributions(_measures(ev, max_audit, max_recorded), weights)
        scored.append((ev, sum(c.points for c in contributions), contributions))
    scored.sort(key=lambda t: _sort_key(t[0], t[1]))
    draft = [
        _ranked(ev, rank, score, contributions, small_sample)
        for rank, (ev, score, contributions) in enumerate(scored, 1)
    ]
    return tuple(_with_neighbours(draft, i) for i in range(len(draft)))


def _ranked(
    ev: IssueEvidence, rank: int, score: float, contributions: tuple[Contribution, ...], small_sample: int
) -> RankedSignal:
    low, high = wilson_interval(ev.big_problem, ev.respondents)
    flags: list[str] = []
    if ev.respondents == 0:
        flags.append(FLAG_NO_ANSWERS)
    elif ev.respondents < small_sample:
        flags.append(FLAG_SMALL_SAMPLE)
    return RankedSignal(
        issue=ev.issue,
        label=ev.label,
        kind=ev.kind,
        rank=rank,
        score=score,
        respondents=ev.respondents,
        big_problem=ev.big_problem,
        prevalence=_share(ev.big_problem, ev.respondents),
        prevalence_low=low,
        prevalence_high=high,
        mean_problem=_share(ev.problem_total, ev.respondents),
        effect=_share(ev.effect_yes, ev.effect_answered),
        effect_answered=ev.effect_answered,
        effect_yes=ev.effect_yes,
        audit=ev.audit,
        audit_observations=ev.audit_observations,
        recorded=ev.recorded,
        recorded_previous=ev.recorded_previous,
        recorded_change=ev.recorded - ev.recorded_previous,
        flags=tuple(flags),
        contributions=contributions,
        explanation="",
    )


def _with_neighbours(draft: list[RankedSignal], i: int) -> RankedSignal:
    signal = draft[i]
    flags = list(signal.flags)
    overlapping = []
    if i > 0 and _overlaps(signal, draft[i - 1]):
        flags.append(FLAG_OVERLAPS_ABOVE)
        overlapping.append(draft[i - 1].rank)
    if i + 1 < len(draft) and _overlaps(signal, draft[i + 1]):
        flags.append(FLAG_OVERLAPS_BELOW)
        overlapping.append(draft[i + 1].rank)
    return replace(signal, flags=tuple(flags), explanation=explain(signal, len(draft), overlapping))


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def explain(signal: RankedSignal, total: int, overlapping_ranks: Iterable[int] = ()) -> str:
    """One or two sentences a sergeant can read out to say why an issue sits where it does."""
    parts = []
    if signal.respondents:
        parts.append(
            f"{_pct(signal.prevalence or 0)} of {signal.respondents} respondents call it a fairly or very big problem "
            f"(95% interval {_pct(signal.prevalence_low)}–{_pct(signal.prevalence_high)})"
        )
    else:
        parts.append("no respondent answered on it")
    if signal.effect_answered:
        parts.append(f"{_pct(signal.effect or 0)} of {signal.effect_answered} say it changed how they feel or act")
    if signal.audit_observations:
        parts.append(f"{signal.audit_observations} EVA observation(s) weighing {signal.audit:g}")
    if signal.recorded or signal.recorded_previous:
        trend = signal.recorded_change
        direction = "up" if trend > 0 else "down" if trend < 0 else "no change"
        amount = f" {abs(trend)}" if trend else ""
        parts.append(f"{signal.recorded} recorded incident(s), {direction}{amount} on the previous period")
    text = f"Rank {signal.rank} of {total} (score {signal.score:.2f}): " + "; ".join(parts) + "."
    main = max(signal.contributions, key=lambda c: c.points, default=None)
    if main is not None and main.points > 0:
        text += f" Most of the score comes from {COMPONENT_LABELS[main.component]}."
    ranks = list(overlapping_ranks)
    if ranks:
        which = " and ".join(str(r) for r in ranks)
        text += f" Its interval overlaps rank {which}, so that order is not certain."
    if FLAG_SMALL_SAMPLE in signal.flags:
        text += " Few respondents: treat the figures with caution."
    return text
