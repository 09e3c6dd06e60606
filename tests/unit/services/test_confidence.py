"""Confidence per round beside recorded crime, and the reassurance gap."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.services.confidence import confidence_by_round
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
    assert spring.gap is None
    assert autumn.good_job_change is not None and autumn.good_job_change.change == 0
    assert autumn.gap is not None and "fell 50%" in autumn.gap
