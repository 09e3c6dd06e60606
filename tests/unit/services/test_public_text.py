"""Public text that is true of the data (rpdesk.services.report_data and the briefing and card it feeds).

"You told us" holds only what residents' answers put in the evidence top N of the document's
ranking; a priority adopted from outside it appears under its own heading with its public reason
(never its internal justification); the response card tells officers only of public actions that
are done (with their outcome) or under way, never a blocked or cancelled one.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from rpdesk.db.models import ActionStatusChange, Meeting, PartnerAction, Ward
from rpdesk.domain.vocabulary import ActionStatus, MeetingKind
from rpdesk.services import periods, report_data
from rpdesk.services.documents import build_document
from rpdesk.services.priorities import adopt_priorities
from rpdesk.services.wards import get_ward
from rpdesk.settings import Settings
from tests.unit.reports.pdfcheck import page_texts

TCG_DATE = dt.date(2026, 11, 10)
COMMUNITY_DATE = dt.date(2026, 10, 17)
NOW = dt.datetime(2026, 11, 9, 15, 0)
SECRET_WHY = "CHIS reporting on a county line"


def _code(db) -> str:
    with db.session() as s:
        return s.scalars(select(Ward.code).order_by(Ward.name)).first()


def _flat(path) -> str:
    return " ".join(" ".join(page_texts(path)).split())


def _section(text: str, heading: str, following: str) -> str:
    return text.split(heading, 1)[1].split(following, 1)[0]


def test_an_issue_adopted_outside_the_top_n_is_not_listed_under_you_told_us(demo_db, tmp_path):
    code = _code(demo_db)
    settings = Settings()
    with demo_db.session() as s:
        before = report_data.briefing_data(s, code, COMMUNITY_DATE, settings=settings, now=NOW)
        ranking = periods.ranking_at(s, get_ward(s, code), before.as_at.date, settings)
        top = ranking.top(3)
        outside = [r for r in ranking.signals if r.respondents and r.rank > 3][-1]  # the residents' last
        adopt_priorities(
            s,
            code,
            [top[0].issue, top[1].issue, outside.issue],
            ranking=ranking,
            justifications={outside.issue: SECRET_WHY},
            passed_over={top[2].issue: "The council leads on it this quarter."},
            public_reasons={outside.issue: "A child was hurt crossing the main road."},
            period_start=dt.date(2026, 9, 1),
            adopted_on=dt.date(2026, 9, 1),
        )
    with demo_db.session() as s:
        data = report_data.briefing_data(s, code, COMMUNITY_DATE, settings=settings, now=NOW)
    assert [p.label for p in data.told_us] == [r.label for r in top]
    assert [p.adopted for p in data.told_us] == [True, True, False]
    assert [(p.label, p.public_reason) for p in data.also_working_on] == [
        (outside.label, "A child was hurt crossing the main road.")
    ]
    info = build_document(
        demo_db, "briefing", code, COMMUNITY_DATE, tmp_path / "b.pdf", now=NOW, lang="en", settings=Settings()
    )
    text = _flat(info.path)
    told = _section(text, "You told us", "We are also working on")
    assert outside.label not in told
    assert all(r.label in told for r in top)
    tenths = round(top[0].prevalence * 10)
    assert f"{tenths} in 10 of you said this is a fairly or very big problem" in told
    assert "not one of our priorities for now" in told  # the passed-over third says so
    also = _section(text, "We are also working on", "We did")
    assert outside.label in also and "A child was hurt crossing the main road." in also
    assert SECRET_WHY not in text and not re.search(r"\d+%", told)  # residents read "6 in 10", not percentages


def test_a_blocked_action_never_appears_on_the_card_as_told_or_done(demo_db, tmp_path):
    code = _code(demo_db)
    with demo_db.session() as s:
        ward_id = s.scalar(select(Ward.id).where(Ward.code == code))
        last_community = s.scalar(
            select(Meeting.date)
            .where(Meeting.ward_id == ward_id, Meeting.kind == MeetingKind.COMMUNITY, Meeting.date < TCG_DATE)
            .order_by(Meeting.date.desc())
        )
        first, second, third = s.scalars(
            select(PartnerAction).where(PartnerAction.ward_id == ward_id).order_by(PartnerAction.id).limit(3)
        ).all()
        first.title, first.status, first.public = "Clean precinct, new bins", ActionStatus.BLOCKED, True
        first.control_signal, first.completed_on = "Clean precinct, new bins", None
        second.title, second.status, second.public = "Litter pick on the green", ActionStatus.DONE, True
        second.completed_on, second.outcome = last_community + dt.timedelta(days=2), "Green cleared of litter"
        third.title, third.status, third.public = "Extra patrols at the shops", ActionStatus.IN_PROGRESS, True
        third.control_signal, third.completed_on = "Officers on foot at the shops", None
        for action in (first, second, third):
            action.history.append(_change(NOW.date(), action.status))  # a document reads status as at its date
    with demo_db.session() as s:
        data = report_data.card_data(s, code, TCG_DATE, settings=Settings(), now=NOW)
    told = {a.title: a for a in data.told_residents}
    assert "Clean precinct, new bins" not in told
    assert told["Litter pick on the green"].outcome == "Green cleared of litter"
    assert told["Extra patrols at the shops"].completed_on is None
    info = build_document(demo_db, "card", code, TCG_DATE, tmp_path / "card.pdf", now=NOW, settings=Settings())
    text = _flat(info.path)
    section = _section(text, "What residents have been told", "Who to contact")
    assert "Clean precinct" not in section
    assert "Litter pick on the green: done" in section and "Green cleared of litter" in section
    assert "Extra patrols at the shops: in progress" in section
    assert "Valid from" in text and "until the next tasking meeting" in text
    assert "Key messages for residents" in text


def test_the_card_is_valid_until_the_next_tasking_meeting_and_names_the_streets(demo_db):
    code = _code(demo_db)
    with demo_db.session() as s:
        ward_id = s.scalar(select(Ward.id).where(Ward.code == code))
        following = s.scalar(
            select(Meeting.date)
            .where(Meeting.ward_id == ward_id, Meeting.kind == MeetingKind.TCG, Meeting.date > TCG_DATE)
            .order_by(Meeting.date)
        )
        data = report_data.card_data(s, code, TCG_DATE, settings=Settings(), now=NOW)
    assert following is not None and data.valid_until == following
    assert data.priorities and data.streets  # the demo's priorities have places and outstanding EVA findings


def _change(day: dt.date, status: ActionStatus) -> ActionStatusChange:
    return ActionStatusChange(changed_on=day, changed_by="tester", to_status=status)
