"""EVA walks: most months, finding the ward's physical and visible signals."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rpdesk.db import models as m
from rpdesk.demo.history import WardHistory, months
from rpdesk.demo.names import STREETS, partner_for
from rpdesk.domain.vocabulary import IssueKind, ObservationStatus


def add_audits(h: WardHistory, ward: m.Ward, officers: list[str]) -> list[int]:
    rng = h.rng
    physical = [
        i
        for i in h.issues
        if i.kind is IssueKind.PHYSICAL or i.code in ("youths_hanging_around", "drugs", "drunk_rowdy")
    ]
    obs_ids: list[int] = []
    for month in months(h.start, h.end):
        if rng.random() < 0.35:
            continue
        visit = m.AuditVisit(
            ward_id=ward.id,
            date=min(h.end, month + dt.timedelta(days=rng.randrange(27))),
            auditors=", ".join(rng.sample(officers, min(2, len(officers)))) + ", resident rep",
            area=rng.choice(STREETS),
        )
        h.session.add(visit)
        weights = [h.prevalence(i.code, month) + 0.02 for i in physical]
        for _ in range(rng.randint(3, 9)):
            issue = rng.choices(physical, weights)[0]
            age = (h.end - visit.date).days
            status = (
                ObservationStatus.RESOLVED
                if age > 120 and rng.random() < 0.8
                else rng.choice(
                    [
                        ObservationStatus.OPEN,
                        ObservationStatus.REFERRED,
                        ObservationStatus.RESOLVED,
                        ObservationStatus.NO_ACTION,
                    ]
                )
            )
            resolved_on = visit.date + dt.timedelta(days=rng.randint(3, 40))
            if status is ObservationStatus.RESOLVED and resolved_on > h.end:
                status = ObservationStatus.REFERRED  # not resolved yet: nothing is resolved in the future
            partner = partner_for(issue.code)
            visit.observations.append(
                m.AuditObservation(
                    issue_id=issue.id,
                    location=f"{rng.choice(STREETS)}, near no. {rng.randint(1, 120)}",
                    easting=round(rng.uniform(350000, 352000)),
                    northing=round(rng.uniform(170000, 172000)),
                    severity=rng.choices((1, 2, 3, 4, 5), (2, 4, 5, 3, 1))[0],
                    count=rng.randint(1, 4),
                    partner_id=h.partners.get(partner),
                    reference=f"CRM-{rng.randint(100000, 999999)}",
                    status=status,
                    resolved_on=resolved_on if status is ObservationStatus.RESOLVED else None,
                )
            )
        h.summary["observations"] += len(visit.observations)
    h.session.flush()
    obs_ids = list(
        h.session.scalars(select(m.AuditObservation.id).join(m.AuditVisit).where(m.AuditVisit.ward_id == ward.id))
    )
    return obs_ids
