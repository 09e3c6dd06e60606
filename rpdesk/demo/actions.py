"""Priorities adopted from the real ranking after each door-step round; partner actions; meetings.

Priorities go through :func:`rpdesk.services.priorities.adopt_priorities`, so each carries the
rank it had in the ranking it was adopted from (a snapshot of it is kept), and a departure from the
evidence carries its justification. Actions fit their priority and carry the EPIC tag that fits
them; no action is raised, changed or completed after today.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from rpdesk.db import models as m
from rpdesk.demo.history import GAP, WardHistory, months
from rpdesk.demo.names import ACTION_IDEAS
from rpdesk.domain.vocabulary import ActionStatus, Epic, MeetingKind, SurveyMethod

#: Days after a door-step round closes that the TCG adopts priorities from its ranking.
ADOPT_AFTER_DAYS = 21
#: The gap ward's latest adoption departs from the evidence: a social issue the team was pressed on.
DEPARTURE = (
    "speeding",
    "Ward councillors and the primary school raised speeding on the main road at the last two meetings; "
    "a speed survey will show whether residents' evidence agrees.",
)


def add_priorities_and_actions(h: WardHistory, ward: m.Ward, obs_ids: list[int], officer_names: list[str]) -> None:
    _add_meetings(h, ward)
    adoptions = _adoption_rounds(h, ward)
    for k, (rnd, adopted_on) in enumerate(adoptions):
        until = adoptions[k + 1][1] - dt.timedelta(days=1) if k + 1 < len(adoptions) else h.end
        for priority, code in _adopt(h, ward, rnd, adopted_on, officer_names[0], last=k == len(adoptions) - 1):
            # the current period is busiest: that is where overdue, blocked and due-soon actions show
            ideas = ACTION_IDEAS[code]
            wanted = h.rng.randint(1, 2) + (2 if until == h.end else 0)
            for idea in h.rng.sample(ideas, min(len(ideas), wanted)):  # never the same action twice at once
                _action(h, ward, priority, idea, obs_ids, officer_names, adopted_on, until)


def _add_meetings(h: WardHistory, ward: m.Ward) -> None:
    """A TCG on the 10th of every month and a community meeting every quarter, to a month ahead."""
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
            day = month + dt.timedelta(days=16)
            h.session.add(
                m.Meeting(
                    ward_id=ward.id,
                    kind=MeetingKind.COMMUNITY,
                    date=day,
                    start_time="19:00",
                    venue=f"{ward.name} Community Centre",
                    attendance=h.rng.randint(8, 40) if day <= h.end else None,  # only meetings held
                )
            )
    h.session.flush()


def _adoption_rounds(h: WardHistory, ward: m.Ward) -> list[tuple[m.SurveyRound, dt.date]]:
    """The door-step rounds closed long enough before today to have been ranked, with their adoption day."""
    rounds = h.session.scalars(
        select(m.SurveyRound)
        .where(m.SurveyRound.ward_id == ward.id, m.SurveyRound.method == SurveyMethod.DOOR)
        .order_by(m.SurveyRound.start_date)
    )
    out = []
    for rnd in rounds:
        assert rnd.end_date is not None
        day = rnd.end_date + dt.timedelta(days=ADOPT_AFTER_DAYS)
        if day <= h.end:
            out.append((rnd, day))
    return out


def _adopt(
    h: WardHistory, ward: m.Ward, rnd: m.SurveyRound, day: dt.date, sergeant: str, *, last: bool
) -> list[tuple[m.Priority, str]]:
    """Adopt the round's top three as priorities (one departure in the gap ward's latest); those now in force."""
    from rpdesk.services.priorities import adopt_priorities
    from rpdesk.services.signals import rank_signals
    from rpdesk.settings import Settings

    ranking = rank_signals(h.session, ward.code, round_name=rnd.name, settings=Settings())
    codes = [s.issue for s in ranking.top(3)]
    justify: dict[str, str] = {}
    passed: dict[str, str] = {}
    code, why = DEPARTURE
    if last and h.story == GAP and code not in codes:
        passed[codes[-1]] = "Already the subject of a council campaign this quarter; the team keeps it under review."
        codes[-1] = code
        justify[code] = why
    result = adopt_priorities(
        h.session,
        ward.code,
        codes,
        ranking=ranking,
        justifications=justify,
        passed_over=passed,
        period_start=day,
        adopted_on=day,
    )
    _as_of(h, ward, result.snapshot_id, day, sergeant)
    active = h.session.scalars(
        select(m.Priority).where(m.Priority.ward_id == ward.id, m.Priority.status == "active")
    ).all()
    by_id = {i.id: i.code for i in h.issues}
    return [(p, by_id[p.issue_id]) for p in active]


def _as_of(h: WardHistory, ward: m.Ward, snapshot_id: int, day: dt.date, sergeant: str) -> None:
    """Date the adoption's records to the day of the meeting and to the sergeant, as if made then."""
    s = h.session
    s.execute(
        update(m.RankingSnapshot)
        .where(m.RankingSnapshot.id == snapshot_id)
        .values(created_at=dt.datetime.combine(day, dt.time(11, 0)), created_by=sergeant)
    )
    s.execute(
        update(m.Priority)
        .where(m.Priority.ward_id == ward.id, m.Priority.adopted_on == day)
        .values(adopted_by=sergeant)
    )
    s.execute(
        update(m.Priority)
        .where(m.Priority.ward_id == ward.id, m.Priority.closed_on == day)
        .values(period_end=day - dt.timedelta(days=1))
    )
    s.execute(update(m.PassedOverSignal).where(m.PassedOverSignal.decided_on == day).values(decided_by=sergeant))


