"""Gather what each document prints, as plain frozen dataclasses (:mod:`rpdesk.reports.model`).

The documents never see a session or an ORM object: this module reads the database once, calls the
signals, actions and abstractions services for their figures (it does no ranking, interval or
ring-fence maths of its own) and hands back values a report can print from any thread.

What may reach the public briefing is decided here, in one place: only actions flagged public,
only officers' names, roles and official contact, only aggregate counts of residents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rpdesk.db.changelog import os_user
from rpdesk.db.models import (
    AuditObservation,
    AuditVisit,
    CrimeRecord,
    Issue,
    Meeting,
    Officer,
    PartnerAgency,
    Posting,
    RecordPlace,
    Ward,
)
from rpdesk.domain import contacts
from rpdesk.domain.periods import add_months, as_at_for
from rpdesk.domain.ranking import SOURCES, method_lines
from rpdesk.domain.vocabulary import ActionStatus, MeetingKind, ObservationStatus
from rpdesk.errors import UserError
from rpdesk.reports.model import (
    Abstractions,
    ActionRow,
    AssumptionCheck,
    BriefingData,
    CardData,
    ConfidenceItem,
    ConfidenceRound,
    EvaRow,
    MeetingInfo,
    MonthCount,
    MonthShare,
    OfficerTime,
    PassedOverRow,
    PriorityRow,
    PublicAction,
    PublicPriority,
    ReasonHours,
    ReassuranceGap,
    RoundSize,
    SignalRow,
    TaskingData,
    TeamMember,
    WardHeading,
)
from rpdesk.services import abstractions as abstraction_service
from rpdesk.services import actions as action_service
from rpdesk.services import assessment as assessment_service
from rpdesk.services import confidence as confidence_service
from rpdesk.services import expectations as expectation_service
from rpdesk.services import officers as officer_service
from rpdesk.services import periods, report_maps
from rpdesk.services import priorities as priority_service
from rpdesk.services import signals as signal_service
from rpdesk.services import snapshots as snapshot_service
from rpdesk.services.activity import activity_rows
from rpdesk.services.wards import get_ward
from rpdesk.settings import Settings

ACTIVE = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)
TOLD = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)  # what residents may be told of
OUTSTANDING = (ObservationStatus.OPEN, ObservationStatus.REFERRED)
DEFAULT_PERIOD_DAYS = 28


# --- meetings ----------------------------------------------------------------------------------


def meeting_info(m: Meeting) -> MeetingInfo:
    return MeetingInfo(m.id, m.kind.value, m.date, m.start_time, m.venue)


def find_meeting(
    session: Session, ward: Ward, kind: MeetingKind, on: dt.date | None, *, today: dt.date | None = None
) -> Meeting:
    """The ward's ``kind`` meeting on ``on``; without a date, the next one from today, else the latest."""
    base = select(Meeting).where(Meeting.ward_id == ward.id, Meeting.kind == kind)
    if on is not None:
        found = session.scalars(base.where(Meeting.date == on).order_by(Meeting.id)).first()
        if found is None:
            dates = session.scalars(base.with_only_columns(Meeting.date).order_by(Meeting.date.desc()).limit(5)).all()
            listed = ", ".join(d.isoformat() for d in dates) or "none recorded"
            word = "tasking (TCG)" if kind is MeetingKind.TCG else "community"
            raise UserError(f"Ward {ward.code} has no {word} meeting on {on}. Latest meetings: {listed}.")
        return found
    today = today or dt.date.today()
    upcoming = session.scalars(base.where(Meeting.date >= today).order_by(Meeting.date)).first()
    latest = upcoming or session.scalars(base.order_by(Meeting.date.desc())).first()
    if latest is None:
        raise UserError(
            f"Ward {ward.code} has no {kind.value} meeting recorded; add one with 'rpdesk-cli meetings add --ward "
            f"{ward.code} --kind {kind.value} --date DATE' or on the Meetings & Reports page first."
        )
    return latest


def _previous_meeting_date(session: Session, ward: Ward, meeting: Meeting) -> dt.date | None:
    return session.scalar(
        select(func.max(Meeting.date)).where(
            Meeting.ward_id == ward.id, Meeting.kind == meeting.kind, Meeting.date < meeting.date
        )
    )


