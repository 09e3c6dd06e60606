"""Demo wards: plausible, deterministic, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from rpdesk.db import models as m
from rpdesk.db.database import check_database
from rpdesk.demo import build_demo
from rpdesk.demo.names import ACTION_IDEAS
from rpdesk.domain.vocabulary import ActionStatus, SurveyMethod
from rpdesk.services import abstractions, snapshots
from rpdesk.services.confidence import reassurance_gap


def count(db, model, *where):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_on_each_backend(db):
    summary = build_demo(db, wards=1, years=1, seed=3, today=dt.date(2026, 10, 31))
    assert check_database(db) == []
    assert count(db, m.Ward) == 1
    assert count(db, m.SurveyResponse) == summary.respondents
    assert 150 * 2 + 15 * 2 <= summary.respondents <= 300 * 2 + 30 * 2  # spring and autumn, two KIN rounds
    assert count(db, m.SurveyAnswer) == summary.answers
    assert count(db, m.CrimeRecord) == summary.crimes > 0
    assert count(db, m.DutyRecord) == summary.duty_records > 0
    assert count(db, m.Abstraction) == summary.abstractions > 0
    with db.session() as s:
        statuses = set(s.scalars(select(m.PartnerAction.status).distinct()))
        respondent_keys = s.scalars(select(m.SurveyResponse.respondent).limit(5)).all()
    assert statuses >= {ActionStatus.DONE}
    assert all(k.startswith("R") for k in respondent_keys)  # anonymous keys, no names


def test_demo_answers_carry_a_signal_that_changes(demo_db):
    """The ward's fading signal is rated a big problem by fewer residents in the last round than the first."""
    with demo_db.session() as s:
        ward = s.scalars(select(m.Ward).order_by(m.Ward.id)).first()
        rounds = s.scalars(
            select(m.SurveyRound)
            .where(m.SurveyRound.ward_id == ward.id, m.SurveyRound.method == SurveyMethod.DOOR)
            .order_by(m.SurveyRound.start_date)
        ).all()

        def shares(round_id):
            rows = s.execute(
                select(m.Issue.code, func.avg(func.cast(m.SurveyAnswer.problem >= 2, m.Integer)))
                .join(m.SurveyAnswer, m.SurveyAnswer.issue_id == m.Issue.id)
                .join(m.SurveyResponse)
                .where(m.SurveyResponse.round_id == round_id)
                .group_by(m.Issue.code)
            )
            return {code: float(share) for code, share in rows}

        first, last = shares(rounds[0].id), shares(rounds[-1].id)
    spread = sorted(first.values())
    assert spread[-1] - spread[0] > 0.3  # some issues stand out as signals
    assert max(abs(last[c] - first[c]) for c in first) > 0.15  # and the picture shifts over time


def test_same_seed_same_data(tmp_path):
    from rpdesk.db.database import open_database

    sums = []
    for name in ("a", "b"):
        db = open_database(f"sqlite:///{tmp_path / name}.sqlite")
        build_demo(db, wards=1, years=1, seed=11, today=dt.date(2026, 1, 31))
        with db.session() as s:
            sums.append(
                (
                    s.scalar(select(func.sum(m.SurveyAnswer.problem))),
                    s.scalar(select(func.sum(m.Abstraction.hours))),
                    s.scalar(select(func.count()).select_from(m.CrimeRecord)),
                )
            )
        db.dispose()
    assert sums[0] == sums[1]


TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    """The default demo (three wards, three years) as of 27 Nov 2026."""
    from rpdesk.db.database import open_database

    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('stories') / 'demo.sqlite'}")
    build_demo(db, wards=3, years=3, seed=1, today=TODAY)
    with db.session() as s:
        codes = list(s.scalars(select(m.Ward.code).order_by(m.Ward.id)))
    yield db, codes
    db.dispose()


