"""Ranking signals from evidence: residents set the order, police-held evidence stands beside it.

The signal crimes perspective's first rule is that residents say what the signals are; what
officers see on the street and what is recorded corroborates, it does not decide (Innes 2004,
"Signal crimes and signal disorders", British Journal of Sociology 55(3); the Home Office's
evaluation of the National Reassurance Policing Programme, HORS 296, 2006). So the ranking works
in two steps, all of it pure maths over per-issue counts:

**The measures** (each on a fixed 0..1 scale, never scaled to the ward's own maximum, so one EVA
observation or one incident cannot score full marks):

- **prevalence** – share of respondents who answered the issue and rated it 2 or 3 ("a fairly big"
  or "a very big problem"), with its 95% Wilson interval;
- **effect** – share of those who answered the effect question saying the issue changed how they
  feel or what they do (the part of a signal that makes it one);
- **audit** (EVA) – severity × count summed over the period's observations, per EVA walk in the
  period; scored ``x / (x + AUDIT_HALF)``, so five severity-weighted observations per walk (say one
  severity-5 finding, or five minor ones, on every walk) score 0.5;
- **recorded** – police.uk incidents of the crime types mapped to the issue, per month of the
  period; scored ``x / (x + RECORDED_HALF)``. Shown beside the same months a year before with the
  exact test for two counts (:func:`rpdesk.domain.stats.poisson_counts_test`).

A measure with no data behind it (no EVA walk in the period; no police.uk crime type for the issue,
as for litter or fly-tipping) is "n/a", not zero: it is left out and the score is the weighted mean
of the measures the issue has, so a disorder is not marked down for having no crime category.
``score = Σ w·measure / Σ w`` over those measures, weights from the ``weight_*`` settings.

**The order.** Issue A is *clearly above* B when A's 95% prevalence interval lies wholly above B's.
The ranking is the score order subject to that: repeatedly, among the issues that no remaining
issue is clearly above, the best score is placed next. So police-held evidence (and effect) can
order issues whose residents' figures cannot be told apart, but never lifts an issue above one that
residents clearly rate higher, whatever the weights. Issues nobody answered on come after every
issue residents spoke about. Ties fall to prevalence, then respondents, then the issue code, so the
result never depends on the order the inputs arrive in.

Flags: ``no_answers`` (nobody answered it), ``small_sample`` (fewer respondents than the
``small_sample`` setting), ``may_swap`` (its prevalence interval overlaps those of the issues named in
``swaps_with``, wherever they are ranked, not only its neighbours: residents' answers cannot say
which of them is the bigger problem, so they could trade places).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from rpdesk.domain.stats import format_p, poisson_counts_test, wilson_interval

COMPONENTS = ("prevalence", "effect", "audit", "recorded")
COMPONENT_LABELS = {
    "prevalence": "residents calling it a big problem",
    "effect": "residents saying it changed how they feel or act",
    "audit": "EVA observations",
    "recorded": "recorded incidents",
}
#: Severity-weighted EVA observations per walk that score 0.5.
AUDIT_HALF = 5.0
#: Recorded incidents per month that score 0.5.
RECORDED_HALF = 5.0
#: A recorded change is "beyond chance" below this p-value.
ALPHA = 0.05

#: What each issue kind is called in front of a meeting.
KIND_WORDS = {"crime": "signal crime", "social": "social disorder", "physical": "physical disorder"}

FLAG_NO_ANSWERS = "no_answers"
FLAG_SMALL_SAMPLE = "small_sample"
FLAG_MAY_SWAP = "may_swap"


@dataclass(frozen=True)
class Weights:
    """How much each measure counts in the score (any non-negative numbers)."""

    prevalence: float = 1.0
    effect: float = 1.0
    audit: float = 0.5
    recorded: float = 0.5

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
    audit_walks: int = 0  # EVA walks in the ward in the period; 0 means no EVA measure
    recorded: int | None = None  # police.uk incidents of the mapped crime types; None: no type mapped
    recorded_previous: int | None = None  # the same calendar months a year before
    months: int = 1  # months the recorded counts cover


@dataclass(frozen=True)
class Contribution:
    """One measure's part in a score: its 0..1 value (None: n/a), its weight and the points it adds."""

    component: str
    measure: float | None
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
    audit_walks: int
    audit_per_walk: float | None  # None: no EVA walk in the period
    recorded: int | None  # None: no police.uk crime type maps to the issue
    recorded_previous: int | None
    recorded_change: int | None
    recorded_p: float | None  # exact test of recorded against the same months a year before
    flags: tuple[str, ...]
    swaps_with: tuple[str, ...]  # issue codes it could trade places with (overlapping intervals)
    flag_text: tuple[str, ...]  # the flags in words, for tables ("may swap with Fly-tipping")
    contributions: tuple[Contribution, ...]
    explanation: str

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (contributions as a list of dicts)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "contributions"}
        for key in ("flags", "swaps_with", "flag_text"):
            out[key] = list(out[key])
        out["contributions"] = [vars(c).copy() for c in self.contributions]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RankedSignal:
        """From :meth:`as_dict`; fields a snapshot saved by an older rpdesk lacks are left empty."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = dict.fromkeys(known)
        values.update({k: v for k, v in data.items() if k in known})
        values["audit_walks"] = values["audit_walks"] or 0
        for key in ("flags", "swaps_with", "flag_text"):
            values[key] = tuple(values[key] or ())
        values["contributions"] = tuple(Contribution(**c) for c in values["contributions"] or ())
        values["explanation"] = values["explanation"] or ""
        return cls(**values)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _saturating(rate: float, half: float) -> float:
    """A fixed 0..1 scale: 0 at none, 0.5 at ``half``, towards 1 beyond (never relative to other issues)."""
    return rate / (rate + half)


def audit_per_walk(ev: IssueEvidence) -> float | None:
    return ev.audit / ev.audit_walks if ev.audit_walks > 0 else None


def measures(ev: IssueEvidence) -> dict[str, float | None]:
    """The four measures of one issue on their fixed scales; None where there is no data (n/a)."""
    per_walk = audit_per_walk(ev)
    return {
        "prevalence": _share(ev.big_problem, ev.respondents),
        "effect": _share(ev.effect_yes, ev.effect_answered),
        "audit": None if per_walk is None else _saturating(per_walk, AUDIT_HALF),
        "recorded": None if ev.recorded is None else _saturating(ev.recorded / max(1, ev.months), RECORDED_HALF),
    }


def contributions(values: Mapping[str, float | None], weights: Weights) -> tuple[Contribution, ...]:
    """Each measure's points: weight × measure over the total weight of the measures the issue has."""
    total = sum(getattr(weights, c) for c in COMPONENTS if values[c] is not None)
    return tuple(
        Contribution(
            c,
            values[c],
            getattr(weights, c),
            getattr(weights, c) * (values[c] or 0.0) / total if total and values[c] is not None else 0.0,
        )
        for c in COMPONENTS
    )