def _next_meeting(session: Session, ward: Ward, after: dt.date, kind: MeetingKind) -> MeetingInfo | None:
    m = session.scalars(
        select(Meeting)
        .where(Meeting.ward_id == ward.id, Meeting.kind == kind, Meeting.date > after)
        .order_by(Meeting.date)
    ).first()
    return meeting_info(m) if m else None


def _heading(ward: Ward) -> WardHeading:
    return WardHeading(ward.code, ward.name, ward.neighbourhood)


# --- signals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rounds:
    """The survey rounds a document draws on: the latest one finished by the meeting, and the one before."""

    all: tuple[signal_service.RoundInfo, ...]
    latest: signal_service.RoundInfo | None
    previous: signal_service.RoundInfo | None


def _rounds(session: Session, ward: Ward, by: dt.date) -> _Rounds:
    infos = [
        r
        for r in signal_service.list_rounds(session, ward.code)
        if r.respondents and (r.start_date or dt.date.min) <= by
    ]
    infos.sort(key=lambda r: (r.end_date or r.start_date or dt.date.min, r.name))
    latest = infos[-1] if infos else None
    previous = infos[-2] if len(infos) > 1 else None
    return _Rounds(tuple(infos), latest, previous)


def _last_snapshot(session: Session, ward: Ward, before: dt.date) -> tuple[str, dict[str, int]] | None:
    """The name and ranks of the ward's newest ranking snapshot saved before ``before``."""
    for snap in snapshot_service.list_snapshots(session, ward.code):  # newest first
        if snap.created_at.date() < before:
            ranking = snapshot_service.load_snapshot(session, snap.id)
            return snap.name, {s.issue: s.rank for s in ranking.signals}
    return None


def _signal_rows(
    ranking: signal_service.Ranking, earlier: dict[str, int] | None, labels_cy: dict[str, str]
) -> tuple[SignalRow, ...]:
    """The ranking's signals; ``earlier`` (issue -> rank) gives each one's movement since then."""
    rows = []
    for s in ranking.signals:
        if s.respondents == 0 and s.audit == 0 and not s.recorded:
            continue  # nobody mentioned it and nothing was seen: not a signal in this period
        was = earlier.get(s.issue) if earlier is not None else None
        rows.append(
            SignalRow(
                rank=s.rank,
                issue=s.issue,
                label=s.label,
                label_cy=labels_cy.get(s.issue),
                kind=s.kind,
                score=s.score,
                respondents=s.respondents,
                prevalence=s.prevalence,
                prevalence_low=s.prevalence_low if s.respondents else None,
                prevalence_high=s.prevalence_high if s.respondents else None,
                effect=s.effect,
                audit_per_walk=s.audit_per_walk,
                recorded=s.recorded,
                recorded_previous=s.recorded_previous,
                recorded_p=s.recorded_p,
                flags=s.flag_text + (("new",) if earlier is not None and was is None else ()),
                swaps_with=s.swaps_with,
                movement=None if was is None else was - s.rank,
            )
        )
    return tuple(rows)


def _issue_labels(session: Session) -> dict[str, str]:
    return {code: label for code, label in session.execute(select(Issue.code, Issue.label))}


def _welsh_labels(session: Session) -> dict[str, str]:
    return {code: cy for code, cy in session.execute(select(Issue.code, Issue.label_cy)) if cy}


# --- actions -----------------------------------------------------------------------------------


def _rag(a: action_service.ActionInfo) -> str:
    if a.status == ActionStatus.CANCELLED:
        return "grey"
    if a.status == ActionStatus.DONE:
        return "green"
    if a.overdue or a.status == ActionStatus.BLOCKED:
        return "red"
    return "amber" if a.due_soon else "green"


def _action_row(a: action_service.ActionInfo, issue_labels: dict[str, str]) -> ActionRow:
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


def _public_action(a: action_service.ActionInfo, issue_labels: dict[str, str]) -> PublicAction:
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