def _status(h: WardHistory, due: dt.date) -> ActionStatus:
    """Long past due: done or cancelled. Recent: any status, so some are overdue, blocked or due soon."""
    if due < h.end - dt.timedelta(days=45):
        return h.rng.choices([ActionStatus.DONE, ActionStatus.CANCELLED], (88, 12))[0]
    weights = {
        ActionStatus.OPEN: 3,
        ActionStatus.IN_PROGRESS: 3,
        ActionStatus.DONE: 2,
        ActionStatus.BLOCKED: 1,
        ActionStatus.CANCELLED: 0.5,
    }
    return h.rng.choices(list(weights), list(weights.values()))[0]


def _action(
    h: WardHistory,
    ward: m.Ward,
    pr: m.Priority,
    idea: tuple[str, str, str, Epic],
    obs_ids: list[int],
    names: list[str],
    start: dt.date,
    until: dt.date,
) -> None:
    rng, today = h.rng, h.end
    partner, title, signal, epic = idea
    created = min(today, start + dt.timedelta(days=rng.randrange(max(1, (until - start).days + 1))))
    due = created + dt.timedelta(days=rng.randint(14, 60))
    status = _status(h, due)
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
        epic=epic,
        control_signal=signal,
        public=rng.random() < 0.7,
        created_on=created,
    )
    action.history.append(_change(created, action.owner, None, ActionStatus.OPEN, None))
    if status is not ActionStatus.OPEN:
        when = min(today, created + dt.timedelta(days=rng.randint(3, 60)))
        if status is ActionStatus.DONE:
            action.completed_on = when
            action.outcome = f"Done: {signal[0].lower()}{signal[1:]}."
        elif status is ActionStatus.BLOCKED:
            action.outcome = f"Waiting for {partner.lower()} to confirm funding."
        elif status is ActionStatus.CANCELLED:
            action.outcome = "Overtaken by a wider partner plan."
        note = action.outcome if status in (ActionStatus.BLOCKED, ActionStatus.CANCELLED) else None
        action.history.append(_change(when, action.owner, ActionStatus.OPEN, status, note))
    h.session.add(action)
    h.summary["actions"] += 1


def _change(
    day: dt.date, who: str, old: ActionStatus | None, new: ActionStatus, note: str | None
) -> m.ActionStatusChange:
    """A status change recorded on ``day`` (its time stamp too, so nothing is stamped after today)."""
    return m.ActionStatusChange(
        changed_on=day,
        changed_at=dt.datetime.combine(day, dt.time(9, 0)),
        changed_by=who,
        from_status=old,
        to_status=new,
        note=note,
    )