def test_demo_has_a_reassurance_gap_ward_and_wards_without(stories):
    db, (gap, steady, reassured) = stories
    with db.session() as s:
        verdicts = {code: reassurance_gap(s, code, by=TODAY) for code in (gap, steady, reassured)}
    assert verdicts[gap].claimed  # crime fell beyond chance, confidence did not rise
    assert not verdicts[steady].claimed and not verdicts[reassured].claimed
    r = verdicts[reassured]
    assert r.crime_after < r.crime_before and r.confidence_after > r.confidence_before + 0.15


def test_demo_has_a_ward_below_the_ring_fence_target_for_months(stories):
    db, (gap, *_others) = stories
    with db.session() as s:
        view = abstractions.supervisor_view(s, dt.date(2026, 11, 1), TODAY, target=0.8)
        authorisers = s.execute(
            select(m.Ward.code, func.count(func.distinct(m.Abstraction.authorised_by)))
            .join(m.DutyRecord, m.DutyRecord.id == m.Abstraction.duty_id)
            .join(m.Ward, m.Ward.id == m.DutyRecord.ward_id)
            .group_by(m.Ward.code)
        ).all()
    below = {w.ward.ward: w.months_below(0.8) for w in view.wards}
    assert below[gap] >= 4 and min(below.values()) == 0
    assert all(n >= 3 for _code, n in authorisers)  # several sergeants (and an inspector) authorise


def test_demo_survey_rounds_police_uk_months_and_no_future_dates(stories):
    db, _codes = stories
    with db.session() as s:
        kin = (
            s.execute(
                select(func.count())
                .select_from(m.SurveyResponse)
                .join(m.SurveyRound)
                .where(m.SurveyRound.method == SurveyMethod.KIN)
                .group_by(m.SurveyResponse.round_id)
            )
            .scalars()
            .all()
        )
        latest_crime = s.scalar(select(func.max(m.CrimeRecord.month)))
        latest = {
            "survey answer": s.scalar(select(func.max(m.SurveyResponse.date))),
            "EVA walk": s.scalar(select(func.max(m.AuditVisit.date))),
            "EVA finding resolved": s.scalar(select(func.max(m.AuditObservation.resolved_on))),
            "action raised": s.scalar(select(func.max(m.PartnerAction.created_on))),
            "action completed": s.scalar(select(func.max(m.PartnerAction.completed_on))),
            "status change": s.scalar(select(func.max(m.ActionStatusChange.changed_on))),
            "status change stamp": s.scalar(select(func.max(m.ActionStatusChange.changed_at))).date(),
            "meeting attended": s.scalar(select(func.max(m.Meeting.date)).where(m.Meeting.attendance.is_not(None))),
            "duty day": s.scalar(select(func.max(m.DutyRecord.date))),
            "priority adopted": s.scalar(select(func.max(m.Priority.adopted_on))),
            "ranking snapshot": s.scalar(select(func.max(m.RankingSnapshot.created_at))).date(),
        }
    assert kin and all(15 <= n <= 30 for n in kin)  # a Key Individual Network is about twenty people
    assert latest_crime == dt.date(2026, 9, 1)  # police.uk publishes about two months after a month ends
    assert {k: v for k, v in latest.items() if v > TODAY} == {}


def test_demo_actions_carry_the_epic_tag_that_fits_and_ranks_come_from_the_ranking(stories):
    db, _codes = stories
    fitting = {(title, epic) for ideas in ACTION_IDEAS.values() for _p, title, _s, epic in ideas}
    with db.session() as s:
        actions = s.execute(select(m.PartnerAction.title, m.PartnerAction.epic)).all()
        priorities = s.scalars(select(m.Priority)).all()
        ranks = {
            p.id: snapshots.load_snapshot(s, p.snapshot_id).signal(p.issue.code).rank
            for p in priorities
            if p.snapshot_id is not None
        }
        departures = [p for p in priorities if p.justification]
    assert all((title, epic) in fitting for title, epic in actions)
    assert len({title for title, _ in actions}) >= 20 and len({epic for _, epic in actions}) == 4
    assert ranks and all(p.evidence_rank == ranks[p.id] for p in priorities if p.id in ranks)
    assert departures and all(p.evidence_rank > 3 for p in departures)  # adopted outside the top 3, and justified
