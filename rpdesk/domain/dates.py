"""Dates as a sergeant types them, and the dates worth a second look before they are saved (pure, Qt-free).

Typing: UK order, day first. ``15/01/2027``, ``15/1/27``, ``15-01-2027``, ``15.01.2027``,
``15 1 2027`` and the bare digits ``15012027`` (or ``150127``) all mean 15 January 2027; an ISO date
(``2027-01-15``) is accepted too, as pasted from a spreadsheet. A two-digit year is this century.

Second looks: a date typed in a form is not refused for being unusual, but the user is asked before
saving (:func:`doubts`) when it falls outside the span it belongs to (a paper form dated outside its
survey round: a slip of the year or month), or, having no span, is more than a year from today (an
abstraction in 2016, a due date in 2072).

An imported file's dates are checked against their neighbours (:func:`outliers`): a date more than
:data:`FAR_DAYS` from the file's middle date, or from the round it goes into, is refused unless the
user confirms it, since importing widens the round to cover the file (a form "fixed" to 28/02/2026
would otherwise stretch a November round back to February).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rpdesk.errors import FieldProblem

#: How the app shows a date, and the format a typed one is put back into.
SHOWN = "%d/%m/%Y"
#: What a date field says it expects.
EXPECTED = "a date as dd/mm/yyyy, e.g. 15/01/2027"
#: An imported date further than this from the file's middle date, or from its round, gets a second look.
FAR_DAYS = 90
#: A typed date with no span further than this from today gets a second look.
FAR_FROM_TODAY_DAYS = 366

_SEPARATED = re.compile(r"(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{2}|\d{4})", re.ASCII)
_DIGITS = re.compile(r"(\d{2})(\d{2})(\d{2}|\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)


class DateTypingError(ValueError):
    """Typed text that is not a date; the message says what was expected."""


def shown(day: dt.date) -> str:
    """``day`` as every screen shows it (dd/mm/yyyy)."""
    return day.strftime(SHOWN)


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def parse_typed(text: str) -> dt.date | None:
    """The date typed as ``text`` (None when blank); :class:`DateTypingError` when it is not a date."""
    text = text.strip()
    if not text:
        return None
    iso = _ISO.fullmatch(text)
    match = _SEPARATED.fullmatch(text) or _DIGITS.fullmatch(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if match:
            return dt.date(_year(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise DateTypingError(f"'{text}' is not a day of the calendar; expected {EXPECTED}") from None
    raise DateTypingError(f"'{text}' is not a date; expected {EXPECTED}")


@dataclass(frozen=True)
class Span:
    """The dates a value belongs within, e.g. a survey round's (either end may be open)."""

    name: str
    start: dt.date | None
    end: dt.date | None

    def holds(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def __str__(self) -> str:
        ends = " – ".join(shown(d) if d else "open" for d in (self.start, self.end))
        return f"{self.name} ({ends})"


def doubts(day: dt.date, *, today: dt.date, span: Span | None = None) -> list[str]:
    """Why ``day``, typed in a form, deserves a second look before saving (empty when it looks ordinary).

    ``span`` is what the date belongs within (e.g. the survey round of a paper form).
    """
    if span is not None:
        return [] if span.holds(day) else [f"{shown(day)} is outside {span}."]
    if abs((day - today).days) > FAR_FROM_TODAY_DAYS:
        return [f"{shown(day)} is more than a year from today ({shown(today)})."]
    return []


def future_problem(field: str, day: dt.date, *, today: dt.date, what: str) -> FieldProblem | None:
    """A record of something that has happened (a walk, an abstraction, a form filled in) is not dated after today.

    ``what`` names the date as the user knows it ("The walk's date"); unlike :func:`doubts`, this refuses.
    """
    if day <= today:
        return None
    return FieldProblem(field, f"{what} ({shown(day)}) is in the future: record it once it has happened.")


@dataclass(frozen=True)
class Outlier:
    """A date of a file that would stretch what it is imported into, and why."""

    day: dt.date
    reason: str


def outliers(days: Iterable[dt.date], *, span: Span | None = None, far_days: int = FAR_DAYS) -> list[Outlier]:
    """The distinct dates of a file worth a second look before they are imported, in date order.

    A date more than ``far_days`` from the file's middle (median) date, or more than ``far_days``
    outside ``span`` (the round the file goes into, which the import widens to cover the file): a
    slip of the year or month that would otherwise stretch a November round back to February.
    Dates within ``far_days`` of the round are ordinary: a late batch of forms widens it a little.
    """
    ordered = sorted(days)
    if not ordered:
        return []
    middle = ordered[len(ordered) // 2]
    found = []
    for day in sorted(set(ordered)):
        if abs((day - middle).days) > far_days:
            found.append(Outlier(day, f"{abs((day - middle).days)} days from the file's middle date {shown(middle)}"))
        elif span is not None and not span.holds(day) and _outside_by(day, span) > far_days:
            found.append(Outlier(day, f"{_outside_by(day, span)} days outside {span}"))
    return found


def _outside_by(day: dt.date, span: Span) -> int:
    if span.start is not None and day < span.start:
        return (span.start - day).days
    if span.end is not None and day > span.end:
        return (day - span.end).days
    return 0
