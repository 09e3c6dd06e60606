"""What the public community briefing prints: public facts only (public actions, officers' official
contact, aggregate counts of residents)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from rpdesk.domain.vocabulary import MeetingKind
from rpdesk.reports.model import BriefingData, PublicPriority
from rpdesk.services import periods, report_maps
from rpdesk.services import priorities as priority_service
from rpdesk.services import signals as signal_service
from rpdesk.services.report_data.action_rows import done_since_community_meeting, public_action, told_of
from rpdesk.services.report_data.meetings import meeting_info, next_meeting, open_document, ward_heading
from rpdesk.services.report_data.priority_rows import active_priorities
from rpdesk.services.report_data.signal_rows import issue_labels, ranks_of, welsh_labels
from rpdesk.services.report_data.team import team
from rpdesk.settings import Settings


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
    doc = open_document(session, ward_code, MeetingKind.COMMUNITY, meeting_date, now=now, as_at=as_at)
    now, ward, meeting, as_at, fr = doc.now, doc.ward, doc.meeting, doc.as_at, doc.frame
    ranking = periods.ranking_at(session, ward, as_at, settings)
    labels = issue_labels(session)
    done = done_since_community_meeting(session, ward, as_at, settings)
    upcoming = told_of(periods.active_actions_at(session, ward, as_at, settings))
    top_n = settings.priorities_top_n
    priorities = active_priorities(session, ward, as_at, top_n, ranks_of(ranking))
    told_us, also = _public_priorities(ranking, top_n, priorities, welsh_labels(session))
    return BriefingData(
        ward=ward_heading(ward),
        meeting=meeting_info(meeting),
        generated_at=now,
        team=team(session, ward, as_at),
        residents_heard=ranking.respondents if ranking else 0,
        told_us=told_us,
        we_did=tuple(public_action(a, labels) for a in reversed(told_of(done))),
        next_steps=tuple(public_action(a, labels) for a in upcoming),
        next_meeting=next_meeting(session, ward, meeting.date, MeetingKind.COMMUNITY),
        as_at=periods.as_at_info(fr, ranking),
        areas=report_maps.where_we_worked(session, ward, [a.id for a in [*done, *upcoming]], as_at, settings),
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
