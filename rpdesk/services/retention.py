"""Review and disposal of personal data (DPA 2018 Part 3 s.39; MoPI review, retention and disposal).

Each kind of record that holds personal data has a retention period in months, set in the settings
(``retention_*_months``; IT can lock them in the machine file). A record is *due* once its date
(a survey response's interview date, an EVA visit's date, an abstraction's duty day, the end of an
officer's last posting, a change-log entry's time) is before the first of the month that many
months ago. ``review`` lists what is due; ``apply`` removes exactly that, in one transaction:

- the free text is redacted (set to nothing), never the figures: survey answers, EVA observations
  and an officer's hours stay, so past ranks and ring-fence figures are unchanged;
- an officer who left is anonymised (name, collar, e-mail and phone replaced or cleared);
- the change log's recorded values for those rows are replaced by ``[removed]``, and change-log
  entries older than their own period lose their values (who changed which row when is kept);
- one ``erase`` entry per kind goes into the change log: how many rows, which wards, the cut-off.

The redaction is written through SQL, not the ORM, so the change-log hook does not copy the old
text into a new log entry. The bytes are then made unrecoverable: on SQLite the transaction runs
with ``PRAGMA secure_delete=ON`` (freed space is overwritten with zeros), then the file is
rebuilt by ``VACUUM`` and the write-ahead log is checkpointed and truncated; on PostgreSQL the
touched tables are rebuilt by ``VACUUM FULL`` when the connecting role owns them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, String, cast, func, literal, null, select, update
from sqlalchemy.orm import Session

from rpdesk.db.changelog import Activity, log_bulk, text_sha256
from rpdesk.db.database import Database
from rpdesk.db.models import (
    Abstraction,
    AuditVisit,
    ChangeLog,
    DutyRecord,
    Officer,
    Posting,
    SurveyResponse,
    SurveyRound,
    Ward,
)
from rpdesk.domain.periods import add_months
from rpdesk.settings import BY_KEY, Settings

#: What a removed value reads as in the change log.
REMOVED = "[removed]"
#: The name an anonymised former officer is shown under (their collar becomes ``left-<id>``).
FORMER_OFFICER = "Former officer"
#: The change-log operation recording a disposal.
ERASE = "erase"


@dataclass(frozen=True)
class Due:
    """One record due for disposal: its id, its ward's code (None: not tied to a ward) and its date."""

    row_id: int
    ward: str | None
    date: dt.date


@dataclass(frozen=True)
class Kind:
    """A kind of record with its own retention period, how to find what is due, and how to dispose of it."""

    key: str
    title: str
    setting: str
    table: str
    #: the columns cleared (and their change-log values replaced) when a row is disposed of
    columns: tuple[str, ...]
    due: Callable[[dt.date], Executable]
    dispose: Callable[[Session, list[int]], None]


def _survey_comments_due(cutoff: dt.date) -> Executable:
    return (
        select(SurveyResponse.id, Ward.code, SurveyResponse.date)
        .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
        .join(Ward, Ward.id == SurveyRound.ward_id)
        .where(SurveyResponse.comments.is_not(None), SurveyResponse.date < cutoff)
    )


def _eva_notes_due(cutoff: dt.date) -> Executable:
    return (
        select(AuditVisit.id, Ward.code, AuditVisit.date)
        .join(Ward, Ward.id == AuditVisit.ward_id)
        .where(AuditVisit.notes.is_not(None), AuditVisit.date < cutoff)
    )


def _abstraction_notes_due(cutoff: dt.date) -> Executable:
    return (
        select(Abstraction.id, Ward.code, DutyRecord.date)
        .join(DutyRecord, DutyRecord.id == Abstraction.duty_id)
        .join(Ward, Ward.id == DutyRecord.ward_id)
        .where(Abstraction.note.is_not(None), DutyRecord.date < cutoff)
    )


