"""Duty, abstractions and the ring-fence figures supervisors watch.

Public API (every function takes a SQLAlchemy ``Session``; figures come back as frozen dataclasses):

Figures (read only):
- ``summary(session, *, ward=None, officer=None, start=None, end=None, by="officer", target=None, today=None)
  -> RingFenceSummary`` — ``.rows`` (tuple of :class:`RingFenceRow`, worst ring-fence first) and
  ``.total`` (one :class:`RingFenceRow` for everything in scope). ``by`` is ``"officer"`` (a row per
  officer and ward), ``"ward"`` or ``"team"``. ``ward`` is an ONS code; ``start``/``end`` are
  inclusive dates (default: the current month to ``today``); ``target`` defaults to
  ``Settings["ring_fence_target"]``.
- ``by_reason(session, *, ward=None, officer=None, start=None, end=None) -> list[ReasonRow]`` —
  hours per abstraction reason, most first, with the share of rostered hours each took.
- ``weekly(session, *, ward=None, officer=None, start, end) -> list[WeekFigure]`` — Monday-to-Sunday
  series (see :mod:`rpdesk.domain.ringfence`; ``WeekFigure.figure.share`` is the ring-fence).
- ``supervisor_view(session, start=None, end=None, *, target=None) -> SupervisorView`` — every ward, worst
  first, each with its officers (worst first) and ``officers_below`` flagged.
- ``monthly_return(session, month) -> list[ReturnRow]`` — the return supervisors send up: month,
  ward, team, officer, reason, hours. ``write_monthly_return(session, month, path) -> int`` writes it
  as .csv or .xlsx through :mod:`rpdesk.exports` (formula-safe).

Recording:
- ``record_duty(session, officer, ward, date, rostered_hours, *, absence=None) -> DutyInfo``.
- ``record_abstraction(session, officer, date, hours, reason, *, authorised_by=None, note=None,
  ward=None, rostered_hours=None) -> AbstractionInfo`` — uses the officer-day's duty record, creating
  it when ``ward`` and ``rostered_hours`` are given.
- ``list_duty(session, *, ward=None, officer=None, start=None, end=None) -> list[DutyInfo]``;
  ``list_abstractions(...)`` (same filters) ``-> list[AbstractionInfo]``.
- Corrections, each taking the ``version`` the caller read (a concurrent change is a ConflictError):
  ``update_duty(session, duty_id, version, changes) -> DutyInfo`` (``rostered_hours``, ``absence``),
  ``update_abstraction(session, abstraction_id, version, changes) -> AbstractionInfo`` (``hours``,
  ``reason``, ``authorised_by``, ``note``), ``delete_abstraction(session, abstraction_id, version)``.
- ``parse_reason(text) -> AbstractionReason`` / ``parse_absence(text) -> AbsenceKind`` — code or
  label in any case; a UserError lists the valid words.
- ``import_duty(session, path, *, replace=False, progress, check) -> DutyImportSummary`` — a roster
  file, all or nothing (see :mod:`rpdesk.importers.duty`).

Every figure follows :mod:`rpdesk.domain.ringfence`: absences (leave, sickness, rest days) are not
rostered time and never count against the ring-fence; a row with nothing rostered has
``ring_fence`` None and is never below target. Officers are listed whether or not they are
ring-fenced (``ring_fenced`` says which), so that a supervisor sees everyone who worked the ward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from rpdesk.db.bulk import bulk_insert
from rpdesk.db.changelog import log_bulk
from rpdesk.db.editing import update_row
from rpdesk.db.models import Abstraction, DutyRecord, ImportBatch, Officer, Ward
from rpdesk.domain.ringfence import (
    VALID_ABSENCES,
    VALID_REASONS,
    DutyDay,
    RingFence,
    WeekFigure,
    combine,
    find_absence,
    find_reason,
    is_below_target,
    month_bounds,
    ring_fence,
    weekly_series,
)
from rpdesk.domain.vocabulary import ABSTRACTION_REASON_LABELS, AbsenceKind, AbstractionReason, ImportKind
from rpdesk.errors import InputRejected, Problem, UserError
from rpdesk.progress import CheckFn, ProgressFn, never_cancel, no_progress
from rpdesk.services.officers import get_officer, team_lookup
from rpdesk.services.wards import get_ward

if TYPE_CHECKING:  # the roster reader brings pandas (about a second): loaded only to import a roster
    from rpdesk.importers.duty import Roster

Grouping = Literal["officer", "ward", "team"]
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


@dataclass(frozen=True)
class SupervisorView:
    start: dt.date
    end: dt.date
    target: float
    wards: tuple[WardView, ...]  # worst ring-fence first; wards with nothing rostered last (no figure)
    total: RingFenceRow


@dataclass(frozen=True)
class ReturnRow:
    month: str  # YYYY-MM
    ward: str
    team: str | None
    officer: str
    reason: str
    hours: float


RETURN_COLUMNS: tuple[str, ...] = ("month", "ward", "team", "officer", "reason", "hours")


@dataclass(frozen=True)
class DutyInfo:
    id: int
    officer: str
    ward: str
    date: dt.date
    rostered_hours: float
    absence: str | None
    version: int


@dataclass(frozen=True)
class AbstractionInfo:
    id: int
    duty_id: int
    officer: str
    ward: str
    date: dt.date
    hours: float
    reason: str
    authorised_by: str | None
    note: str | None
    version: int


# --- words -------------------------------------------------------------------------------------


def parse_reason(text: str) -> AbstractionReason:
    """An abstraction reason from its code or label (any case); UserError lists the valid reasons."""
    reason = find_reason(text)
    if reason is None:
        raise UserError(f"'{text}' is not an abstraction reason. Valid reasons: {VALID_REASONS}.")
    return reason


def parse_absence(text: str) -> AbsenceKind:
    absence = find_absence(text)
    if absence is None:
        raise UserError(f"'{text}' is not an absence. Valid absences: {VALID_ABSENCES}.")
    return absence


# --- figures -----------------------------------------------------------------------------------


def _target(target: float | None) -> float:
    if target is not None:
        return target
    from rpdesk.settings import Settings

    return float(Settings.load()["ring_fence_target"])


def default_period(start: dt.date | None, end: dt.date | None, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """``start..end`` with gaps filled: the end defaults to today, the start to the first of the end's month."""
    end = end or today or dt.date.today()
    start = start or end.replace(day=1)
    if start > end:
        raise UserError(f"The period starts ({start}) after it ends ({end}).")
    return start, end