@dataclass(frozen=True)
class _Scored:
    ev: IssueEvidence
    score: float
    low: float
    high: float
    contributions: tuple[Contribution, ...]

    @property
    def key(self) -> tuple[float, float, int, str]:
        prevalence = _share(self.ev.big_problem, self.ev.respondents) or 0.0
        return (-round(self.score, 12), -prevalence, -self.ev.respondents, self.ev.issue)


def clearly_above(a_low: float, b_high: float) -> bool:
    """A's 95% prevalence interval lies wholly above B's (given A's lower and B's upper end)."""
    return a_low > b_high


def _order(items: Sequence[_Scored]) -> list[_Scored]:
    """Best score first, never placing an issue above one whose interval lies wholly above its own."""
    answered = sorted((s for s in items if s.ev.respondents), key=lambda s: s.key)
    unanswered = sorted((s for s in items if not s.ev.respondents), key=lambda s: s.key)
    placed: list[_Scored] = []
    while answered:
        # The best-scored issue that no remaining issue is clearly above (the one with the highest
        # lower end always qualifies, so there is one).
        pick = next(s for s in answered if _unbeaten(s, answered))
        answered.remove(pick)
        placed.append(pick)
    return placed + unanswered


def _unbeaten(s: _Scored, others: Sequence[_Scored]) -> bool:
    return not any(clearly_above(o.low, s.high) for o in others if o is not s)


def rank_issues(
    evidence: Iterable[IssueEvidence], weights: Weights | None = None, small_sample: int = 30
) -> tuple[RankedSignal, ...]:
    """Score and rank ``evidence`` (one item per issue), best first; see the module docstring."""
    weights = weights or Weights()
    if any(w < 0 for w in weights.as_dict().values()):
        raise ValueError("ranking weights must not be negative")
    scored = []
    for ev in evidence:
        parts = contributions(measures(ev), weights)
        low, high = wilson_interval(ev.big_problem, ev.respondents)
        scored.append(_Scored(ev, sum(c.points for c in parts), low, high, parts))
    return _signals(_order(scored), weights, small_sample)