def _former_officers_due(cutoff: dt.date) -> Executable:
    """Officers with no open posting whose last posting ended before the cut-off, not yet anonymised."""
    last = (
        select(
            Posting.officer_id,
            func.max(Posting.end_date).label("left_on"),
            func.count().label("postings"),
            func.count(Posting.end_date).label("ended"),
        )
        .group_by(Posting.officer_id)
        .subquery()
    )
    last_ward = (
        select(Ward.code)
        .join(Posting, Posting.ward_id == Ward.id)
        .where(Posting.officer_id == Officer.id, Posting.end_date == last.c.left_on)
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(Officer.id, last_ward, last.c.left_on)
        .join(last, last.c.officer_id == Officer.id)
        .where(last.c.postings == last.c.ended, last.c.left_on < cutoff, Officer.name != FORMER_OFFICER)
    )


def _change_log_due(cutoff: dt.date) -> Executable:
    """Entries older than the period that still hold values (an erasure's own summary is kept)."""
    return select(ChangeLog.id, null(), ChangeLog.at).where(
        ChangeLog.at < dt.datetime.combine(cutoff, dt.time()), ChangeLog.operation != ERASE, ChangeLog.changes != "{}"
    )


def _clear(model: Any, *columns: str) -> Callable[[Session, list[int]], None]:
    """A disposal that sets ``columns`` to NULL (and bumps the row version, so an open edit is refused as stale)."""

    def dispose(session: Session, ids: list[int]) -> None:
        values: dict[str, Any] = dict.fromkeys(columns)
        if hasattr(model, "version"):
            values["version"] = model.version + 1
        session.execute(
            update(model).where(model.id.in_(ids)).values(values), execution_options={"synchronize_session": False}
        )

    return dispose


def _anonymise_officers(session: Session, ids: list[int]) -> None:
    session.execute(
        update(Officer)
        .where(Officer.id.in_(ids))
        .values(
            name=FORMER_OFFICER,
            collar=literal("left-") + cast(Officer.id, String),
            email=None,
            phone=None,
            version=Officer.version + 1,
        ),
        execution_options={"synchronize_session": False},
    )


def _empty_change_log(session: Session, ids: list[int]) -> None:
    session.execute(
        update(ChangeLog).where(ChangeLog.id.in_(ids)).values(changes="{}"),
        execution_options={"synchronize_session": False},
    )


KINDS: tuple[Kind, ...] = (
    Kind(
        "survey_comments",
        "Survey comments",
        "retention_survey_comments_months",
        "survey_response",
        ("comments",),
        _survey_comments_due,
        _clear(SurveyResponse, "comments"),
    ),
    Kind(
        "eva_notes",
        "EVA visit notes",
        "retention_eva_notes_months",
        "audit_visit",
        ("notes",),
        _eva_notes_due,
        _clear(AuditVisit, "notes"),
    ),
    Kind(
        "abstraction_notes",
        "Abstraction and duty notes",
        "retention_abstraction_notes_months",
        "abstraction",
        ("note",),
        _abstraction_notes_due,
        _clear(Abstraction, "note"),
    ),
    Kind(
        "former_officers",
        "Officers who have left",
        "retention_former_officers_months",
        "officer",
        ("name", "collar", "email", "phone"),
        _former_officers_due,
        _anonymise_officers,
    ),
    Kind(
        "change_log_values",
        "Old values in the change log",
        "retention_change_log_months",
        "change_log",
        (),
        _change_log_due,
        _empty_change_log,
    ),
)


@dataclass(frozen=True)
class DueGroup:
    """One line of the review: a kind of record in a ward, how many are due and the oldest one's date."""

    kind: str
    title: str
    ward: str | None
    count: int
    oldest: dt.date
    cutoff: dt.date

    def as_row(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ward": self.ward or "",
            "count": self.count,
            "oldest": self.oldest.isoformat(),
            "kept_from": self.cutoff.isoformat(),
        }


def cutoff_for(kind: Kind, settings: Settings, today: dt.date) -> dt.date:
    """The first day still kept: the first of the month ``retention_*_months`` before today's month."""
    return add_months(today, -int(BY_KEY[kind.setting].of(settings)))


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):  # SQLite's date() gives text
        return dt.date.fromisoformat(value[:10])
    assert isinstance(value, dt.date)
    return value