def _duty_filter(stmt: Any, start: dt.date, end: dt.date, ward_id: int | None, officer_id: int | None) -> Any:
    stmt = stmt.where(DutyRecord.date >= start, DutyRecord.date <= end, DutyRecord.absence.is_(None))
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
    rostered = _duty_filter(
        select(DutyRecord.officer_id, DutyRecord.ward_id, func.sum(DutyRecord.rostered_hours)).group_by(
            DutyRecord.officer_id, DutyRecord.ward_id
        ),
        start,
        end,
        ward_id,
        officer_id,
    )
    taken = _duty_filter(
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
    target: float | None = None,
    today: dt.date | None = None,
) -> RingFenceSummary:
    """Ring-fence rows for a period, per officer (in each ward), ward or team, worst first, plus the total."""
    if by not in GROUPINGS:
        raise UserError(f"Cannot group ring-fence figures by '{by}': choose one of {', '.join(GROUPINGS)}.")
    start, end = default_period(start, end, today)
    goal = _target(target)
    ward_id = get_ward(session, ward).id if ward else None
    officer_id = get_officer(session, officer).id if officer else None
    scope = _scope(session, start, end, ward_id, officer_id)
    rows = sorted(_grouped_rows(scope, goal, by), key=_worst_first)  # type: ignore[arg-type]
    total = _row(combine(scope.figures.values()), goal, ward=scope.wards[ward_id] if ward_id else None)
    return RingFenceSummary(start, end, goal, by, tuple(rows), total)