def _recorded_test(ev: IssueEvidence) -> float | None:
    if ev.recorded is None or ev.recorded_previous is None:
        return None
    return poisson_counts_test(ev.recorded_previous, ev.recorded).p_value


def _swap_partners(ordered: Sequence[_Scored]) -> list[list[int]]:
    """Per place: the places (in rank order) of every issue whose prevalence interval overlaps its own."""
    answered = [(i, s.low, s.high) for i, s in enumerate(ordered) if s.ev.respondents]
    partners: list[list[int]] = [[] for _ in ordered]
    for i, low, high in answered:
        partners[i] = [
            j
            for j, o_low, o_high in answered
            if j != i and not clearly_above(low, o_high) and not clearly_above(o_low, high)
        ]
    return partners


def _signals(ordered: Sequence[_Scored], weights: Weights, small_sample: int) -> tuple[RankedSignal, ...]:
    """The ranked signals with their flags, swap partners and explanations (each built once: force-wide
    rankings build some 10,000 of them)."""
    partners = _swap_partners(ordered)
    residents = [_residents_score(s.ev, weights) for s in ordered]
    out = []
    for i, s in enumerate(ordered):
        swaps = [ordered[j].ev for j in partners[i]]
        values = _ranked(s, i + 1, small_sample, tuple(o.issue for o in swaps))
        labels = [o.label for o in swaps]
        lifted = [
            o.ev.label
            for o, score in zip(ordered[i + 1 :], residents[i + 1 :], strict=True)
            if o.ev.respondents and score > residents[i]
        ]
        values["flag_text"] = flag_words(values["flags"], labels)
        values["explanation"] = explain(RankedSignal(**values), len(ordered), labels, lifted)
        out.append(RankedSignal(**values))
    return tuple(out)


def _ranked(s: _Scored, rank: int, small_sample: int, swaps_with: tuple[str, ...]) -> dict[str, Any]:
    """The fields of one issue's :class:`RankedSignal`, but for its flags in words and its explanation."""
    ev = s.ev
    flags: list[str] = []
    if ev.respondents == 0:
        flags.append(FLAG_NO_ANSWERS)
    elif ev.respondents < small_sample:
        flags.append(FLAG_SMALL_SAMPLE)
    if swaps_with:
        flags.append(FLAG_MAY_SWAP)
    change = None if ev.recorded is None or ev.recorded_previous is None else ev.recorded - ev.recorded_previous
    return {
        "issue": ev.issue,
        "label": ev.label,
        "kind": ev.kind,
        "rank": rank,
        "score": s.score,
        "respondents": ev.respondents,
        "big_problem": ev.big_problem,
        "prevalence": _share(ev.big_problem, ev.respondents),
        "prevalence_low": s.low,
        "prevalence_high": s.high,
        "mean_problem": _share(ev.problem_total, ev.respondents),
        "effect": _share(ev.effect_yes, ev.effect_answered),
        "effect_answered": ev.effect_answered,
        "effect_yes": ev.effect_yes,
        "audit": ev.audit,
        "audit_observations": ev.audit_observations,
        "audit_walks": ev.audit_walks,
        "audit_per_walk": audit_per_walk(ev),
        "recorded": ev.recorded,
        "recorded_previous": ev.recorded_previous,
        "recorded_change": change,
        "recorded_p": _recorded_test(ev),
        "flags": tuple(flags),
        "swaps_with": swaps_with,
        "flag_text": (),
        "contributions": s.contributions,
        "explanation": "",
    }


def _residents_score(ev: IssueEvidence, weights: Weights) -> float:
    """Residents' measures alone, weighted: used only to say when police evidence changed an order."""
    total = weights.prevalence + weights.effect
    if not total:
        return 0.0
    prevalence = _share(ev.big_problem, ev.respondents) or 0.0
    effect = _share(ev.effect_yes, ev.effect_answered) or 0.0
    return (weights.prevalence * prevalence + weights.effect * effect) / total