def _due_rows(session: Session, kind: Kind, cutoff: dt.date) -> list[Due]:
    return [Due(r[0], r[1], _as_date(r[2])) for r in session.execute(kind.due(cutoff))]


def _group(kind: Kind, rows: Sequence[Due], cutoff: dt.date) -> list[DueGroup]:
    by_ward: dict[str | None, list[Due]] = {}
    for row in rows:
        by_ward.setdefault(row.ward, []).append(row)
    return [
        DueGroup(kind.key, kind.title, ward, len(items), min(i.date for i in items), cutoff)
        for ward, items in sorted(by_ward.items(), key=lambda kv: kv[0] or "")
    ]


def review(session: Session, settings: Settings, today: dt.date) -> list[DueGroup]:
    """What is due for disposal as at ``today``, per kind and ward; exactly what :func:`apply` would remove."""
    groups: list[DueGroup] = []
    for kind in KINDS:
        cutoff = cutoff_for(kind, settings, today)
        groups.extend(_group(kind, _due_rows(session, kind, cutoff), cutoff))
    return groups


def _scrub_change_log(session: Session, table: str, columns: tuple[str, ...], ids: list[int]) -> dict[str, str]:
    """Replace the recorded values of ``columns`` in the change-log entries of the disposed rows.

    Returns each scrubbed entry's id with the SHA-256 of its new text, which the erasure entry
    records so ``audit verify`` accepts exactly this redaction and no other edit of the entry.
    """
    scrubbed: dict[str, str] = {}
    if not columns:
        return scrubbed
    for chunk in range(0, len(ids), 500):
        entries = session.execute(
            select(ChangeLog.id, ChangeLog.changes).where(
                ChangeLog.table_name == table, ChangeLog.row_id.in_(ids[chunk : chunk + 500])
            )
        ).all()
        for entry_id, text in entries:
            changes = json.loads(text or "{}")
            if not isinstance(changes, dict) or not set(columns) & changes.keys():
                continue
            for column in set(columns) & changes.keys():
                changes[column] = [REMOVED, REMOVED] if isinstance(changes[column], list) else REMOVED
            redacted = json.dumps(changes, sort_keys=True)
            session.execute(
                update(ChangeLog).where(ChangeLog.id == entry_id).values(changes=redacted),
                execution_options={"synchronize_session": False},
            )
            scrubbed[str(entry_id)] = text_sha256(redacted)
    return scrubbed


def _dispose(session: Session, settings: Settings, today: dt.date) -> list[DueGroup]:
    """Dispose of everything due, in the caller's transaction; the groups disposed of (as review listed them)."""
    done: list[DueGroup] = []
    for kind in KINDS:
        cutoff = cutoff_for(kind, settings, today)
        rows = _due_rows(session, kind, cutoff)
        if not rows:
            continue
        ids = [r.row_id for r in rows]
        for chunk in range(0, len(ids), 500):
            kind.dispose(session, ids[chunk : chunk + 500])
        redacted = _scrub_change_log(session, kind.table, kind.columns, ids)
        groups = _group(kind, rows, cutoff)
        summary = {
            "retention": kind.key,
            "rows": len(ids),
            "before": cutoff.isoformat(),
            "wards": {g.ward or "": g.count for g in groups},
        }
        log_bulk(
            session,
            kind.table,
            None,
            ERASE,
            summary | ({"redacted": redacted} if redacted else {}),
            activity=Activity.ERASURE,
        )
        done.extend(groups)
    return done


@dataclass(frozen=True)
class Disposal:
    """What ``apply`` did: the groups disposed of, and how the file or server was cleaned afterwards."""

    groups: list[DueGroup]
    cleaned: str


