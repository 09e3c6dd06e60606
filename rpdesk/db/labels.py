"""Records named as users know them, for messages: "action 'Clean the underpass'", not "partneraction (id 121)".

Each editable model has one user-facing noun (:data:`NOUNS`) and one way of naming a row of it
(:func:`describe`): the words a sergeant sees on the screen where the record is kept. Messages about
a conflict, a deletion or a refusal name the record this way; ids and version numbers are for the
CLI and the change log, not for these messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import object_session

from rpdesk.db.models import (
    Abstraction,
    AuditObservation,
    AuditVisit,
    DutyRecord,
    Issue,
    Meeting,
    Officer,
    PartnerAction,
    PartnerAgency,
    Posting,
    Priority,
    SurveyRound,
    Ward,
)

#: The noun for a record of each model, as the screens call it.
NOUNS: dict[type, str] = {
    Abstraction: "abstraction",
    AuditObservation: "EVA observation",
    AuditVisit: "EVA walk",
    DutyRecord: "duty day",
    Issue: "issue",
    Meeting: "meeting",
    Officer: "officer",
    PartnerAction: "action",
    PartnerAgency: "partner",
    Posting: "posting",
    Priority: "priority",
    SurveyRound: "survey round",
    Ward: "ward",
}


def _day(day: Any) -> str:
    return f"{day:%d/%m/%Y}"


def _officer(row: Officer) -> str:
    return f"{row.collar} {row.name}"


def _duty(row: DutyRecord) -> str:
    session = object_session(row)
    officer = session.get(Officer, row.officer_id) if session is not None else None
    who = _officer(officer) if officer is not None else "an officer"
    return f"of {who} on {_day(row.date)}"


_MEETINGS = {"tcg": "tasking (TCG) meeting", "community": "community meeting"}


_NAMING: dict[type, Callable[[Any], str]] = {
    Abstraction: lambda row: f"{row.hours:g} h {_duty(row.duty)}",
    AuditObservation: lambda row: f"'{row.location}' ({row.issue.label})",
    AuditVisit: lambda row: f"of {_day(row.date)}",
    DutyRecord: _duty,
    Issue: lambda row: f"'{row.label}'",
    Meeting: lambda row: f"of {_day(row.date)}",
    Officer: _officer,
    PartnerAction: lambda row: f"'{row.title}'",
    PartnerAgency: lambda row: f"'{row.name}'",
    Posting: lambda row: f"of {_officer(row.officer)} from {_day(row.start_date)}",
    Priority: lambda row: f"'{row.wording or row.issue.label}'",
    SurveyRound: lambda row: f"'{row.name}'",
    Ward: lambda row: f"{row.name} ({row.code})",
}


def noun(model: type) -> str:
    """The user's word for a record of ``model`` ("action", "officer", "EVA walk")."""
    return NOUNS.get(model, model.__name__.lower())


def describe(row: Any) -> str:
    """``row`` named as users know it: "action 'Clean the underpass'", "officer PC1234 Smith"."""
    naming = _NAMING.get(type(row))
    word = _MEETINGS.get(str(row.kind), "meeting") if isinstance(row, Meeting) else noun(type(row))
    return f"{word} {naming(row)}" if naming else word
