"""Paper forms typed in by hand: anonymous keys, one per round, scales checked, answers kept."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from rpdesk.db.models import SurveyAnswer, SurveyResponse, SurveyRound
from rpdesk.errors import UserError
from rpdesk.services.surveys import PaperForm, add_paper_form, paper_form_problems
from rpdesk.services.wards import add_ward


@pytest.fixture
def round_id(db):
    with db.session() as s:
        ward = add_ward(s, "E05000020", "Glebe Farm")
        rnd = SurveyRound(ward_id=ward.id, name="Autumn 2026")
        s.add(rnd)
        s.flush()
        return rnd.id


def form(round_id, **kw):
    base = dict(
        round_id=round_id,
        respondent="P-001",
        date=dt.date(2026, 9, 14),
        answers={"litter": (3, True), "drugs": (0, False), "speeding": (None, None)},
        conf_good_job=4,
    )
    return PaperForm(**{**base, **kw})


def test_form_is_saved_with_the_answers_given(db, round_id):
    with db.session() as s:
        add_paper_form(s, form(round_id))
    with db.session() as s:
        answers = s.execute(select(SurveyAnswer.problem, SurveyAnswer.effect).order_by(SurveyAnswer.problem)).all()
        conf = s.scalar(select(SurveyResponse.conf_good_job))
    assert [tuple(a) for a in answers] == [(0, False), (3, True)]  # the unanswered issue is not stored
    assert conf == 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"respondent": "jo.bloggs@example.com"}, "not a name, e-mail address"),
        ({"respondent": "Jo Bloggs"}, "not a name"),
        ({"street": "Flat 3 Rose Court"}, "without a house or flat number"),
        ({"age_band": "01/02/1980"}, "one of the age bands"),
        ({"respondent": "07700 900123"}, "phone number"),
        ({"answers": {"litter": (4, None)}}, "expected 0 to 3"),
        ({"safe_after_dark": 5}, "expected 1 to 4"),
        ({"answers": {"unicorns": (2, True)}}, "Unknown issue"),
    ],
)
def test_bad_form_is_refused_and_nothing_written(db, round_id, change, message):
    with pytest.raises(UserError, match=message), db.session() as s:
        add_paper_form(s, form(round_id, **change))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_contact_details_in_a_typed_comment_are_masked(db, round_id):
    with db.session() as s:
        add_paper_form(s, form(round_id, comments="call 07700 900123", age_band="25 to 34"))
    with db.session() as s:
        assert s.execute(select(SurveyResponse.comments, SurveyResponse.age_band)).one() == (
            "call [phone number removed]",
            "25-34",
        )


def test_key_used_once_per_round(db, round_id):
    with db.session() as s:
        add_paper_form(s, form(round_id))
    with pytest.raises(UserError, match="already in round Autumn 2026"), db.session() as s:
        add_paper_form(s, form(round_id))


def test_every_rule_a_typed_form_breaks_is_named_with_its_field_without_a_database():
    typed = form(
        1,
        respondent=" ",
        date=dt.date(2026, 9, 15),
        answers={"litter": (None, True), "drugs": (None, None)},
        conf_good_job=7,
    )
    found = paper_form_problems(typed, today=dt.date(2026, 9, 14), labels={"litter": "Litter"})
    assert [p.field for p in found] == ["conf_good_job", "respondent", "date", "litter", "answers"]
    assert found[3].text == "'Litter': an effect is recorded, but the issue is not rated a problem."
    assert paper_form_problems(form(1), today=dt.date(2026, 9, 14)) == []


def test_a_form_dated_after_today_is_refused(db, round_id):
    with pytest.raises(UserError, match="in the future"), db.session() as s:
        add_paper_form(s, form(round_id), today=dt.date(2026, 9, 13))
