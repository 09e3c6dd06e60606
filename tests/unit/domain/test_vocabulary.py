"""Vocabulary: every code a user meets has its one label, written once."""

from __future__ import annotations

from rpdesk.domain.vocabulary import SURVEY_METHOD_LABELS, SURVEY_METHOD_WORDS, SurveyMethod


def test_every_survey_method_has_a_label_and_initials_stay_capitals():
    assert set(SURVEY_METHOD_LABELS) == set(SurveyMethod)
    assert SURVEY_METHOD_LABELS[SurveyMethod.KIN] == "KIN" and SURVEY_METHOD_LABELS[SurveyMethod.NSI] == "NSI"
    assert (
        SURVEY_METHOD_LABELS[SurveyMethod.DOOR] == "Door"
        and SURVEY_METHOD_LABELS[SurveyMethod.TELEPHONE] == "Telephone"
    )
    assert SURVEY_METHOD_LABELS.get("postal") == "Postal"  # a stored code finds its label too
    assert SURVEY_METHOD_WORDS[SurveyMethod.DOOR] == "door-step"
