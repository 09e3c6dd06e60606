"""The ring-fence figures supervisors watch, and the monthly abstraction return.

Public API (every function takes a SQLAlchemy ``Session``; figures come back as frozen dataclasses):

Figures (read only):
- ``summary(session, *, target, ward=None, officer=None, start=None, end=None, by="officer", today=None)
  -> RingFenceSummary`` — ``.rows`` (tuple of :class:`RingFenceRow`, worst ring-fence first) and
  ``.total`` (one :class:`RingFenceRow` for everything in scope). ``by`` is ``"officer"`` (a row per
  officer and ward), ``"ward"`` or ``"team"``. ``ward`` is an ONS code; ``start``/``end`` are
  inclusive dates (default: the current month to ``today``); ``target`` is the force's
  ``ring_fence_target`` setting, which the caller holds.
- ``ward_duty_hours(session, ward_id, start, end) -> float`` — hours spent on the ward's own duties.
- ``by_reason(session, *, ward=None, officer=None, start=None, end=None) -> list[ReasonRow]`` —
  hours per abstraction reason, most first, with the share of rostered hours each took.
- ``weekly(session, *, ward=None, officer=None, start, end) -> list[WeekFigure]`` — Monday-to-Sunday
  series (see :mod:`rpdesk.domain.ringfence`; ``WeekFigure.figure.share`` is the ring-fence).
- ``supervisor_view(session, start=None, end=None, *, target) -> SupervisorView`` — every ward, worst
  first, each with its officers (worst first), ``officers_below`` flagged and its 12-month ``trend``.
- ``monthly(session, *, end, months=12, ward=None, officer=None) -> list[MonthFigure]`` and
  ``monthly_by_ward(session, *, end, months=12)`` — the ring-fence per calendar month (the trend the
  supervisor view, the pack's section 6 and the Officers page show).
- ``monthly_return(session, month, *, target) -> list[ReturnRow]`` — the return supervisors send
  up: a line per ward and per officer in it (nil lines included) with rostered, abstracted and ward
  hours, the ring-fence share, the below-target flag and hours per reason.
  ``write_monthly_return(session, month, path, *, marking, target) -> int`` writes it as .csv or .xlsx
  through :mod:`rpdesk.exports` (formula-safe), its protective marking at the top and the bottom.


Recording duty days and abstractions, corrections and the roster import live in
:mod:`rpdesk.services.duty_records`.

Every figure follows :mod:`rpdesk.domain.ringfence`: absences (leave, sickness, rest days) are not
rostered time and never count against the ring-fence; a row with nothing rostered has
``ring_fence`` None and is never below target. Officers are listed whether or not they are
ring-fenced (``ring_fenced`` says which), so that a supervisor sees everyone who worked the ward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rpdesk.db.models import Abstraction, DutyRecord, Officer, Ward
from rpdesk.domain.ringfence import (
    DutyDay,
    MonthFigure,
    RingFence,
    WeekFigure,
    combine,
    is_below_target,
    month_bounds,
    monthly_series,
    ring_fence,
    weekly_series,
)
from rpdesk.domain.vocabulary import ABSTRACTION_REASON_LABELS, AbstractionReason
from rpdesk.errors import UserError
from rpdesk.services.officers import get_officer, team_lookup
from rpdesk.services.wards import get_ward

if TYPE_CHECKING:  # the roster reader brings pandas (about a second): loaded only to import a roster
    pass

Grouping = Literal["officer", "ward", "team"]
#: How many months the ring-fence trend covers (supervisor view, pack section 6, Officers page).
TREND_MONTHS = 12
GROUPINGS: tuple[str, ...] = ("officer", "ward", "team")


# --- result types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RingFenceRow:
    """Hours and the ring-fence figure of one officer-in-a-ward, ward or team (or a total).

    ``officer``/``officer_name``/``ring_fenced`` are None on ward and team rows; ``ward`` and
    ``ward_name`` are None on a team row spanning wards and on the total.
    ``by_reason`` maps reason codes (``AbstractionReason`` values) to hours.
    """

    officer: str | None
    officer_name: str | None
    ring_fenced: bool | None
    ward: str | None
    ward_name: str | None
    team: str | None
    rostered_hours: float
    abstracted_hours: float
    ward_hours: float
    ring_fence: float | None
    below_target: bool
    by_reason: Mapping[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain values for CSV/JSON output (``by_reason`` stays a mapping)."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class RingFenceSummary:
    start: dt.date
    end: dt.date
    target: float
    by: str
    rows: tuple[RingFenceRow, ...]
    total: RingFenceRow


@dataclass(frozen=True)
class ReasonRow:
    reason: str
    label: str
    hours: float
    share_of_rostered: float | None


@dataclass(frozen=True)
class WardView:
    """One ward in the supervisor view: its total, its officers (worst first), how many are under target."""

    ward: RingFenceRow
    officers: tuple[RingFenceRow, ...]
    officers_below: int
    trend: tuple[MonthFigure, ...] = ()  # the ward's ring-fence in each of the 12 months to the view's end

    def months_below(self, target: float) -> int:
        """How many months of the trend fell below ``target`` (months with no duty do not count)."""
        return sum(m.figure.below_target(target) for m in self.trend)


@dataclass(frozen=True)
class SupervisorView:
    start: dt.date
    end: dt.date
    target: float
    wards: tuple[WardView, ...]  # worst ring-fence first; wards with nothing rostered last (no figure)
    total: RingFenceRow


@dataclass(frozen=True)
class ReturnRow:
    """One line of the monthly return: a ward's total (``level`` "ward") or one officer in it ("officer").

    Wards and officers with nothing abstracted (or no duty recorded) have their nil line, so that a
    reader can tell "no abstraction" from "not reported".
    """

    month: str  # YYYY-MM
    level: str
    ward: str
    ward_name: str
    team: str | None
    officer: str | None  # collar number; None on a ward line
    officer_name: str | None
    rostered_hours: float
    abstracted_hours: float
    ward_hours: float
    ring_fence: float | None  # share of rostered hours on ward duty; None with nothing rostered
    target: float
    below_target: bool
    by_reason: Mapping[str, float] = field(default_factory=dict)

    def values(self) -> tuple[Any, ...]:
        """The cells of this line under :data:`RETURN_COLUMNS`."""
        head = (self.month, self.level, self.ward, self.ward_name, self.team, self.officer, self.officer_name)
        figures = (
            self.rostered_hours,
            self.abstracted_hours,
            self.ward_hours,
            None if self.ring_fence is None else round(self.ring_fence, 4),
            self.target,
            "yes" if self.below_target else "no",
        )
        return (*head, *figures, *(self.by_reason.get(r.value, 0.0) for r in AbstractionReason))


RETURN_COLUMNS: tuple[str, ...] = (
    "month",
    "level",
    "ward",
    "ward_name",
    "team",
    "officer",
    "officer_name",
    "rostered_hours",
    "abstracted_hours",
    "ward_hours",
    "ring_fence_share",
    "target_share",
    "below_target",
    *(f"{r.value}_hours" for r in AbstractionReason),
)


# --- figures -----------------------------------------------------------------------------------


def default_period(start: dt.date | None, end: dt.date | None, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """``start..end`` with gaps filled: the end defaults to today, the start to the first of the end's month."""
    end = end or today or dt.date.today()
    start = start or end.replace(day=1)
    if start > end:
        raise UserError(f"The period starts ({start}) after it ends ({end}).")
    return start, end


