"""Confidence per survey round, and the reassurance gap: a claim that has to pass two tests.

The reassurance gap is recorded crime falling while residents' confidence does not follow (the
reason reassurance policing was started: Home Office Research Study 296, Tuffin, Morris and Poole,
2006). Each round's confidence items are shown with 95% intervals – the mean score and the
favourable share (good/excellent, agree/strongly agree, fairly/very safe, yes) – beside the
police.uk incidents recorded in the round's months.

:func:`reassurance_gap` is the one place the gap is decided, for the CLI, the dashboard and the
tasking pack alike:

- **Recorded crime**: the latest 12 whole police.uk months (ending with the latest round's last
  month, or the latest month published) against the same 12 calendar months a year before, so the
  seasons cancel; the exact conditional test for two Poisson counts
  (:func:`rpdesk.domain.stats.poisson_counts_test`).
- **Confidence**: the share saying the police do a good or excellent job in the latest round
  against the latest earlier round *of the same method* (door-step, online and KIN rounds reach
  different people, so their shares are not compared); the pooled two-proportion z-test.
- The gap is claimed only when crime fell beyond chance (p < 0.05) **and** confidence did not rise
  beyond chance. Otherwise the figures are given with their verdicts and no gap is claimed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from rpdesk.db.models import CrimeRecord, SurveyResponse, SurveyRound, Ward
from rpdesk.domain.stats import (
    CountTest,
    ProportionTest,
    format_p,
    mean_interval,
    poisson_counts_test,
    two_proportion_test,
    wilson_interval,
)
from rpdesk.domain.vocabulary import SURVEY_METHOD_WORDS, SurveyMethod
from rpdesk.services.periods import latest_crime_month
from rpdesk.services.signals import add_months, crime_months, month_count, month_start
from rpdesk.services.wards import get_ward

#: item -> (label, lowest favourable score, what "favourable" means)
ITEMS: dict[str, tuple[str, int, str]] = {
    "conf_good_job": ("Police doing a good job in this area (1-5)", 4, "good or excellent"),
    "conf_understand": ("Police understand the issues that affect this community (1-5)", 4, "agree"),
    "conf_dealing": ("Police and council dealing with the issues that matter (1-5)", 4, "agree"),
    "safe_after_dark": ("Feel safe walking alone after dark (1-4)", 3, "fairly or very safe"),
}
#: Months of recorded crime compared with the same months a year before.
WINDOW_MONTHS = 12
#: The confidence item the gap is judged on.
GAP_ITEM = "conf_good_job"
ALPHA = 0.05
#: The gap rule in a sergeant's words (the pack's method appendix).
METHOD = (
    "Reassurance gap: recorded crime over the latest 12 whole police.uk months against the same 12 months a "
    "year before (exact test for two counts), and the share saying the police do a good job between the latest "
    "two rounds of the same method (two-proportion test). A gap is claimed only when crime fell beyond chance "
    "(p < 0.05) and confidence did not rise beyond chance."
)
#: Survey methods as a sentence names them.


@dataclass(frozen=True)
class ItemFigures:
    item: str
    label: str
    n: int
    favourable_count: int
    mean: float | None
    mean_low: float | None
    mean_high: float | None
    favourable: float | None
    favourable_low: float
    favourable_high: float
    favourable_means: str


@dataclass(frozen=True)
class RoundConfidence:
    round_name: str
    method: str
    period_start: dt.date
    period_end: dt.date
    respondents: int
    items: tuple[ItemFigures, ...]
    recorded: int  # all police.uk incidents in the round's months
    recorded_months: int
    good_job_change: ProportionTest | None  # favourable share of conf_good_job against the previous same-method round
    compared_with: str | None  # the round good_job_change compares against

    def item(self, name: str) -> ItemFigures:
        return next(i for i in self.items if i.item == name)


def _aggregates() -> list[Any]:
    columns: list[Any] = [func.count()]
    for name, (_, favourable, _) in ITEMS.items():
        col = getattr(SurveyResponse, name)
        columns += [
            func.count(col),
            func.sum(col),
            func.sum(col * col),
            func.sum(case((col >= favourable, 1), else_=0)),
        ]
    known = SurveyResponse.knows_contact
    columns += [func.count(known), func.sum(case((known.is_(True), 1), else_=0))]
    return columns


def _items(row: Any) -> tuple[ItemFigures, ...]:
    out = []
    values = list(row[1:])
    for name, (label, _, means) in ITEMS.items():
        n, total, squares, fav = (int(v or 0) for v in values[:4])
        values = values[4:]
        interval = mean_interval(n, total, squares)
        low, high = wilson_interval(fav, n)
        out.append(
            ItemFigures(
                name,
                label,
                n,
                fav,
                interval.mean if interval else None,
                interval.low if interval else None,
                interval.high if interval else None,
                fav / n if n else None,
                low,
                high,
                means,
            )
        )
    n, yes = (int(v or 0) for v in values[:2])
    low, high = wilson_interval(yes, n)
    out.append(
        ItemFigures(
            "knows_contact",
            "Knows how to contact the neighbourhood team",
            n,
            yes,
            None,
            None,
            None,
            yes / n if n else None,
            low,
            high,
            "yes",
        )
    )
    return tuple(out)


def confidence_by_round(session: Session, ward_code: str) -> list[RoundConfidence]:
    """Each dated survey round of the ward, oldest first, with confidence items and recorded crime.

    Each round's good-job share is compared with the latest earlier round of the same method.
    """
    ward = get_ward(session, ward_code)
    rounds = list(
        session.scalars(
            select(SurveyRound)
            .where(SurveyRound.ward_id == ward.id, SurveyRound.start_date.is_not(None))
            .order_by(SurveyRound.start_date, SurveyRound.id)
        )
    )
    figures = {
        row[0]: row[1:]
        for row in session.execute(
            select(SurveyResponse.round_id, *_aggregates())
            .where(SurveyResponse.round_id.in_([r.id for r in rounds]))
            .group_by(SurveyResponse.round_id)
        )
    }
    spans = {r.id: crime_months(r.start_date, r.end_date or r.start_date)[:2] for r in rounds if r.start_date}
    per_month = _recorded_by_month(session, ward.id, spans.values())
    out: list[RoundConfidence] = []
    for rnd in rounds:
        assert rnd.start_date is not None
        end = rnd.end_date or rnd.start_date
        first, last = spans[rnd.id]
        row = figures.get(rnd.id)
        items = _items(row if row is not None else [0] * (1 + 4 * len(ITEMS) + 2))
        earlier = next((r for r in reversed(out) if r.method == rnd.method.value and r.items[0].n), None)
        change = None
        if earlier is not None:
            a, b = earlier.items[0], items[0]
            change = two_proportion_test(a.favourable_count, a.n, b.favourable_count, b.n)
        out.append(
            RoundConfidence(
                rnd.name,
                rnd.method.value,
                rnd.start_date,
                end,
                int(row[0]) if row is not None else 0,
                items,
                sum(n for month, n in per_month.items() if first <= month <= last),
                month_count(first, last),
                change,
                earlier.round_name if earlier is not None and change is not None else None,
            )
        )
    return out


def _recorded_by_month(session: Session, ward_id: int, spans: Iterable[tuple[dt.date, dt.date]]) -> dict[dt.date, int]:
    """Recorded incidents per month over every round's months: one query, however many rounds."""
    spans = list(spans)
    if not spans:
        return {}
    stmt = (
        select(CrimeRecord.month, func.count())
        .where(
            CrimeRecord.ward_id == ward_id,
            CrimeRecord.month.between(min(a for a, _ in spans), max(b for _, b in spans)),
        )
        .group_by(CrimeRecord.month)
    )
    return {month: int(n) for month, n in session.execute(stmt)}


