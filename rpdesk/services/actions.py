"""Partner actions: what partners and the team promised to do about each signal, and whether they did.

Public API (every function takes a SQLAlchemy ``Session``; returns frozen dataclasses):

Reading:
- ``list_actions(session, *, ward=None, statuses=None, overdue=False, due_soon=False, active=False,
  public=None, today=None, due_soon_days) -> list[ActionInfo]`` — ``ward`` an ONS code;
  ``statuses`` an iterable of :class:`ActionStatus` or their codes; ``overdue``/``due_soon``/``active``
  keep only those; ``public`` True/False filters on the public flag. Sorted overdue first, then by
  due date (undated last). ``due_soon_days`` is the force's setting, which the caller holds.
- ``overdue_actions(session, *, ward=None, today=None, due_soon_days) -> list[ActionInfo]`` — the same,
  overdue only.
- ``get_action(session, action_id, *, today=None, due_soon_days=<the setting's default>) -> ActionInfo``;
  writes return it too, with the same keyword.
- ``action_history(session, action_id) -> list[StatusChangeInfo]`` — oldest first.
- ``completed_since_last_meeting(session, ward, *, due_soon_days, today=None, kind=None, public_only=False)
  -> CompletedSince`` — actions done after the ward's last meeting before ``today`` (of ``kind``,
  a :class:`MeetingKind`, if given), for the "we did" part of briefings.
- ``actions_and_partners(session, ward, *, due_soon_days) -> (list[ActionInfo], list[str])`` — what the
  Actions page lists and the partner names its form offers.
- ``count_actions(listed) -> ActionCounts`` — active, overdue and due soon among ``listed``: the one
  count the dashboard, the tasking pack and the Actions page give (``is_active(action)`` says which).

Writing (edits take the ``version`` the caller read; a concurrent change raises ``ConflictError``):
- ``add_action(session, ward, title, owner, *, partner=None, priority_id=None, observation_id=None,
  due_date=None, review_date=None, epic=None, control_signal=None, public=False, created_on=None,
  changed_by=None) -> ActionInfo`` — ``partner`` is a partner agency's name (added if new). A review
  date may not fall after the due date, and a public action needs its control signal (residents read it):
  the rules of :mod:`rpdesk.domain.action_rules`, which the action form asks too.
- ``update_action(session, action_id, expected_version, changes, *, note=None, changed_by=None,
  today=None) -> ActionInfo`` — ``changes`` maps field names (``EDITABLE``, plus ``status``) to values;
  a status change follows :mod:`rpdesk.domain.action_status` and is added to the history.
- ``change_status(session, action_id, expected_version, status, *, note=None, outcome=None,
  changed_by=None, today=None) -> ActionInfo``.
- ``close_action(session, action_id, expected_version, outcome, *, note=None, changed_by=None,
  today=None) -> ActionInfo`` — marks it done with its outcome.

Partners: ``list_partners(session) -> list[PartnerInfo]``, ``add_partner(session, name, *, kind=None,
contact=None) -> PartnerInfo``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rpdesk.db.changelog import os_user
from rpdesk.db.editing import update_row
from rpdesk.db.models import (
    ActionStatusChange,
    AuditObservation,
    AuditVisit,
    Issue,
    Meeting,
    PartnerAction,
    PartnerAgency,
    Priority,
    Ward,
)
from rpdesk.domain.action_rules import action_problems
from rpdesk.domain.action_status import (
    ACTIVE,
    check_transition,
    is_due_soon,
    is_overdue,
    parse_status,
)
from rpdesk.domain.vocabulary import ACTION_STATUS_LABELS, ActionStatus, Epic, MeetingKind
from rpdesk.errors import UserError, refuse
from rpdesk.services.wards import get_ward
from rpdesk.settings import Settings

#: Fields ``update_action`` may change besides ``status``.
EDITABLE: frozenset[str] = frozenset(
    {
        "title",
        "owner",
        "partner",
        "priority_id",
        "observation_id",
        "due_date",
        "review_date",
        "epic",
        "outcome",
        "control_signal",
        "public",
    }
)


@dataclass(frozen=True)
class ActionInfo:
    id: int
    ward: str
    ward_name: str
    title: str
    owner: str
    partner: str | None
    priority_id: int | None
    priority_issue: str | None  # the issue code of the linked priority
    observation_id: int | None
    due_date: dt.date | None
    review_date: dt.date | None
    status: str  # ActionStatus value
    status_label: str
    epic: str | None
    outcome: str | None
    control_signal: str | None
    public: bool
    created_on: dt.date
    completed_on: dt.date | None
    overdue: bool
    due_soon: bool
    days_overdue: int | None
    version: int

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class StatusChangeInfo:
    changed_on: dt.date
    changed_at: dt.datetime
    changed_by: str
    from_status: str | None
    to_status: str
    note: str | None


@dataclass(frozen=True)
class CompletedSince:
    """Actions done since the last meeting (``since`` is None when the ward has had no meeting yet)."""

    since: dt.date | None
    actions: tuple[ActionInfo, ...]


@dataclass(frozen=True)
class PartnerInfo:
    id: int
    name: str
    kind: str | None
    contact: str | None
    version: int


# --- settings and lookups ----------------------------------------------------------------------


DUE_SOON_DAYS: int = Settings.due_soon_days.default
"""What an action returned by a write is flagged against; readers pass the force's own setting."""


