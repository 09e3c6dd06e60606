"""What the response-team card prints: the signals, priorities, streets and what residents have been told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpdesk.db.models import AuditObservation, AuditVisit, Issue, RecordPlace, Ward
from rpdesk.domain.vocabulary import MeetingKind
from rpdesk.reports.model import CardData
from rpdesk.services import actions as action_service
from rpdesk.services import periods, report_maps
from rpdesk.services import priorities as priority_service
from rpdesk.services.report_data.action_rows import action_row, done_since_community_meeting, public_action, told_of
from rpdesk.services.report_data.eva import OUTSTANDING
from rpdesk.services.report_data.meetings import meeting_info, next_meeting, open_document, ward_heading
from rpdesk.services.report_data.priority_rows import active_priorities, priority_rows
from rpdesk.services.report_data.signal_rows import issue_labels, ranks_of, signal_rows
from rpdesk.services.report_data.team import team
from rpdesk.settings import Settings


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
    doc = open_document(session, ward_code, MeetingKind.TCG, meeting_date, now=now, as_at=as_at)
    now, ward, meeting, as_at, fr = doc.now, doc.ward, doc.meeting, doc.as_at, doc.frame
    top_n = settings.priorities_top_n
    ranking = periods.ranking_at(session, ward, as_at, settings)
    ranks = ranks_of(ranking)
    signals = signal_rows(ranking, None, {}) if ranking else ()
    labels = issue_labels(session)
    active = periods.active_actions_at(session, ward, as_at, settings)
    done = done_since_community_meeting(session, ward, as_at, settings)
    told = told_of([*done, *active])
    priorities = active_priorities(session, ward, as_at, top_n, ranks)
    hotspots = report_maps.card_hotspots(session, ward, as_at, settings)
    following = next_meeting(session, ward, meeting.date, MeetingKind.TCG)
    return CardData(
        ward=ward_heading(ward),
        meeting=meeting_info(meeting),
        generated_at=now,
        signals=signals,
        priorities=priority_rows(session, ward, priorities, ranks),
        actions=tuple(action_row(a, labels) for a in active),
        told_residents=tuple(public_action(a, labels) for a in told),
        team=team(session, ward, as_at),
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