def duty_filter(
    stmt: Any, start: dt.date, end: dt.date, ward_id: int | None, officer_id: int | None, *, absences: bool = False
) -> Any:
    """``stmt`` (which reads DutyRecord) limited to ``start``..``end`` and optionally a ward and an officer.

    Figures leave absences out (they are not rostered time); listings of records keep them.
    """
    stmt = stmt.where(DutyRecord.date >= start, DutyRecord.date <= end)
    if not absences:
        stmt = stmt.where(DutyRecord.absence.is_(None))
    if ward_id is not None:
        stmt = stmt.where(DutyRecord.ward_id == ward_id)
    if officer_id is not None:
        stmt = stmt.where(DutyRecord.officer_id == officer_id)
    return stmt


Key = tuple[int, int]  # (officer_id, ward_id)


def _figures_by_officer_ward(
    session: Session, start: dt.date, end: dt.date, ward_id: int | None, officer_id: int | None = None
) -> dict[Key, RingFence]:
    """Two GROUP BY queries (rostered hours; abstracted hours by reason) merged per officer and ward."""
    rostered = duty_filter(
        select(DutyRecord.officer_id, DutyRecord.ward_id, func.sum(DutyRecord.rostered_hours)).group_by(
            DutyRecord.officer_id, DutyRecord.ward_id
        ),
        start,
        end,
        ward_id,
        officer_id,
    )
    taken = duty_filter(
        select(DutyRecord.officer_id, DutyRecord.ward_id, Abstraction.reason, func.sum(Abstraction.hours))
        .join(Abstraction, Abstraction.duty_id == DutyRecord.id)
        .group_by(DutyRecord.officer_id, DutyRecord.ward_id, Abstraction.reason),
        start,
        end,
        ward_id,
        officer_id,
    )
    reasons: dict[Key, dict[AbstractionReason, float]] = {}
    for off, ward, reason, hours in session.execute(taken):
        reasons.setdefault((off, ward), {})[AbstractionReason(reason)] = float(hours)
    return {
        (off, ward): ring_fence(float(hours or 0.0), [reasons.get((off, ward), {})])
        for off, ward, hours in session.execute(rostered)
    }


