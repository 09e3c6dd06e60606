"""Partner actions through rpdesk-cli: add, update, close, overdue listing, history, "we did"."""

from __future__ import annotations

import json

import pytest

WARD = "E05000001"
TODAY = "2026-10-15"


@pytest.fixture
def ward_db(cli, tmp_path):
    db = f"sqlite:///{tmp_path / 'ward.sqlite'}"
    assert cli("--db", db, "db", "init").returncode == 0
    assert cli("--db", db, "wards", "add", "--code", WARD, "--name", "Northgate").returncode == 0
    return db


def _add(cli, db, title, due, *extra):
    result = cli(
        "--db",
        db,
        "actions",
        "add",
        "--ward",
        WARD,
        "--title",
        title,
        "--owner",
        "PCSO Evans",
        "--due",
        due,
        "--today",
        "2026-09-01",
        *extra,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[2])


def _list(cli, db, *extra):
    result = cli("--db", db, "actions", "list", "--ward", WARD, "--today", TODAY, "--format", "json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_overdue_actions_are_listed_correctly(cli, ward_db):
    late = _add(
        cli, ward_db, "Clean graffiti", "2026-10-01", "--partner", "Council street scene", "--epic", "prevention"
    )
    _add(cli, ward_db, "Fix lights", "2026-10-20")
    done = _add(cli, ward_db, "Empty bins", "2026-09-20")
    result = cli("--db", ward_db, "actions", "close", str(done), "--outcome", "Bins emptied", "--today", "2026-09-19")
    assert result.returncode == 0, result.stderr

    overdue = _list(cli, ward_db, "--overdue")
    assert [(a["id"], a["days_overdue"], a["partner"], a["epic"]) for a in overdue] == [
        (late, 14, "Council street scene", "prevention")
    ]
    assert [a["id"] for a in _list(cli, ward_db, "--due-soon")] == [late + 1]
    table = cli("--db", ward_db, "actions", "list", "--ward", WARD, "--overdue", "--today", TODAY).stdout
    assert "Clean graffiti" in table and "Empty bins" not in table


def test_status_rules_and_history_through_the_cli(cli, ward_db):
    action = _add(cli, ward_db, "CCTV camera", "2026-10-01")
    blocked = cli("--db", ward_db, "actions", "update", str(action), "--status", "blocked")
    assert blocked.returncode == 3
    assert blocked.stderr.strip() == "rpdesk-cli: A blocked action needs a note saying what it is waiting for (--note)."
    ok = cli("--db", ward_db, "actions", "update", str(action), "--status", "blocked", "--note", "funding")
    assert ok.returncode == 0, ok.stderr
    stale = cli("--db", ward_db, "actions", "update", str(action), "--owner", "PC Reed", "--version", "1")
    assert stale.returncode == 3 and "Somebody else changed" in stale.stderr
    wrong_ward = cli("--db", ward_db, "actions", "close", str(action), "--ward", "E05000009", "--outcome", "x")
    assert wrong_ward.returncode == 3
    closed = cli("--db", ward_db, "actions", "close", str(action), "--outcome", "Camera fitted", "--today", TODAY)
    assert closed.returncode == 0, closed.stderr
    history = json.loads(cli("--db", ward_db, "actions", "history", str(action), "--format", "json").stdout)
    assert [(h["from_status"], h["to_status"], h["note"]) for h in history] == [
        (None, "open", None),
        ("open", "blocked", "funding"),
        ("blocked", "done", None),
    ]
    we_did = json.loads(
        cli("--db", ward_db, "actions", "we-did", "--ward", WARD, "--today", TODAY, "--format", "json").stdout
    )
    assert [(a["title"], a["outcome"]) for a in we_did] == [("CCTV camera", "Camera fitted")]


def test_unknown_ward_and_action_are_user_errors(cli, ward_db):
    result = cli("--db", ward_db, "actions", "add", "--ward", "E05999999", "--title", "x", "--owner", "y")
    assert result.returncode == 3 and "wards list" in result.stderr
    result = cli("--db", ward_db, "actions", "close", "999", "--outcome", "x")
    assert result.returncode == 3 and "no action with id 999" in result.stderr


def test_a_refused_action_names_each_problem_with_the_option_that_sets_it(cli, ward_db):
    result = cli(
        "--db",
        ward_db,
        "actions",
        "add",
        "--ward",
        WARD,
        "--title",
        "Clear the underpass",
        "--owner",
        " ",
        "--due",
        "2026-10-01",
        "--review",
        "2026-10-08",
        "--public",
        "--today",
        "2026-09-01",
    )
    assert result.returncode == 3
    assert result.stderr.strip() == (
        "rpdesk-cli: An action needs an owner: who will see it done (--owner)."
        " The review date (08/10/2026) is after the due date (01/10/2026) (--review)."
        " A public action needs the control signal residents will see (--control-signal)."
    )
    assert cli("--db", ward_db, "actions", "list", "--format", "json").stdout.strip() == "[]"
