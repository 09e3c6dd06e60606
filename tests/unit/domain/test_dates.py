"""Dates as typed (UK order) and the dates that get a second look before saving."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.domain.dates import DateTypingError, Span, doubts, future_problem, outliers, parse_typed, shown

JAN_15 = dt.date(2027, 1, 15)


@pytest.mark.parametrize(
    "text",
    ["15/01/2027", "15/1/2027", "15/1/27", "15-01-2027", "15.01.2027", "15 01 2027", "15012027", "150127", "2027-1-15"],
)
def test_a_date_typed_day_first_in_any_common_way_is_read(text):
    assert parse_typed(f"  {text} ") == JAN_15


def test_blank_is_no_date():
    assert parse_typed("") is None
    assert parse_typed("   ") is None


@pytest.mark.parametrize("text", ["31/02/2027", "15/13/2027", "none5012027", "next tuesday", "15/01", "1/1/199"])
def test_what_is_not_a_date_is_refused_with_the_expected_form(text):
    with pytest.raises(DateTypingError) as caught:
        parse_typed(text)
    assert "dd/mm/yyyy" in str(caught.value)
    assert text in str(caught.value)


def test_shown_is_uk_order_and_reads_back():
    assert shown(JAN_15) == "15/01/2027"
    assert parse_typed(shown(JAN_15)) == JAN_15


NOVEMBER = Span("round Autumn 2026", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
TODAY = dt.date(2026, 12, 5)


def test_a_date_outside_its_round_is_doubted_naming_the_round():
    (doubt,) = doubts(dt.date(2026, 2, 28), today=TODAY, span=NOVEMBER)
    assert doubt == "28/02/2026 is outside round Autumn 2026 (01/11/2026 – 30/11/2026)."
    assert doubts(dt.date(2026, 11, 14), today=TODAY, span=NOVEMBER) == []
    assert doubts(dt.date(2016, 11, 14), today=TODAY, span=Span("round Old", None, None)) == []  # the span rules


def test_without_a_span_only_a_date_over_a_year_from_today_is_doubted():
    assert doubts(dt.date(2026, 1, 5), today=TODAY) == []
    assert doubts(dt.date(2027, 12, 1), today=TODAY) == []
    assert "more than a year from today" in doubts(dt.date(2016, 12, 5), today=TODAY)[0]
    assert "more than a year from today" in doubts(dt.date(2072, 1, 15), today=TODAY)[0]


def test_an_open_ended_span_holds_everything_on_its_open_side():
    since = Span("posting", dt.date(2026, 1, 1), None)
    assert since.holds(dt.date(2099, 1, 1)) and not since.holds(dt.date(2025, 12, 31))
    assert str(since) == "posting (01/01/2026 – open)"


def test_a_date_slipped_by_months_in_a_file_is_an_outlier_and_its_neighbours_are_not():
    november = [dt.date(2026, 11, d) for d in (2, 3, 3, 5, 9, 14, 20)]
    found = outliers([*november, dt.date(2026, 2, 28)])
    assert [(o.day, o.reason) for o in found] == [
        (dt.date(2026, 2, 28), "250 days from the file's middle date 05/11/2026")
    ]
    assert outliers(november) == []
    assert outliers([]) == []


def test_a_file_far_outside_the_round_it_goes_into_is_an_outlier_a_late_batch_is_not():
    late = [dt.date(2026, 12, 10), dt.date(2026, 12, 12)]
    assert outliers(late, span=NOVEMBER) == []  # widens the round by under a month: ordinary
    spring = [dt.date(2027, 4, 1), dt.date(2027, 4, 3)]
    assert [o.reason for o in outliers(spring, span=NOVEMBER)] == [
        "122 days outside round Autumn 2026 (01/11/2026 – 30/11/2026)",
        "124 days outside round Autumn 2026 (01/11/2026 – 30/11/2026)",
    ]


def test_a_record_of_something_done_is_refused_when_dated_after_today():
    today = dt.date(2026, 10, 15)
    assert future_problem("date", today, today=today, what="The form's date") is None
    late = future_problem("date", dt.date(2026, 10, 16), today=today, what="The form's date")
    assert late is not None and (late.field, late.text) == (
        "date",
        "The form's date (16/10/2026) is in the future: record it once it has happened.",
    )
