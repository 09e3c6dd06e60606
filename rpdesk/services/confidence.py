"""Confidence and the reassurance gap, per survey round.

The reassurance gap (DOMAIN.md §1.1) is recorded crime falling while residents' confidence and
feelings of safety do not follow. So each round's confidence items are shown with 95% intervals –
the mean score and the favourable share (good/excellent, agree/strongly agree, fairly/very safe,
yes) – beside the police.uk incidents recorded in the same months, and each round is compared with
the one before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from rpdesk.db.models import CrimeRecord, SurveyResponse, SurveyRound
from rpdesk.domain.stats import ProportionTest, mean_interval, two_proportion_test, wilson_interval
from rpdesk.services.signals import crime_months
from rpdesk.services.wards import get_ward

#: item -> (label, lowest favourable score, what "favourable" means)
ITEMS: dict[str, tuple[str, int, str]] = {
    "conf_good_job": ("Police doing a good job in this area (1-5)", 4, "good or excellent"),
    "conf_understand": ("Police understand the issues that affect this community (1-5)", 4, "agree"),
    "conf_dealing": ("Police and council dealing with the issues that matter (1-5)", 4, "agree"),
    "safe_after_dark": ("Feel safe walking alone after dark (1-4)", 3, "fairly or very safe"),
}
GAP_FALL = 0.10  # recorded crime falling by at least this share counts as "falling"


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
    period_start: dt.date
    period_end: dt.date
    respondents: int
    items: tuple[ItemFigures, ...]
    recorded: int  # all police.uk incidents in the round's months
    recorded_months: int
    good_job_change: ProportionTest | None  # favourable share of conf_good_job against the previous round
    gap: str | None  # a sentence when crime fell but confidence did not rise beyond chance

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


def _gap(rate: float, before: float, change: ProportionTest | None) -> str | None:
    """A sentence when the monthly rate of recorded crime fell but good-job confidence did not rise."""
    if before <= 0 or (before - rate) / before < GAP_FALL:
        return None
    if change is not None and change.beyond_chance() and change.change > 0:
        return None
    fall = 100 * (before - rate) / before
    return (
        f"Recorded crime per month fell {fall:.0f}% on the previous round's period, but the share saying the police do "
        "a good job did not rise beyond chance: a reassurance gap."
    )


def confidence_by_round(session: Session, ward_code: str) -> list[RoundConfidence]:
    """Each dated survey round of the ward, oldest first, with confidence items and recorded crime."""
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
    out: list[RoundConfidence] = []
    previous: tuple[ItemFigures, ...] | None = None
    previous_rate: float | None = None
    for rnd in rounds:
        assert rnd.start_date is not None
        end = rnd.end_date or rnd.start_date
        first, last, _, _ = crime_months(rnd.start_date, end)
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        recorded = (
            session.scalar(
                select(func.count())
                .select_from(CrimeRecord)
                .where(CrimeRecord.ward_id == ward.id, CrimeRecord.month.between(first, last))
            )
            or 0
        )
        row = figures.get(rnd.id)
        items = _items(row if row is not None else [0] * (1 + 4 * len(ITEMS) + 2))
        change = None
        if previous is not None:
            a, b = previous[0], items[0]
            change = two_proportion_test(a.favourable_count, a.n, b.favourable_count, b.n)
        rate = recorded / months
        gap = _gap(rate, previous_rate, change) if previous_rate is not None else None
        out.append(
            RoundConfidence(
                rnd.name,
                rnd.start_date,
                end,
                int(row[0]) if row is not None else 0,
                items,
                int(recorded),
                months,
                change,
                gap,
            )
        )
        previous, previous_rate = items, rate
    return out
