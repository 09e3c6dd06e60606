"""Known-answer tests of the ring-fence arithmetic (hand-counted)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpdesk.domain.ringfence import (
    DutyDay,
    RingFence,
    combine,
    day_figure,
    find_absence,
    find_reason,
    is_below_target,
    month_bounds,
    ring_fence,
    share_on_ward,
    week_start,
    weekly_series,
)
from rpdesk.domain.vocabulary import AbsenceKind
from rpdesk.domain.vocabulary import AbstractionReason as R


def test_share_is_ward_hours_over_rostered_hours():
    assert share_on_ward(40, 10) == 0.75
    assert share_on_ward(8, 0) == 1.0
    assert share_on_ward(8, 8) == 0.0


def test_nothing_rostered_gives_no_figure_and_is_never_below_target():
    assert share_on_ward(0, 0) is None
    assert not is_below_target(None, 0.8)


def test_exactly_on_target_is_not_below_it():
    assert not is_below_target(0.8, 0.8)
    assert is_below_target(0.79, 0.8)
    assert not is_below_target(16 / 20, 0.8)  # 0.8 from a division is not a hair under


def test_reasons_add_up_and_keep_vocabulary_order():
    fig = ring_fence(32, [{R.AID_CENTRAL: 8}, {R.RESPONSE_COVER: 2}])
    assert list(fig.by_reason) == [R.RESPONSE_COVER, R.AID_CENTRAL]
    assert fig.abstracted_hours == 10
    assert fig.ward_hours == 22
    assert fig.share == 0.6875
    assert fig.below_target(0.8)


def test_binary_fractions_do_not_leak_into_sums():
    assert ring_fence(1, [{R.COURT: 0.1}, {R.COURT: 0.2}]).abstracted_hours == 0.3


def test_combine_weights_by_hours_not_by_officer():
    # 8/10 and 0/2 average to 0.4 per officer, but the team's hours give 8/12
    team = combine([RingFence(10, {R.COURT: 2}), RingFence(2, {R.COURT: 2})])
    assert team.rostered_hours == 12 and team.abstracted_hours == 4
    assert team.share == pytest.approx(8 / 12, abs=1e-6)


def test_absence_days_count_neither_for_nor_against():
    days = [
        DutyDay(dt.date(2026, 9, 7), 8, abstracted={R.TRAINING: 4}),
        DutyDay(dt.date(2026, 9, 8), 8, absent=True),  # leave: its 8 hours are not rostered ward time
    ]
    (week,) = weekly_series(days, dt.date(2026, 9, 7), dt.date(2026, 9, 13))
    assert week.figure.rostered_hours == 8
    assert week.figure.share == 0.5


def test_weekly_series_runs_monday_to_sunday_and_keeps_empty_weeks():
    days = [
        DutyDay(dt.date(2026, 9, 6), 8, abstracted={R.COURT: 8}),  # a Sunday: week of 31 Aug
        DutyDay(dt.date(2026, 9, 7), 10),
        DutyDay(dt.date(2026, 9, 22), 8, abstracted={R.EVENTS: 2}),
        DutyDay(dt.date(2026, 9, 30), 8),  # after the end: ignored
    ]
    series = weekly_series(days, dt.date(2026, 9, 6), dt.date(2026, 9, 23))
    assert [w.week_start for w in series] == [
        dt.date(2026, 8, 31),
        dt.date(2026, 9, 7),
        dt.date(2026, 9, 14),
        dt.date(2026, 9, 21),
    ]
    assert [w.figure.share for w in series] == [0.0, 1.0, None, 0.75]
    assert series[0].week_end == dt.date(2026, 9, 6)


def test_week_start_and_month_bounds():
    assert week_start(dt.date(2026, 9, 13)) == dt.date(2026, 9, 7)
    assert week_start(dt.date(2026, 9, 7)) == dt.date(2026, 9, 7)
    assert month_bounds(dt.date(2024, 2, 10)) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert month_bounds(dt.date(2026, 12, 31)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("response_cover", R.RESPONSE_COVER),
        ("Response Cover", R.RESPONSE_COVER),
        ("Aid (central)", R.AID_CENTRAL),
        ("custody / constant watch", R.CUSTODY_CONSTANT),
        (" COURT ", R.COURT),
        ("holiday", None),
    ],
)
def test_reason_words(text, reason):
    assert find_reason(text) is reason


def test_absence_words_are_not_reasons():
    assert find_absence("Sickness") is AbsenceKind.SICKNESS
    assert find_absence("rest day") is AbsenceKind.REST_DAY
    assert find_reason("sickness") is None


@given(
    st.lists(
        st.tuples(
            st.integers(0, 60),
            st.sampled_from([0.0, 7.5, 8.0, 10.0]),
            st.booleans(),
            st.sampled_from(list(R)),
            st.floats(0, 1),
        ),
        max_size=40,
    )
)
def test_weeks_add_up_to_the_period_and_shares_stay_between_0_and_1(raw):
    start = dt.date(2026, 9, 2)
    days = [
        DutyDay(start + dt.timedelta(days=d), hours, absent, {reason: round(hours * part, 2)} if part else {})
        for d, hours, absent, reason, part in raw
    ]
    series = weekly_series(days, start, start + dt.timedelta(days=60))
    whole = combine(day_figure(d) for d in days)
    weeks = combine(w.figure for w in series)
    assert weeks.rostered_hours == pytest.approx(whole.rostered_hours)
    assert weeks.abstracted_hours == pytest.approx(whole.abstracted_hours)
    assert whole.rostered_hours == pytest.approx(sum(d.rostered_hours for d in days if not d.absent))
    for figure in [whole, *(w.figure for w in series)]:
        assert figure.share is None or 0.0 <= figure.share <= 1.0
