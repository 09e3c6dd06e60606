"""Import use cases: file -> importer -> one transaction, all or nothing.

Each import reads and checks the whole file first (any problem: ``InputRejected`` listing them all,
and nothing is written), records an :class:`ImportBatch` with the file's SHA-256 so the same file is
refused a second time, writes the rows with :func:`bulk_insert` inside the caller's transaction, and
logs one change-log row for the import. ``replace=True`` first removes what the earlier import of
the same file brought in (for surveys: every earlier response of the round), in the same
transaction, so a failed replacement leaves the old data in place.

Two imports at once never double anything. The database itself refuses a second batch of the same
file for a ward and kind, and a second source for a ward's police.uk month (unique keys, migration
0004); the loser's ``IntegrityError`` becomes a plain "already imported" message. So that the loser
usually gets the ordinary message instead, imports queue for writing (:func:`_claim_ward`: SQLite's
write lock, a PostgreSQL advisory lock per ward) before they check for earlier imports, so those
checks see what the winner committed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rpdesk.db.bulk import bulk_insert
from rpdesk.db.changelog import Activity, log_bulk, os_user
from rpdesk.db.models import (
    AuditObservation,
    AuditVisit,
    CrimeMonth,
    CrimeRecord,
    ImportBatch,
    Issue,
    PartnerAgency,
    SurveyAnswer,
    SurveyResponse,
    SurveyRound,
    Ward,
)
from rpdesk.domain.dates import Span, outliers, shown
from rpdesk.domain.vocabulary import ImportKind, SurveyMethod
from rpdesk.errors import InputRejected, Problem, UnusualDates, UserError
from rpdesk.importers.audits import parse_audits
from rpdesk.importers.crimes import COLUMNS as CRIME_COLUMNS
from rpdesk.importers.crimes import parse_crimes
from rpdesk.importers.mapping import ColumnMapping, apply_mapping
from rpdesk.importers.reading import TextTable, read_table
from rpdesk.importers.surveys import RESPONDENT_FIELDS, SurveyRows, parse_survey
from rpdesk.progress import CheckFn, ProgressFn, never_cancel, no_progress
from rpdesk.services.tallies import refresh_tallies
from rpdesk.services.wards import get_ward

RESPONSE_COLUMNS = ("round_id", "import_id", "respondent", "date", *RESPONDENT_FIELDS)
#: First key of the PostgreSQL advisory lock imports into one ward take (the second is the ward's id).
IMPORT_LOCK = 7_214_012


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: the batch, how many rows, what it replaced and anything worth saying."""

    kind: str
    file_name: str
    batch_id: int
    rows: int
    replaced: int
    round_name: str | None = None
    skipped: int = 0  # rows read but not kept (police.uk rows outside the ward)
    notes: tuple[str, ...] = ()


def _read(path: Path | str, mapping: ColumnMapping | None, kind: ImportKind) -> TextTable:
    table = read_table(path)
    if mapping is None:
        return table
    if mapping.kind != kind.value:
        raise UserError(f"The column mapping is for {mapping.kind} files, not {kind.value}.")
    return apply_mapping(table, mapping)


