"""Demo wards: plausible, deterministic, on both backends."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from rpdesk.db import models as m
from rpdesk.db.database import check_database
from rpdesk.demo import build_demo
from rpdesk.domain.vocabulary import ActionStatus


def count(db, model, *where):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_on_each_backend(db):
    summary = build_demo(db, wards=1, years=1, seed=3, today=dt.date(2026, 10, 31))
    assert check_database(db) == []
    assert count(db, m.Ward) == 1
    assert count(db, m.SurveyResponse) == summary.respondents
    assert 150 * 2 <= summary.respondents <= 300 * 2  # spring and autumn rounds
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
            select(m.SurveyRound).where(m.SurveyRound.ward_id == ward.id).order_by(m.SurveyRound.start_date)
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
