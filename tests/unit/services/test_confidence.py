"""Confidence per round beside recorded crime, and the reassurance gap with its two tests."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.db import models as m
from rpdesk.services.confidence import confidence_by_round, reassurance_gap
from rpdesk.services.signals import add_months
from tests.unit.services.signal_data import WARD, add_crimes, add_round, make_ward

SPRING, AUTUMN = dt.date(2026, 3, 1), dt.date(2026, 9, 1)


@pytest.fixture
def ward(db):
    with db.session() as s:
        wid = make_ward(s)
        # good job: 1..5 twice each in spring (4 of 10 rate 4-5); the same in autumn
        add_round(s, wid, "Spring 2026", SPRING, {}, confidence=[1, 2, 3, 4, 5] * 2)
        add_round(s, wid, "Autumn 2026", AUTUMN, {}, confidence=[1, 2, 3, 4, 5] * 2, days=29)
        add_crimes(s, wid, dt.date(2026, 3, 1), "Burglary", 10)
        add_crimes(s, wid, dt.date(2026, 4, 1), "Drugs", 10)  # the spring round runs 1 Mar - 31 Mar: not counted
        add_crimes(s, wid, dt.date(2026, 9, 1), "Burglary", 5)
    return db


def test_items_with_intervals_and_recorded_crime_of_the_same_months(ward):
    with ward.session() as s:
        rounds = confidence_by_round(s, WARD)
    spring, autumn = rounds
    good = spring.item("conf_good_job")
    assert (good.n, good.favourable_count, good.favourable) == (10, 4, 0.4)
    assert good.mean == 3 and good.mean_low < 3 < good.mean_high
    assert good.favourable_low < 0.4 < good.favourable_high
    assert spring.item("knows_contact").n == 0 and spring.item("knows_contact").favourable is None
    assert (spring.respondents, spring.recorded, spring.recorded_months) == (10, 10, 1)
    assert autumn.recorded == 5
    assert spring.good_job_change is None
    assert autumn.good_job_change is not None and autumn.good_job_change.change == 0
    assert autumn.compared_with == "Spring 2026"


def test_a_spring_to_autumn_fall_in_two_months_is_not_a_gap(ward):
    """The old rule fired on any 10% fall between two rounds' months; police.uk here covers only months of 2026."""
    with ward.session() as s:
        gap = reassurance_gap(s, WARD)
    assert not gap.claimed and gap.verdict == "not enough data"
    assert gap.crime_before is None and gap.confidence_p == pytest.approx(1.0)
    assert "no comparison is made" in gap.headline


def monthly_crimes(session, wid: int, first: dt.date, per_month: list[int]) -> None:
    for i, n in enumerate(per_month):
        add_crimes(session, wid, add_months(first, i), "Burglary", n)


def gap_ward(db, before: list[int], after: list[int], confidence_after: list[int]) -> None:
    """Two door-step rounds a year apart (Sep 2025, Sep 2026) and 24 months of recorded crime to Sep 2026."""
    with db.session() as s:
        wid = make_ward(s)
        add_round(s, wid, "Autumn 2025", dt.date(2025, 9, 1), {}, confidence=[4] * 40 + [2] * 60, days=29)
        online = add_round(s, wid, "Spring 2026", dt.date(2026, 3, 1), {}, confidence=[5] * 90 + [1] * 10)
        s.get(m.SurveyRound, online).method = "online"  # a different method: never compared
        add_round(s, wid, "Autumn 2026", dt.date(2026, 9, 1), {}, confidence=confidence_after, days=29)
        monthly_crimes(s, wid, dt.date(2024, 10, 1), before + after)


def test_a_fall_from_120_to_118_over_12_months_is_no_clear_change(db):
    gap_ward(db, [10] * 12, [10] * 10 + [9, 9], [4] * 40 + [2] * 60)
    with db.session() as s:
        gap = reassurance_gap(s, WARD)
    assert (gap.crime_before, gap.crime_after) == (120, 118)
    assert gap.crime_p == pytest.approx(0.948335, abs=1e-6)
    assert not gap.claimed and gap.verdict == "no clear change"
    assert "no clear change (exact test for two counts, p = 0.948)" in gap.headline
    assert gap.conclusion == "No reassurance gap is claimed: crime did not fall beyond chance."
    assert gap.headline.endswith(gap.conclusion)


def test_a_fall_from_120_to_60_with_confidence_flat_is_a_gap(db):
    gap_ward(db, [10] * 12, [5] * 12, [4] * 41 + [2] * 59)
    with db.session() as s:
        gap = reassurance_gap(s, WARD)
    assert gap.claimed and gap.verdict == "reassurance gap"
    assert (gap.crime_before, gap.crime_after) == (120, 60) and gap.crime_p < 0.001
    assert [f"{d:%Y-%m}" for d in (gap.months_before[0], gap.months_before[-1])] == ["2024-10", "2025-09"]
    assert [f"{d:%Y-%m}" for d in (gap.months_after[0], gap.months_after[-1])] == ["2025-10", "2026-09"]
    # the online round in between (90% favourable) is not the comparison: same method only
    assert (gap.round_before, gap.round_after, gap.method) == ("Autumn 2025", "Autumn 2026", "door")
    assert (gap.confidence_before, gap.confidence_after) == (0.40, 0.41)
    # pooled 81/200: z = 0.01 / sqrt(0.405 * 0.595 * 2 / 100) = 0.1441
    assert gap.confidence_p == pytest.approx(0.8855, abs=1e-4)
    assert "a fall beyond chance (exact test for two counts, p < 0.001)" in gap.headline
    assert gap.conclusion == "Crime fell beyond chance but confidence did not rise beyond chance: a reassurance gap."
    assert gap.headline.endswith(gap.conclusion)
    data = gap.as_dict()
    assert data["months"]["after"][0] == "2025-10" and len(data["months"]["before"]) == 12
    assert {"claimed", "crime_before", "crime_after", "crime_p", "confidence_before", "confidence_after"} <= set(data)


def test_no_gap_when_confidence_rose_beyond_chance(db):
    gap_ward(db, [10] * 12, [5] * 12, [4] * 70 + [2] * 30)
    with db.session() as s:
        gap = reassurance_gap(s, WARD)
    assert not gap.claimed
    assert "a rise beyond chance (two-proportion test, p < 0.001)" in gap.headline
    assert "No reassurance gap is claimed: confidence rose beyond chance." in gap.headline
