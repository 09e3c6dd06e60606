"""The ward team a document names: posted officers' names, roles and official contact only."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import Officer, Posting, Ward
from rpdesk.domain import contacts
from rpdesk.reports.model import TeamMember
from rpdesk.services import officers as officer_service


def team(session: Session, ward: Ward, on: dt.date) -> tuple[TeamMember, ...]:
    """The ward's posted officers: name, role and official contact only (what a public sheet may show)."""
    officers = session.scalars(
        select(Officer)
        .join(Posting, Posting.officer_id == Officer.id)
        .where(
            Posting.ward_id == ward.id,
            officer_service.posting_active(on),
        )
        .order_by(Officer.role, Officer.name)
        .distinct()
    )
    order = {"Sergeant": 0, "PC": 1, "PCSO": 2, "Special": 3}
    members = [TeamMember(o.name, o.role.value, contacts.printed(o.email, o.phone)) for o in officers]
    return tuple(sorted(members, key=lambda m: (order.get(m.role, 9), m.name)))