def supervisor_view(
    session: Session, start: dt.date | None = None, end: dt.date | None = None, *, target: float | None = None
) -> SupervisorView:
    """Every ward, worst ring-fence first, each with its officers worst first.

    Wards with no duty recorded in the period come last with no figure: a roster not yet entered is
    a gap a supervisor should see, not a ward that silently drops off the list.
    """
    start, end = default_period(start, end)
    goal = _target(target)
    scope = _scope(session, start, end, None)
    per_ward: dict[int, list[RingFenceRow]] = {}
    figures: dict[int, list[RingFence]] = {}
    for row, (key, fig) in zip(_officer_rows(scope, goal), scope.figures.items(), strict=True):
        per_ward.setdefault(key[1], []).append(row)
        figures.setdefault(key[1], []).append(fig)
    views = []
    for ward_id, code, name, team in session.execute(select(Ward.id, Ward.code, Ward.name, Ward.neighbourhood)):
        officers = tuple(sorted(per_ward.get(ward_id, []), key=_worst_first))
        ward_row = _row(combine(figures.get(ward_id, [])), goal, ward=(code, name), team=team)
        views.append(WardView(ward_row, officers, sum(r.below_target for r in officers)))
    views.sort(key=lambda v: _worst_first(v.ward))
    total = _row(combine(scope.figures.values()), goal)
    return SupervisorView(start, end, goal, tuple(views), total)


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


def weekly(
    session: Session,
    *,
    start: dt.date,
    end: dt.date,
    ward: str | None = None,
    officer: str | None = None,
) -> list[WeekFigure]:
    """A Monday-to-Sunday ring-fence series for a ward, an officer, both or the whole force."""
    ward_id = get_ward(session, ward).id if ward else None
    officer_id = get_officer(session, officer).id if officer else None
    rostered = _duty_filter(
        select(DutyRecord.date, func.sum(DutyRecord.rostered_hours)).group_by(DutyRecord.date),
        start,
        end,
        ward_id,
        officer_id,
    )
    taken = _duty_filter(
        select(DutyRecord.date, Abstraction.reason, func.sum(Abstraction.hours))
        .join(Abstraction, Abstraction.duty_id == DutyRecord.id)
        .group_by(DutyRecord.date, Abstraction.reason),
        start,
        end,
        ward_id,
        officer_id,
    )
    reasons: dict[dt.date, dict[AbstractionReason, float]] = {}
    for day, reason, hours in session.execute(taken):
        reasons.setdefault(day, {})[AbstractionReason(reason)] = float(hours)
    days = [
        DutyDay(day, float(hours or 0.0), abstracted=reasons.get(day, {})) for day, hours in session.execute(rostered)
    ]
    return weekly_series(days, start, end)


# --- the monthly return ------------------------------------------------------------------------


def monthly_return(session: Session, month: dt.date) -> list[ReturnRow]:
    """Hours abstracted in ``month`` per ward, team, officer and reason, in the shape supervisors send up."""
    start, end = month_bounds(month)
    scope = _scope(session, start, end, None)
    label = start.strftime("%Y-%m")
    rows = [
        ReturnRow(label, scope.wards[k[1]][0], scope.team(k), scope.officers[k[0]].collar, r.value, hours)
        for k, fig in scope.figures.items()
        for r, hours in fig.by_reason.items()
    ]
    return sorted(rows, key=lambda r: (r.ward, r.team or "", r.officer, r.reason))


def write_monthly_return(session: Session, month: dt.date, path: Path | str) -> int:
    """Write the month's return to ``path`` (.csv or .xlsx, formula-safe); returns the number of rows."""
    from rpdesk.exports import write_table

    rows = monthly_return(session, month)
    write_table(
        path,
        RETURN_COLUMNS,
        [tuple(getattr(r, c) for c in RETURN_COLUMNS) for r in rows],
        sheet=f"Abstractions {rows[0].month if rows else month.strftime('%Y-%m')}",
    )
    return len(rows)


