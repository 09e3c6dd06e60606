"""The ranking service against a real database (SQLite and PostgreSQL), with hand-counted answers."""

from __future__ import annotations

import datetime as dt

import pytest

from rpdesk.domain.ranking import Weights
from rpdesk.errors import UserError
from rpdesk.services.signals import Ranking, crime_months, list_rounds, rank_signals
from rpdesk.settings import Settings
from tests.unit.services.signal_data import WARD, add_audit, add_crimes, add_round, make_ward

SEPT = dt.date(2026, 9, 1)
SETTINGS = Settings.with_values(
    {
        "weight_prevalence": 1,
        "weight_effect": 1,
        "weight_audit": 0.5,
        "weight_recorded": 0.5,
        "small_sample": 3,
        "priorities_top_n": 3,
    }
)

SMALL_SAMPLE_30 = Settings.with_values({**SETTINGS.values, "small_sample": 30})


@pytest.fixture
def ward(db):
    with db.session() as s:
        wid = make_ward(s)
        # litter: ratings 3, 2, 1, 0, blank -> 2 of 4 answered rate it 2-3; effect yes, yes, no, blank
        add_round(
            s,
            wid,
            "Autumn 2026",
            SEPT,
            {
                "litter": [(3, True), (2, True), (1, False), (0, None), (None, None)],
                "drugs": [(0, False), (1, False), (2, True), (0, False), (3, True)],
            },
        )
        add_audit(s, wid, SEPT + dt.timedelta(days=3), [("litter", 3, 2), ("drugs", 1, 1)])
        add_audit(s, wid, SEPT - dt.timedelta(days=60), [("drugs", 5, 5)])  # before the period: not counted
        add_crimes(s, wid, SEPT, "Drugs", 4)
        add_crimes(s, wid, dt.date(2026, 8, 1), "Drugs", 1)
        add_crimes(s, wid, dt.date(2026, 10, 1), "Drugs", 2)  # the round ends 1 Oct: October counts
        add_crimes(s, wid, dt.date(2025, 9, 1), "Drugs", 3)  # the same months a year before
    return db


def test_round_ranking_matches_a_hand_count(ward):
    with ward.session() as s:
        ranking = rank_signals(s, WARD, round_name="autumn 2026", settings=SETTINGS)
    assert ranking.respondents == 5
    litter, drugs = ranking.signal("litter"), ranking.signal("drugs")
    assert (litter.respondents, litter.big_problem, litter.prevalence) == (4, 2, 0.5)
    assert litter.mean_problem == pytest.approx(6 / 4)
    assert (litter.effect_answered, litter.effect_yes) == (3, 2)
    assert (litter.audit, litter.audit_observations) == (6.0, 1)
    assert (drugs.respondents, drugs.prevalence) == (5, pytest.approx(0.4))
    assert (drugs.audit, drugs.recorded, drugs.recorded_previous) == (1.0, 6, 3)
    assert (litter.audit_walks, litter.audit_per_walk, drugs.audit_per_walk) == (1, 6.0, 1.0)  # one walk in the period
    assert litter.recorded is None and litter.recorded_p is None  # no police.uk crime type for litter: n/a
    assert (litter.kind, drugs.kind) == ("physical", "social")
    assert (ranking.crime_start, ranking.crime_end) == (SEPT, dt.date(2026, 10, 1))
    assert (ranking.previous_start, ranking.previous_end) == (dt.date(2025, 9, 1), dt.date(2025, 10, 1))
    # litter, recorded n/a, EVA 6 a walk: (0.5 + 2/3 + 0.5 * 6/11) / 2.5
    # drugs, EVA 1 a walk, 6 recorded over 2 months = 3 a month: (0.4 + 0.4 + 0.5 * 1/6 + 0.5 * 3/8) / 3
    assert litter.score == pytest.approx((0.5 + 2 / 3 + 0.5 * 6 / 11) / 2.5)
    assert drugs.score == pytest.approx((0.8 + 0.5 / 6 + 0.5 * 3 / 8) / 3)
    assert [s.issue for s in ranking.signals[:2]] == ["litter", "drugs"]
    assert len(ranking.signals) == 17  # every catalogue issue is listed, answered or not
    assert ranking.signal("parking").flags == ("no_answers",)


def test_period_ranking_counts_responses_by_date(ward):
    with ward.session() as s:
        ranking = rank_signals(s, WARD, start=SEPT, end=SEPT + dt.timedelta(days=1), settings=SETTINGS)
    # respondents 0 and 1 answered on 1 and 2 September
    assert ranking.respondents == 2
    assert ranking.signal("litter").prevalence == 1.0
    assert ranking.round_name is None


def test_weights_from_settings_and_override(ward):
    with ward.session() as s:
        audit_only = rank_signals(s, WARD, round_name="Autumn 2026", settings=SETTINGS, weights=Weights(0, 0, 1, 0))
    assert audit_only.signals[0].issue == "litter"
    assert audit_only.weights == Weights(0, 0, 1, 0)


def test_ranking_survives_a_round_trip_through_json_values(ward):
    with ward.session() as s:
        ranking = rank_signals(s, WARD, round_name="Autumn 2026", settings=SETTINGS)
    assert Ranking.from_dict(ranking.as_dict()) == ranking


