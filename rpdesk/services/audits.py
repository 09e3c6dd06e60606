"""EVA walks and what was seen on them, entered by hand (files go through ``services.imports``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.editing import update_row
from rpdesk.db.models import AuditObservation, AuditVisit, Issue, PartnerAgency
from rpdesk.domain.eva_rules import finding_problems, walk_problems
from rpdesk.domain.vocabulary import ObservationStatus
from rpdesk.errors import UserError, refuse
from rpdesk.services.actions import partner_by_name


@dataclass(frozen=True)
class ObservationInfo:
    id: int
    visit_id: int
    issue: str
    location: str
    severity: int
    count: int
    partner: str | None
    reference: str | None
    status: str
    resolved_on: dt.date | None
    version: int


@dataclass(frozen=True)
class Choices:
    """What the forms offer: issues (code, label) and partner names."""

    issues: tuple[tuple[str, str], ...]
    partners: tuple[str, ...]


def choices(session: Session) -> Choices:
    issues = tuple(
        (c, label)
        for c, label in session.execute(select(Issue.code, Issue.label).where(Issue.active).order_by(Issue.label))
    )
    partners = tuple(session.scalars(select(PartnerAgency.name).order_by(PartnerAgency.name)))
    return Choices(issues, partners)


def add_visit(
    session: Session,
    ward_id: int,
    day: dt.date,
    auditors: str,
    area: str | None,
    notes: str | None,
    *,
    today: dt.date | None = None,
) -> int:
    """Record a walk once it has been walked (the rules of :mod:`rpdesk.domain.eva_rules`, which the form asks too)."""
    refuse(walk_problems(day=day, auditors=auditors, today=today or dt.date.today()))
    visit = AuditVisit(ward_id=ward_id, date=day, auditors=auditors.strip(), area=area, notes=notes)
    session.add(visit)
    session.flush()
    return visit.id


def _fields(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Form values as column values: issue code and partner name become ids."""
    out = dict(values)
    if "issue" in out:
        code = out.pop("issue")
        issue_id = session.scalar(select(Issue.id).where(Issue.code == code))
        if issue_id is None:
            raise UserError(f"There is no issue '{code}' in the catalogue.")
        out["issue_id"] = issue_id
    if "partner" in out:
        name = out.pop("partner")
        out["partner_id"] = partner_by_name(session, name).id if name else None
    if "status" in out:
        out["status"] = ObservationStatus(out["status"])
    return out


#: A finding's values as the form and the service name them (an edit is checked merged with these).
VALUES = ("issue", "location", "severity", "count", "partner", "reference", "status", "resolved_on")


def add_observation(session: Session, visit_id: int, values: dict[str, Any]) -> int:
    """Add a finding to a walk; refused in words when it breaks a rule of :mod:`rpdesk.domain.eva_rules`."""
    refuse(finding_problems(values))
    row = AuditObservation(visit_id=visit_id, **_fields(session, values))
    session.add(row)
    session.flush()
    return row.id


def get_observation(session: Session, observation_id: int) -> ObservationInfo:
    row = session.get(AuditObservation, observation_id)
    if row is None:
        raise UserError("That EVA observation was deleted by somebody else.")
    return ObservationInfo(
        row.id,
        row.visit_id,
        row.issue.code,
        row.location,
        row.severity,
        row.count,
        row.partner.name if row.partner else None,
        row.reference,
        row.status.value,
        row.resolved_on,
        row.version,
    )


def update_observation(session: Session, observation_id: int, expected_version: int, values: dict[str, Any]) -> int:
    """Save an edit made from the copy read at ``expected_version`` (ConflictError if it moved on).

    The rules are checked on the finding as it would be after the edit (its stored values with the changes).
    """
    stored = get_observation(session, observation_id)
    refuse(finding_problems({**{k: getattr(stored, k) for k in VALUES}, **values}))
    update_row(session, AuditObservation, observation_id, expected_version, _fields(session, values))
    return observation_id