# --- recording ---------------------------------------------------------------------------------


def _duty_info(duty: DutyRecord, collar: str, ward_code: str) -> DutyInfo:
    absence = duty.absence.value if duty.absence else None
    return DutyInfo(duty.id, collar, ward_code, duty.date, duty.rostered_hours, absence, duty.version)


def _check_hours(hours: float, what: str) -> None:
    if not 0 <= hours <= 24:
        raise UserError(f"{what} must be from 0 to 24 hours (got {hours:g}).")


def record_duty(
    session: Session,
    officer: str,
    ward: str,
    date: dt.date,
    rostered_hours: float,
    *,
    absence: str | AbsenceKind | None = None,
) -> DutyInfo:
    """Record one officer-day (one per officer and date); an absence day's hours never count."""
    off = get_officer(session, officer)
    ward_row = get_ward(session, ward)
    _check_hours(rostered_hours, "Rostered hours")
    kind = parse_absence(absence) if isinstance(absence, str) else absence
    existing = session.scalar(select(DutyRecord).where(DutyRecord.officer_id == off.id, DutyRecord.date == date))
    if existing is not None:
        raise UserError(f"{off.collar} already has a duty record on {date}; edit that one instead.")
    duty = DutyRecord(officer_id=off.id, ward_id=ward_row.id, date=date, rostered_hours=rostered_hours, absence=kind)
    session.add(duty)
    session.flush()
    return _duty_info(duty, off.collar, ward_row.code)


def _abstracted_on(session: Session, duty_id: int) -> float:
    return float(
        session.scalar(select(func.coalesce(func.sum(Abstraction.hours), 0.0)).where(Abstraction.duty_id == duty_id))
        or 0.0
    )


def record_abstraction(
    session: Session,
    officer: str,
    date: dt.date,
    hours: float,
    reason: str | AbstractionReason,
    *,
    authorised_by: str | None = None,
    note: str | None = None,
    ward: str | None = None,
    rostered_hours: float | None = None,
) -> AbstractionInfo:
    """Record hours of an officer-day taken away from ward work.

    The day's duty record is used if it exists (its ward must match ``ward`` when given); otherwise
    ``ward`` and ``rostered_hours`` create it. An absence day cannot be abstracted, and the day's
    abstractions together may not exceed its rostered hours.
    """
    why = parse_reason(reason) if isinstance(reason, str) else reason
    if not 0 < hours <= 24:
        raise UserError(f"Abstracted hours must be more than 0 and at most 24 (got {hours:g}).")
    off = get_officer(session, officer)
    duty = session.scalar(select(DutyRecord).where(DutyRecord.officer_id == off.id, DutyRecord.date == date))
    if duty is None:
        if ward is None or rostered_hours is None:
            raise UserError(
                f"{off.collar} has no duty record on {date}: give the ward and rostered hours to record one."
            )
        record_duty(session, off.collar, ward, date, rostered_hours)
        duty = session.scalar(select(DutyRecord).where(DutyRecord.officer_id == off.id, DutyRecord.date == date))
        assert duty is not None
    ward_code = session.scalar(select(Ward.code).where(Ward.id == duty.ward_id)) or ""
    if ward is not None and get_ward(session, ward).id != duty.ward_id:
        raise UserError(f"{off.collar} was on duty in {ward_code} on {date}, not {ward.upper()}.")
    if duty.absence is not None:
        raise UserError(
            f"{off.collar} was absent ({duty.absence.value}) on {date}: absences are not abstractions "
            "and need no abstraction record."
        )
    already = _abstracted_on(session, duty.id)
    if already + hours > duty.rostered_hours + 1e-9:
        raise UserError(
            f"{off.collar} was rostered {duty.rostered_hours:g} h on {date} and {already:g} h are already "
            f"abstracted, so {hours:g} h more would exceed the rostered hours."
        )
    row = Abstraction(duty_id=duty.id, hours=hours, reason=why, authorised_by=authorised_by or None, note=note or None)
    session.add(row)
    # Bump the day's version: two people adding hours to the same officer-day at once could each pass
    # the check above; the second save then fails as a conflict instead of overrunning the rostered hours.
    flag_modified(duty, "rostered_hours")
    session.flush()
    return _abstraction_info(row, duty, off.collar, ward_code)