def _claim_ward(session: Session, ward: Ward) -> None:
    """Wait until no other import is writing into this ward; held until this transaction ends.

    Taken after the file has been read and checked (seconds for a big file), so that imports
    parse side by side and queue only for writing. SQLite: a no-op write takes the database's
    write lock now, before the duplicate checks read anything. PostgreSQL: an advisory lock per
    ward; each later statement then sees what the other import committed.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k, :w)"), {"k": IMPORT_LOCK, "w": ward.id})
    elif dialect == "sqlite":
        session.execute(text("UPDATE ward SET id = id WHERE id = :w"), {"w": ward.id})


def _earlier_batches(session: Session, ward: Ward, kind: ImportKind, sha256: str) -> list[ImportBatch]:
    return list(
        session.scalars(
            select(ImportBatch).where(
                ImportBatch.ward_id == ward.id, ImportBatch.kind == kind, ImportBatch.sha256 == sha256
            )
        )
    )


def _refuse_or_remove(session: Session, ward: Ward, kind: ImportKind, table: TextTable, replace: bool) -> int:
    """Refuse a file imported before (unless replacing); when replacing, remove its batches' rows.

    The first step of every import's writing phase, so it claims the ward first (see the module docstring).
    """
    _claim_ward(session, ward)
    earlier = _earlier_batches(session, ward, kind, table.sha256)
    if earlier and not replace:
        first = earlier[0]
        raise UserError(
            f"{table.name} was already imported into ward {ward.code} on {first.imported_at:%Y-%m-%d %H:%M} "
            f"by {first.imported_by} ({first.rows} rows, as '{first.file_name}'). Nothing was written. "
            "Use --replace to replace that import with this file."
        )
    removed = sum(b.rows for b in earlier)
    if earlier:
        session.execute(delete(ImportBatch).where(ImportBatch.id.in_([b.id for b in earlier])))
    return removed


def _new_batch(session: Session, ward: Ward, kind: ImportKind, table: TextTable, rows: int) -> ImportBatch:
    batch = ImportBatch(
        ward_id=ward.id, kind=kind, file_name=table.name[:260], sha256=table.sha256, rows=rows, imported_by=os_user()
    )
    session.add(batch)
    try:
        session.flush()
    except IntegrityError:
        raise UserError(
            f"{table.name} was already imported into ward {ward.code}: somebody else imported it at the same "
            "moment. Nothing was written."
        ) from None
    return batch


# --- surveys ------------------------------------------------------------------------------------


def _held_round(session: Session, ward: Ward, name: str) -> SurveyRound | None:
    return session.scalar(
        select(SurveyRound).where(SurveyRound.ward_id == ward.id, func.lower(SurveyRound.name) == name.strip().lower())
    )


def _check_dates(session: Session, ward: Ward, name: str, parsed: SurveyRows) -> None:
    """Refuse (nothing written) dates that would stretch the round far, e.g. a November round back to February."""
    held = _held_round(session, ward, name)
    span = Span(f"round {held.name}", held.start_date, held.end_date) if held else None
    found = outliers(parsed.respondents["date"], span=span)
    if not found:
        return
    rows_of: dict[Any, list[int]] = {}
    for day, row in zip(parsed.respondents["date"], parsed.row_numbers, strict=True):
        rows_of.setdefault(day, []).append(row)
    lines = []
    for outlier in found:
        rows = rows_of[outlier.day]
        where = ", ".join(str(r) for r in rows[:5]) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
        lines.append(f"{parsed.name}, row {where}: {shown(outlier.day)} is {outlier.reason}")
    raise UnusualDates(
        f"{len(found)} date(s) look mistyped: importing them would stretch the round to cover them.\n"
        + "\n".join(lines)
        + "\nNothing was written. Put the dates right in the file or, if they are right, say so: "
        "rpdesk-cli --accept-dates, or in the import wizard tick 'These dates are right'."
    )


def _round(session: Session, ward: Ward, name: str, method: str | None, parsed: SurveyRows) -> SurveyRound:
    """The ward's round called ``name`` (created if new), its dates widened to cover the file."""
    if not name.strip():
        raise UserError("A survey import needs the name of its round, e.g. 'Autumn 2026'.")
    try:
        chosen = SurveyMethod(method) if method else None
    except ValueError:
        raise UserError(f"Survey method '{method}' is not one of {', '.join(m.value for m in SurveyMethod)}.") from None
    rnd = _held_round(session, ward, name)
    if rnd is None:
        rnd = SurveyRound(ward_id=ward.id, name=name.strip()[:120], method=chosen or SurveyMethod.DOOR)
        session.add(rnd)
    elif chosen is not None:
        rnd.method = chosen
    rnd.start_date = min(d for d in (rnd.start_date, parsed.first_date) if d is not None)
    rnd.end_date = max(d for d in (rnd.end_date, parsed.last_date) if d is not None)
    session.flush()
    return rnd


def _clashing_keys(session: Session, rnd: SurveyRound, parsed: SurveyRows) -> list[Problem]:
    held = set(session.scalars(select(SurveyResponse.respondent).where(SurveyResponse.round_id == rnd.id)))
    if not held:
        return []
    return [
        Problem(
            parsed.name,
            row,
            "respondent",
            key,
            f"a key not already in round '{rnd.name}' (use --replace to replace the round's earlier answers)",
        )
        for row, key in zip(parsed.row_numbers, parsed.respondents["respondent"], strict=True)
        if key in held
    ]


def _answer_rows(ids: list[int], issue_ids: dict[str, int], parsed: SurveyRows) -> list[tuple[Any, ...]]:
    """(response id, issue id, problem, effect) for every answered cell, respondent by respondent.

    That order appends to the table's primary key (response, issue) instead of scattering inserts
    across it, which is what keeps a 2-million-answer import fast.
    """
    codes = list(parsed.answers)
    problem = np.array([parsed.answers[c][0] for c in codes], dtype=object).T
    effect = np.array([parsed.answers[c][1] for c in codes], dtype=object).T
    rows, cols = np.nonzero((problem != None) | (effect != None))  # noqa: E711 - elementwise on objects
    response = np.array(ids, dtype=np.int64)[rows].tolist()
    issue = np.array([issue_ids[c] for c in codes], dtype=np.int64)[cols].tolist()
    return list(zip(response, issue, problem[rows, cols].tolist(), effect[rows, cols].tolist(), strict=True))