# --- the reassurance gap ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReassuranceGap:
    """The gap's verdict with every figure and test behind it (``as_dict`` is the CLI's JSON)."""

    claimed: bool
    crime_before: int | None
    crime_after: int | None
    crime_p: float | None
    months_before: tuple[dt.date, ...]  # first of each month compared, a year before
    months_after: tuple[dt.date, ...]
    confidence_item: str
    round_before: str | None
    round_after: str | None
    method: str | None
    confidence_n_before: int | None
    confidence_n_after: int | None
    confidence_before: float | None
    confidence_after: float | None
    confidence_p: float | None
    verdict: str
    headline: str
    conclusion: str  # the headline's last sentence: whether a gap is claimed, and why not

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: getattr(self, k) for k in self.__dataclass_fields__}
        del out["months_before"], out["months_after"]
        out["months"] = {
            "before": [f"{m:%Y-%m}" for m in self.months_before],
            "after": [f"{m:%Y-%m}" for m in self.months_after],
        }
        out["crime_test"] = "exact conditional test for two Poisson counts"
        out["confidence_test"] = "pooled two-proportion z-test"
        return out


def _crime_window(
    session: Session, ward: Ward, last: dt.date | None, as_at: dt.date
) -> tuple[tuple[dt.date, ...], CountTest] | None:
    """The 12 months ending ``last`` (or the latest published by ``as_at``) against the same months a year before.

    None when police.uk data do not cover both years: no count is better than a count of missing months.
    """
    latest = latest_crime_month(session, ward, as_at)
    earliest: dt.date | None = session.scalar(select(func.min(CrimeRecord.month)).where(CrimeRecord.ward_id == ward.id))
    if latest is None or earliest is None:
        return None
    end = min(month_start(last), latest) if last is not None else latest
    first = add_months(end, -(2 * WINDOW_MONTHS - 1))
    if earliest > first:
        return None
    months = tuple(add_months(first, i) for i in range(2 * WINDOW_MONTHS))
    counts = dict(
        session.execute(
            select(CrimeRecord.month, func.count())
            .where(CrimeRecord.ward_id == ward.id, CrimeRecord.month.between(first, end))
            .group_by(CrimeRecord.month)
        ).all()
    )
    before = sum(int(counts.get(m, 0)) for m in months[:WINDOW_MONTHS])
    after = sum(int(counts.get(m, 0)) for m in months[WINDOW_MONTHS:])
    return months, poisson_counts_test(before, after, WINDOW_MONTHS, WINDOW_MONTHS)