def _told(actions: Sequence[action_service.ActionInfo]) -> list[action_service.ActionInfo]:
    """The public actions residents may be told of: done or under way (never blocked or cancelled)."""
    return [a for a in actions if a.public and a.status in TOLD]


def _review_actions(
    session: Session, ward: Ward, since: dt.date, today: dt.date, due_soon_days: int
) -> list[action_service.ActionInfo]:
    """Active actions, and those finished since the last meeting; overdue first, then by due date."""
    every = action_service.list_actions(session, ward=ward.code, today=today, due_soon_days=due_soon_days)
    return [
        a
        for a in every
        if a.status in ACTIVE or (a.completed_on is not None and since <= a.completed_on <= today)
        if a.created_on <= today
    ]


# --- priorities --------------------------------------------------------------------------------


def _ranks(ranking: signal_service.Ranking | None) -> dict[str, int]:
    """Issue code -> rank in the document's one ranking."""
    return {s.issue: s.rank for s in ranking.signals} if ranking is not None else {}


def _active_priorities(
    session: Session, ward: Ward, on: dt.date, top_n: int, ranks: dict[str, int]
) -> list[priority_service.PriorityInfo]:
    """The priorities in force on ``on`` (adopted by then and not yet ended), in the order of the document's ranking."""
    every = priority_service.list_priorities(session, ward.code, include_closed=True, top_n=top_n)
    live = [
        p
        for p in every
        if p.period_start <= on and (p.period_end is None or p.period_end >= on)
        if p.status == priority_service.ACTIVE or p.period_end is not None
    ]
    return sorted(live, key=lambda p: (p.issue not in ranks, ranks.get(p.issue, 0), p.id))


def _priority_rows(
    session: Session, ward: Ward, priorities: Sequence[priority_service.PriorityInfo], ranks: dict[str, int]
) -> tuple[PriorityRow, ...]:
    """The priorities with their rank in the document's ranking (and the rank they were adopted at)."""
    assessed = {a.priority_id: a for a in assessment_service.assess_priorities(session, ward.code, include_closed=True)}
    return tuple(
        PriorityRow(
            label=p.label,
            wording=p.wording,
            evidence_rank=ranks.get(p.issue),
            adopted_on=p.adopted_on,
            adopted_by=p.adopted_by,
            justification=p.justification,
            departure=p.departure,
            assessment=assessed[p.id].explanation if p.id in assessed else "Not assessed.",
            adopted_rank=p.evidence_rank,
            verdict=assessed[p.id].verdict if p.id in assessed else None,
        )
        for p in priorities
    )


def _passed_over(
    session: Session, ward: Ward, since: dt.date | None, ranks: dict[str, int]
) -> tuple[PassedOverRow, ...]:
    """Signals passed over when the priorities in force were adopted, ranked as in the document's ranking."""
    if since is None:
        return ()
    chosen = [p for p in priority_service.list_passed_over(session, ward.code) if p.decided_on >= since]
    chosen.sort(key=lambda p: (p.issue not in ranks, ranks.get(p.issue, 0), p.evidence_rank))
    return tuple(
        PassedOverRow(p.label, ranks.get(p.issue), p.decided_on, p.decided_by, p.justification, p.evidence_rank)
        for p in chosen
    )


def _assumption(
    session: Session, ward: Ward, on: dt.date, ranking: signal_service.Ranking | None
) -> AssumptionCheck | None:
    """The team's latest expectation recorded by ``on``, compared with the evidence (without writing)."""
    if ranking is None:
        return None
    sets = [e for e in expectation_service.list_expected(session, ward.code) if e.period_start <= on]
    if not sets:
        return None
    latest = sets[0]  # newest first
    result = expectation_service.compare(latest.id, latest.issues, ranking)
    labels = _issue_labels(session)
    return AssumptionCheck(
        tuple(labels.get(c, c) for c in result.expected),
        tuple(labels.get(c, c) for c in result.evidence_top),
        result.summary,
    )


