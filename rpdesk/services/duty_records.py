"""Recording duty days and abstractions, correcting them, and importing roster files.

Public API (every function takes a SQLAlchemy ``Session``; results are frozen dataclasses):

- ``record_duty(session, officer, ward, date, rostered_hours, *, absence=None) -> DutyInfo``.
- ``record_abstraction(session, officer, date, hours, reason, *, authorised_by=None, note=None,
  ward=None, rostered_hours=None, today=None) -> AbstractionInfo`` — uses the officer-day's duty
  record, creating it when ``ward`` and ``rostered_hours`` are given; a date after ``today`` is refused.
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

The figures these records feed are in :mod:`rpdesk.services.abstractions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from rpdesk.db.bulk import bulk_insert
from rpdesk.db.changelog import log_bulk
from rpdesk.db.editing import update_row
from rpdesk.db.labels import describe
from rpdesk.db.models import Abstraction, DutyRecord, ImportBatch, Officer, Ward
from rpdesk.domain.abstraction_rules import abstraction_problems, duty_problems
from rpdesk.domain.ringfence import (
    VALID_ABSENCES,
    VALID_REASONS,
    find_absence,
    find_reason,
    minimised,
    shown_absence,
)
from rpdesk.domain.vocabulary import AbsenceKind, AbstractionReason, ImportKind
from rpdesk.errors import InputRejected, Problem, UserError, refuse
from rpdesk.progress import CheckFn, ProgressFn, never_cancel, no_progress
from rpdesk.services.abstractions import default_period, duty_filter
from rpdesk.services.officers import get_officer
from rpdesk.services.wards import get_ward
from rpdesk.settings import Settings

if TYPE_CHECKING:  # the roster reader brings pandas (about a second): loaded only to import a roster
    from rpdesk.importers.duty import Roster


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


# --- recording ---------------------------------------------------------------------------------


def _duty_info(duty: DutyRecord, collar: str, ward_code: str, *, supervisor: bool) -> DutyInfo:
    """The day as this user may see it: an absence's reason only for a supervisor."""
    absence = shown_absence(duty.absence.value if duty.absence else None, supervisor=supervisor)
    return DutyInfo(duty.id, collar, ward_code, duty.date, duty.rostered_hours, absence, duty.version)


def _stored_absence(kind: AbsenceKind | None, keep_reason: bool) -> str | None:
    stored = minimised(kind, keep_reason=keep_reason)
    return stored.value if stored else None