def _row(
    figure: RingFence,
    target: float,
    *,
    officer: _Who | None = None,
    ward: tuple[str, str] | None = None,
    team: str | None = None,
) -> RingFenceRow:
    share = figure.share
    return RingFenceRow(
        officer=officer.collar if officer else None,
        officer_name=officer.name if officer else None,
        ring_fenced=officer.ring_fenced if officer else None,
        ward=ward[0] if ward else None,
        ward_name=ward[1] if ward else None,
        team=team,
        rostered_hours=figure.rostered_hours,
        abstracted_hours=figure.abstracted_hours,
        ward_hours=figure.ward_hours,
        ring_fence=share,
        below_target=is_below_target(share, target),
        by_reason=dict(figure.by_reason.items()),  # reasons are str enums: keys compare and print as their codes
    )


def _worst_first(row: RingFenceRow) -> tuple[Any, ...]:
    """Lowest ring-fence first; rows with no figure last; then by name for a stable order."""
    return (row.ring_fence is None, row.ring_fence or 0.0, row.ward or "", row.team or "", row.officer or "")


class _Who(NamedTuple):
    collar: str
    name: str
    ring_fenced: bool


@dataclass(frozen=True)
class _Scope:
    """The figures of a period and the names that go with them, fetched once."""

    figures: dict[Key, RingFence]
    officers: dict[int, _Who]
    wards: dict[int, tuple[str, str]]  # id -> (code, name)
    neighbourhoods: dict[int, str | None]  # id -> the ward's team when no posting says
    teams: dict[Key, str | None]

    def team(self, key: Key) -> str | None:
        return self.teams.get(key) or self.neighbourhoods.get(key[1])


def _some(stmt: Any, column: Any, ids: set[int]) -> Any:
    """``stmt`` limited to ``ids`` when they are few (an IN list); all rows otherwise (cheaper than a huge IN)."""
    return stmt.where(column.in_(sorted(ids))) if len(ids) < 500 else stmt