def _crime_by_month(
    session: Session, ward: Ward, latest: dt.date | None, since: dt.date | None
) -> tuple[MonthCount, ...]:
    """Recorded crime per police.uk month up to the latest month held, from ``since`` (the first survey round).

    At most 6 years, and 3 years when there is no survey round; months with no rows count 0.
    """
    if latest is None:
        return ()
    first = add_months(latest, -35)
    if since is not None:
        first = max(since.replace(day=1), add_months(latest, -71))
    per_month = periods.crime_by_month(session, ward, first, latest)
    held = session.scalar(select(func.min(CrimeRecord.month)).where(CrimeRecord.ward_id == ward.id))
    first = max(first, held or latest)
    out, month = [], first
    while month <= latest:
        out.append(MonthCount(month, per_month.get(month, 0)))
        month = add_months(month, 1)
    return tuple(out)


def _confidence(session: Session, ward: Ward, by: dt.date) -> list[confidence_service.RoundConfidence]:
    return [r for r in confidence_service.confidence_by_round(session, ward.code) if r.period_start <= by]


def _item_label(label: str) -> str:
    """ "Police doing a good job in this area (1-5)" -> "Police doing a good job in this area"."""
    return label.rsplit(" (", 1)[0]


def _confidence_rounds(rounds: Sequence[confidence_service.RoundConfidence]) -> tuple[ConfidenceRound, ...]:
    return tuple(
        ConfidenceRound(
            r.round_name,
            r.period_end,
            r.respondents,
            tuple(
                ConfidenceItem(
                    _item_label(i.label),
                    i.favourable,
                    i.favourable_low if i.n else None,
                    i.favourable_high if i.n else None,
                )
                for i in r.items
            ),
        )
        for r in rounds
    )


def _gap(
    session: Session,
    ward: Ward,
    as_at: dt.date,
    rounds: Sequence[confidence_service.RoundConfidence],
    crime: tuple[MonthCount, ...],
) -> ReassuranceGap:
    """The gap page: confidence per round, crime per month and the verdict of :func:`reassurance_gap`."""
    verdict = confidence_service.reassurance_gap(session, ward.code, by=as_at)
    headline = verdict.headline + " Shares are the favourable answers (good or excellent; agree; fairly or very safe)."
    return ReassuranceGap(_confidence_rounds(rounds), crime, headline, verdict.claimed)


# --- EVA, abstractions, team -------------------------------------------------------------------


def _eva_rows(session: Session, ward: Ward, by: dt.date) -> tuple[EvaRow, ...]:
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


def _abstractions(session: Session, ward: Ward, start: dt.date, end: dt.date, settings: Settings) -> Abstractions:
    target = settings.ring_fence_target
    figures = abstraction_service.summary(session, ward=ward.code, start=start, end=end, by="officer", target=target)
    roles = {collar: role for collar, role in session.execute(select(Officer.collar, Officer.role))}
    officers = tuple(
        OfficerTime(
            r.officer_name or r.officer or "Unknown",
            roles[r.officer].value if r.officer in roles else "",
            r.rostered_hours,
            r.abstracted_hours,
            r.ring_fence,
            r.below_target,
        )
        for r in figures.rows
    )
    total = sum(r.hours for r in abstraction_service.by_reason(session, ward=ward.code, start=start, end=end)) or 1.0
    reasons = tuple(
        ReasonHours(r.label, r.hours, r.hours / total)
        for r in abstraction_service.by_reason(session, ward=ward.code, start=start, end=end)
    )
    trend = tuple(
        MonthShare(
            m.month, m.figure.rostered_hours, m.figure.abstracted_hours, m.figure.share, m.figure.below_target(target)
        )
        for m in abstraction_service.monthly(session, end=end, ward=ward.code)
    )
    return Abstractions(target, figures.total.ring_fence, officers, reasons, trend)


def _team(session: Session, ward: Ward, on: dt.date) -> tuple[TeamMember, ...]:
    """The ward's posted officers: name, role and official contact only (what a public sheet may show)."""
    officers = session.scalars(
        select(Officer)
        .join(Posting, Posting.officer_id == Officer.id)
        .where(
            Posting.ward_id == ward.id,
            officer_service.posting_active(on),
        )
        .order_by(Officer.role, Officer.name)
        .distinct()
    )
    order = {"Sergeant": 0, "PC": 1, "PCSO": 2, "Special": 3}
    members = [TeamMember(o.name, o.role.value, contacts.printed(o.email, o.phone)) for o in officers]
    return tuple(sorted(members, key=lambda m: (order.get(m.role, 9), m.name)))


