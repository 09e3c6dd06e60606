"""Ring-fence arithmetic: how much of an officer's rostered time stayed on ward duties.

Pure functions over plain numbers, shared by the services, reports and GUI so that every screen and
document gives the same figure for the same hours.

Rules:
- *Rostered hours* are the hours of officer-days on duty. A day of leave, sickness or rest is an
  absence: its hours are not rostered ward time, so it counts neither for nor against the figure.
- *Abstracted hours* are hours of a rostered day taken away from ward work, each with a reason.
- *Ring-fence* = (rostered - abstracted) / rostered, a share from 0 to 1. With nothing rostered
  there is no figure (``None``), never a fake 100%.
- *Below target* when the share is under the force's target (the ``ring_fence_target`` setting,
  0.8 by default). No figure is never below target; an exact hit is on target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from rpdesk.domain.vocabulary import ABSTRACTION_REASON_LABELS, AbsenceKind, AbstractionReason

DEFAULT_TARGET = 0.80

#: Hours are entered to the quarter hour at best; sums are rounded to this many places to keep
#: binary fractions (0.1 + 0.2) out of reports.
PLACES = 4

_RANK: dict[AbstractionReason, int] = {r: i for i, r in enumerate(AbstractionReason)}


def share_on_ward(rostered_hours: float, abstracted_hours: float) -> float | None:
    """Share of rostered hours spent on ward duties (0..1), or None when nothing was rostered."""
    if rostered_hours <= 0:
        return None
    ward = max(0.0, rostered_hours - abstracted_hours)
    return round(min(1.0, ward / rostered_hours), 6)


def is_below_target(share: float | None, target: float = DEFAULT_TARGET) -> bool:
    """True when there is a figure and it falls short of ``target`` (a tiny tolerance absorbs rounding)."""
    return share is not None and share < target - 1e-9


@dataclass(frozen=True)
class RingFence:
    """Hours of one officer, ward, team or period, and the ring-fence figure they give.

    ``by_reason`` holds only reasons with hours, in the vocabulary's order.
    """

    rostered_hours: float
    by_reason: Mapping[AbstractionReason, float] = field(default_factory=dict)

    @cached_property
    def abstracted_hours(self) -> float:
        return round(sum(self.by_reason.values()), PLACES)

    @property
    def ward_hours(self) -> float:
        return round(max(0.0, self.rostered_hours - self.abstracted_hours), PLACES)

    @property
    def share(self) -> float | None:
        return share_on_ward(self.rostered_hours, self.abstracted_hours)

    def below_target(self, target: float = DEFAULT_TARGET) -> bool:
        return is_below_target(self.share, target)

    def __add__(self, other: RingFence) -> RingFence:
        return ring_fence(self.rostered_hours + other.rostered_hours, [self.by_reason, other.by_reason])


def ring_fence(rostered_hours: float, by_reason: Iterable[Mapping[AbstractionReason, float]] = ()) -> RingFence:
    """A :class:`RingFence` from rostered hours and any number of reason -> hours mappings (summed)."""
    totals: dict[AbstractionReason, float] = {}
    for mapping in by_reason:
        for reason, hours in mapping.items():
            totals[reason] = totals.get(reason, 0.0) + hours
    ordered = {r: round(totals[r], PLACES) for r in sorted(totals, key=_RANK.__getitem__) if totals[r] > 0}
    return RingFence(round(rostered_hours, PLACES), ordered)


def combine(figures: Iterable[RingFence]) -> RingFence:
    """The figures of several officers or days added together (a ward's or a team's total)."""
    items = list(figures)
    return ring_fence(sum(f.rostered_hours for f in items), [f.by_reason for f in items])


@dataclass(frozen=True)
class DutyDay:
    """One officer-day as the maths needs it. ``absent`` days are left out of every figure."""

    date: dt.date
    rostered_hours: float
    absent: bool = False
    abstracted: Mapping[AbstractionReason, float] = field(default_factory=dict)


def day_figure(day: DutyDay) -> RingFence:
    """The day's contribution: nothing at all for an absence, else its hours and abstractions."""
    if day.absent:
        return RingFence(0.0)
    return ring_fence(day.rostered_hours, [day.abstracted])


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday, as duty rosters do)."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekFigure:
    """The ring-fence of one Monday-to-Sunday week."""

    week_start: dt.date
    figure: RingFence

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)


