"""The answer-wording rule: close wordings match the scale's answer, ambiguous ones never do."""

from __future__ import annotations

import pytest

from rpdesk.importers.reading import CellError
from rpdesk.importers.surveys import AGREE_LABELS, GOOD_JOB_LABELS, PROBLEM_LABELS, PROBLEM_PARSER, SAFE_LABELS
from rpdesk.importers.wording import close_match, own_wording, wording_key


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Not a problem", 0),
        ("not a problem at all", 0),
        ("No problem", 0),
        ("A small problem", 1),
        ("Small", 1),
        ("a minor problem", 1),
        ("Not very big", 1),
        ("Quite a big problem", 2),
        ("QUITE A BIG PROBLEM!", 2),
        ("Rather big", 2),
        ("fairly  big problem", 2),
        ("Very big problem", 3),
        ("very big", 3),
    ],
)
def test_close_wordings_match_their_answer_on_the_problem_scale(text, value):
    assert close_match(text, PROBLEM_LABELS) == value


@pytest.mark.parametrize(
    ("text", "labels", "value"),
    [
        ("Quite safe", SAFE_LABELS, 3),
        ("rather unsafe", SAFE_LABELS, 2),
        ("Very Safe.", SAFE_LABELS, 4),
        ("STRONGLY AGREE", AGREE_LABELS, 5),
        ("Very poor!", GOOD_JOB_LABELS, 1),
    ],
)
def test_the_rule_is_the_same_on_the_other_scales(text, labels, value):
    assert close_match(text, labels) == value


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("Big problem", PROBLEM_LABELS),  # between fairly big and very big
        ("A big problem", PROBLEM_LABELS),
        ("Not a big problem", PROBLEM_LABELS),
        ("Very small problem", PROBLEM_LABELS),
        ("Not a small problem", PROBLEM_LABELS),
        ("Huge problem", PROBLEM_LABELS),
        ("Problem", PROBLEM_LABELS),
        ("", PROBLEM_LABELS),
        ("Very good", GOOD_JOB_LABELS),  # between Good and Excellent
        ("Quite good", GOOD_JOB_LABELS),
        ("Safe", SAFE_LABELS),  # fairly or very safe
        ("Not very safe", SAFE_LABELS),
    ],
)
def test_wordings_that_name_no_one_answer_never_match(text, labels):
    assert close_match(text, labels) is None


def test_a_wording_matching_two_answers_matches_neither():
    assert close_match("quite big", {"A fairly big problem": 2, "Rather big": 3}) is None


def test_the_key_drops_only_filler_and_keeps_the_meaning():
    assert wording_key("Not a very big problem") == "not very big"
    assert wording_key("It’s quite big") == "it's fairly big"


def test_the_scales_own_wording_is_its_first_label_per_value():
    assert own_wording(PROBLEM_LABELS) == {
        0: "Not a problem at all",
        1: "Not a very big problem",
        2: "A fairly big problem",
        3: "A very big problem",
    }


def test_the_importer_reads_close_wording_and_refuses_the_rest_with_a_short_expectation():
    assert PROBLEM_PARSER("A small problem") == 1
    assert PROBLEM_PARSER("2") == 2
    with pytest.raises(CellError) as refused:
        PROBLEM_PARSER("Big problem")
    assert str(refused.value) == (
        'a whole number from 0 to 3 or the scale\'s wording, "Not a problem at all" to "A very big problem"'
    )
