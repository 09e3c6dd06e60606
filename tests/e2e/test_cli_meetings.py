"""Meetings and survey rounds on the command line, and messages that name the command a missing record needs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

WARD = "E05000001"
SAMPLES = Path(__file__).parents[2] / "resources" / "samples"


@pytest.fixture
def ward_db(cli, tmp_path: Path) -> str:
    db = str(tmp_path / "ward.sqlite")
    assert cli("--db", db, "db", "init").returncode == 0
    assert cli("--db", db, "wards", "add", "--code", WARD, "--name", "Northgate").returncode == 0
    return db


def test_a_document_for_a_ward_without_meetings_names_the_command_that_adds_one(cli, ward_db, tmp_path):
    result = cli("--db", ward_db, "report", "card", "--ward", WARD, "--out", str(tmp_path / "card.pdf"))
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert f"rpdesk-cli meetings add --ward {WARD} --kind tcg --date DATE" in result.stderr
    assert not (tmp_path / "card.pdf").exists()


def test_meetings_are_added_listed_moved_and_cancelled(cli, ward_db):
    added = cli("--db", ward_db, "meetings", "add", "--ward", WARD, "--kind", "tcg", "--date", "+7d", "--time", "10:00")
    assert added.returncode == 0, added.stderr
    cli("--db", ward_db, "meetings", "add", "--ward", WARD, "--kind", "community", "--date", "today", "--venue", "Hall")
    listed = json.loads(cli("--db", ward_db, "meetings", "list", "--ward", WARD, "--format", "json").stdout)
    week = dt.date.today() + dt.timedelta(days=7)
    assert [(m["kind"], m["date"], m["start_time"], m["venue"]) for m in listed] == [
        ("tcg", week.isoformat(), "10:00", None),
        ("community", dt.date.today().isoformat(), None, "Hall"),
    ]
    tcg = listed[0]["id"]
    moved = cli("--db", ward_db, "meetings", "update", str(tcg), "--date", "+8d", "--venue", "Station")
    assert moved.returncode == 0, moved.stderr
    stale = cli("--db", ward_db, "meetings", "update", str(tcg), "--time", "09:00", "--version", "1")
    assert stale.returncode == 3 and "Somebody else changed" in stale.stderr
    assert cli("--db", ward_db, "meetings", "cancel", str(tcg)).returncode == 0
    left = json.loads(cli("--db", ward_db, "meetings", "list", "--ward", WARD, "--format", "json").stdout)
    assert [m["kind"] for m in left] == ["community"]
    twice = cli("--db", ward_db, "meetings", "cancel", str(tcg))
    assert twice.returncode == 3 and "meetings list --ward CODE" in twice.stderr


def test_a_bad_relative_date_is_a_usage_error_naming_the_forms(cli, ward_db):
    result = cli("--db", ward_db, "meetings", "add", "--ward", WARD, "--kind", "tcg", "--date", "next week")
    assert result.returncode == 2 and "+14d" in result.stderr


def test_survey_rounds_are_listed_oldest_first_with_their_respondents(cli, ward_db):
    empty = cli("--db", ward_db, "surveys", "rounds", "--ward", WARD)
    assert empty.returncode == 0 and "rpdesk-cli import surveys FILE" in empty.stdout
    imported = cli(
        "--db", ward_db, "import", "surveys", str(SAMPLES / "survey_canonical.csv"), "--ward", WARD, "--round", "Autumn"
    )
    assert imported.returncode == 0, imported.stderr
    rounds = json.loads(cli("--db", ward_db, "surveys", "rounds", "--ward", WARD, "--format", "json").stdout)
    assert [(r["name"], r["respondents"], r["method"]) for r in rounds] == [("Autumn", 60, "door")]