def import_surveys(
    session: Session,
    path: Path | str,
    ward_code: str,
    round_name: str,
    *,
    mapping: ColumnMapping | None = None,
    method: str | None = None,
    replace: bool = False,
    accept_dates: bool = False,
    progress: ProgressFn = no_progress,
    check: CheckFn = never_cancel,
) -> ImportResult:
    """Import survey answers in the canonical layout into a round of a ward (created if new).

    Dates far from the rest of the file or from the round are refused (:class:`UnusualDates`) unless
    ``accept_dates``: the round widens to cover the file, so one mistyped year would stretch it.
    """
    ward = get_ward(session, ward_code)
    progress(0.0, "reading")
    table = _read(path, mapping, ImportKind.SURVEYS)
    issue_ids = {code: iid for code, iid in session.execute(select(Issue.code, Issue.id))}
    parsed = parse_survey(table, issue_ids)
    check()
    progress(0.3, "checking")
    stale = {b.round_id for b in _earlier_batches(session, ward, ImportKind.SURVEYS, table.sha256) if b.round_id}
    if not accept_dates:
        _check_dates(session, ward, round_name, parsed)
    replaced = _refuse_or_remove(session, ward, ImportKind.SURVEYS, table, replace)
    rnd = _round(session, ward, round_name, method, parsed)
    if replace:
        replaced += _remove_round_responses(session, rnd)
    clashes = _clashing_keys(session, rnd, parsed)
    if clashes:
        raise InputRejected(clashes)
    batch = _new_batch(session, ward, ImportKind.SURVEYS, table, len(parsed.respondents))
    batch.round_id = rnd.id
    progress(0.4, "writing respondents")
    frame = parsed.respondents
    columns = [frame[c].tolist() for c in ("respondent", "date", *RESPONDENT_FIELDS)]
    bulk_insert(
        session, SurveyResponse, RESPONSE_COLUMNS, ((rnd.id, batch.id, *row) for row in zip(*columns, strict=True))
    )
    check()
    held = session.execute(
        select(SurveyResponse.respondent, SurveyResponse.id).where(SurveyResponse.import_id == batch.id)
    )
    by_key = {key: rid for key, rid in held}
    ids = [by_key[k] for k in frame["respondent"]]
    progress(0.6, "writing answers")
    answers = _answer_rows(ids, issue_ids, parsed)
    bulk_insert(session, SurveyAnswer, ("response_id", "issue_id", "problem", "effect"), answers)
    check()
    refresh_tallies(session, {rnd.id, *stale})  # the rankings' counts, in this same transaction
    log_bulk(
        session,
        "survey_response",
        batch.id,
        "import",
        {"file": table.name, "round": rnd.name, "respondents": len(ids), "answers": len(answers), "replaced": replaced},
        ward_id=ward.id,
    )
    progress(1.0, "done")
    return ImportResult(ImportKind.SURVEYS.value, table.name, batch.id, len(ids), replaced, rnd.name, 0, parsed.notes)


def _remove_round_responses(session: Session, rnd: SurveyRound) -> int:
    count = session.scalar(select(func.count()).select_from(SurveyResponse).where(SurveyResponse.round_id == rnd.id))
    session.execute(delete(SurveyResponse).where(SurveyResponse.round_id == rnd.id))
    return int(count or 0)


# --- EVA ----------------------------------------------------------------------------------------


def import_audits(
    session: Session,
    path: Path | str,
    ward_code: str,
    *,
    mapping: ColumnMapping | None = None,
    replace: bool = False,
    progress: ProgressFn = no_progress,
    check: CheckFn = never_cancel,
) -> ImportResult:
    """Import EVA findings; rows with the same date and officer become one walk."""
    ward = get_ward(session, ward_code)
    progress(0.0, "reading")
    table = _read(path, mapping, ImportKind.AUDITS)
    issues = session.execute(select(Issue.code, Issue.label, Issue.id)).all()
    names = {code: code for code, _, _ in issues} | {label: code for code, label, _ in issues}
    partners = {name: pid for name, pid in session.execute(select(PartnerAgency.name, PartnerAgency.id))}
    parsed = parse_audits(table, names, list(partners))
    check()
    replaced = _refuse_or_remove(session, ward, ImportKind.AUDITS, table, replace)
    batch = _new_batch(session, ward, ImportKind.AUDITS, table, len(parsed.rows))
    issue_ids = {code: iid for code, _, iid in issues}
    visits: dict[tuple[dt.date, str], AuditVisit] = {}
    for row in parsed.rows:
        visit = visits.get((row.date, row.officer))
        if visit is None:
            visit = AuditVisit(ward_id=ward.id, import_id=batch.id, date=row.date, auditors=row.officer)
            visits[(row.date, row.officer)] = visit
            session.add(visit)
        visit.observations.append(
            AuditObservation(
                issue_id=issue_ids[row.issue],
                location=row.location,
                easting=row.easting,
                northing=row.northing,
                latitude=row.latitude,
                longitude=row.longitude,
                severity=row.severity,
                count=row.count,
                partner_id=partners.get(row.partner) if row.partner else None,
                reference=row.reference,
                status=row.status,
            )
        )
    session.flush()
    progress(1.0, "done")
    return ImportResult(
        ImportKind.AUDITS.value,
        table.name,
        batch.id,
        len(parsed.rows),
        replaced,
        notes=(f"{len(visits)} EVA walk(s).",),
    )


