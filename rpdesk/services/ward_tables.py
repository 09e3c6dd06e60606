"""The record tables the pages page through, one function per table (Qt-free).

Each returns a :class:`~rpdesk.services.record_tables.RecordSource`: which rows, which columns with
their headings and cell text, and the order they open in. The rules of what a user may see live
here, beside the statement: an absence's reason only for supervisors (and searchable only then),
officers listed while their posting is in force, EVA findings that stand out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from rpdesk.db.database import Database
from rpdesk.db.models import (
    Abstraction,
    AuditObservation,
    AuditVisit,
    DutyRecord,
    Issue,
    Officer,
    PartnerAgency,
    Posting,
    SurveyResponse,
)
from rpdesk.domain.ringfence import shown_absence
from rpdesk.domain.vocabulary import ABSTRACTION_REASON_LABELS, ObservationStatus
from rpdesk.services.officers import posting_active
from rpdesk.services.record_tables import Column, Order, RecordSource, Row, cell_text

#: Newest first by the table's first column (a date).
NEWEST_FIRST = Order(0, descending=True)
#: Where, in an EVA finding's row (key first), its severity and status are.
SEVERITY_AT = 3
STATUS_AT = 7


# --- EVA walks and findings ------------------------------------------------------------------------


def visits_table(database: Database, ward_id: int) -> RecordSource:
    """The ward's EVA walks, newest first, with how many findings each recorded."""
    found = select(func.count(AuditObservation.id)).where(AuditObservation.visit_id == AuditVisit.id).scalar_subquery()
    return RecordSource(
        database,
        [
            Column("Date", AuditVisit.date),
            Column("Area", AuditVisit.area, searchable=True),
            Column("Auditors", AuditVisit.auditors, searchable=True),
            Column("Findings", found, numeric=True),
            Column("Notes", AuditVisit.notes, searchable=True),
        ],
        AuditVisit.id,
        lambda s: s.where(AuditVisit.ward_id == ward_id),
        default_order=NEWEST_FIRST,
    )


def _status(value: Any) -> str:
    return str(value.value).replace("_", " ").capitalize()


def observations_table(database: Database, visit_id: int) -> RecordSource:
    """What one EVA walk saw: issue, place, severity, count, the partner told and where it stands."""
    return RecordSource(
        database,
        [
            Column("Issue", Issue.label, searchable=True),
            Column("Location", AuditObservation.location, searchable=True),
            Column("Severity", AuditObservation.severity, numeric=True, tip="1 minor … 5 severe"),
            Column("Count", AuditObservation.count, numeric=True),
            Column("Partner", PartnerAgency.name, searchable=True),
            Column("Reference", AuditObservation.reference, searchable=True),
            Column("Status", AuditObservation.status, fmt=_status),
            Column("Resolved", AuditObservation.resolved_on),
        ],
        AuditObservation.id,
        lambda s: (
            s.join(Issue, Issue.id == AuditObservation.issue_id)
            .outerjoin(PartnerAgency, PartnerAgency.id == AuditObservation.partner_id)
            .where(AuditObservation.visit_id == visit_id)
        ),
    )


def observation_stands_out(row: Row) -> bool:
    """An open finding of severity 4-5 (a row of :func:`observations_table`) stands out."""
    return bool(row[SEVERITY_AT] >= 4 and row[STATUS_AT] == ObservationStatus.OPEN)


# --- survey responses ------------------------------------------------------------------------------


def responses_table(database: Database, round_id: int) -> RecordSource:
    """A survey round's anonymous responses: the respondent's reference, never a name."""
    return RecordSource(
        database,
        [
            Column("Respondent", SurveyResponse.respondent, searchable=True),
            Column("Date", SurveyResponse.date),
            Column("Street", SurveyResponse.street, searchable=True),
            Column("Age", SurveyResponse.age_band, searchable=True),
            Column("Good job (1-5)", SurveyResponse.conf_good_job, numeric=True),
            Column("Understand (1-5)", SurveyResponse.conf_understand, numeric=True),
            Column("Dealing (1-5)", SurveyResponse.conf_dealing, numeric=True),
            Column("Safe after dark (1-4)", SurveyResponse.safe_after_dark, numeric=True),
            Column("Knows contact", SurveyResponse.knows_contact),
            Column("Comments", SurveyResponse.comments, searchable=True),
        ],
        SurveyResponse.id,
        lambda s: s.where(SurveyResponse.round_id == round_id),
    )


# --- officers, abstractions, duty ------------------------------------------------------------------


def officers_table(database: Database, ward_id: int, today: dt.date) -> RecordSource:
    """Officers whose posting to the ward is in force ``today``, keyed by the posting."""
    return RecordSource(
        database,
        [
            Column("Collar", Officer.collar, searchable=True),
            Column("Name", Officer.name, searchable=True),
            Column("Role", Officer.role),
            Column("Ring-fenced", Officer.ring_fenced, tip="Dedicated ward officer whose time is protected"),
            Column("Team", Posting.team, searchable=True),
            Column("E-mail", Officer.email, searchable=True, tip="Official force e-mail"),
            Column("Phone", Officer.phone, tip="Team landline or 101"),
        ],
        Posting.id,
        lambda s: s.join(Officer, Officer.id == Posting.officer_id).where(
            Posting.ward_id == ward_id, posting_active(today)
        ),
    )


#: The first columns of the abstraction log and the duty table: the day and whose it is.
DUTY_DAY = (
    Column("Date", DutyRecord.date),
    Column("Officer", Officer.collar, searchable=True),
    Column("Name", Officer.name, searchable=True),
)


def _reason(value: Any) -> str:
    return ABSTRACTION_REASON_LABELS.get(value, str(value)) if value is not None else ""


def abstractions_table(database: Database, ward_id: int) -> RecordSource:
    """The ward's abstraction log, newest first (served by ``ix_duty_record_ward_date`` at a million rows).

    A row reads ``(key, date, collar, ...)``: what :func:`rpdesk.services.ward_duty.find_abstraction` takes.
    """
    return RecordSource(
        database,
        [
            *DUTY_DAY,
            Column("Hours", Abstraction.hours, numeric=True),
            Column("Reason", Abstraction.reason, searchable=True, fmt=_reason),
            Column("Authorised by", Abstraction.authorised_by, searchable=True),
            Column("Note", Abstraction.note, searchable=True),
        ],
        Abstraction.id,
        lambda s: (
            s.join(DutyRecord, DutyRecord.id == Abstraction.duty_id)
            .join(Officer, Officer.id == DutyRecord.officer_id)
            .where(DutyRecord.ward_id == ward_id)
        ),
        default_order=NEWEST_FIRST,
    )


def _absence_column(supervisor: bool) -> Column:
    """Absences as this user may see them: the reason (when kept) only for supervisors, and searchable only then."""

    def fmt(value: Any) -> str:
        return cell_text(shown_absence(getattr(value, "value", value), supervisor=supervisor))

    return Column("Absence", DutyRecord.absence, searchable=supervisor, fmt=fmt)


def duty_table(database: Database, ward_id: int, *, supervisor: bool) -> RecordSource:
    """The ward's duty records, newest first; an absence's reason shows only to a ``supervisor``."""
    return RecordSource(
        database,
        [
            *DUTY_DAY,
            Column("Rostered hours", DutyRecord.rostered_hours, numeric=True),
            _absence_column(supervisor),
        ],
        DutyRecord.id,
        lambda s: s.join(Officer, Officer.id == DutyRecord.officer_id).where(DutyRecord.ward_id == ward_id),
        default_order=NEWEST_FIRST,
    )