# --- the three documents -----------------------------------------------------------------------


def _method(ranking: signal_service.Ranking | None, settings: Settings) -> tuple[str, ...]:
    """The appendix: the ranking, gap and assessment rules as their modules state them, and the sources."""
    weights = ranking.weights if ranking is not None else signal_service.ranking_weights(settings)
    lines = list(method_lines(weights))
    if ranking is not None:
        lines.append(
            f"This pack uses the {periods.ranking_name(ranking)}; recorded crime {ranking.crime_start:%b %Y}–"
            f"{ranking.crime_end:%b %Y} against {ranking.previous_start:%b %Y}–{ranking.previous_end:%b %Y}."
        )
    lines += [confidence_service.METHOD, assessment_service.METHOD]
    lines.append(
        "Ring-fence figure = share of rostered hours spent on ward duties; "
        f"target {100 * settings.ring_fence_target:.0f}%."
    )
    lines.append("p-values below 0.001 print as 'p < 0.001'. " + SOURCES)
    return tuple(lines)


def _caveats(ranking: signal_service.Ranking | None, signals: Sequence[SignalRow], small: int) -> tuple[str, ...]:
    out = []
    smalls = [s.label for s in signals if "small sample" in s.flags]
    if smalls:
        out.append(f"Fewer than {small} respondents answered: {', '.join(smalls)}. Treat these figures with care.")
    if ranking is not None:
        out += _swap_caveats(ranking)
    out.append("police.uk data are published about two months in arrears; the latest months may be incomplete.")
    out.append(
        "Survey respondents are not a random sample unless the round says so; door-step and KIN rounds "
        "over-represent people at home and engaged residents."
    )
    return tuple(out)


def _swap_caveats(ranking: signal_service.Ranking) -> list[str]:
    """Top-N signals that may swap with one outside the top N: the line the evidence cannot draw."""
    out = []
    for s in ranking.top():
        outside = [ranking.signal(c) for c in s.swaps_with if ranking.signal(c).rank > ranking.top_n]
        if outside:
            names = ", ".join(f"{o.label} (rank {o.rank})" for o in outside)
            out.append(
                f"{s.label} (rank {s.rank}) may swap with {names}: residents' answers cannot tell them apart, "
                f"so the evidence does not separate them at the top {ranking.top_n}."
            )
    return out


def tasking_data(
    session: Session,
    ward_code: str,
    meeting_date: dt.date | None = None,
    *,
    settings: Settings,
    prepared_by: str | None = None,
    now: dt.datetime | None = None,
    as_at: dt.date | None = None,
) -> TaskingData:
    """Everything the tasking pack for the ward's TCG meeting on ``meeting_date`` prints.

    Every figure is as at ``as_at`` (default: the meeting, or today if the meeting is still to come);
    the period runs from the previous TCG to the day before this one, cut at the as-at date.
    """
    now = now or dt.datetime.now()
    ward = get_ward(session, ward_code)
    meeting = find_meeting(session, ward, MeetingKind.TCG, meeting_date, today=now.date())
    as_at = as_at or as_at_for(meeting.date, now.date())
    fr = periods.frame(session, ward, as_at, meeting=meeting.date)
    start, end = fr.period.start, fr.period.end
    top_n = settings.priorities_top_n
    rounds = _rounds(session, ward, as_at)
    ranking = periods.ranking_at(session, ward, as_at, settings)
    ranks = _ranks(ranking)
    snapshot = _last_snapshot(session, ward, as_at + dt.timedelta(days=1))
    signals = _signal_rows(ranking, snapshot[1] if snapshot else None, _welsh_labels(session)) if ranking else ()
    if ranking is None:
        note = "No survey round has responses yet: no signals can be ranked."
    else:
        note = f"Ranked over survey round {ranking.round_name} ({ranking.respondents:,} respondents); " + (
            f"movement is against the snapshot '{snapshot[0]}'." if snapshot else "no earlier snapshot to compare with."
        )
    labels = _issue_labels(session)
    active = periods.active_actions_at(session, ward, as_at, settings)
    review = _review_actions(session, ward, start, as_at, settings.due_soon_days)
    priorities = _active_priorities(session, ward, as_at, top_n, ranks)
    conf = _confidence(session, ward, as_at)
    crime = _crime_by_month(session, ward, fr.crime_latest, conf[0].period_start if conf else None)
    return TaskingData(
        ward=_heading(ward),
        meeting=meeting_info(meeting),
        period_start=start,
        period_end=end,
        prepared_by=prepared_by or os_user(),
        generated_at=now,
        signals=signals,
        signals_note=note,
        open_actions=len(active),
        overdue_actions=sum(a.overdue for a in active),
        activity=activity_rows(session, ward, fr),
        actions=tuple(_action_row(a, labels) for a in review),
        gap=_gap(session, ward, as_at, conf, crime),
        priorities=_priority_rows(session, ward, priorities, ranks),
        passed_over=_passed_over(session, ward, min((p.adopted_on for p in priorities), default=None), ranks),
        assumption=_assumption(session, ward, as_at, ranking),
        eva=_eva_rows(session, ward, as_at),
        abstractions=_abstractions(session, ward, start, end, settings),
        rounds=tuple(RoundSize(r.name, r.method, r.start_date, r.end_date, r.respondents) for r in rounds.all),
        method=_method(ranking, settings),
        caveats=_caveats(ranking, signals, settings.small_sample),
        top_n=top_n,
        as_at=periods.as_at_info(fr, ranking),
        maps=report_maps.tasking_maps(session, ward, priorities, as_at, settings),
    )


