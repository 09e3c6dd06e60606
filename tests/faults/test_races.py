"""Two imports of the same data at once, on SQLite and PostgreSQL: one import and one clear refusal."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.faults.conftest import ROOT, SAMPLES, WARD, assert_message, big_crimes_file, count, roster_file


def _race(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Start every command at once and wait for all of them."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "rpdesk.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=dict(os.environ),
        )
        for args in commands
    ]
    results = []
    for proc, args in zip(procs, commands, strict=True):
        out, err = proc.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
    return results


def _one_won(results: list[subprocess.CompletedProcess[str]], *words: str) -> int:
    """Exactly one import succeeded and the other was refused in words; returns the rows the winner wrote."""
    codes = sorted(r.returncode for r in results)
    assert codes == [0, 3], [(r.returncode, r.stderr) for r in results]
    assert_message(next(r for r in results if r.returncode == 3), *words)
    winner = next(r for r in results if r.returncode == 0)
    found = re.search(r"imported (\d+) row", winner.stdout)
    assert found, winner.stdout
    return int(found.group(1))


def test_same_police_uk_file_twice_at_once(ward_url, tmp_path):
    crimes = big_crimes_file(tmp_path)
    args = ["import", "crimes", str(crimes), "--ward", WARD, "--db", ward_url]
    rows = _one_won(_race(args, args), "already")
    assert rows > 1_000 and count(ward_url, "crime_record") == rows
    assert count(ward_url, "import_batch") == 1


def test_two_police_uk_files_sharing_a_month_at_once(ward_url, tmp_path):
    first = big_crimes_file(tmp_path)
    extra = ",2026-08,Avon and Somerset Constabulary,Avon and Somerset Constabulary,,,On or near X,E01014001,B,Drugs,,"
    second = big_crimes_file(tmp_path, extra=extra)
    results = _race(
        ["import", "crimes", str(first), "--ward", WARD, "--db", ward_url],
        ["import", "crimes", str(second), "--ward", WARD, "--db", ward_url],
    )
    rows = _one_won(results, "already holds police.uk rows")
    assert count(ward_url, "crime_record") == rows
    assert count(ward_url, "import_batch") == 1


def test_same_eva_file_twice_at_once(ward_url):
    args = ["import", "audits", str(SAMPLES / "eva.csv"), "--ward", WARD, "--db", ward_url]
    rows = _one_won(_race(args, args), "already imported")
    assert count(ward_url, "audit_observation") == rows
    assert count(ward_url, "import_batch") == 1


@pytest.mark.parametrize("rounds", [("Autumn 2026", "Autumn 2026"), ("Autumn 2026", "Winter 2026")])
def test_same_survey_file_twice_at_once(ward_url, rounds):
    survey = str(SAMPLES / "survey_canonical.csv")
    results = _race(*(["import", "surveys", survey, "--ward", WARD, "--round", r, "--db", ward_url] for r in rounds))
    rows = _one_won(results, "already imported")
    assert count(ward_url, "survey_response") == rows
    assert count(ward_url, "import_batch") == 1
    assert count(ward_url, "survey_round") == 1


def test_same_roster_twice_at_once(ward_url, tmp_path):
    args = ["import", "duty", str(roster_file(ward_url, tmp_path)), "--db", ward_url]
    results = _race(args, args)
    assert sorted(r.returncode for r in results) == [0, 3], [(r.returncode, r.stderr) for r in results]
    assert_message(next(r for r in results if r.returncode == 3), "nothing")
    assert count(ward_url, "duty_record") == 11