def record_duty(
    session: Session,
    officer: str,
    ward: str,
    date: dt.date,
    rostered_hours: float,
    *,
    absence: str | AbsenceKind | None = None,
    settings: Settings | None = None,
) -> DutyInfo:
    """Record one officer-day (one per officer and date); an absence day's hours never count.

    An absence is stored as plain ``absent`` unless ``settings`` keep reasons (``absence_detail``;
    without settings, the defaults: the reason is not kept).
    """
    off = get_officer(session, officer)
    ward_row = get_ward(session, ward)
    refuse(duty_problems(rostered=rostered_hours, absent=absence is not None))
    settings = settings or Settings()
    kind = minimised(
        parse_absence(absence) if isinstance(absence, str) else absence, keep_reason=settings.keeps_absence_reason
    )
    existing = session.scalar(select(DutyRecord).where(DutyRecord.officer_id == off.id, DutyRecord.date == date))
    if existing is not None:
        raise UserError(f"{off.collar} already has a duty record on {date}; edit that one instead.")
    duty = DutyRecord(officer_id=off.id, ward_id=ward_row.id, date=date, rostered_hours=rostered_hours, absence=kind)
    session.add(duty)
    session.flush()
    return _duty_info(duty, off.collar, ward_row.code, supervisor=settings.is_supervisor)


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
    today: dt.date | None = None,
) -> AbstractionInfo:
    """Record hours of an officer-day taken away from ward work, once they have been (not after ``today``).

    The day's duty record is used if it exists (its ward must match ``ward`` when given); otherwise
    ``ward`` and ``rostered_hours`` create it. An absence day cannot be abstracted, and the day's
    abstractions together may not exceed its rostered hours (:mod:`rpdesk.domain.abstraction_rules`,
    which the abstraction form asks too).
    """
    why = parse_reason(reason) if isinstance(reason, str) else reason
    today = today or dt.date.today()
    refuse(abstraction_problems(day=date, hours=hours, today=today))
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
            f"{off.collar} was absent on {date}: absences are not abstractions and need no abstraction record."
        )
    already = _abstracted_on(session, duty.id)
    refuse(
        abstraction_problems(
            day=date, hours=hours, today=today, rostered=duty.rostered_hours, already=already, officer=off.collar
        )
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
    """``stmt`` (which joins DutyRecord) limited to a period and optionally a ward and an officer, absences kept."""
    start, end = default_period(start, end, today)
    ward_id = get_ward(session, ward).id if ward else None
    officer_id = get_officer(session, officer).id if officer else None
    return duty_filter(stmt, start, end, ward_id, officer_id, absences=True)


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
        others = _abstracted_on(session, duty.id) - row.hours
        refuse(
            abstraction_problems(
                day=duty.date,
                hours=float(fields["hours"]),
                today=None,  # a correction: the day was recorded already
                rostered=duty.rostered_hours,
                already=others,
                officer=collar,
            )
        )
    row = update_row(session, Abstraction, abstraction_id, expected_version, fields)
    flag_modified(duty, "rostered_hours")
    session.flush()
    return _abstraction_info(row, duty, collar, ward_code)


@dataclass(frozen=True)
class LoneDutyDay:
    """The duty day under an abstraction when nothing else rests on it (see :func:`lone_duty_day`)."""

    duty_id: int
    officer: str
    date: dt.date
    rostered_hours: float


def lone_duty_day(session: Session, abstraction_id: int) -> LoneDutyDay | None:
    """The abstraction's duty day, when deleting the abstraction could remove it too; else None.

    Recording an abstraction on a day with no duty record creates one (8 hours by default), so
    deleting an abstraction recorded in error would leave an officer-day of rostered ward hours that
    never happened, raising the ring-fence figure. Such a day is one entered by hand (not from a
    roster import) that carries no other abstraction; whether the officer was on duty that day only
    the user knows, so the screens ask.
    """
    row = session.get(Abstraction, abstraction_id)
    if row is None:
        return None
    duty = row.duty
    others = session.scalar(
        select(func.count()).where(Abstraction.duty_id == duty.id, Abstraction.id != abstraction_id)
    )
    if duty.import_id is not None or others:
        return None
    collar = session.scalar(select(Officer.collar).where(Officer.id == duty.officer_id)) or ""
    return LoneDutyDay(duty.id, collar, duty.date, duty.rostered_hours)


def delete_abstraction(
    session: Session, abstraction_id: int, expected_version: int, *, with_duty_day: bool = False
) -> None:
    """Delete an abstraction recorded in error (refused if it changed since it was read).

    ``with_duty_day`` removes its duty day too, in the same transaction: only a day that
    :func:`lone_duty_day` offers (refused, with nothing deleted, for a rostered or shared day).
    """
    row = update_row(session, Abstraction, abstraction_id, expected_version, {})
    day = lone_duty_day(session, abstraction_id) if with_duty_day else None
    if with_duty_day and day is None:
        raise UserError(
            f"The duty day of {describe(row)} stays: it came from a roster import or carries other abstractions. "
            "Nothing was deleted; delete the abstraction alone."
        )
    duty = row.duty
    session.delete(row)
    if day is not None:
        session.delete(duty)
    session.flush()


def update_duty(
    session: Session,
    duty_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
    *,
    settings: Settings | None = None,
) -> DutyInfo:
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
    absent = fields.get("absence", duty.absence) is not None
    refuse(duty_problems(rostered=float(fields.get("rostered_hours", duty.rostered_hours)), absent=absent))
    if "rostered_hours" in fields and float(fields["rostered_hours"]) + 1e-9 < taken:
        raise UserError(f"{collar} already has {taken:g} h abstracted on {duty.date}: rostered hours cannot be fewer.")
    settings = settings or Settings()
    if "absence" in fields and fields["absence"] is not None:
        fields["absence"] = minimised(
            parse_absence(fields["absence"]) if isinstance(fields["absence"], str) else fields["absence"],
            keep_reason=settings.keeps_absence_reason,
        )
        if taken > 0:
            raise UserError(
                f"{collar} has {taken:g} h abstracted on {duty.date}; delete those before marking the day an absence."
            )
    row = update_row(session, DutyRecord, duty_id, expected_version, fields)
    return _duty_info(row, collar, ward_code, supervisor=settings.is_supervisor)


def list_duty(
    session: Session,
    *,
    ward: str | None = None,
    officer: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    settings: Settings | None = None,
) -> list[DutyInfo]:
    """Officer-days in scope (absences included), by date then officer; reasons only for supervisors."""
    stmt = (
        select(DutyRecord, Officer.collar, Ward.code)
        .join(Officer, Officer.id == DutyRecord.officer_id)
        .join(Ward, Ward.id == DutyRecord.ward_id)
        .order_by(DutyRecord.date, Officer.collar)
    )
    stmt = _in_scope(session, stmt, ward, officer, start, end, today)
    supervisor = (settings or Settings()).is_supervisor
    return [_duty_info(d, collar, code, supervisor=supervisor) for d, collar, code in session.execute(stmt)]


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
    settings: Settings | None = None,
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
    keep_reason = (settings or Settings()).keeps_absence_reason
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
                _stored_absence(d.absence, keep_reason),
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