def test_mistakes_are_user_errors(ward):
    with ward.session() as s:
        with pytest.raises(UserError, match=r"no survey round called 'Spring'.*'Autumn 2026'"):
            rank_signals(s, WARD, round_name="Spring", settings=SETTINGS)
        with pytest.raises(UserError, match="no ward"):
            rank_signals(s, "E05999999", round_name="x", settings=SETTINGS)
        with pytest.raises(UserError, match="before it starts"):
            rank_signals(s, WARD, start=SEPT, end=SEPT - dt.timedelta(days=1), settings=SETTINGS)
        with pytest.raises(UserError, match="either"):
            rank_signals(s, WARD, round_name="Autumn 2026", start=SEPT, end=SEPT, settings=SETTINGS)


def test_list_rounds(ward):
    with ward.session() as s:
        rounds = list_rounds(s, WARD)
    assert [(r.name, r.respondents) for r in rounds] == [("Autumn 2026", 5)]


def test_crime_months_take_whole_months_and_the_same_months_a_year_before():
    assert crime_months(dt.date(2026, 1, 15), dt.date(2026, 3, 2)) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 1),
        dt.date(2025, 1, 1),
        dt.date(2025, 3, 1),
    )


def test_a_round_without_dates_takes_its_responses_dates(db):
    from rpdesk.db import models as m
    from rpdesk.services.tallies import refresh_tallies

    with db.session() as s:
        wid = make_ward(s)
        rnd = m.SurveyRound(ward_id=wid, name="Undated")
        s.add(rnd)
        s.flush()
        for day in (dt.date(2026, 5, 3), dt.date(2026, 5, 20)):
            s.add(m.SurveyResponse(round_id=rnd.id, respondent=str(day), date=day))
        refresh_tallies(s, [rnd.id])
        s.add(m.SurveyRound(ward_id=wid, name="Empty"))
    with db.session() as s:
        ranking = rank_signals(s, WARD, round_name="Undated", settings=SETTINGS)
        assert (ranking.period_start, ranking.period_end) == (dt.date(2026, 5, 3), dt.date(2026, 5, 20))
        assert ranking.respondents == 2
        with pytest.raises(UserError, match="no dates and no responses"):
            rank_signals(s, WARD, round_name="Empty", settings=SETTINGS)


def test_on_the_demo_residents_lead_every_ranking_and_unmapped_issues_are_na(demo_db):
    from sqlalchemy import select

    from rpdesk.db import models as m
    from rpdesk.services.wards import list_wards

    with demo_db.session() as s:
        mapped = set(s.scalars(select(m.Issue.code).join(m.IssueCrimeType, m.IssueCrimeType.issue_id == m.Issue.id)))
        for ward in list_wards(s):
            for rnd in list_rounds(s, ward.code):
                ranking = rank_signals(s, ward.code, round_name=rnd.name, settings=SMALL_SAMPLE_30)
                for a in ranking.signals:
                    assert (a.recorded is None) == (a.issue not in mapped)
                    for b in ranking.signals:
                        if a.respondents and b.respondents and a.prevalence_low > b.prevalence_high:
                            assert a.rank < b.rank, (ward.code, rnd.name, a.issue, b.issue)


def test_one_eva_observation_and_a_few_crimes_on_drugs_do_not_lift_it_over_fly_tipping(db):
    """The sergeant's ward: 49% call fly-tipping a big problem, 26% drugs; drugs has the EVA find and the crimes."""
    from tests.unit.services.signal_data import ratings

    autumn = dt.date(2026, 9, 1)
    with db.session() as s:
        wid = make_ward(s)
        add_round(
            s,
            wid,
            "Autumn 2026",
            autumn,
            {"fly_tipping": ratings(200, 98, 70), "drugs": ratings(200, 52, 50), "litter": ratings(200, 60, 60)},
        )
        add_audit(s, wid, autumn + dt.timedelta(days=5), [("drugs", 3, 1)])
        add_audit(s, wid, autumn + dt.timedelta(days=12), [])
        add_crimes(s, wid, autumn, "Drugs", 6)
        ranking = rank_signals(s, WARD, round_name="Autumn 2026", settings=SETTINGS)
    fly, drugs = ranking.signal("fly_tipping"), ranking.signal("drugs")
    # litter (30%, 24-37%) overlaps drugs (26%, 20-33%), so police-held evidence may order those two;
    # fly-tipping's interval (42-56%) lies wholly above drugs', so nothing lifts drugs over it
    assert (fly.rank, drugs.rank, ranking.signal("litter").rank) == (1, 2, 3)
    assert "place it above Rubbish or litter lying around" in drugs.explanation
    assert drugs.swaps_with == ("litter",) and "fly_tipping" not in drugs.swaps_with
    assert drugs.audit_per_walk == 1.5 and (drugs.recorded, drugs.recorded_previous) == (6, 0)
    assert drugs.recorded_p == pytest.approx(2 / 2**6)  # 6 against 0: binomial(6, 0.5) at either extreme
    assert fly.recorded is None and fly.kind == "physical" and "n/a" in fly.explanation
    assert drugs.as_dict()["kind"] == "social"
