"""What a duty day and an abstraction must say before they are saved, in one place for the service and the forms.

A duty day is rostered for 0 to 24 hours; a day on duty (not an absence: leave, sickness, rest day)
has some rostered hours, or there is no ward time to protect on it.

An abstraction is hours of an officer-day taken away from ward work: it is recorded once it has
happened (a planned court date is not yet an abstraction), it takes more than nothing and at most a
day, and a day's abstractions together never exceed the hours the officer was rostered that day
(or the ring-fence share would go below nothing).
"""

from __future__ import annotations

import datetime as dt

from rpdesk.domain.dates import future_problem, shown
from rpdesk.errors import FieldProblem


def duty_problems(*, rostered: float, absent: bool) -> list[FieldProblem]:
    """Every rule a duty day of ``rostered`` hours breaks (``absent``: the day is an absence)."""
    if not 0 <= rostered <= 24:
        return [FieldProblem("rostered_hours", f"Rostered hours must be from 0 to 24 hours (got {rostered:g}).")]
    if not absent and rostered <= 0:
        return [FieldProblem("rostered_hours", "A day on duty needs its rostered hours.")]
    return []


def abstraction_problems(
    *,
    day: dt.date,
    hours: float,
    today: dt.date | None,
    rostered: float | None = None,
    already: float = 0.0,
    officer: str = "",
) -> list[FieldProblem]:
    """Every rule an abstraction of ``hours`` by ``officer`` on ``day`` breaks (empty when it can be saved).

    ``rostered`` is the day's rostered hours and ``already`` the hours already abstracted on it (by
    the day's other abstractions); without ``rostered`` (the day is not known yet) the day's total
    is not checked, and without ``today`` (a correction of a day already recorded) nor is the date.
    """
    out = []
    if not 0 < hours <= 24:
        out.append(FieldProblem("hours", f"Abstracted hours must be more than 0 and at most 24 (got {hours:g})."))
    late = future_problem("date", day, today=today, what="The abstraction's date") if today else None
    if late:
        out.append(late)
    if rostered is not None and already + hours > rostered + 1e-9:
        before = f", {already:g} h already abstracted" if already else ""
        who = f"{officer}: " if officer else ""
        text = f"{who}{hours:g} h on {shown(day)} would exceed the rostered hours ({rostered:g} h rostered{before})."
        out.append(FieldProblem("hours", text))
    return out
