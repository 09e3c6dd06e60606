"""Officers and their ward postings over time.

Public API (all take a ``Session``; they return frozen dataclasses, except ``get_officer``, a lookup
for other services inside the same session, which returns the ORM row):

- ``list_officers(session, *, ward=None, on=None) -> list[OfficerInfo]`` — everyone, or those posted
  to ward code ``ward`` on date ``on`` (default today).
- ``add_officer(session, collar, name, role, *, ring_fenced=True, email=None, phone=None, ward=None,
  team=None, start=None, settings=None) -> OfficerInfo`` — optionally with a first posting.
- ``update_officer(session, collar, expected_version, *, name=..., role=..., ring_fenced=..., email=...,
  phone=..., settings=None) -> OfficerInfo`` — change only the fields given.
- Official contact only: ``email`` must be a force address (the ``force_email_domain`` setting) and
  ``phone`` a team landline or 101 (:mod:`rpdesk.domain.contacts`); anything else, such as a
  personal mobile, is refused with a UserError saying what is expected.
- ``add_posting(session, collar, ward, start, *, team=None, end=None) -> PostingInfo``; a posting
  that overlaps another of the same officer's is refused.
- ``end_posting(session, posting_id, expected_version, end) -> PostingInfo``.
- ``officer_info(session, collar) -> OfficerInfo`` — one officer as they are now (with their version).
- ``get_officer(session, collar) -> Officer`` (ORM, for other services) raising a UserError that says
  how to list collars.
- ``team_lookup(session, officer_ids, start, end) -> dict[(officer_id, ward_id), str | None]`` — the
  team each officer was posted to in each ward during a period (the latest posting that overlaps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import ColumnElement

from rpdesk.db.editing import update_row
from rpdesk.db.models import Officer, Posting
from rpdesk.domain.contacts import ContactError, official_email, official_phone
from rpdesk.domain.vocabulary import OfficerRole
from rpdesk.errors import FieldProblem, UserError, refuse
from rpdesk.services.wards import get_ward
from rpdesk.settings import Settings

UNCHANGED: Any = object()  # update_officer: leave this field as it is


@dataclass(frozen=True)
class PostingInfo:
    id: int
    officer: str
    ward: str
    ward_name: str
    team: str | None
    start_date: dt.date
    end_date: dt.date | None
    version: int


@dataclass(frozen=True)
class OfficerInfo:
    id: int
    collar: str
    name: str
    role: str
    ring_fenced: bool
    email: str | None
    phone: str | None
    postings: tuple[PostingInfo, ...]
    version: int

    def posting_on(self, day: dt.date) -> PostingInfo | None:
        """The posting that covers ``day``, if any."""
        for p in reversed(self.postings):
            if p.start_date <= day and (p.end_date is None or day <= p.end_date):
                return p
        return None


def _posting_info(collar: str, p: Posting) -> PostingInfo:
    return PostingInfo(p.id, collar, p.ward.code, p.ward.name, p.team, p.start_date, p.end_date, p.version)


def _info(officer: Officer) -> OfficerInfo:
    return OfficerInfo(
        officer.id,
        officer.collar,
        officer.name,
        officer.role.value,
        officer.ring_fenced,
        officer.email,
        officer.phone,
        tuple(_posting_info(officer.collar, p) for p in officer.postings),
        officer.version,
    )


def get_officer(session: Session, collar: str) -> Officer:
    """The officer with collar number ``collar`` (any case), or UserError saying how to find collars."""
    officer = session.scalar(select(Officer).where(func.upper(Officer.collar) == collar.strip().upper()))
    if officer is None:
        raise UserError(
            f"There is no officer with collar number '{collar}'. 'rpdesk-cli officers list' shows them; "
            "'rpdesk-cli officers add --collar COLLAR --name NAME --role ROLE' adds one."
        )
    return officer


def officer_info(session: Session, collar: str) -> OfficerInfo:
    """One officer as they are now, with the version an edit must name."""
    return _info(get_officer(session, collar))


def list_officers(session: Session, *, ward: str | None = None, on: dt.date | None = None) -> list[OfficerInfo]:
    """All officers by collar, or only those posted to ``ward`` on ``on`` (default today)."""
    stmt = select(Officer).options(selectinload(Officer.postings).selectinload(Posting.ward)).order_by(Officer.collar)
    if ward is not None:
        day = on or dt.date.today()
        ward_id = get_ward(session, ward).id
        stmt = stmt.where(
            Officer.id.in_(select(Posting.officer_id).where(Posting.ward_id == ward_id, posting_active(day)))
        )
    return [_info(o) for o in session.scalars(stmt)]


def posting_active(on: dt.date) -> ColumnElement[bool]:
    """SQL: a posting in force on ``on`` (begun by then and not ended before it); the one statement of the rule."""
    return and_(Posting.start_date <= on, or_(Posting.end_date.is_(None), Posting.end_date >= on))


def parse_role(text: str) -> OfficerRole:
    for role in OfficerRole:
        if text.strip().casefold() == role.value.casefold():
            return role
    raise UserError(f"Role '{text}' is not one of: {', '.join(r.value for r in OfficerRole)}.")


def official_contact(
    email: str | None, phone: str | None, settings: Settings | None = None
) -> tuple[str | None, str | None]:
    """``(email, phone)`` checked as official contact details (tidied), or UserError naming what is wrong.

    The e-mail domain is the caller's ``force_email_domain`` setting (the declared default without one).
    """
    domain = (settings or Settings()).force_email_domain
    problems = contact_problems(email, phone, domain)
    if problems:
        raise UserError(
            "Only official contact details may be kept for an officer. " + " ".join(p.text for p in problems)
        )
    return official_email(email, domain), official_phone(phone)


def contact_problems(email: str | None, phone: str | None, domain: str) -> list[FieldProblem]:
    """What is wrong with an officer's contact as typed, one per detail (the officer forms ask this too)."""
    out = []
    try:
        official_email(email, domain)
    except ContactError as exc:
        out.append(FieldProblem("email", str(exc)))
    try:
        official_phone(phone)
    except ContactError as exc:
        out.append(FieldProblem("phone", str(exc)))
    return out


