"""Which answers of a file need matching, what is proposed for them, and the mapping values they become."""

from __future__ import annotations

from rpdesk.importers.answer_scales import answer_scale, answer_values, answers_to_match

MAPPED = {"Litter?": "litter_problem", "Drugs?": "drugs_problem", "Changed?": "litter_effect", "Notes": "comments"}
ANSWERS = {
    "Litter?": ["Not a problem", "A small problem", "Big problem", "2"],
    "Drugs?": ["a small problem", "Quite a big problem", ""],
    "Changed?": ["Yes", "No", "Sometimes"],
    "Notes": ["Anything at all"],
}


def test_answers_read_as_written_are_not_listed_and_close_ones_are_proposed_once_per_scale():
    found = {m.text: m for m in answers_to_match(MAPPED, ANSWERS, {})}
    assert set(found) == {"A small problem", "Big problem", "Quite a big problem", "Sometimes"}
    small = found["A small problem"]
    assert (small.chosen, small.how, small.headers) == ("1", "close wording", ("Litter?", "Drugs?"))
    assert small.columns == ("litter_problem", "drugs_problem")
    assert (found["Big problem"].chosen, found["Big problem"].how) == (None, "")
    assert found["Sometimes"].scale.name == "yes or no"


def test_a_saved_choice_wins_over_the_proposal():
    saved = {"drugs_problem": {"A SMALL PROBLEM": "2"}, "litter_problem": {"big problem": "3"}}
    found = {m.text: m for m in answers_to_match(MAPPED, ANSWERS, saved)}
    assert (found["A small problem"].chosen, found["A small problem"].how) == ("2", "saved")
    assert found["Big problem"].chosen == "3"


def test_chosen_answers_become_the_mapping_values_of_every_column_they_appear_in():
    found = {m.text: m for m in answers_to_match(MAPPED, ANSWERS, {})}
    values = answer_values([(found["A small problem"], "1"), (found["Big problem"], None), (found["Sometimes"], "")])
    assert values == {
        "litter_problem": {"A small problem": "1"},
        "drugs_problem": {"A small problem": "1"},
        "litter_effect": {"Sometimes": ""},
    }


def test_the_scale_choices_are_its_own_wording_plus_not_answered():
    problem = answer_scale("speeding_problem")
    assert problem is not None and problem.choices[2] == ("A fairly big problem", "2")
    assert problem.choices[-1][1] == ""
    assert answer_scale("comments") is None and answer_scale("respondent") is None