def apply(db: Database, settings: Settings, today: dt.date) -> Disposal:
    """Dispose of everything due in one transaction, then make it unrecoverable from the database's storage."""
    with db.session() as s:
        if db.is_sqlite:
            s.connection().exec_driver_sql("PRAGMA secure_delete=ON")
            s.connection().exec_driver_sql("UPDATE ward SET id = id")  # the write lock now, before what is due is read
        groups = _dispose(s, settings, today)
    if not groups:
        return Disposal([], "nothing was due")
    if db.is_sqlite:
        return Disposal(groups, _compact_sqlite(db))
    return Disposal(
        groups, _vacuum_server(db, sorted({k.table for k in KINDS if any(g.kind == k.key for g in groups)}))
    )


def _compact_sqlite(db: Database) -> str:
    """Rebuild the file (VACUUM) and fold the write-ahead log into it, truncating the -wal file."""
    db.engine.dispose()  # idle pooled connections would hold old pages in the -wal
    raw = db.engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        driver.isolation_level = None
        driver.execute("PRAGMA secure_delete=ON")
        driver.execute("VACUUM")
        busy, _log, _done = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        raw.close()
    if busy:
        return (
            "the file was rebuilt, but another program still has it open, so old pages may remain in its -wal file "
            "until that program closes; run 'rpdesk-cli retention apply' again then"
        )
    return "the file was rebuilt (VACUUM) and its write-ahead log emptied"


def _vacuum_server(db: Database, tables: list[str]) -> str:
    """``VACUUM FULL`` the touched tables this role owns (a rewrite: dead row versions are not kept)."""
    from sqlalchemy import text

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as con:
        owned = set(
            con.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "AND tablename = ANY(:t) AND pg_has_role(current_user, tableowner, 'MEMBER')"
                ),
                {"t": tables},
            ).scalars()
        )
        for table in sorted(owned):
            con.exec_driver_sql(f'VACUUM FULL "{table}"')
    missed = sorted(set(tables) - owned)
    if missed:
        return (
            f"tables rewritten by VACUUM FULL: {', '.join(sorted(owned)) or 'none'}; ask the database owner to run "
            f"VACUUM FULL on {', '.join(missed)} so old row versions are removed from the server's files"
        )
    return f"tables rewritten by VACUUM FULL: {', '.join(sorted(owned))}"


@dataclass(frozen=True)
class Redactions:
    """The change-log redactions retention recorded, which ``audit verify`` accepts and nothing else.

    An erasure entry, itself in the hash chain, says what it redacted: every entry written before
    its ``before`` date emptied (old values in the change log), or named entries with the SHA-256 of
    their redacted text (a disposed row's values replaced by the marker). An entry emptied or edited
    in any other way, or redacted without a later erasure entry saying so, is tampering.
    """

    emptied_before: tuple[tuple[int, dt.datetime], ...]
    replaced: dict[int, tuple[int, str]]

    def allow(self, seq: int, entry_id: int, at: dt.datetime, changes: str) -> bool:
        """Whether the entry's present ``changes`` is a redaction a later erasure entry recorded."""
        if changes == "{}" and any(by > seq and at < before for by, before in self.emptied_before):
            return True
        permit = self.replaced.get(entry_id)
        return permit is not None and permit[0] > seq and permit[1] == text_sha256(changes)


def recorded_redactions(session: Session) -> Redactions:
    """What the erasure entries in the change log say retention redacted (see :class:`Redactions`)."""
    emptied: list[tuple[int, dt.datetime]] = []
    replaced: dict[int, tuple[int, str]] = {}
    query = select(ChangeLog.seq, ChangeLog.changes).where(
        ChangeLog.operation == ERASE, ChangeLog.activity == Activity.ERASURE
    )
    for seq, text in session.execute(query.order_by(ChangeLog.seq)):
        try:
            summary = json.loads(text or "{}")
            if summary.get("retention") == "change_log_values":
                emptied.append((seq, dt.datetime.combine(dt.date.fromisoformat(summary["before"]), dt.time())))
            replaced.update({int(k): (seq, digest) for k, digest in summary.get("redacted", {}).items()})
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # an edited erasure entry fails its own hash in the walk
    return Redactions(tuple(emptied), replaced)