def identity_problems(collar: str, name: str) -> list[FieldProblem]:
    """What a new officer lacks to be told apart (the Add officer form asks this too, with :func:`contact_problems`)."""
    out = []
    if not collar.strip():
        out.append(FieldProblem("collar", "An officer needs a collar number."))
    if not name.strip():
        out.append(FieldProblem("name", "An officer needs a name."))
    return out


def add_officer(
    session: Session,
    collar: str,
    name: str,
    role: str | OfficerRole,
    *,
    ring_fenced: bool = True,
    email: str | None = None,
    phone: str | None = None,
    ward: str | None = None,
    team: str | None = None,
    start: dt.date | None = None,
    settings: Settings | None = None,
) -> OfficerInfo:
    """Add an officer (collar numbers are unique); with ``ward``, post them there from ``start``."""
    refuse(identity_problems(collar, name))
    collar = collar.strip().upper()
    if session.scalar(select(Officer.id).where(func.upper(Officer.collar) == collar)) is not None:
        raise UserError(f"An officer with collar number {collar} already exists.")
    email, phone = official_contact(email, phone, settings)
    officer = Officer(
        collar=collar,
        name=name.strip(),
        role=role if isinstance(role, OfficerRole) else parse_role(role),
        ring_fenced=ring_fenced,
        email=email,
        phone=phone,
    )
    session.add(officer)
    session.flush()
    if ward is not None:
        add_posting(session, collar, ward, start or dt.date.today(), team=team)
    session.refresh(officer)
    return _info(officer)


