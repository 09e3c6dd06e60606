"""``rpdesk-cli audit``: every read and every document of the demo's data is in the log, and tampering shows."""

from __future__ import annotations

import csv
import io
import json
import os
import pwd
import shutil
import sqlite3

import pytest

from tests.e2e.conftest import demo_ward

ME = pwd.getpwuid(os.getuid()).pw_name


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    return demo_ward(tmp_path_factory.mktemp("audit"), today="2026-10-31")


@pytest.fixture
def demo(demo_template, tmp_path):
    """A private copy of the module's demo database (tests tamper with it)."""
    url, code = demo_template
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}", code


def _log(cli, url, *args):
    result = cli("audit", "log", "--db", url, "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_reads_and_disclosures_of_the_demo_are_logged_with_a_real_identity(demo, cli, tmp_path):
    url, code = demo
    before = len(_log(cli, url))
    reads = [
        ("status", "--ward", code),
        ("actions", "list", "--ward", code),
        ("abstractions", "summary", "--ward", code),
        ("officers", "list"),
    ]
    for args in reads:
        result = cli(*args, "--db", url)
        assert result.returncode == 0, (args, result.stderr)
    pdf, xlsx = tmp_path / "card.pdf", tmp_path / "return.xlsx"
    made = cli("report", "card", "--db", url, "--ward", code, "--out", str(pdf), "--recipient", "Insp 1203 Hale")
    assert made.returncode == 0, made.stderr
    made = cli("abstractions", "return", "--db", url, "--month", "2026-10", "--out", str(xlsx), "--recipient", "CSP")
    assert made.returncode == 0, made.stderr
    new = _log(cli, url)[before:]
    consulted = [json.loads(e["detail"])["command"] for e in new if json.loads(e["detail"]).get("channel") == "cli"]
    assert consulted == [
        "status",
        "actions list",
        "abstractions summary",
        "officers list",
        "report card",
        "abstractions return",
    ]
    assert all(e["user"] == ME for e in new)
    disclosures = [e for e in new if e["activity"] == "disclosure"]
    assert [(e["record"], e["recipient"]) for e in disclosures] == [
        ("meeting_document", "Insp 1203 Hale"),
        ("abstraction", "CSP"),
    ]
    assert json.loads(disclosures[0]["detail"])["file"] == "card.pdf" and disclosures[0]["ward"] == code
    ward_only = _log(cli, url, "--ward", code, "--from", "today", "--user", ME)
    assert {e["ward"] for e in ward_only} == {code} and len(ward_only) >= 5
    assert _log(cli, url, "--user", "nobody-at-all") == []


def test_audit_log_csv_and_table(demo, cli):
    url, code = demo
    cli("status", "--ward", code, "--db", url)
    lines = cli("audit", "log", "--db", url, "--ward", code, "--format", "csv").stdout.splitlines()
    assert lines[0] == lines[-1] == "OFFICIAL-SENSITIVE"  # the log names people: marked like every export
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:-1]))))
    assert rows[-1]["activity"] == "consultation" and rows[-1]["user"] == ME
    officers = cli("officers", "list", "--db", url, "--format", "csv").stdout.splitlines()
    assert officers[0] == officers[-1] == "OFFICIAL-SENSITIVE" and officers[1].startswith("collar,name")
    actions = cli("actions", "list", "--db", url, "--ward", code, "--format", "csv").stdout.splitlines()
    assert actions[0] == actions[-1] == "OFFICIAL-SENSITIVE" and actions[1].startswith("id,ward,status")
    table = cli("audit", "log", "--db", url, "--ward", code, "--from", "today").stdout
    assert table.splitlines()[0].split()[:5] == ["seq", "at_utc", "user", "db_role", "activity"]


@pytest.mark.parametrize(
    ("tamper", "victim"),
    [
        ("UPDATE change_log SET os_user = 'innocent' WHERE seq = 20", 20),
        ("DELETE FROM change_log WHERE seq = 20", 21),
        (
            "UPDATE change_log SET seq = -seq WHERE seq IN (20, 21);"
            "UPDATE change_log SET seq = 21 WHERE seq = -20; UPDATE change_log SET seq = 20 WHERE seq = -21",
            21,
        ),
    ],
    ids=["edited", "removed", "reordered"],
)
def test_audit_verify_names_the_tampered_entry(demo, cli, tamper, victim):
    url, _code = demo
    ok = cli("audit", "verify", "--db", url)
    assert ok.returncode == 0 and "intact" in ok.stdout, ok.stderr
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    entry_id = con.execute("SELECT id FROM change_log WHERE seq = ?", (victim,)).fetchone()[0]
    con.executescript("DROP TRIGGER change_log_no_update; DROP TRIGGER change_log_no_delete;" + tamper)
    con.close()
    bad = cli("audit", "verify", "--db", url)
    assert bad.returncode == 3 and f"entry id {entry_id})" in bad.stderr, bad.stderr
    assert "Traceback" not in bad.stderr
