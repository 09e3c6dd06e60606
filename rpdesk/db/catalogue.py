"""The issue catalogue and partner list a new database starts with, and checks that they are sound.

Reference data seeded with the schema, so it lives beside the models: opening a new database
needs it, and the database layer never reaches up into services.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import Issue, IssueCrimeType, PartnerAgency
from rpdesk.domain.catalogue import DEFAULT_ISSUES, DEFAULT_PARTNERS, POLICE_UK_CRIME_TYPES


def ensure_default_catalogue(session: Session) -> int:
    """Add any default issue or partner missing from the database; return how many were added.

    Existing entries are left as the force edited them.
    """
    have = set(session.scalars(select(Issue.code)))
    added = 0
    for seed in DEFAULT_ISSUES:
        if seed.code in have:
            continue
        issue = Issue(code=seed.code, label=seed.label, label_cy=seed.label_cy, kind=seed.kind)
        issue.crime_types = [IssueCrimeType(crime_type=t) for t in seed.crime_types]
        session.add(issue)
        added += 1
    partners = set(session.scalars(select(PartnerAgency.name)))
    for name, kind in DEFAULT_PARTNERS:
        if name not in partners:
            session.add(PartnerAgency(name=name, kind=kind))
            added += 1
    session.flush()
    return added


def catalogue_problems(session: Session) -> list[str]:
    """What is wrong with the catalogue: no issues at all, or crime types police.uk does not use."""
    problems: list[str] = []
    if session.scalar(select(Issue.id).limit(1)) is None:
        problems.append("the issue catalogue is empty")
    for code, crime_type in session.execute(select(Issue.code, IssueCrimeType.crime_type).join(IssueCrimeType.issue)):
        if crime_type not in POLICE_UK_CRIME_TYPES:
            problems.append(f"issue {code} maps to '{crime_type}', which is not a police.uk crime type")
    return problems