def update_officer(
    session: Session,
    collar: str,
    expected_version: int | None = None,
    *,
    name: str = UNCHANGED,
    role: str | OfficerRole = UNCHANGED,
    ring_fenced: bool = UNCHANGED,
    email: str | None = UNCHANGED,
    phone: str | None = UNCHANGED,
    settings: Settings | None = None,
) -> OfficerInfo:
    """Change the fields given (``expected_version``: refuse if somebody changed the officer since).

    A blank ``email`` or ``phone`` clears it; a new one is checked as an official contact.
    """
    officer = get_officer(session, collar)
    changes: dict[str, Any] = {}
    if name is not UNCHANGED:
        if not name.strip():
            raise UserError("An officer needs a name.")
        changes["name"] = name.strip()
    if role is not UNCHANGED:
        changes["role"] = role if isinstance(role, OfficerRole) else parse_role(role)
    if ring_fenced is not UNCHANGED:
        changes["ring_fenced"] = ring_fenced
    if email is not UNCHANGED or phone is not UNCHANGED:
        new_email, new_phone = official_contact(
            officer.email if email is UNCHANGED else email, officer.phone if phone is UNCHANGED else phone, settings
        )
        changes |= {"email": new_email, "phone": new_phone}
    version = officer.version if expected_version is None else expected_version
    row = update_row(session, Officer, officer.id, version, changes)
    session.refresh(row)
    return _info(row)


def _overlaps(p: Posting, start: dt.date, end: dt.date | None) -> bool:
    return (p.end_date is None or p.end_date >= start) and (end is None or p.start_date <= end)


def add_posting(
    session: Session,
    collar: str,
    ward: str,
    start: dt.date,
    *,
    team: str | None = None,
    end: dt.date | None = None,
) -> PostingInfo:
    """Post an officer to a ward team from ``start`` (to ``end``); refuses overlapping postings."""
    officer = get_officer(session, collar)
    ward_row = get_ward(session, ward)
    if end is not None and end < start:
        raise UserError(f"A posting cannot end ({end}) before it starts ({start}).")
    clash = [p for p in officer.postings if _overlaps(p, start, end)]
    if clash:
        p = clash[0]
        raise UserError(
            f"{officer.collar} is already posted to {p.ward.code} from {p.start_date} "
            f"to {p.end_date or 'now'}; end that posting first."
        )
    posting = Posting(officer_id=officer.id, ward_id=ward_row.id, team=team or ward_row.neighbourhood)
    posting.start_date, posting.end_date = start, end
    session.add(posting)
    session.flush()
    session.refresh(officer)
    return _posting_info(officer.collar, posting)


def end_posting(session: Session, posting_id: int, expected_version: int, end: dt.date) -> PostingInfo:
    """End a posting on ``end`` (the last day in the ward)."""
    posting = session.get(Posting, posting_id)
    if posting is not None and end < posting.start_date:
        raise UserError(f"A posting cannot end ({end}) before it starts ({posting.start_date}).")
    row = update_row(session, Posting, posting_id, expected_version, {"end_date": end})
    return _posting_info(row.officer.collar, row)


def team_lookup(
    session: Session, officer_ids: Collection[int] | None, start: dt.date, end: dt.date
) -> dict[tuple[int, int], str | None]:
    """``(officer_id, ward_id) -> team`` for postings overlapping ``start..end`` (latest start wins).

    Where an officer worked in a ward without a posting there, callers fall back to the ward's
    neighbourhood team.
    """
    stmt = select(Posting.officer_id, Posting.ward_id, Posting.team).where(
        Posting.start_date <= end, or_(Posting.end_date.is_(None), Posting.end_date >= start)
    )
    if officer_ids is not None and len(officer_ids) < 500:
        stmt = stmt.where(Posting.officer_id.in_(list(officer_ids)))
    teams: dict[tuple[int, int], str | None] = {}
    for officer_id, ward_id, team in session.execute(stmt.order_by(Posting.start_date)):
        teams[(officer_id, ward_id)] = team
    return teams