def _in_scope(
    session: Session,
    stmt: Any,
    ward: str | None,
    officer: str | None,
    start: dt.date | None,
    end: dt.date | None,
    today: dt.date | None,
) -> Any:
    """``stmt`` (which joins DutyRecord) limited to a period and optionally a ward and an officer."""
    start, end = default_period(start, end, today)
    stmt = stmt.where(and_(DutyRecord.date >= start, DutyRecord.date <= end))
    if ward:
        stmt = stmt.where(DutyRecord.ward_id == get_ward(session, ward).id)
    if officer:
        stmt = stmt.where(DutyRecord.officer_id == get_officer(session, officer).id)
    return stmt


def list_abstractions(
    session: Session,
    *,
    ward: str | None = None,
    officer: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> list[AbstractionInfo]:
    """Abstraction records in scope, by date then officer."""
    stmt = (
        select(Abstraction, DutyRecord, Officer.collar, Ward.code)
        .join(DutyRecord, Abstraction.duty_id == DutyRecord.id)
        .join(Officer, Officer.id == DutyRecord.officer_id)
        .join(Ward, Ward.id == DutyRecord.ward_id)
        .order_by(DutyRecord.date, Officer.collar, Abstraction.id)
    )
    stmt = _in_scope(session, stmt, ward, officer, start, end, today)
    return [_abstraction_info(a, d, collar, code) for a, d, collar, code in session.execute(stmt)]


# --- corrections -------------------------------------------------------------------------------


def _abstraction_info(a: Abstraction, d: DutyRecord, collar: str, ward_code: str) -> AbstractionInfo:
    return AbstractionInfo(
        a.id, d.id, collar, ward_code, d.date, a.hours, a.reason.value, a.authorised_by, a.note, a.version
    )


def _day_of(session: Session, duty_id: int) -> tuple[DutyRecord, str, str]:
    duty = session.get(DutyRecord, duty_id)
    if duty is None:
        raise UserError(f"There is no duty record with id {duty_id}; somebody may have deleted it.")
    collar = session.scalar(select(Officer.collar).where(Officer.id == duty.officer_id)) or ""
    ward_code = session.scalar(select(Ward.code).where(Ward.id == duty.ward_id)) or ""
    return duty, collar, ward_code


def update_abstraction(
    session: Session, abstraction_id: int, expected_version: int, changes: Mapping[str, Any]
) -> AbstractionInfo:
    """Correct an abstraction read at ``expected_version``: ``hours``, ``reason``, ``authorised_by``, ``note``."""
    row = session.get(Abstraction, abstraction_id)
    if row is None:
        raise UserError(f"There is no abstraction with id {abstraction_id}; somebody may have deleted it.")
    unknown = set(changes) - {"hours", "reason", "authorised_by", "note"}
    if unknown:
        raise UserError(f"Cannot change {', '.join(sorted(unknown))} of an abstraction.")
    duty, collar, ward_code = _day_of(session, row.duty_id)
    fields = dict(changes)
    if "reason" in fields and isinstance(fields["reason"], str):
        fields["reason"] = parse_reason(fields["reason"])
    if "hours" in fields:
        hours = float(fields["hours"])
        if not 0 < hours <= 24:
            raise UserError(f"Abstracted hours must be more than 0 and at most 24 (got {hours:g}).")
        others = _abstracted_on(session, duty.id) - row.hours
        if others + hours > duty.rostered_hours + 1e-9:
            raise UserError(
                f"{collar} was rostered {duty.rostered_hours:g} h on {duty.date}; with {others:g} h abstracted "
                f"for other reasons, {hours:g} h would exceed the rostered hours."
            )
    row = update_row(session, Abstraction, abstraction_id, expected_version, fields)
    flag_modified(duty, "rostered_hours")
    session.flush()
    return _abstraction_info(row, duty, collar, ward_code)


def delete_abstraction(session: Session, abstraction_id: int, expected_version: int) -> None:
    """Delete an abstraction recorded in error (refused if it changed since it was read)."""
    row = update_row(session, Abstraction, abstraction_id, expected_version, {})
    session.delete(row)
    session.flush()


def update_duty(session: Session, duty_id: int, expected_version: int, changes: Mapping[str, Any]) -> DutyInfo:
    """Correct an officer-day read at ``expected_version``: ``rostered_hours``, ``absence`` (None for on duty).

    Rostered hours may not drop below the hours already abstracted, and a day with abstractions
    cannot become an absence (delete the abstractions first).
    """
    unknown = set(changes) - {"rostered_hours", "absence"}
    if unknown:
        raise UserError(f"Cannot change {', '.join(sorted(unknown))} of a duty record.")
    duty, collar, ward_code = _day_of(session, duty_id)
    fields = dict(changes)
    taken = _abstracted_on(session, duty_id)
    if "rostered_hours" in fields:
        _check_hours(float(fields["rostered_hours"]), "Rostered hours")
        if float(fields["rostered_hours"]) + 1e-9 < taken:
            raise UserError(
                f"{collar} already has {taken:g} h abstracted on {duty.date}: rostered hours cannot be fewer."
            )
    if "absence" in fields and fields["absence"] is not None:
        fields["absence"] = (
            parse_absence(fields["absence"]) if isinstance(fields["absence"], str) else fields["absence"]
        )
        if taken > 0:
            raise UserError(
                f"{collar} has {taken:g} h abstracted on {duty.date}; delete those before marking the day an absence."
            )
    row = update_row(session, DutyRecord, duty_id, expected_version, fields)
    return _duty_info(row, collar, ward_code)


def list_duty(
    session: Session,
    *,
    ward: str | None = None,
    officer: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> list[DutyInfo]:
    """Officer-days in scope (absences included), by date then officer."""
    stmt = (
        select(DutyRecord, Officer.collar, Ward.code)
        .join(Officer, Officer.id == DutyRecord.officer_id)
        .join(Ward, Ward.id == DutyRecord.ward_id)
        .order_by(DutyRecord.date, Officer.collar)
    )
    stmt = _in_scope(session, stmt, ward, officer, start, end, today)
    return [_duty_info(d, collar, code) for d, collar, code in session.execute(stmt)]


# --- roster import -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyImportSummary:
    file: str
    days: int
    absences: int
    abstractions: int
    wards: tuple[str, ...]
    replaced: int


def _existing_days(session: Session, roster: Roster) -> dict[tuple[int, dt.date], int]:
    """``(officer_id, date) -> duty id`` of days in the file that are already recorded."""
    if not roster.days:
        return {}
    officer_ids = sorted({d.officer_id for d in roster.days})
    dates = [d.date for d in roster.days]
    stmt = select(DutyRecord.officer_id, DutyRecord.date, DutyRecord.id).where(
        DutyRecord.date >= min(dates), DutyRecord.date <= max(dates)
    )
    if len(officer_ids) < 500:
        stmt = stmt.where(DutyRecord.officer_id.in_(officer_ids))
    wanted = {(d.officer_id, d.date) for d in roster.days}
    return {(o, d): i for o, d, i in session.execute(stmt) if (o, d) in wanted}


def _refuse_clashes(roster: Roster, existing: Mapping[tuple[int, dt.date], int], collars: Mapping[int, str]) -> None:
    problems = [
        Problem(
            roster.name,
            day.rows[0],
            "date",
            day.date.isoformat(),
            f"a day not yet recorded for {collars[day.officer_id]} (import with --replace to replace it)",
        )
        for day in roster.days
        if (day.officer_id, day.date) in existing
    ]
    if problems:
        raise InputRejected(problems)


def _batches(session: Session, roster: Roster, ward_codes: Mapping[int, str]) -> dict[int, int]:
    """One import batch per ward in the file (a batch belongs to a ward): ``ward_id -> batch id``."""
    from rpdesk.db.changelog import os_user

    counts: dict[int, int] = {}
    for day in roster.days:
        counts[day.ward_id] = counts.get(day.ward_id, 0) + 1
    batches = {}
    for ward_id, n in sorted(counts.items(), key=lambda kv: ward_codes[kv[0]]):
        batch = ImportBatch(
            ward_id=ward_id,
            kind=ImportKind.DUTY,
            file_name=roster.name[:260],
            sha256=roster.sha256,
            rows=n,
            imported_by=os_user(),
        )
        session.add(batch)
        session.flush()
        batches[ward_id] = batch.id
    return batches


def import_duty(
    session: Session,
    path: Path | str,
    *,
    replace: bool = False,
    display_name: str | None = None,
    progress: ProgressFn = no_progress,
    check: CheckFn = never_cancel,
) -> DutyImportSummary:
    """Import a roster file in the caller's transaction: every row is checked first, then all are written.

    A day already recorded for the officer is refused unless ``replace``, which deletes that day (and
    its abstractions) before writing the file's.
    """
    from rpdesk.importers.duty import read_roster

    progress(0.0, "reading the roster")
    collars = {i: c for i, c in session.execute(select(Officer.id, Officer.collar))}
    ward_codes = {i: c for i, c in session.execute(select(Ward.id, Ward.code))}
    roster = read_roster(
        path,
        {c.upper(): i for i, c in collars.items()},
        {c.upper(): i for i, c in ward_codes.items()},
        display_name=display_name,
    )
    check()
    progress(0.4, "checking against recorded duty")
    existing = _existing_days(session, roster)
    if not replace:
        _refuse_clashes(roster, existing, collars)
    elif existing:
        old = list(existing.values())
        for i in range(0, len(old), 5000):
            chunk = old[i : i + 5000]
            session.execute(delete(Abstraction).where(Abstraction.duty_id.in_(chunk)))
            session.execute(delete(DutyRecord).where(DutyRecord.id.in_(chunk)))
    check()
    progress(0.6, "writing duty records")
    batches = _batches(session, roster, ward_codes)
    bulk_insert(
        session,
        DutyRecord,
        ("officer_id", "ward_id", "import_id", "date", "rostered_hours", "absence", "version"),
        (
            (
                d.officer_id,
                d.ward_id,
                batches[d.ward_id],
                d.date,
                d.rostered_hours,
                d.absence.value if d.absence else None,
                1,
            )
            for d in roster.days
        ),
    )
    ids = {
        (o, d): i
        for o, d, i in session.execute(
            select(DutyRecord.officer_id, DutyRecord.date, DutyRecord.id).where(
                DutyRecord.import_id.in_(list(batches.values()))
            )
        )
    }
    taken = [
        (ids[(d.officer_id, d.date)], a.hours, a.reason.value, a.authorised_by, a.note, 1)
        for d in roster.days
        for a in d.abstractions
    ]
    bulk_insert(session, Abstraction, ("duty_id", "hours", "reason", "authorised_by", "note", "version"), taken)
    summary_ = DutyImportSummary(
        roster.name,
        len(roster.days),
        sum(d.absence is not None for d in roster.days),
        len(taken),
        tuple(ward_codes[w] for w in batches),
        len(existing) if replace else 0,
    )
    log_bulk(session, "duty_record", None, "import", asdict(summary_))
    progress(1.0, "done")
    return summary_