def _scope(
    session: Session, start: dt.date, end: dt.date, ward_id: int | None, officer_id: int | None = None
) -> _Scope:
    figures = _figures_by_officer_ward(session, start, end, ward_id, officer_id)
    officer_ids = {k[0] for k in figures}
    ward_ids = {k[1] for k in figures} | ({ward_id} if ward_id is not None else set())
    officers: dict[int, _Who] = {}
    if officer_ids:
        stmt = _some(select(Officer.id, Officer.collar, Officer.name, Officer.ring_fenced), Officer.id, officer_ids)
        officers = {i: _Who(c, n, r) for i, c, n, r in session.execute(stmt)}
    wards: dict[int, tuple[str, str]] = {}
    neighbourhoods: dict[int, str | None] = {}
    if ward_ids:
        for i, code, name, team in session.execute(
            _some(select(Ward.id, Ward.code, Ward.name, Ward.neighbourhood), Ward.id, ward_ids)
        ):
            wards[i], neighbourhoods[i] = (code, name), team
    teams = team_lookup(session, officer_ids, start, end) if officer_ids else {}
    return _Scope(figures, officers, wards, neighbourhoods, teams)


def _officer_rows(scope: _Scope, target: float) -> list[RingFenceRow]:
    return [
        _row(fig, target, officer=scope.officers[k[0]], ward=scope.wards[k[1]], team=scope.team(k))
        for k, fig in scope.figures.items()
    ]


def _grouped_rows(scope: _Scope, target: float, by: Grouping) -> list[RingFenceRow]:
    if by == "officer":
        return _officer_rows(scope, target)
    groups: dict[tuple[int | None, str | None], list[RingFence]] = {}
    for key, fig in scope.figures.items():
        # a ward row carries its neighbourhood team; a team row may span several wards
        group = (key[1], scope.neighbourhoods.get(key[1])) if by == "ward" else (None, scope.team(key))
        groups.setdefault(group, []).append(fig)
    return [
        _row(combine(figs), target, ward=scope.wards[w] if w is not None else None, team=team)
        for (w, team), figs in groups.items()
    ]


def summary(
    session: Session,
    *,
    ward: str | None = None,
    officer: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str = "officer",
    target: float,
    today: dt.date | None = None,
) -> RingFenceSummary:
    """Ring-fence rows for a period, per officer (in each ward), ward or team, worst first, plus the total."""
    if by not in GROUPINGS:
        raise UserError(f"Cannot group ring-fence figures by '{by}': choose one of {', '.join(GROUPINGS)}.")
    start, end = default_period(start, end, today)
    ward_id = get_ward(session, ward).id if ward else None
    officer_id = get_officer(session, officer).id if officer else None
    scope = _scope(session, start, end, ward_id, officer_id)
    rows = sorted(_grouped_rows(scope, target, by), key=_worst_first)  # type: ignore[arg-type]
    total = _row(combine(scope.figures.values()), target, ward=scope.wards[ward_id] if ward_id else None)
    return RingFenceSummary(start, end, target, by, tuple(rows), total)


def supervisor_view(
    session: Session, start: dt.date | None = None, end: dt.date | None = None, *, target: float
) -> SupervisorView:
    """Every ward, worst ring-fence first, each with its officers worst first.

    Wards with no duty recorded in the period come last with no figure: a roster not yet entered is
    a gap a supervisor should see, not a ward that silently drops off the list.
    """
    start, end = default_period(start, end)
    scope = _scope(session, start, end, None)
    trends = monthly_by_ward(session, end=end)
    per_ward: dict[int, list[RingFenceRow]] = {}
    figures: dict[int, list[RingFence]] = {}
    for row, (key, fig) in zip(_officer_rows(scope, target), scope.figures.items(), strict=True):
        per_ward.setdefault(key[1], []).append(row)
        figures.setdefault(key[1], []).append(fig)
    views = []
    for ward_id, code, name, team in session.execute(select(Ward.id, Ward.code, Ward.name, Ward.neighbourhood)):
        officers = tuple(sorted(per_ward.get(ward_id, []), key=_worst_first))
        ward_row = _row(combine(figures.get(ward_id, [])), target, ward=(code, name), team=team)
        views.append(WardView(ward_row, officers, sum(r.below_target for r in officers), tuple(trends[code])))
    views.sort(key=lambda v: _worst_first(v.ward))
    total = _row(combine(scope.figures.values()), target)
    return SupervisorView(start, end, target, tuple(views), total)


