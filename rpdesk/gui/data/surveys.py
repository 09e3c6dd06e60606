"""Surveys page data: the ward's rounds and the issues a paper form asks about."""

from __future__ import annotations

from sqlalchemy.orm import Session

from rpdesk.services.issues import IssueChoice, issue_choices
from rpdesk.services.signals import RoundInfo, list_rounds

__all__ = ["IssueChoice", "surveys_overview"]


def surveys_overview(session: Session, ward_code: str) -> tuple[list[RoundInfo], list[IssueChoice]]:
    """The ward's rounds (oldest first) and the active issues a form asks about, in catalogue order."""
    return list_rounds(session, ward_code), issue_choices(session, order="catalogue")