def _names(labels: Sequence[str], most: int = 3) -> str:
    shown = list(labels[:most])
    if len(labels) > most:
        shown.append(f"{len(labels) - most} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def flag_words(flags: Sequence[str], swaps_with: Sequence[str] = ()) -> tuple[str, ...]:
    """The flags as a table prints them: "small sample", "may swap with Fly-tipping and Litter"."""
    words = {FLAG_NO_ANSWERS: "no answers", FLAG_SMALL_SAMPLE: "small sample"}
    out = []
    for flag in flags:
        if flag == FLAG_MAY_SWAP:
            out.append(f"may swap with {_names(swaps_with, 2)}" if swaps_with else "may swap")
        else:
            out.append(words.get(flag, flag.replace("_", " ")))
    return tuple(out)


#: Where the method comes from, for the pack's appendix and the README.
SOURCES = (
    "Sources: Innes (2004) 'Signal crimes and signal disorders', British Journal of Sociology 55(3); "
    "Tuffin, Morris and Poole (2006) An evaluation of the impact of the National Reassurance Policing "
    "Programme, Home Office Research Study 296; Wilson (1927), JASA 22 (the interval); Przyborowski and "
    "Wilenski (1940), Biometrika 31 (the exact test for two counts)."
)


def method_lines(weights: Weights) -> tuple[str, ...]:
    """The ranking rule in a sergeant's words, with the weights in force (the pack's method appendix)."""
    return (
        "Residents set the order. Prevalence is the share of residents answering an issue who call it a fairly "
        "or very big problem, with its 95% interval (Wilson score interval); effect is the share saying it "
        "changed how they feel or what they do. An issue whose interval lies wholly above another's always "
        "ranks above it, whatever the EVA, recorded crime or weights say.",
        "EVA and recorded crime corroborate. EVA is severity × count of the period's observations per audit "
        "walk; recorded crime is police.uk incidents of the crime types matching the issue, per month, beside "
        "the same months a year before with the exact test for two counts. Neither is scaled to the ward's "
        f"busiest issue: each scores x/(x + {AUDIT_HALF:g}) (EVA) or x/(x + {RECORDED_HALF:g}) (crime). n/a means "
        "no crime type matches the issue, or no walk was made: it is left out, not counted as zero.",
        f"Score = weighted mean of the measures an issue has (weights: prevalence {weights.prevalence:g}, effect "
        f"{weights.effect:g}, EVA {weights.audit:g}, recorded {weights.recorded:g}). It orders only issues whose "
        "residents' intervals overlap; 'may swap with' names every issue whose interval overlaps, so the panel "
        "can see which places the evidence cannot separate.",
    )


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def recorded_words(signal: RankedSignal) -> str:
    """Recorded crime for one issue in words: the count, the same months a year before, the test."""
    if signal.recorded is None:
        return "recorded crime n/a (no police.uk crime type matches it)"
    text = f"{signal.recorded} recorded incident(s)"
    if signal.recorded_previous is None or signal.recorded_p is None:
        return text
    verdict = "no clear change"
    if signal.recorded_p < ALPHA and signal.recorded != signal.recorded_previous:
        verdict = "up beyond chance" if signal.recorded > signal.recorded_previous else "down beyond chance"
    return (
        f"{text} against {signal.recorded_previous} in the same months a year before "
        f"({verdict}; exact test for counts, {format_p(signal.recorded_p)})"
    )


def explain(signal: RankedSignal, total: int, swaps_with: Sequence[str] = (), lifted_over: Sequence[str] = ()) -> str:
    """Sentences a sergeant can read out to say why an issue sits where it does."""
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
    if signal.audit_per_walk is None:
        parts.append("no EVA walk in the period")
    elif not signal.audit_observations:
        parts.append(f"nothing seen on the period's {signal.audit_walks} EVA walk(s)")
    else:
        parts.append(
            f"EVA {signal.audit_per_walk:.1f} severity-weighted observation(s) per walk "
            f"({signal.audit_observations} observation(s) on {signal.audit_walks} walk(s))"
        )
    parts.append(recorded_words(signal))
    text = f"Rank {signal.rank} of {total}, {signal.kind_words}: " + "; ".join(parts) + "."
    if lifted_over:
        text += (
            f" EVA and recorded crime place it above {_names(lifted_over)}, whose residents' figures cannot be told "
            "apart from its own."
        )
    if swaps_with:
        text += (
            f" It may swap with {_names(swaps_with)}: their 95% intervals overlap its own, so residents' answers "
            "cannot tell which is the bigger problem."
        )
    if FLAG_SMALL_SAMPLE in signal.flags:
        text += " Few respondents: treat the figures with caution."
    if FLAG_NO_ANSWERS in signal.flags:
        text += " Residents were not asked about it or did not answer, so it comes after every issue they did."
    return text