def ward_duty_hours(session: Session, ward_id: int, start: dt.date, end: dt.date) -> float:
    """Hours the ward's officers spent on its own duties in ``start``..``end`` (rostered less abstracted)."""
    return combine(_figures_by_officer_ward(session, start, end, ward_id).values()).ward_hours


def by_reason(
    session: Session,
    *,
    ward: str | None = None,
    officer: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> list[ReasonRow]:
    """Hours abstracted per reason in scope, most first, with each reason's share of rostered hours."""
    start, end = default_period(start, end, today)
    ward_id = get_ward(session, ward).id if ward else None
    officer_id = get_officer(session, officer).id if officer else None
    total = combine(_figures_by_officer_ward(session, start, end, ward_id, officer_id).values())
    rows = [
        ReasonRow(
            r.value,
            ABSTRACTION_REASON_LABELS[r],
            h,
            None if total.rostered_hours <= 0 else round(h / total.rostered_hours, 6),
        )
        for r, h in total.by_reason.items()
    ]
    return sorted(rows, key=lambda r: (-r.hours, r.reason))


def _duty_days(
    session: Session, start: dt.date, end: dt.date, ward_id: int | None, officer_id: int | None
) -> dict[int, list[DutyDay]]:
    """Ward id -> one :class:`DutyDay` per date (hours summed over officers) in scope: two GROUP BY queries."""
    rostered = duty_filter(
        select(DutyRecord.ward_id, DutyRecord.date, func.sum(DutyRecord.rostered_hours)).group_by(
            DutyRecord.ward_id, DutyRecord.date
        ),
        start,
        end,
        ward_id,
        officer_id,
    )
    taken = duty_filter(
        select(DutyRecord.ward_id, DutyRecord.date, Abstraction.reason, func.sum(Abstraction.hours))
        .join(Abstraction, Abstraction.duty_id == DutyRecord.id)
        .group_by(DutyRecord.ward_id, DutyRecord.date, Abstraction.reason),
        start,
        end,
        ward_id,
        officer_id,
    )
    reasons: dict[tuple[int, dt.date], dict[AbstractionReason, float]] = {}
    for ward, day, reason, hours in session.execute(taken):
        reasons.setdefault((ward, day), {})[AbstractionReason(reason)] = float(hours)
    days: dict[int, list[DutyDay]] = {}
    for ward, day, hours in session.execute(rostered):
        days.setdefault(ward, []).append(DutyDay(day, float(hours or 0.0), abstracted=reasons.get((ward, day), {})))
    return days


def _ids(session: Session, ward: str | None, officer: str | None) -> tuple[int | None, int | None]:
    return (get_ward(session, ward).id if ward else None, get_officer(session, officer).id if officer else None)


def weekly(
    session: Session,
    *,
    start: dt.date,
    end: dt.date,
    ward: str | None = None,
    officer: str | None = None,
) -> list[WeekFigure]:
    """A Monday-to-Sunday ring-fence series for a ward, an officer, both or the whole force."""
    days = _duty_days(session, start, end, *_ids(session, ward, officer))
    return weekly_series([d for ds in days.values() for d in ds], start, end)


def trend_start(end: dt.date, months: int = TREND_MONTHS) -> dt.date:
    """The first day of the ``months``-month trend ending with ``end``'s month."""
    index = end.year * 12 + end.month - months
    return dt.date(index // 12, index % 12 + 1, 1)


def monthly(
    session: Session,
    *,
    end: dt.date,
    months: int = TREND_MONTHS,
    ward: str | None = None,
    officer: str | None = None,
) -> list[MonthFigure]:
    """The ring-fence per calendar month for the ``months`` months to ``end`` (the last one may be a part month)."""
    start = trend_start(end, months)
    days = _duty_days(session, start, end, *_ids(session, ward, officer))
    return monthly_series([d for ds in days.values() for d in ds], start, end)


def monthly_by_ward(session: Session, *, end: dt.date, months: int = TREND_MONTHS) -> dict[str, list[MonthFigure]]:
    """Every ward's monthly ring-fence trend to ``end`` (ward code -> series), for the supervisor view."""
    start = trend_start(end, months)
    days = _duty_days(session, start, end, None, None)
    codes: dict[int, str] = {i: c for i, c in session.execute(select(Ward.id, Ward.code))}
    return {code: monthly_series(days.get(ward_id, []), start, end) for ward_id, code in codes.items()}


# --- the monthly return ------------------------------------------------------------------------


def _return_row(
    month: str, level: str, ward: tuple[str, str], team: str | None, who: _Who | None, fig: RingFence, target: float
) -> ReturnRow:
    return ReturnRow(
        month,
        level,
        ward[0],
        ward[1],
        team,
        who.collar if who else None,
        who.name if who else None,
        fig.rostered_hours,
        fig.abstracted_hours,
        fig.ward_hours,
        fig.share,
        target,
        is_below_target(fig.share, target),
        {r.value: h for r, h in fig.by_reason.items()},
    )


def monthly_return(session: Session, month: dt.date, *, target: float) -> list[ReturnRow]:
    """The month's return: every ward, then each officer who worked or was posted there, with hours and ring-fence.

    Every ward appears, and every officer posted to a ward in the month, even with nothing
    abstracted or no duty recorded (a nil line), ordered by ward code then collar number.
    """
    start, end = month_bounds(month)
    label = start.strftime("%Y-%m")
    scope = _scope(session, start, end, None)
    posted = team_lookup(session, None, start, end)
    keys = set(scope.figures) | set(posted)
    people = {
        i: _Who(c, n, r)
        for i, c, n, r in session.execute(select(Officer.id, Officer.collar, Officer.name, Officer.ring_fenced))
    }
    rows: list[ReturnRow] = []
    wards = session.execute(select(Ward.id, Ward.code, Ward.name, Ward.neighbourhood).order_by(Ward.code))
    for ward_id, code, name, neighbourhood in wards:
        mine = sorted((k for k in keys if k[1] == ward_id), key=lambda k: people[k[0]].collar)
        figures = [scope.figures.get(k, RingFence(0.0)) for k in mine]
        rows.append(_return_row(label, "ward", (code, name), neighbourhood, None, combine(figures), target))
        rows += [
            _return_row(label, "officer", (code, name), posted.get(k) or neighbourhood, people[k[0]], fig, target)
            for k, fig in zip(mine, figures, strict=True)
        ]
    return rows


def write_monthly_return(
    session: Session,
    month: dt.date,
    path: Path | str,
    *,
    marking: str,
    target: float,
    recipient: str | None = None,
) -> int:
    """Write the month's return to ``path`` (.csv or .xlsx, formula-safe) under its protective marking.

    The marking (the caller's ``marking_restricted`` setting, as collar numbers and officers' time
    are not for release) heads and closes the file, so it shows whichever way the file is opened.
    Returns the number of lines written (ward and officer lines). The file is logged as a disclosure
    (DPA 2018 s.62), to ``recipient`` when the user names one, in the caller's transaction.
    """
    from rpdesk.exports import write_table
    from rpdesk.services.audit import disclose

    rows = monthly_return(session, month, target=target)
    detail = {"kind": "abstraction return", "month": f"{month:%Y-%m}", "file": Path(path).name, "marking": marking}
    disclose(session, "abstraction", detail, recipient=recipient)  # rolled back with the session if the write fails
    write_table(path, RETURN_COLUMNS, [r.values() for r in rows], sheet=f"Abstractions {month:%Y-%m}", marking=marking)
    return len(rows)