# --- police.uk ----------------------------------------------------------------------------------


def _refuse_months_held(session: Session, ward: Ward, file_name: str, months: set[dt.date]) -> None:
    """Refuse a file with months the ward already holds from elsewhere: they would be counted twice.

    police.uk publishes one file per force and month, and its downloads overlap (a custom range, then
    the monthly archive); ASB rows carry no crime ID, so a month is the unit that can be checked.
    """
    if not months:
        return
    held = session.execute(
        select(CrimeRecord.month, ImportBatch.file_name)
        .outerjoin(ImportBatch, ImportBatch.id == CrimeRecord.import_id)
        .where(CrimeRecord.ward_id == ward.id, CrimeRecord.month.in_(sorted(months)))
        .group_by(CrimeRecord.month, ImportBatch.file_name)
        .order_by(CrimeRecord.month)
    ).all()
    if held:
        where = "; ".join(f"{m:%Y-%m} from {name or 'data entered without a file'}" for m, name in held)
        raise UserError(
            f"Ward {ward.code} already holds police.uk rows for {where}. Importing {file_name} would count "
            "them twice, so nothing was written. Replace that file's import (import it again with --replace), "
            "or import a file without those months."
        )


def _hold_months(session: Session, ward: Ward, batch: ImportBatch, months: set[dt.date]) -> None:
    """Record the months this import brings; the key refuses a month another import took at the same moment."""
    session.add_all(CrimeMonth(ward_id=ward.id, month=m, import_id=batch.id) for m in sorted(months))
    try:
        session.flush()
    except IntegrityError:
        raise UserError(
            f"Ward {ward.code} already holds police.uk rows for some months of {batch.file_name}: another import "
            "took them at the same moment. Nothing was written."
        ) from None


def import_crimes(
    session: Session,
    path: Path | str,
    ward_code: str,
    *,
    replace: bool = False,
    progress: ProgressFn = no_progress,
    check: CheckFn = never_cancel,
) -> ImportResult:
    """Import a police.uk street-level file, keeping the rows whose LSOA is one of the ward's."""
    ward = get_ward(session, ward_code)
    lsoas = [x.lsoa_code for x in ward.lsoas]
    if not lsoas:
        raise UserError(
            f"Ward {ward.code} has no LSOA codes, so no police.uk row can be matched to it. "
            "Add them with 'rpdesk-cli wards add --lsoa ...' or in the ward's settings."
        )
    progress(0.0, "reading")
    table = read_table(path)
    parsed = parse_crimes(table, lsoas)
    check()
    replaced = _refuse_or_remove(session, ward, ImportKind.CRIMES, table, replace)
    months = {r[1] for r in parsed.rows if isinstance(r[1], dt.date)}
    _refuse_months_held(session, ward, table.name, months)
    batch = _new_batch(session, ward, ImportKind.CRIMES, table, len(parsed.rows))
    _hold_months(session, ward, batch, months)
    bulk_insert(
        session, CrimeRecord, ("ward_id", "import_id", *CRIME_COLUMNS), ((ward.id, batch.id, *r) for r in parsed.rows)
    )
    log_bulk(
        session,
        "crime_record",
        batch.id,
        "import",
        {"file": table.name, "rows": len(parsed.rows), "outside_ward": parsed.outside, "replaced": replaced},
        ward_id=ward.id,
        activity=Activity.COMBINATION,  # police.uk's records joined to the ward by its LSOAs
    )
    progress(1.0, "done")
    notes = [f"{parsed.outside} row(s) were outside the ward's LSOAs and were not kept."]
    if not parsed.rows:
        notes.append(f"No row of {table.name} falls in ward {ward.code}: check its LSOA codes.")
    return ImportResult(
        ImportKind.CRIMES.value,
        table.name,
        batch.id,
        len(parsed.rows),
        replaced,
        skipped=parsed.outside,
        notes=tuple(notes),
    )