def _statuses(values: Iterable[ActionStatus | str]) -> list[ActionStatus]:
    return [v if isinstance(v, ActionStatus) else parse_status(v) for v in values]


def _epic(value: Epic | str | None) -> Epic | None:
    if value is None or isinstance(value, Epic):
        return value
    text = value.strip().casefold()
    if not text:
        return None
    for epic in Epic:
        if epic.value == text or (epic.value.startswith(text) and len(text) == 1):
            return epic
    raise UserError(f"'{value}' is not an EPIC tag. Valid tags: {', '.join(e.value for e in Epic)}.")


def partner_by_name(session: Session, name: str, *, create: bool = True) -> PartnerAgency:
    """The partner agency called ``name`` (any case); added when new and ``create``."""
    clean = " ".join(name.split())
    if not clean:
        raise UserError("A partner agency needs a name.")
    partner = session.scalar(select(PartnerAgency).where(func.lower(PartnerAgency.name) == clean.casefold()))
    if partner is None:
        if not create:
            raise UserError(f"There is no partner agency called '{clean}'.")
        partner = PartnerAgency(name=clean)
        session.add(partner)
        session.flush()
    return partner


def _partner_info(p: PartnerAgency) -> PartnerInfo:
    return PartnerInfo(p.id, p.name, p.kind, p.contact, p.version)


def actions_and_partners(session: Session, ward: str, *, due_soon_days: int) -> tuple[list[ActionInfo], list[str]]:
    """The ward's actions (overdue first), and the partner names an action's form offers."""
    return list_actions(session, ward=ward, due_soon_days=due_soon_days), [p.name for p in list_partners(session)]


def list_partners(session: Session) -> list[PartnerInfo]:
    return [_partner_info(p) for p in session.scalars(select(PartnerAgency).order_by(PartnerAgency.name))]


def add_partner(session: Session, name: str, *, kind: str | None = None, contact: str | None = None) -> PartnerInfo:
    """Add a partner agency (names are unique, regardless of case)."""
    clean = " ".join(name.split())
    if session.scalar(select(PartnerAgency.id).where(func.lower(PartnerAgency.name) == clean.casefold())):
        raise UserError(f"A partner agency called '{clean}' already exists.")
    partner = partner_by_name(session, clean)
    partner.kind, partner.contact = kind or None, contact or None
    session.flush()
    return _partner_info(partner)


def _check_links(session: Session, ward_id: int, priority_id: int | None, observation_id: int | None) -> None:
    """A linked priority or EVA observation must exist and belong to the action's ward."""
    if priority_id is not None:
        owner = session.scalar(select(Priority.ward_id).where(Priority.id == priority_id))
        if owner is None:
            raise UserError(
                f"There is no priority with id {priority_id}. 'rpdesk-cli priorities list --ward CODE' shows the ids; "
                "'rpdesk-cli priorities adopt' makes priorities."
            )
        if owner != ward_id:
            raise UserError(f"Priority {priority_id} belongs to another ward.")
    if observation_id is not None:
        owner = session.scalar(
            select(AuditVisit.ward_id)
            .join(AuditObservation, AuditObservation.visit_id == AuditVisit.id)
            .where(AuditObservation.id == observation_id)
        )
        if owner is None:
            raise UserError(f"There is no EVA observation with id {observation_id}.")
        if owner != ward_id:
            raise UserError(f"EVA observation {observation_id} belongs to another ward.")


