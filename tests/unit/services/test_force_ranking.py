"""Every ward ranked at once gives, ward by ward, exactly the ward's own ranking (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import event, update

from rpdesk.db import models as m
from rpdesk.errors import UserError
from rpdesk.services.force_ranking import rank_every_ward
from rpdesk.services.periods import ranking_at
from rpdesk.services.signals import rank_signals
from rpdesk.services.wards import add_ward, get_ward
from rpdesk.settings import Settings
from tests.unit.services.signal_data import add_audit, add_crimes, add_round

SETTINGS = Settings.with_values({"small_sample": 6, "priorities_top_n": 3})
AS_AT = dt.date(2026, 10, 15)
ISSUES = ("litter", "drugs", "speeding", "dog_fouling", "vandalism_graffiti", "drunk_rowdy", "burglary")
CRIME_TYPES = ("Drugs", "Public order", "Criminal damage and arson", "Burglary", "Vehicle crime")
EMPTY, FUTURE, TINY = "E05000098", "E05000097", "E05000096"


def _answers(rng: random.Random, n: int) -> dict[str, list[tuple[int | None, bool | None]]]:
    return {
        code: [(rng.choice((None, 0, 1, 2, 3, 3)), rng.choice((None, True, False))) for _ in range(n)]
        for code in ISSUES
    }


def _populate(session, wards: int = 8, seed: int = 11) -> None:
    """Wards with overlapping rounds, EVA walks in and out of their periods, a year of police.uk rows, and the
    awkward cases: a ward with no round, one whose only round starts after the day asked, a round smaller than
    the small-sample setting beside a full one, a round without dates, a walk with nothing seen, an inactive
    issue that still has answers."""
    rng = random.Random(seed)
    for w in range(wards):
        ward_id = add_ward(session, f"E05{w + 1:06d}", f"Ward {rng.randint(1, 99):02d}-{w}", lsoas=[f"E01{w:06d}"]).id
        spring = dt.date(2026, 3, 1) + dt.timedelta(days=rng.randint(0, 40))
        autumn = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randint(0, 30))
        add_round(session, ward_id, "Spring 2026", spring, _answers(rng, rng.randint(8, 20)), days=45)
        length = rng.randint(5, 60)
        small = w == 0  # smaller than the small-sample setting: its Spring round stays the one ranked
        add_round(
            session, ward_id, "Autumn 2026", autumn, _answers(rng, 3 if small else rng.randint(6, 20)), days=length
        )
        add_audit(session, ward_id, autumn, [(rng.choice(ISSUES), 4, 2)])  # on the first and last days: counted
        add_audit(session, ward_id, autumn + dt.timedelta(days=length), [])
        for _ in range(rng.randint(0, 6)):
            day = dt.date(2026, 2, 1) + dt.timedelta(days=rng.randint(0, 300))
            seen = [(rng.choice(ISSUES), rng.randint(1, 5), rng.randint(1, 3)) for _ in range(rng.randint(0, 3))]
            add_audit(session, ward_id, day, seen)
        for month in range(24):
            first = dt.date(2025 + (month + 1) // 12, (month + 1) % 12 + 1, 1)
            add_crimes(session, ward_id, first, rng.choice(CRIME_TYPES), rng.randint(0, 4))
    undated = session.query(m.SurveyRound).filter_by(name="Spring 2026").first()
    undated.start_date = undated.end_date = None  # its period comes from its responses' dates
    add_ward(session, EMPTY, "Ward with no survey")
    later = add_ward(session, FUTURE, "Ward surveyed later").id
    add_round(session, later, "Winter 2026", dt.date(2026, 12, 1), _answers(rng, 10))
    tiny = add_ward(session, TINY, "Ward with a small round only").id
    add_round(session, tiny, "KIN 2026", dt.date(2026, 9, 1), _answers(rng, 4))
    session.execute(update(m.Issue).where(m.Issue.code == "vandalism_graffiti").values(active=False))
    session.flush()


@pytest.fixture
def force(db):
    with db.session() as s:
        _populate(s)
    return db


def test_every_wards_current_ranking_is_the_one_its_own_pages_show(force):
    with force.session() as s:
        result = rank_every_ward(s, settings=SETTINGS, as_at=AS_AT)
        assert dict(result.unranked) == {EMPTY: "no survey round with answers", FUTURE: "no survey round with answers"}
        assert len(result.rankings) == 9
        for ranking in result.rankings:
            own = ranking_at(s, get_ward(s, ranking.ward_code), AS_AT, SETTINGS)
            assert ranking == own, ranking.ward_code  # order, scores, intervals, flags, tests, explanations
        by_code = {r.ward_code: r for r in result.rankings}
    assert by_code[TINY].round_name == "KIN 2026"  # the only round, though small
    assert {r.round_name for r in result.rankings} == {"Spring 2026", "Autumn 2026", "KIN 2026"}
    assert any("vandalism_graffiti" in (x.issue for x in r.signals) for r in result.rankings)  # inactive but answered


def test_a_named_round_and_a_period_rank_as_ward_by_ward(force):
    with force.session() as s:
        named = rank_every_ward(s, settings=SETTINGS, round_name="spring 2026")
        assert {code for code, _ in named.unranked} == {EMPTY, FUTURE, TINY}
        assert "no survey round called 'spring 2026'" in dict(named.unranked)[EMPTY]
        for ranking in named.rankings:
            assert ranking == rank_signals(s, ranking.ward_code, round_name="Spring 2026", settings=SETTINGS)
        start, end = dt.date(2026, 9, 10), dt.date(2026, 10, 20)
        period = rank_every_ward(s, settings=SETTINGS, start=start, end=end)
        assert period.unranked == ()
        assert len(period.rankings) == 11
        for ranking in period.rankings:  # wards without answers in the period too: "nobody answered"
            assert ranking == rank_signals(s, ranking.ward_code, start=start, end=end, settings=SETTINGS)
        assert any(r.respondents == 0 for r in period.rankings)


def test_the_number_of_queries_does_not_grow_with_the_wards(force):
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(force.engine, "before_cursor_execute", count)
    try:
        with force.session() as s:
            rank_every_ward(s, settings=SETTINGS, as_at=AS_AT)
    finally:
        event.remove(force.engine, "before_cursor_execute", count)
    selects = [q for q in statements if q.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 8  # wards, rounds, answers, EVA findings, walks, police.uk, catalogue (2)


def test_a_round_and_a_period_together_are_refused(force):
    with force.session() as s, pytest.raises(UserError, match="either a survey round or a period"):
        rank_every_ward(s, settings=SETTINGS, round_name="Spring 2026", start=dt.date(2026, 1, 1), end=AS_AT)
    with force.session() as s, pytest.raises(UserError, match=r"ends .* before it starts"):
        rank_every_ward(s, settings=SETTINGS, start=AS_AT, end=dt.date(2026, 1, 1))
