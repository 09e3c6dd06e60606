"""The one period model: every police.uk month in exactly one period, never past the as-at date."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from rpdesk.domain.periods import (
    Period,
    count_months,
    cycle_period,
    last_whole_month,
    meeting_period,
    month_range,
    months_label,
    previous_period,
)

D = dt.date


def _chain(meetings: list[dt.date], as_at: dt.date) -> list[Period]:
    """Consecutive meeting periods (10th to 9th, as the demo holds them), cut at ``as_at``."""
    return [meeting_period(a, b, as_at) for a, b in itertools.pairwise(meetings)]


def test_periods_running_10th_to_9th_count_each_month_once():
    meetings = [D(2026, m, 10) for m in range(1, 13)]
    periods = _chain(meetings, as_at=D(2026, 12, 31))
    counted = [m for p in periods for m in p.months()]
    assert len(counted) == len(set(counted)), "a month was counted in two periods"
    # every month that ended inside the span of the periods is counted in one of them
    assert counted == list(month_range(D(2026, 1, 1), D(2026, 11, 1)))
    # November ends in the period 10 Nov - 9 Dec, not in 10 Oct - 9 Nov (the pack counted it in both)
    nov = next(p for p in periods if D(2026, 11, 1) in p.months())
    assert (nov.start, nov.full_end) == (D(2026, 11, 10), D(2026, 12, 9))


def test_a_period_stops_at_the_as_at_date_and_says_it_is_a_part_period():
    p = meeting_period(D(2026, 11, 10), D(2026, 12, 10), as_at=D(2026, 11, 27))
    assert (p.start, p.end, p.full_end) == (D(2026, 11, 10), D(2026, 11, 27), D(2026, 12, 9))
    assert p.part and "part period" in p.label()
    assert p.months() == ()  # November has not ended by 27 Nov: it belongs to no period yet
    whole = meeting_period(D(2026, 10, 10), D(2026, 11, 10), as_at=D(2026, 11, 27))
    assert not whole.part and "part" not in whole.label()
    assert whole.months() == (D(2026, 10, 1),)


def test_the_period_containing_a_date_runs_meeting_to_meeting():
    meetings = [D(2026, 10, 10), D(2026, 11, 10), D(2026, 12, 10)]
    p = cycle_period(meetings, D(2026, 11, 27))
    assert p == meeting_period(D(2026, 11, 10), D(2026, 12, 10), D(2026, 11, 27))
    before = previous_period(p, meetings)
    assert (before.start, before.end) == (D(2026, 10, 10), D(2026, 11, 9))
    assert set(before.months()).isdisjoint(p.months())
    alone = cycle_period([], D(2026, 11, 27))
    assert alone.end == D(2026, 11, 27) and alone.days == 28 and not alone.part


def test_months_not_yet_published_are_named_never_counted_as_zero():
    per_month = {D(2026, 8, 1): 40, D(2026, 9, 1): 35}
    c = count_months((D(2026, 9, 1), D(2026, 10, 1)), per_month, latest_held=D(2026, 9, 1))
    assert c.count == 35 and c.missing == (D(2026, 10, 1),)
    assert "Oct 2026 not yet published" in c.label()
    none = count_months((D(2026, 10, 1),), per_month, latest_held=D(2026, 9, 1))
    assert none.count is None and "not yet published" in none.label()
    empty = count_months((D(2026, 7, 1),), per_month, latest_held=D(2026, 9, 1))
    assert empty.count == 0  # a held month with no rows is a real zero
    # months before the first one imported are not held: left out and named, never zero
    year = count_months((D(2026, 7, 1), D(2026, 8, 1), D(2026, 9, 1)), per_month, D(2026, 9, 1), D(2026, 8, 1))
    assert year.count == 75 and year.label() == "police.uk Aug–Sep 2026 (Jul 2026 not held)"
    nothing = count_months((D(2026, 9, 1),), {}, latest_held=None)
    assert nothing.count is None and nothing.label() == "no police.uk data held"


@pytest.mark.parametrize(
    ("as_at", "month"),
    [(D(2026, 11, 27), D(2026, 10, 1)), (D(2026, 11, 30), D(2026, 11, 1)), (D(2028, 2, 29), D(2028, 2, 1))],
)
def test_last_whole_month(as_at, month):
    assert last_whole_month(as_at) == month


def test_month_labels():
    assert months_label((D(2026, 8, 1), D(2026, 9, 1))) == "Aug–Sep 2026"
    assert months_label((D(2025, 12, 1), D(2026, 1, 1))) == "Dec 2025–Jan 2026"
    assert months_label(()) == "no whole month"