# --- reading -----------------------------------------------------------------------------------


def _query() -> Any:
    return (
        select(PartnerAction, Ward.code, Ward.name, PartnerAgency.name, Issue.code)
        .join(Ward, Ward.id == PartnerAction.ward_id)
        .outerjoin(PartnerAgency, PartnerAgency.id == PartnerAction.partner_id)
        .outerjoin(Priority, Priority.id == PartnerAction.priority_id)
        .outerjoin(Issue, Issue.id == Priority.issue_id)
    )


def _info(row: Any, today: dt.date, soon_days: int, status: ActionStatus | None = None) -> ActionInfo:
    """``status`` is the action's status at ``today`` when that is a past date (its current one otherwise)."""
    a, code, ward_name, partner, issue = row
    status = status or a.status
    overdue = is_overdue(status, a.due_date, today)
    return ActionInfo(
        id=a.id,
        ward=code,
        ward_name=ward_name,
        title=a.title,
        owner=a.owner,
        partner=partner,
        priority_id=a.priority_id,
        priority_issue=issue,
        observation_id=a.observation_id,
        due_date=a.due_date,
        review_date=a.review_date,
        status=status.value,
        status_label=ACTION_STATUS_LABELS[status],
        epic=a.epic.value if a.epic else None,
        outcome=a.outcome,
        control_signal=a.control_signal,
        public=a.public,
        created_on=a.created_on,
        completed_on=a.completed_on if status is ActionStatus.DONE else None,
        overdue=overdue,
        due_soon=is_due_soon(status, a.due_date, today, soon_days),
        days_overdue=(today - a.due_date).days if overdue and a.due_date else None,
        version=a.version,
    )


@dataclass(frozen=True)
class ActionCounts:
    """Active actions (neither done nor cancelled), and of those how many are overdue and due soon."""

    active: int
    overdue: int
    due_soon: int


def is_active(action: ActionInfo) -> bool:
    """Whether an action is still to be done (done and cancelled are final)."""
    return ActionStatus(action.status) in ACTIVE


def count_actions(listed: Iterable[ActionInfo]) -> ActionCounts:
    """Active, overdue and due-soon actions among ``listed``, so every view counts them the same way."""
    active = [a for a in listed if is_active(a)]
    return ActionCounts(len(active), sum(a.overdue for a in active), sum(a.due_soon for a in active))


def _sort_key(a: ActionInfo) -> tuple[Any, ...]:
    return (not a.overdue, a.due_date is None, a.due_date or dt.date.max, a.ward, a.id)


def list_actions(
    session: Session,
    *,
    ward: str | None = None,
    statuses: Iterable[ActionStatus | str] | None = None,
    overdue: bool = False,
    due_soon: bool = False,
    active: bool = False,
    public: bool | None = None,
    today: dt.date | None = None,
    due_soon_days: int,
) -> list[ActionInfo]:
    """Actions matching every filter given, overdue first, then by due date.

    A past ``today`` (an as-at date) lists the actions as they stood that day: those raised by then,
    each with the status its history gives for that day, so a pack re-printed for last month's
    meeting counts what was overdue then, not what is overdue now.
    """
    now = dt.date.today()
    today = today or now
    stmt = _query()
    if ward:
        stmt = stmt.where(PartnerAction.ward_id == get_ward(session, ward).id)
    if public is not None:
        stmt = stmt.where(PartnerAction.public.is_(public))
    if today < now:
        infos = _as_they_stood(session, stmt, today, due_soon_days)
    else:
        infos = [_info(r, today, due_soon_days) for r in session.execute(stmt)]
    wanted = set(_statuses(statuses)) if statuses is not None else None
    if active or overdue or due_soon:
        wanted = (wanted or set(ActionStatus)) & ACTIVE
    kept = [
        a
        for a in infos
        if (wanted is None or ActionStatus(a.status) in wanted)
        and (not overdue or a.overdue)
        and (not due_soon or a.due_soon)
    ]
    return sorted(kept, key=_sort_key)


