"""Saved column mappings: round trip, applying one, and refusing a broken one."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpdesk.domain.catalogue import DEFAULT_ISSUES
from rpdesk.errors import InputRejected, UserError
from rpdesk.importers.mapping import ColumnMapping, apply_mapping, load_mapping, save_mapping
from rpdesk.importers.reading import read_table
from rpdesk.importers.surveys import parse_survey

SAMPLES = Path(__file__).parents[3] / "resources" / "samples"


def test_sample_export_with_its_mapping_parses():
    mapping = load_mapping(SAMPLES / "survey_form_export.mapping.json")
    table = apply_mapping(read_table(SAMPLES / "survey_form_export.csv"), mapping)
    parsed = parse_survey(table, [i.code for i in DEFAULT_ISSUES])
    assert len(parsed.respondents) == 30
    assert set(parsed.answers) == {"litter", "youths_hanging_around", "drugs", "speeding"}
    assert set(parsed.answers["litter"][0]) <= {0, 1, 2, 3, None}


def test_round_trip(tmp_path):
    mapping = ColumnMapping(
        "surveys", {"Q1 text": "litter_problem", "Timestamp": None}, {"litter_problem": {"Big": "3"}}
    )
    save_mapping(mapping, tmp_path / "m.json")
    assert load_mapping(tmp_path / "m.json") == mapping
    assert (tmp_path / "m.json").stat().st_mode & 0o077 == 0  # owner-only: it names the form's questions
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]


def test_headers_match_ignoring_case_and_spacing(tmp_path):
    (tmp_path / "f.csv").write_text("ID,  when  ,Q1   TEXT,Timestamp\nr1,2026-09-01,big,x\n", encoding="utf-8")
    mapping = ColumnMapping(
        "surveys",
        {"id": "respondent", "When": "date", "q1 text": "litter_problem", "timestamp": None},
        {"litter_problem": {"BIG": "3"}},
    )
    table = apply_mapping(read_table(tmp_path / "f.csv"), mapping)
    assert list(table.frame.columns) == ["respondent", "date", "litter_problem"]
    assert table.frame["litter_problem"].tolist() == ["3"]


def test_two_headers_onto_one_column_are_refused(tmp_path):
    (tmp_path / "f.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputRejected, match="one column mapped to 'respondent'"):
        apply_mapping(read_table(tmp_path / "f.csv"), ColumnMapping("surveys", {"a": "respondent", "b": "respondent"}))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "other"}', "not an rpdesk column mapping"),
        ('{"format": "rpdesk-column-mapping", "version": 9}', "version 9"),
        ('{"format": "rpdesk-column-mapping", "version": 1, "columns": {"a": 3}}', "column name or null"),
        ('{"format": "rpdesk-column-mapping", "version": 1, "kind": "x"}', "kind"),
    ],
)
def test_broken_mapping_files_are_refused(tmp_path, text, message):
    (tmp_path / "m.json").write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=message):
        load_mapping(tmp_path / "m.json")