def weekly_series(days: Iterable[DutyDay], start: dt.date, end: dt.date) -> list[WeekFigure]:
    """One figure per week from ``start``'s week to ``end``'s week, weeks with no duty included (empty).

    Days outside ``start..end`` are ignored, so a part week at either end counts only its days in range.
    """
    weeks: dict[dt.date, list[RingFence]] = {}
    for day in days:
        if start <= day.date <= end:
            weeks.setdefault(week_start(day.date), []).append(day_figure(day))
    series = []
    monday = week_start(start)
    while monday <= end:
        series.append(WeekFigure(monday, combine(weeks.get(monday, []))))
        monday += dt.timedelta(days=7)
    return series


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of ``month``'s calendar month."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


@dataclass(frozen=True)
class MonthFigure:
    """The ring-fence of one calendar month (``month`` is its first day)."""

    month: dt.date
    figure: RingFence


def monthly_series(days: Iterable[DutyDay], start: dt.date, end: dt.date) -> list[MonthFigure]:
    """One figure per calendar month from ``start``'s month to ``end``'s, months with no duty included (empty).

    Days outside ``start..end`` are ignored, so a part month at either end counts only its days in range.
    """
    months: dict[dt.date, list[RingFence]] = {}
    for day in days:
        if start <= day.date <= end:
            months.setdefault(day.date.replace(day=1), []).append(day_figure(day))
    series = []
    first = start.replace(day=1)
    while first <= end:
        series.append(MonthFigure(first, combine(months.get(first, []))))
        first = month_bounds(first)[1] + dt.timedelta(days=1)
    return series


# --- words people type for reasons and absences ------------------------------------------------


def _fold(text: str) -> str:
    return "_".join(text.strip().casefold().replace("/", " ").replace("(", " ").replace(")", " ").split())


_REASON_WORDS: dict[str, AbstractionReason] = {
    **{_fold(label): reason for reason, label in ABSTRACTION_REASON_LABELS.items()},
    **{r.value: r for r in AbstractionReason},
}
_ABSENCE_WORDS: dict[str, AbsenceKind] = {
    **{a.value: a for a in AbsenceKind},
    "leave": AbsenceKind.ANNUAL_LEAVE,
    "sick": AbsenceKind.SICKNESS,
    "rest": AbsenceKind.REST_DAY,
}

VALID_REASONS = ", ".join(r.value for r in AbstractionReason)


def minimised(kind: AbsenceKind | None, *, keep_reason: bool) -> AbsenceKind | None:
    """What is stored for an absence: plain ``absent`` unless the force keeps reasons.

    Why an officer was away (sickness above all) is staff health data; the ring-fence figures
    treat every absence alike, so by default the reason is not kept at all (DPA 2018 Part 3
    minimisation). A force that needs it turns on the ``absence_detail`` setting.
    """
    return kind if kind is None or keep_reason else AbsenceKind.ABSENT


def shown_absence(value: str | None, *, supervisor: bool) -> str | None:
    """An absence as a user may see it: its reason only for supervisors, else plain ``absent``."""
    return value if value is None or supervisor else AbsenceKind.ABSENT.value


VALID_ABSENCES = ", ".join(a.value for a in AbsenceKind)


def find_reason(text: str) -> AbstractionReason | None:
    return _REASON_WORDS.get(_fold(text))


def find_absence(text: str) -> AbsenceKind | None:
    return _ABSENCE_WORDS.get(_fold(text))
