"""Surveys page data: the ward's rounds and the issues a paper form asks about."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import Issue
from rpdesk.services.signals import RoundInfo, list_rounds


@dataclass(frozen=True)
class IssueChoice:
    code: str
    label: str


def surveys_overview(session: Session, ward_code: str) -> tuple[list[RoundInfo], list[IssueChoice]]:
    """The ward's rounds (oldest first) and the active issues a form asks about."""
    issues = [
        IssueChoice(c, label)
        for c, label in session.execute(select(Issue.code, Issue.label).where(Issue.active).order_by(Issue.id))
    ]
    return list_rounds(session, ward_code), issues
