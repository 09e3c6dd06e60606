"""Answer tallies stay equal to the answers through every write, and an older database gets them filled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Integer, case, func, select

from rpdesk.db import models as m
from rpdesk.db import schema
from rpdesk.db.database import open_database
from rpdesk.services.imports import import_surveys
from rpdesk.services.surveys import PaperForm, add_paper_form
from rpdesk.services.tallies import tallied_counts
from rpdesk.services.wards import add_ward
from tests.support.schema import OLD_WARD, database_at

SAMPLES = Path(__file__).parents[3] / "resources" / "samples"
WARD = "E05001234"


def counted_from_answers(session, round_id: int, start=None, end=None):
    """The same counts straight from every answer: what the tallies must always equal."""
    scope = [m.SurveyResponse.round_id == round_id]
    if start is not None:
        scope.append(m.SurveyResponse.date.between(start, end))
    respondents = session.scalar(select(func.count()).select_from(m.SurveyResponse).where(*scope))
    big = case((m.SurveyAnswer.problem >= 2, 1), else_=0)
    yes = case((m.SurveyAnswer.effect.is_(True), 1), else_=0)
    rows = session.execute(
        select(
            m.SurveyAnswer.issue_id,
            func.count(m.SurveyAnswer.problem),
            func.coalesce(func.sum(big), 0),
            func.coalesce(func.sum(m.SurveyAnswer.problem.cast(Integer)), 0),
            func.count(m.SurveyAnswer.effect),
            func.coalesce(func.sum(yes), 0),
        )
        .join(m.SurveyResponse, m.SurveyResponse.id == m.SurveyAnswer.response_id)
        .where(*scope)
        .group_by(m.SurveyAnswer.issue_id)
    )
    return respondents, {r[0]: tuple(int(v) for v in r[1:]) for r in rows}


def test_tallies_follow_an_import_a_replacement_and_a_paper_form(db):
    with db.session() as s:
        add_ward(s, WARD, "Sample Ward", lsoas=["E01014001"])
        import_surveys(s, SAMPLES / "survey_canonical.csv", WARD, "Autumn 2026")
    with db.session() as s:
        rnd = s.scalars(select(m.SurveyRound)).one()
        imported = tallied_counts(s, [rnd.id])
        assert imported == counted_from_answers(s, rnd.id) and imported[0] == 60
        first, last = s.execute(select(func.min(m.SurveyResponse.date), func.max(m.SurveyResponse.date))).one()
        middle = first + (last - first) / 2
        assert tallied_counts(s, [rnd.id], first, middle) == counted_from_answers(s, rnd.id, first, middle)

    with db.session() as s:
        import_surveys(s, SAMPLES / "survey_canonical.csv", WARD, "Autumn 2026", replace=True)
    with db.session() as s:
        assert tallied_counts(s, [rnd.id]) == imported  # replaced, not counted twice

    with db.session() as s:
        add_paper_form(s, PaperForm(rnd.id, "PAPER-1", dt.date(2026, 10, 2), answers={"litter": (3, True)}))
    with db.session() as s:
        after = tallied_counts(s, [rnd.id])
        assert after == counted_from_answers(s, rnd.id) and after[0] == 61


def test_an_older_database_gets_its_tallies_filled_from_the_answers_it_holds(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    previous = schema.REVISIONS[schema.REVISIONS.index("0009_answer_tallies") - 1]
    database_at(
        url,
        previous,
        OLD_WARD,
        "INSERT INTO issue (id, code, label, kind, active, version) VALUES (1, 'litter', 'Litter', 'physical', 1, 1)",
        "INSERT INTO survey_round (id, ward_id, name, method, version) VALUES (1, 1, 'Spring', 'door', 1)",
        "INSERT INTO survey_response (id, round_id, respondent, date) VALUES "
        "(1, 1, 'A', '2025-03-01'), (2, 1, 'B', '2025-03-01'), (3, 1, 'C', '2025-03-02')",
        "INSERT INTO survey_answer (response_id, issue_id, problem, effect) VALUES (1, 1, 3, 1)",
        "INSERT INTO survey_answer (response_id, issue_id, problem, effect) VALUES (2, 1, 0, 0)",
        "INSERT INTO survey_answer (response_id, issue_id, problem, effect) VALUES (3, 1, 2, NULL)",
    )
    database = open_database(url)
    try:
        with database.session() as s:
            respondents, counts = tallied_counts(s, [1])
            assert respondents == 3
            assert list(counts.values()) == [(3, 2, 5, 2, 1)]
            assert (respondents, counts) == counted_from_answers(s, 1)
    finally:
        database.dispose()