def _as_they_stood(session: Session, stmt: Any, day: dt.date, due_soon_days: int) -> list[ActionInfo]:
    """The actions raised by ``day``, each with its status on ``day`` from its history."""
    rows = [r for r in session.execute(stmt.where(PartnerAction.created_on <= day))]
    status_on = _statuses_on(session, [r[0].id for r in rows], day)
    return [_info(r, day, due_soon_days, status_on.get(r[0].id, ActionStatus.OPEN)) for r in rows]


def _statuses_on(session: Session, action_ids: list[int], day: dt.date) -> dict[int, ActionStatus]:
    """Each action's last recorded status on or before ``day`` (an action with none was still open)."""
    found: dict[int, ActionStatus] = {}
    for chunk in (action_ids[i : i + 500] for i in range(0, len(action_ids), 500)):
        changes = session.execute(
            select(ActionStatusChange.action_id, ActionStatusChange.to_status)
            .where(ActionStatusChange.action_id.in_(chunk), ActionStatusChange.changed_on <= day)
            .order_by(ActionStatusChange.changed_on, ActionStatusChange.id)
        )
        found.update({action_id: status for action_id, status in changes})
    return found


def overdue_actions(
    session: Session, *, ward: str | None = None, today: dt.date | None = None, due_soon_days: int
) -> list[ActionInfo]:
    """Active actions past their due date, most overdue first."""
    return list_actions(session, ward=ward, overdue=True, today=today, due_soon_days=due_soon_days)


def get_action(
    session: Session, action_id: int, *, today: dt.date | None = None, due_soon_days: int = DUE_SOON_DAYS
) -> ActionInfo:
    row = session.execute(_query().where(PartnerAction.id == action_id)).first()
    if row is None:
        raise UserError(f"There is no action with id {action_id}. 'rpdesk-cli actions list' shows the ids.")
    return _info(row, today or dt.date.today(), due_soon_days)


def action_history(session: Session, action_id: int) -> list[StatusChangeInfo]:
    """Every status change of the action, oldest first."""
    changes = session.scalars(
        select(ActionStatusChange).where(ActionStatusChange.action_id == action_id).order_by(ActionStatusChange.id)
    )
    return [
        StatusChangeInfo(
            c.changed_on,
            c.changed_at,
            c.changed_by,
            c.from_status.value if c.from_status else None,
            c.to_status.value,
            c.note,
        )
        for c in changes
    ]


def completed_since_last_meeting(
    session: Session,
    ward: str,
    *,
    due_soon_days: int,
    today: dt.date | None = None,
    kind: MeetingKind | None = None,
    public_only: bool = False,
) -> CompletedSince:
    """Actions done after the ward's last meeting before ``today`` (all done ones if it has had none)."""
    today = today or dt.date.today()
    ward_id = get_ward(session, ward).id
    last = select(func.max(Meeting.date)).where(Meeting.ward_id == ward_id, Meeting.date < today)
    if kind is not None:
        last = last.where(Meeting.kind == kind)
    since = session.scalar(last)
    stmt = _query().where(PartnerAction.ward_id == ward_id, PartnerAction.status == ActionStatus.DONE)
    stmt = stmt.where(PartnerAction.completed_on <= today)
    if since is not None:
        stmt = stmt.where(PartnerAction.completed_on > since)
    if public_only:
        stmt = stmt.where(PartnerAction.public.is_(True))
    rows = sorted((_info(r, today, due_soon_days) for r in session.execute(stmt)), key=lambda a: (a.completed_on, a.id))
    return CompletedSince(since, tuple(rows))


# --- writing -----------------------------------------------------------------------------------


def _record_change(
    action: PartnerAction,
    old: ActionStatus | None,
    new: ActionStatus,
    *,
    today: dt.date,
    changed_by: str | None,
    note: str | None,
) -> None:
    action.history.append(
        ActionStatusChange(
            changed_on=today, changed_by=changed_by or os_user(), from_status=old, to_status=new, note=note or None
        )
    )