def _span(months: tuple[dt.date, ...]) -> str:
    return f"{months[0]:%b %Y}–{months[-1]:%b %Y}"


def _direction(rose: bool, fell: bool) -> str:
    if rose:
        return "a rise beyond chance"
    if fell:
        return "a fall beyond chance"
    return "no clear change"


def _crime_words(months: tuple[dt.date, ...], test: CountTest) -> str:
    verdict = _direction(test.rose(ALPHA), test.fell(ALPHA))
    return (
        f"Recorded crime and ASB: {test.after:,} in {_span(months[WINDOW_MONTHS:])} against {test.before:,} in the "
        f"same months a year before ({_span(months[:WINDOW_MONTHS])}), {verdict} "
        f"(exact test for two counts, {format_p(test.p_value)})."
    )


def _confidence_words(before: RoundConfidence, after: RoundConfidence, test: ProportionTest) -> str:
    rose, fell = test.beyond_chance(ALPHA) and test.change > 0, test.beyond_chance(ALPHA) and test.change < 0
    a, b = before.item(GAP_ITEM), after.item(GAP_ITEM)
    method = SURVEY_METHOD_WORDS.get(SurveyMethod(after.method), after.method)
    return (
        f"Saying the police do a good job: {100 * test.before:.0f}% of {a.n:,} in {before.round_name} and "
        f"{100 * test.after:.0f}% of {b.n:,} in {after.round_name} (both {method} rounds), "
        f"{_direction(rose, fell)} (two-proportion test, {format_p(test.p_value)})."
    )


def reassurance_gap(
    session: Session,
    ward_code: str,
    *,
    by: dt.date | None = None,
    rounds: Sequence[RoundConfidence] | None = None,
) -> ReassuranceGap:
    """Is there a reassurance gap in the ward as at ``by`` (default: today)?

    Rounds started after ``by`` and police.uk months not ended by it are left out. ``rounds``: the
    ward's :func:`confidence_by_round`, where the caller has it already (the dashboard draws them).

    See the module docstring for the rule. Every claim carries its test and p-value.
    """
    ward = get_ward(session, ward_code)
    every = confidence_by_round(session, ward_code) if rounds is None else rounds
    answered = [r for r in every if (by is None or r.period_start <= by) and r.item(GAP_ITEM).n]
    after = answered[-1] if answered else None
    before = next((r for r in reversed(answered[:-1]) if after and r.round_name == after.compared_with), None)
    confidence = after.good_job_change if after is not None else None
    last_month = after.period_end if after is not None else by
    window = _crime_window(session, ward, last_month, by or dt.date.today())
    crime = window[1] if window else None
    months = window[0] if window else ()
    rose = confidence is not None and confidence.beyond_chance(ALPHA) and confidence.change > 0
    claimed = bool(crime is not None and crime.fell(ALPHA) and confidence is not None and not rose)
    parts = []
    if crime is not None:
        parts.append(_crime_words(months, crime))
    else:
        parts.append("Recorded crime: police.uk months do not yet cover two years, so no comparison is made.")
    if confidence is not None and before is not None and after is not None:
        parts.append(_confidence_words(before, after, confidence))
    else:
        parts.append("Confidence: no two survey rounds of the same method asked it, so no comparison is made.")
    if claimed:
        verdict = "reassurance gap"
        parts.append("Crime fell beyond chance but confidence did not rise beyond chance: a reassurance gap.")
    elif crime is None or confidence is None:
        verdict = "not enough data"
        parts.append("No reassurance gap is claimed.")
    else:
        verdict = "no clear change"
        why = "confidence rose beyond chance" if rose else "crime did not fall beyond chance"
        parts.append(f"No reassurance gap is claimed: {why}.")
    return ReassuranceGap(
        claimed=claimed,
        crime_before=crime.before if crime else None,
        crime_after=crime.after if crime else None,
        crime_p=crime.p_value if crime else None,
        months_before=months[:WINDOW_MONTHS],
        months_after=months[WINDOW_MONTHS:],
        confidence_item=GAP_ITEM,
        round_before=before.round_name if before and confidence else None,
        round_after=after.round_name if after and confidence else None,
        method=after.method if after and confidence else None,
        confidence_n_before=before.item(GAP_ITEM).n if before and confidence else None,
        confidence_n_after=after.item(GAP_ITEM).n if after and confidence else None,
        confidence_before=confidence.before if confidence else None,
        confidence_after=confidence.after if confidence else None,
        confidence_p=confidence.p_value if confidence else None,
        verdict=verdict,
        headline=" ".join(parts),
        conclusion=parts[-1],
    )