def briefing_data(
    session: Session,
    ward_code: str,
    meeting_date: dt.date | None = None,
    *,
    settings: Settings,
    now: dt.datetime | None = None,
    as_at: dt.date | None = None,
) -> BriefingData:
    """What the public briefing for the ward's community meeting prints: public facts only, as at ``as_at``."""
    now = now or dt.datetime.now()
    ward = get_ward(session, ward_code)
    meeting = find_meeting(session, ward, MeetingKind.COMMUNITY, meeting_date, today=now.date())
    as_at = as_at or as_at_for(meeting.date, now.date())
    fr = periods.frame(session, ward, as_at, meeting=meeting.date)
    ranking = periods.ranking_at(session, ward, as_at, settings)
    labels = _issue_labels(session)
    done = action_service.completed_since_last_meeting(
        session,
        ward.code,
        today=as_at,
        kind=MeetingKind.COMMUNITY,
        public_only=True,
        due_soon_days=settings.due_soon_days,
    )
    upcoming = _told(periods.active_actions_at(session, ward, as_at, settings))
    top_n = settings.priorities_top_n
    priorities = _active_priorities(session, ward, as_at, top_n, _ranks(ranking))
    told_us, also = _public_priorities(ranking, top_n, priorities, _welsh_labels(session))
    return BriefingData(
        ward=_heading(ward),
        meeting=meeting_info(meeting),
        generated_at=now,
        team=_team(session, ward, as_at),
        residents_heard=ranking.respondents if ranking else 0,
        told_us=told_us,
        we_did=tuple(_public_action(a, labels) for a in reversed(_told(done.actions))),
        next_steps=tuple(_public_action(a, labels) for a in upcoming),
        next_meeting=_next_meeting(session, ward, meeting.date, MeetingKind.COMMUNITY),
        as_at=periods.as_at_info(fr, ranking),
        areas=report_maps.where_we_worked(session, ward, [a.id for a in [*done.actions, *upcoming]], as_at, settings),
        also_working_on=also,
    )


