"""Question texts proposed as canonical columns: the sample export, an MS-Forms-like export, what is left alone."""

from __future__ import annotations

from pathlib import Path

from rpdesk.domain.catalogue import DEFAULT_ISSUES
from rpdesk.importers.mapping import load_mapping
from rpdesk.importers.questions import Issue, propose_columns, propose_survey_columns
from rpdesk.importers.reading import read_table

SAMPLES = Path(__file__).parents[3] / "resources" / "samples"
ISSUES = [Issue(i.code, i.label) for i in DEFAULT_ISSUES]


def test_the_sample_form_export_is_proposed_as_its_hand_made_mapping_says():
    headers = [str(c) for c in read_table(SAMPLES / "survey_form_export.csv").frame.columns]
    by_hand = load_mapping(SAMPLES / "survey_form_export.mapping.json").columns
    assert propose_survey_columns(headers, ISSUES) == dict(by_hand)


def test_an_ms_forms_export_gets_its_date_issue_pairs_and_leaves_out_name_email_and_start_time():
    headers = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Litter?",
        "Has it changed what you do?",
        "Which street do you live in?",
        "Your age group",
        "How safe do you feel walking alone after dark?",
    ]
    assert propose_survey_columns(headers, ISSUES) == {
        "ID": "respondent",
        "Start time": None,
        "Completion time": "date",
        "Email": None,
        "Name": None,
        "Litter?": "litter_problem",
        "Has it changed what you do?": "litter_effect",
        "Which street do you live in?": "street",
        "Your age group": "age_band",
        "How safe do you feel walking alone after dark?": "safe_after_dark",
    }


def test_a_question_the_rules_cannot_place_is_left_to_the_user_and_no_column_is_proposed_twice():
    headers = ["respondent", "Date", "Timestamp", "Favourite colour", "Litter", "Litter problem"]
    assert propose_survey_columns(headers, ISSUES) == {
        "respondent": "respondent",
        "Date": "date",
        "Timestamp": None,
        "Litter": "litter_problem",
    }


def test_other_kinds_are_matched_only_by_their_own_column_names():
    assert propose_columns("audits", ["Date", "Officer", "Where"], [], ["date", "officer", "location"]) == {
        "Date": "date",
        "Officer": "officer",
    }
