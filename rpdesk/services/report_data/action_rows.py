"""Actions as printable rows, and the one gate between actions and what residents are told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from rpdesk.db.models import Ward
from rpdesk.domain.vocabulary import ActionStatus, MeetingKind
from rpdesk.reports.model import ActionRow, PublicAction
from rpdesk.services import actions as action_service
from rpdesk.settings import Settings

ACTIVE = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)
TOLD = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)  # what residents may be told of


def _rag(a: action_service.ActionInfo) -> str:
    if a.status == ActionStatus.CANCELLED:
        return "grey"
    if a.status == ActionStatus.DONE:
        return "green"
    if a.overdue or a.status == ActionStatus.BLOCKED:
        return "red"
    return "amber" if a.due_soon else "green"


def action_row(a: action_service.ActionInfo, issue_labels: dict[str, str]) -> ActionRow:
    return ActionRow(
        title=a.title,
        owner=a.owner,
        partner=a.partner,
        due=a.due_date,
        status=a.status_label,
        rag=_rag(a),
        overdue=a.overdue,
        epic=a.epic,
        priority=issue_labels.get(a.priority_issue or ""),
        outcome=a.outcome,
        control_signal=a.control_signal,
        public=a.public,
        completed_on=a.completed_on,
    )


def public_action(a: action_service.ActionInfo, issue_labels: dict[str, str]) -> PublicAction:
    """The one gate between actions and what residents are told: public, and done or under way.

    A blocked or cancelled action is not something residents can be told is happening.
    """
    if not a.public:
        raise ValueError("a non-public action cannot become a PublicAction")
    if a.status not in TOLD:
        raise ValueError(f"a {a.status} action cannot be told to residents")
    done = a.status == ActionStatus.DONE
    return PublicAction(
        a.title,
        a.control_signal,
        a.partner,
        a.completed_on if done else None,
        issue_labels.get(a.priority_issue or ""),
        a.outcome if done else None,
    )


def told_of(actions: Sequence[action_service.ActionInfo]) -> list[action_service.ActionInfo]:
    """The public actions residents may be told of: done or under way (never blocked or cancelled)."""
    return [a for a in actions if a.public and a.status in TOLD]


def done_since_community_meeting(
    session: Session, ward: Ward, as_at: dt.date, settings: Settings
) -> tuple[action_service.ActionInfo, ...]:
    """Public actions done since the ward's last community meeting before ``as_at``: the news residents last
    heard of, which the briefing reports as "We did" and the card as what residents have been told."""
    return action_service.completed_since_last_meeting(
        session,
        ward.code,
        today=as_at,
        kind=MeetingKind.COMMUNITY,
        public_only=True,
        due_soon_days=settings.due_soon_days,
    ).actions
