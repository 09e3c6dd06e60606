"""EVA findings still outstanding (open or referred to a partner), for the pack's table and the card's streets."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import AuditObservation, AuditVisit, Issue, PartnerAgency, Ward
from rpdesk.domain.vocabulary import ObservationStatus
from rpdesk.reports.model import EvaRow

OUTSTANDING = (ObservationStatus.OPEN, ObservationStatus.REFERRED)


def eva_rows(session: Session, ward: Ward, by: dt.date) -> tuple[EvaRow, ...]:
    rows = session.execute(
        select(AuditObservation, AuditVisit.date, Issue.label, PartnerAgency.name)
        .join(AuditVisit, AuditVisit.id == AuditObservation.visit_id)
        .join(Issue, Issue.id == AuditObservation.issue_id)
        .outerjoin(PartnerAgency, PartnerAgency.id == AuditObservation.partner_id)
        .where(AuditVisit.ward_id == ward.id, AuditVisit.date <= by, AuditObservation.status.in_(OUTSTANDING))
    )
    out = [
        EvaRow(
            partner or "No partner assigned",
            o.location,
            label,
            o.severity,
            o.count,
            seen,
            o.status.value.capitalize(),
            o.reference,
        )
        for o, seen, label, partner in rows
    ]
    out.sort(key=lambda e: (e.partner == "No partner assigned", e.partner, e.location, e.seen_on))
    return tuple(out)
