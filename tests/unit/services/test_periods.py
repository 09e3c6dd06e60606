"""The as-at frame from the database: the ranking a view uses, the period and the police.uk months."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rpdesk.db import models as m
from rpdesk.demo import build_demo
from rpdesk.services import periods
from rpdesk.services.wards import get_ward
from rpdesk.settings import Settings

TODAY = dt.date(2026, 8, 20)  # the July KIN round is the latest begun; Spring 2026 the latest full survey


def test_a_small_kin_round_does_not_replace_the_ranking_of_the_last_full_survey(db):
    build_demo(db, wards=1, years=1, seed=5, today=TODAY)
    with db.session() as s:
        ward = s.scalars(select(m.Ward)).one()
        names = set(s.scalars(select(m.SurveyRound.name)))
        ranking = periods.ranking_at(s, ward, TODAY, Settings())
        autumn = periods.ranking_at(s, ward, dt.date(2026, 2, 1), Settings())  # the January KIN is newer
        none_yet = periods.ranking_at(s, ward, dt.date(2025, 8, 15), Settings())
    assert {"KIN July 2026", "Spring 2026"} <= names
    assert ranking is not None and ranking.round_name == "Spring 2026"
    assert autumn is not None and autumn.round_name == "Autumn 2025"
    assert none_yet is None
    assert "Spring 2026" in periods.ranking_name(ranking)


def test_the_frame_names_the_latest_police_uk_month_and_the_period(db):
    build_demo(db, wards=1, years=1, seed=5, today=TODAY)
    with db.session() as s:
        ward = get_ward(s, s.scalars(select(m.Ward.code)).one())
        fr = periods.frame(s, ward, TODAY)
    assert fr.crime_latest == dt.date(2026, 6, 1) and fr.crime_latest_label() == "police.uk data held to Jun 2026"
    assert (fr.period.start, fr.period.full_end) == (dt.date(2026, 8, 10), dt.date(2026, 9, 9)) and fr.period.part
    assert (fr.previous.start, fr.previous.end) == (dt.date(2026, 7, 10), dt.date(2026, 8, 9))
    assert fr.year_months()[-1] == fr.crime_latest and len(fr.year_months()) == 12
