"""The issue catalogue as the forms and pages offer it: code and label, in the order a person reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import Issue


@dataclass(frozen=True)
class IssueChoice:
    code: str
    label: str


def issue_choices(
    session: Session, *, active_only: bool = True, order: Literal["label", "catalogue"] = "label"
) -> list[IssueChoice]:
    """The catalogue's issues (only the active ones unless ``active_only`` is False).

    ``order`` ``"label"`` sorts alphabetically (pick lists); ``"catalogue"`` keeps the catalogue's
    own order (a paper form asks in the order residents see it).
    """
    stmt = select(Issue.code, Issue.label)
    if active_only:
        stmt = stmt.where(Issue.active.is_(True))
    stmt = stmt.order_by(Issue.label if order == "label" else Issue.id)
    return [IssueChoice(code, label) for code, label in session.execute(stmt)]
