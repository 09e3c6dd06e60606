"""The rules an abstraction must meet, as the duty service and the abstraction form both ask them."""

from __future__ import annotations

import datetime as dt

from rpdesk.domain.abstraction_rules import abstraction_problems, duty_problems

DAY = dt.date(2026, 9, 1)


def test_an_abstraction_within_the_day_s_rostered_hours_and_not_after_today_is_fine():
    assert abstraction_problems(day=DAY, hours=4, today=DAY, rostered=8, already=4) == []


def test_the_day_s_abstractions_never_exceed_its_rostered_hours_and_the_message_says_by_whom_and_how():
    (found,) = abstraction_problems(day=DAY, hours=0.5, today=DAY, rostered=8, already=8, officer="PC101")
    assert (found.field, found.text) == (
        "hours",
        "PC101: 0.5 h on 01/09/2026 would exceed the rostered hours (8 h rostered, 8 h already abstracted).",
    )


def test_hours_out_of_a_day_and_a_date_after_today_are_both_named():
    found = abstraction_problems(day=DAY + dt.timedelta(days=1), hours=0, today=DAY)
    assert [(p.field, p.text) for p in found] == [
        ("hours", "Abstracted hours must be more than 0 and at most 24 (got 0)."),
        ("date", "The abstraction's date (02/09/2026) is in the future: record it once it has happened."),
    ]


def test_a_correction_does_not_check_the_date_and_an_unknown_day_not_the_total():
    assert abstraction_problems(day=DAY + dt.timedelta(days=9), hours=30, today=None, rostered=None) == [
        abstraction_problems(day=DAY, hours=30, today=DAY)[0]
    ]


def test_a_day_on_duty_needs_rostered_hours_and_an_absence_needs_none():
    assert duty_problems(rostered=8, absent=False) == []
    assert duty_problems(rostered=0, absent=True) == []
    assert [p.text for p in duty_problems(rostered=0, absent=False)] == ["A day on duty needs its rostered hours."]
    assert [p.text for p in duty_problems(rostered=25, absent=True)] == [
        "Rostered hours must be from 0 to 24 hours (got 25)."
    ]
