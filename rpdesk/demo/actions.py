"""Priorities every half year, partner actions in every status, TCG and community meetings."""

from __future__ import annotations

import datetime as dt

from rpdesk.db import models as m
from rpdesk.demo.history import WardHistory, months
from rpdesk.demo.names import ACTION_IDEAS
from rpdesk.domain.vocabulary import ActionStatus, Epic, MeetingKind


def add_priorities_and_actions(h: WardHistory, ward: m.Ward, obs_ids: list[int], officer_names: list[str]) -> None:
    rng, today = h.rng, h.end
    by_code = {i.code: i for i in h.issues}
    period = h.start
    while period <= h.end:
        top = sorted(by_code, key=lambda c: -h.prevalence(c, period))[:3]
        period_end = min(h.end, period + dt.timedelta(days=181))
        for rank, code in enumerate(top, 1):
            pr = m.Priority(
                ward_id=ward.id,
                issue_id=by_code[code].id,
                evidence_rank=rank,
                wording=by_code[code].label,
                period_start=period,
                period_end=None if period_end >= h.end else period_end,
                adopted_on=period,
                adopted_by=officer_names[0],
                status="active" if period_end >= h.end else "closed",
                closed_on=None if period_end >= h.end else period_end,
            )
            h.session.add(pr)
            h.session.flush()
            for _ in range(rng.randint(1, 3)):
                _action(h, ward, pr, code, obs_ids, officer_names, period, today)
        period = period_end + dt.timedelta(days=1)
    for month in months(h.start, h.end + dt.timedelta(days=40)):
        h.session.add(
            m.Meeting(
                ward_id=ward.id,
                kind=MeetingKind.TCG,
                date=month + dt.timedelta(days=9),
                start_time="10:00",
                venue="Police station, briefing room",
            )
        )
        if month.month % 3 == 1:
            h.session.add(
                m.Meeting(
                    ward_id=ward.id,
                    kind=MeetingKind.COMMUNITY,
                    date=month + dt.timedelta(days=16),
                    start_time="19:00",
                    venue=f"{ward.name} Community Centre",
                    attendance=rng.randint(8, 40) if month <= h.end else None,
                )
            )


def _action(
    h: WardHistory,
    ward: m.Ward,
    pr: m.Priority,
    code: str,
    obs_ids: list[int],
    names: list[str],
    period: dt.date,
    today: dt.date,
) -> None:
    rng = h.rng
    partner, title, signal = ACTION_IDEAS.get(code, ("Council street scene", "Joint patrols", "Patrols"))
    created = period + dt.timedelta(days=rng.randrange(30))
    due = created + dt.timedelta(days=rng.randint(14, 90))
    if due < today - dt.timedelta(days=30):
        status = rng.choices([ActionStatus.DONE, ActionStatus.CANCELLED, ActionStatus.BLOCKED], (85, 8, 7))[0]
    else:
        status = rng.choice(list(ActionStatus))
    action = m.PartnerAction(
        ward_id=ward.id,
        priority_id=pr.id,
        observation_id=rng.choice(obs_ids) if obs_ids and rng.random() < 0.3 else None,
        partner_id=h.partners.get(partner),
        title=title,
        owner=rng.choice(names),
        due_date=due,
        review_date=due - dt.timedelta(days=7),
        status=status,
        epic=rng.choice(list(Epic)),
        control_signal=signal,
        public=rng.random() < 0.7,
        created_on=created,
    )
    action.history.append(
        m.ActionStatusChange(changed_on=created, changed_by=action.owner, from_status=None, to_status=ActionStatus.OPEN)
    )
    if status is not ActionStatus.OPEN:
        when = min(today, created + dt.timedelta(days=rng.randint(3, 60)))
        action.history.append(
            m.ActionStatusChange(
                changed_on=when, changed_by=action.owner, from_status=ActionStatus.OPEN, to_status=status
            )
        )
        if status is ActionStatus.DONE:
            action.completed_on = when
            action.outcome = f"Completed: {signal.lower()}."
        elif status is ActionStatus.BLOCKED:
            action.outcome = "Waiting for partner funding decision."
    h.session.add(action)
    h.summary["actions"] += 1
