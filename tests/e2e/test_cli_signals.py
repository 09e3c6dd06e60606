"""Signals through rpdesk-cli: a canonical file imports and the ranking gives the hand-counted prevalence."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parents[2] / "resources" / "samples"
WARD = "E05001234"
BIG = {"2", "3", "a fairly big problem", "a very big problem"}


@pytest.fixture
def db(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'ward.sqlite'}"
    assert cli("--db", url, "db", "init").returncode == 0
    result = cli("--db", url, "wards", "add", "--code", WARD, "--name", "Sample Ward", "--lsoa", "E01014001,E01014002")
    assert result.returncode == 0, result.stderr
    return url


def hand_count(issue: str) -> tuple[int, int]:
    with (SAMPLES / "survey_canonical.csv").open(encoding="utf-8", newline="") as fh:
        cells = [row[f"{issue}_problem"].strip().lower() for row in csv.DictReader(fh)]
    answered = [c for c in cells if c]
    return len(answered), sum(c in BIG for c in answered)


def test_canonical_survey_imports_and_signals_json_gives_the_hand_count(cli, db):
    result = cli(
        "--db", db, "import", "surveys", str(SAMPLES / "survey_canonical.csv"), "--ward", WARD, "--round", "Autumn 2026"
    )
    assert result.returncode == 0, result.stderr
    assert "imported 60 row(s)" in result.stdout
    out = cli("--db", db, "signals", "--ward", WARD, "--round", "Autumn 2026", "--format", "json")
    assert out.returncode == 0, out.stderr
    signals = json.loads(out.stdout)
    assert [s["rank"] for s in signals] == list(range(1, len(signals) + 1))
    for a in signals:  # residents lead: an issue whose interval lies wholly above another's ranks above it
        for b in signals:
            if a["respondents"] and b["respondents"] and a["prevalence_low"] > b["prevalence_high"]:
                assert a["rank"] < b["rank"]
    required = {
        "issue",
        "label",
        "kind",
        "rank",
        "score",
        "respondents",
        "prevalence",
        "prevalence_low",
        "prevalence_high",
        "effect",
        "audit",
        "recorded",
        "recorded_p",
        "flags",
        "swaps_with",
    }
    assert required <= set(signals[0])
    by_issue = {s["issue"]: s for s in signals}
    assert by_issue["litter"]["recorded"] is None and by_issue["litter"]["kind"] == "physical"  # no crime type: null
    assert by_issue["drugs"]["recorded"] == 0  # a crime type, nothing recorded: zero
    for issue in ("litter", "speeding", "drugs"):
        answered, big = hand_count(issue)
        found = next(s for s in signals if s["issue"] == issue)
        assert found["respondents"] == answered
        assert found["prevalence"] == pytest.approx(big / answered)
        assert found["prevalence_low"] <= found["prevalence"] <= found["prevalence_high"]


def test_same_file_twice_and_a_bad_file_exit_3_and_name_rows(cli, db, tmp_path):
    args = ("import", "surveys", str(SAMPLES / "survey_canonical.csv"), "--ward", WARD, "--round", "R")
    assert cli("--db", db, *args).returncode == 0
    again = cli("--db", db, *args)
    assert again.returncode == 3 and "already imported" in again.stderr and "--replace" in again.stderr
    assert cli("--db", db, *args, "--replace").returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent,date,litter_problem\nr1,2026-02-30,1\nr2,2026-09-01,7\n", encoding="utf-8")
    refused = cli("--db", db, "import", "surveys", str(bad), "--ward", WARD, "--round", "Bad")
    assert refused.returncode == 3
    assert "bad.csv, row 2, column 'date'" in refused.stderr
    assert "bad.csv, row 3, column 'litter_problem'" in refused.stderr
    assert "Traceback" not in refused.stderr
    nothing = cli("--db", db, "signals", "--ward", WARD, "--round", "Bad")
    assert nothing.returncode == 3 and "no survey round called 'Bad'" in nothing.stderr  # the round was not created


def test_evidence_priorities_assessment_and_assumption_check(cli, db):
    for kind, name in (("audits", "eva.csv"), ("crimes", "2026-09-avon-and-somerset-street.csv")):
        result = cli("--db", db, "import", kind, str(SAMPLES / name), "--ward", WARD)
        assert result.returncode == 0, result.stderr
    assert "outside the ward" in result.stdout
    mapping = str(SAMPLES / "survey_form_export.mapping.json")
    result = cli(
        "--db",
        db,
        "import",
        "surveys",
        str(SAMPLES / "survey_form_export.csv"),
        "--ward",
        WARD,
        "--round",
        "Online",
        "--mapping",
        mapping,
    )
    assert result.returncode == 0, result.stderr
    scope = ("--ward", WARD, "--from", "01/09/2026", "--to", "31/10/2026")
    signals = json.loads(cli("--db", db, "signals", *scope, "--format", "json").stdout)
    top = [s["issue"] for s in signals[:3]]
    assert (
        cli(
            "--db",
            db,
            "expected",
            "set",
            "--ward",
            WARD,
            "--issue",
            "speeding,drugs",
            "--from",
            "2026-09-01",
            "--to",
            "2026-10-31",
        ).returncode
        == 0
    )
    compared = cli("--db", db, "expected", "compare", *scope)
    assert compared.returncode == 0 and "rank correlation" in compared.stdout
    refused = cli("--db", db, "priorities", "adopt", *scope, "--issue", top[0])
    assert refused.returncode == 3 and f"--pass-over {top[1]}=" in refused.stderr
    adopted = cli(
        "--db",
        db,
        "priorities",
        "adopt",
        *scope,
        "--issue",
        ",".join(top[:2]),
        "--pass-over",
        f"{top[2]}=Partner agency leads on it",
    )
    assert adopted.returncode == 0, adopted.stderr
    listed = json.loads(cli("--db", db, "priorities", "list", "--ward", WARD, "--format", "json").stdout)
    assert [p["issue"] for p in listed] == top[:2]
    passed = cli("--db", db, "priorities", "list", "--ward", WARD, "--passed-over").stdout
    assert "Partner agency leads on it" in passed
    assert cli("--db", db, "priorities", "assess", "--ward", WARD).returncode == 0
    assert cli("--db", db, "signals", "snapshot", *scope, "--name", "PACT Nov").returncode == 0
    snaps = json.loads(cli("--db", db, "signals", "snapshots", "--ward", WARD, "--format", "json").stdout)
    assert "PACT Nov" in [x["name"] for x in snaps]
    assert cli("--db", db, "confidence", "--ward", WARD, "--format", "csv").returncode == 0


def test_all_wards_ranks_every_ward_as_its_own_ranking_does(cli, tmp_path):
    import datetime as dt

    from tests.e2e.conftest import demo_ward

    url, _ = demo_ward(tmp_path, wards=3, years=1, today=dt.date.today().isoformat())
    out = cli("--db", url, "signals", "--all-wards", "--format", "json")
    assert out.returncode == 0, out.stderr
    rankings = json.loads(out.stdout)
    assert len(rankings) == 3
    for ranking in rankings:
        own = cli(
            "--db", url, "signals", "--ward", ranking["ward_code"], "--round", ranking["round_name"], "--format", "json"
        )
        assert own.returncode == 0, own.stderr
        assert ranking["signals"] == json.loads(own.stdout)
    rows = list(csv.DictReader(cli("--db", url, "signals", "--all-wards", "--format", "csv").stdout.splitlines()))
    assert len(rows) == sum(len(r["signals"]) for r in rankings)
    assert {r["ward_code"] for r in rows} == {r["ward_code"] for r in rankings}
    table = cli("--db", url, "signals", "--all-wards").stdout
    for ranking in rankings:
        best = ranking["signals"][0]["label"]
        assert any(ranking["ward_code"] in line and f"1. {best}" in line for line in table.splitlines())
    empty = cli("--db", url, "signals", "--all-wards", "--from", "2000-01-01", "--to", "2000-01-31").stdout
    assert sum("no answers to rank" in line for line in empty.splitlines()) == 3  # not an order of nobody's answers
    both = cli("--db", url, "signals", "--all-wards", "--ward", rankings[0]["ward_code"])
    assert both.returncode == 3 and "not both" in both.stderr


def test_a_date_slipped_by_months_exits_3_naming_the_row_and_imports_with_accept_dates(cli, db, tmp_path):
    with (SAMPLES / "survey_canonical.csv").open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    records[17][1] = "28/02/2026"  # spreadsheet row 18
    slipped = tmp_path / "slipped.csv"
    with slipped.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(records)
    args = ("--db", db, "import", "surveys", str(slipped), "--ward", WARD, "--round", "Autumn 2026")
    refused = cli(*args)
    assert refused.returncode == 3 and "Traceback" not in refused.stderr
    assert "slipped.csv, row 18: 28/02/2026 is 197 days from the file's middle date 13/09/2026" in refused.stderr
    accepted = cli(*args, "--accept-dates")
    assert accepted.returncode == 0, accepted.stderr
    assert "imported 60 row(s) from slipped.csv into round 'Autumn 2026'" in accepted.stdout