def _public_priorities(
    ranking: signal_service.Ranking | None,
    top_n: int,
    priorities: Sequence[priority_service.PriorityInfo],
    welsh: dict[str, str],
) -> tuple[tuple[PublicPriority, ...], tuple[PublicPriority, ...]]:
    """ "You told us" and "We are also working on", kept apart so the briefing never claims residents chose
    what the team chose for other reasons.

    "You told us" is the evidence top N of the document's ranking (what residents' answers put there,
    with the share who called it a fairly or very big problem), each marked adopted or not; the
    second list is the priorities in force from outside that top N, with their public reason.
    """
    adopted = {p.issue: p for p in priorities}
    top = [s for s in (ranking.top(top_n) if ranking else ()) if s.respondents and s.prevalence is not None]
    told = tuple(
        PublicPriority(
            s.label,
            welsh.get(s.issue),
            adopted[s.issue].wording if s.issue in adopted else None,
            s.prevalence,
            s.issue in adopted,
        )
        for s in top
    )
    chosen = {s.issue for s in top}
    also = tuple(
        PublicPriority(p.label, welsh.get(p.issue), p.wording, None, True, p.public_reason)
        for p in priorities
        if p.issue not in chosen
    )
    return told, also


def card_data(
    session: Session,
    ward_code: str,
    meeting_date: dt.date | None = None,
    *,
    settings: Settings,
    now: dt.datetime | None = None,
    as_at: dt.date | None = None,
) -> CardData:
    """What the response-team card prints, as of the ward's TCG meeting on ``meeting_date`` (as at ``as_at``)."""
    now = now or dt.datetime.now()
    ward = get_ward(session, ward_code)
    meeting = find_meeting(session, ward, MeetingKind.TCG, meeting_date, today=now.date())
    as_at = as_at or as_at_for(meeting.date, now.date())
    fr = periods.frame(session, ward, as_at, meeting=meeting.date)
    top_n = settings.priorities_top_n
    ranking = periods.ranking_at(session, ward, as_at, settings)
    ranks = _ranks(ranking)
    signals = _signal_rows(ranking, None, {}) if ranking else ()
    labels = _issue_labels(session)
    active = periods.active_actions_at(session, ward, as_at, settings)
    done = action_service.completed_since_last_meeting(
        session,
        ward.code,
        today=as_at,
        kind=MeetingKind.COMMUNITY,
        public_only=True,
        due_soon_days=settings.due_soon_days,
    ).actions
    told = _told([*done, *active])
    priorities = _active_priorities(session, ward, as_at, top_n, ranks)
    hotspots = report_maps.card_hotspots(session, ward, as_at, settings)
    following = _next_meeting(session, ward, meeting.date, MeetingKind.TCG)
    return CardData(
        ward=_heading(ward),
        meeting=meeting_info(meeting),
        generated_at=now,
        signals=signals,
        priorities=_priority_rows(session, ward, priorities, ranks),
        actions=tuple(_action_row(a, labels) for a in active),
        told_residents=tuple(_public_action(a, labels) for a in told),
        team=_team(session, ward, as_at),
        as_at=periods.as_at_info(fr, ranking),
        hotspots=hotspots[0],
        hotspot_map=hotspots[1],
        valid_until=following.date if following else None,
        streets=_streets(session, ward, as_at, priorities, active),
    )


def _streets(
    session: Session,
    ward: Ward,
    on: dt.date,
    priorities: Sequence[priority_service.PriorityInfo],
    actions: Sequence[action_service.ActionInfo],
) -> tuple[str, ...]:
    """Where the priorities are: the places given to them and their open actions, then the streets of
    outstanding EVA findings on the same issues (most recently seen first)."""
    named = session.scalars(
        select(RecordPlace.name)
        .where(
            RecordPlace.ward_id == ward.id,
            RecordPlace.priority_id.in_([p.id for p in priorities])
            | RecordPlace.action_id.in_([a.id for a in actions]),
        )
        .order_by(RecordPlace.id)
    ).all()
    seen = session.scalars(
        select(AuditObservation.location)
        .join(AuditVisit, AuditVisit.id == AuditObservation.visit_id)
        .join(Issue, Issue.id == AuditObservation.issue_id)
        .where(
            AuditVisit.ward_id == ward.id,
            AuditVisit.date <= on,
            AuditObservation.status.in_(OUTSTANDING),
            Issue.code.in_([p.issue for p in priorities]),
        )
        .order_by(AuditVisit.date.desc())
    ).all()
    streets = [*named, *(location.split(",")[0] for location in seen)]  # "High Street, near no. 4"
    return tuple(dict.fromkeys(name.strip() for name in streets if name.strip()))