def add_action(
    session: Session,
    ward: str,
    title: str,
    owner: str,
    *,
    partner: str | None = None,
    priority_id: int | None = None,
    observation_id: int | None = None,
    due_date: dt.date | None = None,
    review_date: dt.date | None = None,
    epic: Epic | str | None = None,
    control_signal: str | None = None,
    public: bool = False,
    created_on: dt.date | None = None,
    changed_by: str | None = None,
) -> ActionInfo:
    """Add an open action to a ward; its history starts with "open"."""
    created = created_on or dt.date.today()
    refuse(
        action_problems(
            title=title,
            owner=owner,
            due=due_date,
            review=review_date,
            created=created,
            public=public,
            control_signal=control_signal,
        )
    )
    ward_row = get_ward(session, ward)
    _check_links(session, ward_row.id, priority_id, observation_id)
    action = PartnerAction(
        ward_id=ward_row.id,
        title=title.strip(),
        owner=owner.strip(),
        partner_id=partner_by_name(session, partner).id if partner else None,
        priority_id=priority_id,
        observation_id=observation_id,
        due_date=due_date,
        review_date=review_date,
        status=ActionStatus.OPEN,
        epic=_epic(epic),
        control_signal=control_signal or None,
        public=public,
        created_on=created,
    )
    _record_change(action, None, ActionStatus.OPEN, today=created, changed_by=changed_by, note=None)
    session.add(action)
    session.flush()
    return get_action(session, action.id, today=created)


def _field_changes(session: Session, action: PartnerAction, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The ORM column changes for ``changes`` (field names as in ActionInfo), checked."""
    unknown = set(changes) - EDITABLE - {"status"}
    if unknown:
        raise UserError(
            f"Cannot change {', '.join(sorted(unknown))} of an action; editable: {', '.join(sorted(EDITABLE))}."
        )
    out: dict[str, Any] = {k: v for k, v in changes.items() if k != "status"}
    refuse(
        action_problems(
            title=out.get("title"),
            owner=out.get("owner"),
            due=out.get("due_date", action.due_date),
            review=out.get("review_date", action.review_date),
            created=action.created_on,
            public=out.get("public", action.public),
            control_signal=out.get("control_signal", action.control_signal),
        )
    )
    for key in ("title", "owner"):
        if key in out:
            out[key] = out[key].strip()
    if "partner" in out:
        name = out.pop("partner")
        out["partner_id"] = partner_by_name(session, name).id if name else None
    if "epic" in out:
        out["epic"] = _epic(out["epic"])
    _check_links(session, action.ward_id, out.get("priority_id"), out.get("observation_id"))
    return out


def update_action(
    session: Session,
    action_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
    *,
    note: str | None = None,
    changed_by: str | None = None,
    today: dt.date | None = None,
) -> ActionInfo:
    """Change fields (and optionally the status) of an action read at ``expected_version``."""
    today = today or dt.date.today()
    action = session.get(PartnerAction, action_id)
    if action is None:
        raise UserError(f"There is no action with id {action_id}. 'rpdesk-cli actions list' shows the ids.")
    fields = _field_changes(session, action, changes)
    if "status" in changes and changes["status"] is not None:
        new = _statuses([changes["status"]])[0]
        outcome = fields.get("outcome", action.outcome)
        check_transition(action.status, new, note=note, outcome=outcome)
        fields["status"] = new
        fields["completed_on"] = today if new is ActionStatus.DONE else None
        old = action.status
    else:
        old = None
    row = update_row(session, PartnerAction, action_id, expected_version, fields)
    if old is not None:
        _record_change(row, old, row.status, today=today, changed_by=changed_by, note=note)
        session.flush()
    return get_action(session, action_id, today=today)


def change_status(
    session: Session,
    action_id: int,
    expected_version: int,
    status: ActionStatus | str,
    *,
    note: str | None = None,
    outcome: str | None = None,
    changed_by: str | None = None,
    today: dt.date | None = None,
) -> ActionInfo:
    """Move an action to ``status`` under the status-flow rules; ``outcome`` sets its outcome text too."""
    changes: dict[str, Any] = {"status": status}
    if outcome is not None:
        changes["outcome"] = outcome
    return update_action(session, action_id, expected_version, changes, note=note, changed_by=changed_by, today=today)


def close_action(
    session: Session,
    action_id: int,
    expected_version: int,
    outcome: str,
    *,
    note: str | None = None,
    changed_by: str | None = None,
    today: dt.date | None = None,
) -> ActionInfo:
    """Mark an action done with the outcome residents will read."""
    return change_status(
        session,
        action_id,
        expected_version,
        ActionStatus.DONE,
        note=note,
        outcome=outcome,
        changed_by=changed_by,
        today=today,
    )
