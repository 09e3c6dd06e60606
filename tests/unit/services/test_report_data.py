"""Document data from a demo database, and build_document recording each PDF against its meeting."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import func, select, update

from rpdesk.db.models import Meeting, MeetingDocument, PartnerAction, RankingSnapshot, SurveyResponse, Ward
from rpdesk.demo import build_demo
from rpdesk.domain.vocabulary import ActionStatus, MeetingKind
from rpdesk.errors import UserError
from rpdesk.services import abstractions, report_data
from rpdesk.services.documents import build_document
from rpdesk.services.meetings import meeting_documents
from rpdesk.settings import Settings
from tests.unit.reports.pdfcheck import page_texts

TCG_DATE = dt.date(2026, 11, 10)
COMMUNITY_DATE = dt.date(2026, 10, 17)
NOW = dt.datetime(2026, 11, 9, 15, 0)
RESPONDENT_KEY = re.compile(r"R\d{4}-\d{4}")


def ward_code(db) -> str:
    with db.session() as s:
        return s.scalars(select(Ward.code).order_by(Ward.name)).first()


def test_tasking_data_lists_overdue_actions_first_and_ranks_signals(demo_db):
    code = ward_code(demo_db)
    with demo_db.session() as s:
        data = report_data.tasking_data(s, code, TCG_DATE, settings=Settings(), now=NOW)
    assert data.meeting.date == TCG_DATE and data.period_end == TCG_DATE - dt.timedelta(days=1)
    overdue = [a.overdue for a in data.actions]
    assert overdue == sorted(overdue, reverse=True) and data.overdue_actions == sum(overdue)
    assert all(a.rag == "red" for a in data.actions if a.overdue)
    assert [s.rank for s in data.signals] == sorted(s.rank for s in data.signals) and data.signals
    assert {a.measure for a in data.activity} >= {"EVAs walked", "Hours on ward duty", "Community meetings held"}
    assert data.abstractions.target == 0.8 and data.abstractions.officers
    assert data.rounds and data.gap.crime_by_month


def test_pack_section_6_has_the_ward_s_12_month_ring_fence_trend(demo_db):
    code = ward_code(demo_db)
    with demo_db.session() as s:
        data = report_data.tasking_data(s, code, TCG_DATE, settings=Settings(), now=NOW)
        months = abstractions.monthly(s, end=data.period_end, ward=code)
    trend = data.abstractions.trend
    assert len(trend) == 12 and trend[-1].month == data.period_end.replace(day=1)
    assert [(t.month, t.share) for t in trend] == [(m.month, m.figure.share) for m in months]
    assert all(t.below_target == (t.share is not None and t.share < 0.8) for t in trend)


def test_a_meeting_that_does_not_exist_is_a_user_error_naming_the_dates(demo_db):
    code = ward_code(demo_db)
    with demo_db.session() as s, pytest.raises(UserError, match=r"no tasking \(TCG\) meeting on 2026-11-11"):
        report_data.tasking_data(s, code, dt.date(2026, 11, 11), settings=Settings(), now=NOW)


def test_public_briefing_never_carries_a_restricted_action_or_respondent_key(demo_db, tmp_path):
    code = ward_code(demo_db)
    with demo_db.session() as s:
        ward_id = s.scalar(select(Ward.id).where(Ward.code == code))
        since = s.scalar(
            select(func.max(Meeting.date)).where(
                Meeting.ward_id == ward_id, Meeting.kind == MeetingKind.COMMUNITY, Meeting.date < COMMUNITY_DATE
            )
        )
        done = s.scalars(select(PartnerAction).where(PartnerAction.ward_id == ward_id)).all()
        secret, shown = done[0], done[1]
        for action, public, title in ((secret, False, "SECRET covert observation post"), (shown, True, "Litter pick")):
            action.public, action.title = public, title
            action.status, action.completed_on = ActionStatus.DONE, since + dt.timedelta(days=3)
        keys = s.scalars(select(SurveyResponse.respondent).limit(3)).all()
    info = build_document(
        demo_db, "briefing", code, COMMUNITY_DATE, tmp_path / "b.pdf", now=NOW, lang="en", settings=Settings()
    )
    text = " ".join(page_texts(info.path))
    assert "Litter pick" in text
    assert "SECRET" not in text and "covert" not in text
    assert not RESPONDENT_KEY.search(text) and not any(k in text for k in keys)
    assert info.marking == "OFFICIAL" and info.pages <= 2


def test_build_document_records_the_pdf_against_its_meeting(demo_db, tmp_path):
    code = ward_code(demo_db)
    progress = []
    info = build_document(
        demo_db,
        "tasking",
        code,
        TCG_DATE,
        tmp_path / "pack.pdf",
        now=NOW,
        settings=Settings(),
        progress=lambda f, m: progress.append(f),
    )
    assert info.marking == "OFFICIAL-SENSITIVE" and info.pages == len(page_texts(info.path))
    assert info.sha256 == hashlib.sha256(info.path.read_bytes()).hexdigest()
    assert progress[0] == 0.0 and progress[-1] == 1.0
    with demo_db.session() as s:
        recorded = meeting_documents(s, info.meeting_id)
        row = s.get(MeetingDocument, info.id)
        assert s.get(Meeting, row.meeting_id).date == TCG_DATE and row.sha256 == info.sha256
    assert [(r.id, r.kind, r.pages) for r in recorded] == [(info.id, "tasking", info.pages)]


def test_welsh_is_for_the_briefing_only(demo_db, tmp_path):
    with pytest.raises(UserError, match="community briefing only"):
        build_document(
            demo_db, "card", ward_code(demo_db), TCG_DATE, tmp_path / "c.pdf", lang="cy", now=NOW, settings=Settings()
        )
    assert not (tmp_path / "c.pdf").exists()


def test_documents_build_on_both_backends(db, tmp_path):
    build_demo(db, wards=1, years=1, seed=3, today=dt.date(2026, 10, 31))
    code = ward_code(db)
    built = {}
    for kind, date in (("tasking", TCG_DATE), ("card", TCG_DATE), ("briefing", COMMUNITY_DATE)):
        built[kind] = build_document(db, kind, code, date, tmp_path / f"{kind}.pdf", now=NOW, settings=Settings())
        assert built[kind].pages >= 1 and built[kind].path.stat().st_size > 5000
    assert built["tasking"].meeting_id == built["card"].meeting_id != built["briefing"].meeting_id
    with db.session() as s:
        kinds = sorted(r.kind for r in meeting_documents(s, built["tasking"].meeting_id))
    assert kinds == ["card", "tasking"]


def test_pack_shows_movement_since_the_last_snapshot_and_the_assumption_check(demo_db, tmp_path):
    from rpdesk.services import expectations, signals, snapshots

    code = ward_code(demo_db)
    later = TCG_DATE
    with demo_db.session() as s:
        latest = signals.list_rounds(s, code)[-1]
        ranking = signals.rank_signals(s, code, round_name=latest.name, settings=Settings())
        snapshots.save_snapshot(s, ranking, "before tasking")
        s.execute(update(RankingSnapshot).values(created_at=dt.datetime(2026, 11, 2, 9, 0)))  # before the meeting
        expected = ["dog_fouling", ranking.signals[0].issue]
        expectations.set_expected(s, code, expected, period_start=dt.date(2026, 9, 1), period_end=later)
    with demo_db.session() as s:
        data = report_data.tasking_data(s, code, later, settings=Settings(), now=NOW)
    assert "before tasking" in data.signals_note
    assert all(r.movement == 0 for r in data.signals)
    assert data.assumption is not None and data.assumption.expected == ("Dog fouling", ranking.signals[0].label)
    assert data.assumption.summary
    info = build_document(demo_db, "tasking", code, later, tmp_path / "pack.pdf", now=NOW, settings=Settings())
    text = " ".join(" ".join(page_texts(info.path)).split())
    assert "Team expected" in text and "Dog fouling" in text


def test_the_pack_shows_the_residents_led_ranks_the_gap_verdict_and_the_assessments_the_services_give(
    demo_db, tmp_path
):
    from rpdesk.services.assessment import assess_priorities
    from rpdesk.services.confidence import reassurance_gap
    from rpdesk.services.signals import rank_signals

    code = ward_code(demo_db)
    with demo_db.session() as s:
        data = report_data.tasking_data(s, code, TCG_DATE, settings=Settings(), now=NOW)
        ranking = rank_signals(s, code, round_name=data.rounds[-1].name, settings=Settings())
        gap = reassurance_gap(s, code, by=TCG_DATE)
        verdicts = {a.label: a.verdict for a in assess_priorities(s, code)}  # the active ones, as the pack
    ranks = [(x.issue, x.rank) for x in ranking.signals]
    assert [(r.issue, r.rank) for r in data.signals] == ranks[: len(data.signals)]
    unmapped = [r for r in data.signals if r.recorded is None]
    assert unmapped and all(r.recorded_p is None for r in unmapped)
    assert data.gap.claimed == gap.claimed and data.gap.headline.startswith(gap.headline)
    assert all(p.verdict == verdicts[p.label] for p in data.priorities)
    assert any("Residents set the order" in line for line in data.method)
    pdf = tmp_path / "pack.pdf"
    build_document(demo_db, "tasking", code, TCG_DATE, pdf, now=NOW, settings=Settings())
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "n/a" in text and "Physical disorder" in text and "Signal crime" in text
    assert "exact test for two counts, p" in text and " = 0 " not in text
    assert "may swap with" in text and "so their order is not certain" in text
    assert "Residents set the order" in text and "Przyborowski" in text
