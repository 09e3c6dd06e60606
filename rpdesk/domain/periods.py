"""One "as at" date and one period model for every view and document (pure, Qt-free).

A tasking pack is read line by line by partners looking for the weak figure, so the dashboard, the
pack, the response card, the briefing, the CLI and the exports must all count the same way:

- **As at.** Every figure is "as at" one date: a document built before its meeting is as at the day
  it was built (the meeting has not happened yet), a document for a past meeting is as at the
  meeting. Nothing after the as-at date is counted; "overdue" means past due at the as-at date.
- **Periods** run from one TCG meeting to the day before the next (the tasking cycle). A period
  never runs past the as-at date: one cut short is a *part period* and says so in its label.
  Without meetings a period is the ``DEFAULT_DAYS`` days ending at the as-at date.
- **Recorded crime** is published by police.uk in whole calendar months, about two months in
  arrears. A month is counted in the period in which it *ends* (its last day falls in the
  period), so consecutive periods share no month and every month is counted exactly once; a month
  that has not ended by the as-at date belongs to no period yet. A month later than the latest one
  the ward holds is "not yet published", never zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: The length of a period when a ward has no meetings to mark its tasking cycle.
DEFAULT_DAYS = 28
#: How many whole police.uk months a year-long comparison covers.
YEAR_MONTHS = 12


# --- months ------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month: police.uk publishes recorded crime by month."""
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after (or before, when negative) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return add_months(day, 1) - dt.timedelta(days=1)


def month_range(first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The first day of every month from ``first``'s to ``last``'s, inclusive (empty if reversed)."""
    out: list[dt.date] = []
    month = month_start(first)
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return tuple(out)


def months_ending_in(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    """The months whose last day falls in ``start``..``end``: the months a period counts, each once."""
    return tuple(m for m in month_range(start, end) if start <= month_end(m) <= end)


def last_whole_month(as_at: dt.date) -> dt.date:
    """The newest month that has ended by ``as_at`` (the month itself if ``as_at`` is its last day)."""
    return month_start(as_at) if month_end(as_at) == as_at else add_months(as_at, -1)


def month_label(month: dt.date) -> str:
    """ "Sep 2026": how documents name a police.uk month."""
    return month.strftime("%b %Y")


def months_label(months: Sequence[dt.date]) -> str:
    """ "Sep 2026", "Aug–Sep 2026", "Dec 2025–Jan 2026" or "no whole month"."""
    if not months:
        return "no whole month"
    first, last = months[0], months[-1]
    if first == last:
        return month_label(first)
    if first.year == last.year:
        return f"{first:%b}–{month_label(last)}"
    return f"{month_label(first)}–{month_label(last)}"


# --- periods -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """``start``..``end`` inclusive. ``full_end`` is where the period would end; ``end`` is cut at the as-at date."""

    start: dt.date
    end: dt.date
    full_end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start - dt.timedelta(days=1) or self.end > self.full_end:
            raise ValueError(f"bad period {self.start}..{self.end} (full end {self.full_end})")

    @property
    def part(self) -> bool:
        """True when the as-at date cut the period short."""
        return self.end < self.full_end

    @property
    def days(self) -> int:
        return max(0, (self.end - self.start).days + 1)

    def months(self) -> tuple[dt.date, ...]:
        """The police.uk months counted in this period: those ending in it (never one ending later)."""
        return months_ending_in(self.start, self.end)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def label(self) -> str:
        """ "10/11/2026 to 27/11/2026 (part period: to the as-at date; the full period ends 09/12/2026)"."""
        text = f"{self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}"
        if self.part:
            text += f" (part period: to the as-at date; the full period ends {self.full_end:%d/%m/%Y})"
        return text


def _cut(start: dt.date, full_end: dt.date, as_at: dt.date) -> Period:
    return Period(start, min(full_end, max(as_at, start - dt.timedelta(days=1))), full_end)


def cycle_period(meetings: Iterable[dt.date], as_at: dt.date, *, default_days: int = DEFAULT_DAYS) -> Period:
    """The tasking period containing ``as_at``: from the last meeting on or before it to the day before the next.

    With no meeting on or before ``as_at``, the period is the ``default_days`` ending at ``as_at``
    (or, if a meeting follows, ending the day before it).
    """
    dates = sorted(set(meetings))
    before = [d for d in dates if d <= as_at]
    after = [d for d in dates if d > as_at]
    if before:
        full_end = after[0] - dt.timedelta(days=1) if after else as_at
        return _cut(before[-1], full_end, as_at)
    return Period(as_at - dt.timedelta(days=default_days - 1), as_at, as_at)


def meeting_period(
    previous_meeting: dt.date | None, meeting: dt.date, as_at: dt.date, *, default_days: int = DEFAULT_DAYS
) -> Period:
    """The period a meeting's documents report on: the previous meeting to the day before this one, cut at ``as_at``."""
    start = previous_meeting or meeting - dt.timedelta(days=default_days)
    return _cut(start, meeting - dt.timedelta(days=1), as_at)


def previous_period(period: Period, meetings: Iterable[dt.date]) -> Period:
    """The whole period before ``period``: from the meeting before its start, else one of equal full length."""
    earlier = [d for d in meetings if d < period.start]
    end = period.start - dt.timedelta(days=1)
    start = max(earlier) if earlier else period.start - (period.full_end - period.start) - dt.timedelta(days=1)
    return Period(start, end, end)


# --- recorded crime over months ----------------------------------------------------------------


@dataclass(frozen=True)
class CrimeCount:
    """Recorded crime over some months: ``count`` is None when none of them is held.

    ``held`` are the months counted; a month after the latest one held is "not yet published", one
    before the first held was never imported ("not held"): neither is ever counted as zero.
    """

    months: tuple[dt.date, ...]
    held: tuple[dt.date, ...]
    count: int | None
    first_held: dt.date | None = None
    latest_held: dt.date | None = None

    @property
    def missing(self) -> tuple[dt.date, ...]:
        return tuple(m for m in self.months if m not in self.held)

    def label(self) -> str:
        """Which months the figure covers, and which are not held or not yet published."""
        if not self.months:
            return "no whole police.uk month ends in this period"
        if self.latest_held is None:
            return "no police.uk data held"
        later = tuple(m for m in self.missing if m > self.latest_held)
        earlier = tuple(m for m in self.missing if m < self.latest_held)
        gaps = [f"{months_label(later)} not yet published"] if later else []
        gaps += [f"{months_label(earlier)} not held"] if earlier else []
        if not self.held:
            return f"{months_label(self.months)}: {' and '.join(gaps)}"
        text = f"police.uk {months_label(self.held)}"
        return text + (f" ({'; '.join(gaps)})" if gaps else "")


def count_months(
    months: Sequence[dt.date],
    per_month: dict[dt.date, int],
    latest_held: dt.date | None,
    first_held: dt.date | None = None,
) -> CrimeCount:
    """Sum ``per_month`` over ``months`` held (``first_held``..``latest_held``), naming the months left out."""
    first = first_held or dt.date.min
    held = tuple(m for m in months if latest_held is not None and first <= m <= latest_held)
    count = sum(per_month.get(m, 0) for m in held) if held else None
    return CrimeCount(tuple(months), held, count, first_held, latest_held)


def as_at_for(meeting: dt.date, today: dt.date) -> dt.date:
    """A meeting's documents are as at the meeting, or today when it has not happened yet."""
    return min(meeting, today)
