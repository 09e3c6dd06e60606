"""A roster imported through rpdesk-cli gives the hand-counted ring-fence figures (tests/support/roster.py)."""

from __future__ import annotations

import csv
import datetime as dt
import json

import openpyxl
import pytest

from rpdesk.db.database import open_database
from tests.support.roster import EXPECTED, NORTHGATE, ROSTER_CSV, SOUTHMEAD, seed_people


@pytest.fixture
def people(tmp_path):
    """A fresh database file with the roster's wards and officers (set up in-process, to keep the test fast)."""
    db = f"sqlite:///{tmp_path / 'ward.sqlite'}"
    database = open_database(db)
    with database.session() as s:
        seed_people(s)
    database.dispose()
    return db


def test_officers_are_added_and_posted_through_the_cli(cli, tmp_path):
    db = f"sqlite:///{tmp_path / 'ward.sqlite'}"
    steps = [
        ("db", "init"),
        ("wards", "add", "--code", NORTHGATE, "--name", "Northgate", "--neighbourhood", "North Team"),
        (
            "officers",
            "add",
            "--collar",
            "pc101",
            "--name",
            "Alex Reed",
            "--role",
            "pc",
            "--ward",
            NORTHGATE,
            "--from",
            "2026-01-01",
        ),
    ]
    for step in steps:
        result = cli("--db", db, *step)
        assert result.returncode == 0, result.stderr
    listed = json.loads(cli("--db", db, "officers", "list", "--ward", NORTHGATE, "--format", "json").stdout)
    assert [(o["collar"], o["role"], o["ward"], o["team"]) for o in listed] == [
        ("PC101", "PC", NORTHGATE, "North Team")
    ]
    again = cli("--db", db, "officers", "post", "--collar", "PC101", "--ward", NORTHGATE, "--from", "2026-03-01")
    assert again.returncode == 3 and "already posted" in again.stderr


def _import(cli, db, tmp_path, text, name="roster.csv", *extra):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return cli("--db", db, "import", "duty", str(path), *extra)


def test_imported_roster_gives_the_hand_counted_summary(cli, people, tmp_path):
    result = _import(cli, people, tmp_path, ROSTER_CSV)
    assert result.returncode == 0, result.stderr
    assert "11 officer-day(s)" in result.stdout and "5 abstraction(s)" in result.stdout

    result = cli(
        "--db",
        people,
        "abstractions",
        "summary",
        "--from",
        "2026-09-07",
        "--to",
        "2026-09-14",
        "--target",
        "0.8",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    got = {
        (r["officer"], r["ward"]): (r["rostered_hours"], r["abstracted_hours"], r["ring_fence"], r["below_target"])
        for r in rows
    }
    assert got == EXPECTED

    result = cli(
        "--db",
        people,
        "abstractions",
        "summary",
        "--ward",
        NORTHGATE,
        "--by",
        "ward",
        "--from",
        "2026-09-07",
        "--to",
        "2026-09-14",
        "--target",
        "0.8",
        "--format",
        "json",
    )
    (north,) = json.loads(result.stdout)
    assert (north["ward"], north["rostered_hours"], north["abstracted_hours"], north["below_target"]) == (
        NORTHGATE,
        52.0,
        14.0,
        True,
    )
    assert north["ring_fence"] == pytest.approx(38 / 52, abs=1e-6)


def test_table_shows_percentages_and_a_total(cli, people, tmp_path):
    _import(cli, people, tmp_path, ROSTER_CSV)
    result = cli(
        "--db", people, "abstractions", "summary", "--from", "2026-09-07", "--to", "2026-09-14", "--target", "80%"
    )
    lines = result.stdout.splitlines()
    assert lines[1].split()[0] == "PC101" and "68.8%" in lines[1]
    assert lines[-1].startswith("TOTAL") and "76.3%" in lines[-1]


def test_a_bad_roster_is_refused_whole_with_row_and_column(cli, people, tmp_path):
    bad = ROSTER_CSV + "2026-09-15,PC101,E05000001,8,2,holiday,,\n2026-09-16,PC999,E05000001,8,0,,,\n"
    result = _import(cli, people, tmp_path, bad, "bad.csv")
    assert result.returncode == 3
    assert "bad.csv, row 14, column 'reason'" in result.stderr and "response_cover" in result.stderr
    assert "bad.csv, row 15, column 'officer'" in result.stderr
    assert "Traceback" not in result.stderr
    summary = cli(
        "--db", people, "abstractions", "summary", "--from", "2026-09-01", "--to", "2026-09-30", "--format", "json"
    )
    assert json.loads(summary.stdout) == []  # nothing was written


def test_reimport_needs_replace(cli, people, tmp_path):
    assert _import(cli, people, tmp_path, ROSTER_CSV).returncode == 0
    again = _import(cli, people, tmp_path, ROSTER_CSV)
    assert again.returncode == 3 and "--replace" in again.stderr
    replaced = _import(cli, people, tmp_path, ROSTER_CSV, "roster.csv", "--replace")
    assert replaced.returncode == 0 and "replacing 11" in replaced.stdout


def test_monthly_return_files_are_marked_and_formula_safe(cli, people, tmp_path):
    _import(cli, people, tmp_path, ROSTER_CSV)
    result = cli(
        "--db",
        people,
        "abstractions",
        "record",
        "--officer",
        "PC101",
        "--date",
        "2026-09-21",
        "--hours",
        "2",
        "--reason",
        "other",
        "--note",
        "=1+1",
        "--ward",
        NORTHGATE,
        "--rostered-hours",
        "8",
    )
    assert result.returncode == 0, result.stderr
    for name in ("return.csv", "return.xlsx"):
        out = tmp_path / name
        result = cli("--db", people, "abstractions", "return", "--month", "2026-09", "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert "wrote 5 row(s)" in result.stdout and "marked OFFICIAL-SENSITIVE" in result.stdout
    with (tmp_path / "return.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == rows[-1] == ["OFFICIAL-SENSITIVE"]
    assert rows[1][:4] == ["month", "level", "ward", "ward_name"]
    pc101 = next(r for r in rows[1:-1] if r[5] == "PC101")
    # rostered 32 + 8 on the 21st; abstracted 10 + 2; below the 80% target
    assert pc101[:13] == [
        "2026-09",
        "officer",
        NORTHGATE,
        "Northgate",
        "North Team",
        "PC101",
        "Alex Reed",
        "40.0",
        "12.0",
        "28.0",
        "0.7",
        "0.8",
        "yes",
    ]
    sheet = openpyxl.load_workbook(tmp_path / "return.xlsx").active
    assert sheet.max_row == 7 and sheet["A1"].value == "OFFICIAL-SENSITIVE"
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_record_errors_are_plain_messages(cli, people):
    result = cli(
        "--db",
        people,
        "abstractions",
        "record",
        "--officer",
        "PC101",
        "--date",
        "2026-09-21",
        "--hours",
        "2",
        "--reason",
        "lunch",
        "--ward",
        NORTHGATE,
        "--rostered-hours",
        "8",
    )
    assert result.returncode == 3
    assert "Valid reasons: response_cover" in result.stderr and "Traceback" not in result.stderr
    result = cli(
        "--db",
        people,
        "abstractions",
        "record",
        "--officer",
        "PC101",
        "--date",
        "2026-09-21",
        "--hours",
        "9",
        "--reason",
        "court",
        "--ward",
        NORTHGATE,
        "--rostered-hours",
        "8",
    )
    assert result.returncode == 3
    assert result.stderr.strip() == (
        "rpdesk-cli: PC101: 9 h on 21/09/2026 would exceed the rostered hours (8 h rostered) (--hours)."
    )

    on_duty = ("abstractions", "duty", "--officer", "PC101", "--ward", NORTHGATE, "--date", "2026-09-23")
    result = cli("--db", people, *on_duty, "--rostered-hours", "0")
    assert result.returncode == 3
    assert result.stderr.strip() == "rpdesk-cli: A day on duty needs its rostered hours (--rostered-hours)."


def test_supervisor_view_lists_worst_ward_first(cli, people, tmp_path):
    _import(cli, people, tmp_path, ROSTER_CSV)
    result = cli(
        "--db",
        people,
        "abstractions",
        "supervisor",
        "--from",
        "2026-09-07",
        "--to",
        "2026-09-14",
        "--target",
        "0.8",
        "--wards-only",
        "--format",
        "json",
    )
    rows = json.loads(result.stdout)
    assert [(r["ward"], r["officers_below"]) for r in rows] == [(NORTHGATE, 1), (SOUTHMEAD, 0)]


def test_without_target_the_summary_uses_the_machine_settings_target(cli, people, tmp_path):
    """The CLI reads the settings once and gives the target to the service (services never read files)."""
    machine = tmp_path / "machine.json"
    machine.write_text('{"ring_fence_target": 0.85}', encoding="utf-8")
    _import(cli, people, tmp_path, ROSTER_CSV)
    args = ("--db", people, "abstractions", "summary", "--from", "2026-09-07", "--to", "2026-09-14", "--format", "json")
    default = json.loads(cli(*args).stdout)
    forced = cli(*args, env={"RPDESK_MACHINE_SETTINGS": str(machine)})
    assert forced.returncode == 0, forced.stderr
    assert {r["officer"]: r["below_target"] for r in json.loads(forced.stdout)} == {
        "PC101": True,
        "PC102": True,
        "PCSO201": True,
    }
    assert not all(r["below_target"] for r in default)


def test_an_abstraction_is_corrected_and_deleted_through_the_cli(cli, people):
    result = cli(
        "--db",
        people,
        "abstractions",
        "record",
        "--officer",
        "PC101",
        "--date",
        "2026-09-21",
        "--hours",
        "2",
        "--reason",
        "court",
        "--ward",
        NORTHGATE,
        "--rostered-hours",
        "8",
    )
    assert result.returncode == 0, result.stderr
    listed = cli(
        "--db",
        people,
        "abstractions",
        "list",
        "--officer",
        "PC101",
        "--from",
        "2026-09-21",
        "--to",
        "2026-09-21",
        "--format",
        "json",
    )
    (row,) = json.loads(listed.stdout)
    fixed = cli("--db", people, "abstractions", "correct", str(row["id"]), "--hours", "3", "--reason", "training")
    assert fixed.returncode == 0 and "3 h of training" in fixed.stdout
    stale = cli("--db", people, "abstractions", "delete", str(row["id"]), "--version", "1")
    assert stale.returncode == 3 and "Somebody else changed" in stale.stderr
    assert cli("--db", people, "abstractions", "delete", str(row["id"])).returncode == 0
    listed = cli(
        "--db",
        people,
        "abstractions",
        "list",
        "--officer",
        "PC101",
        "--from",
        "2026-09-21",
        "--to",
        "2026-09-21",
        "--format",
        "json",
    )
    assert json.loads(listed.stdout) == []


def test_officers_take_official_contact_only_through_the_cli(cli, people):
    private = "PRIVATE-MOBILE 07700 900999 home 12 Acacia Ave"
    refused = cli("--db", people, "officers", "update", "--collar", "PC101", "--phone", private)
    assert refused.returncode == 3 and "not a phone number" in refused.stderr and "Traceback" not in refused.stderr
    added = cli(
        "--db", people, "officers", "add", "--collar", "PC900", "--name", "Robin Hale", "--role", "PC",
        "--email", "robin@gmail.com",
    )  # fmt: skip
    assert added.returncode == 3 and "not a force address" in added.stderr
    ok = cli("--db", people, "officers", "update", "--collar", "PC101", "--email", "alex.reed@north.police.uk")
    assert ok.returncode == 0, ok.stderr
    listed = json.loads(cli("--db", people, "officers", "list", "--format", "json").stdout)
    assert {o["collar"]: (o["email"], o["phone"]) for o in listed} == {
        "PC101": ("alex.reed@north.police.uk", None),
        "PC102": (None, None),
        "PCSO201": (None, None),
    }


def test_abstractions_list_shows_the_last_year_by_default_and_says_so(cli, people, tmp_path):
    old = f"date,officer,ward,rostered_hours,abstracted_hours,reason\n2020-03-02,PC101,{NORTHGATE},8,2,court\n"
    assert _import(cli, people, tmp_path, old, name="old.csv").returncode == 0
    recent = dt.date.today() - dt.timedelta(days=30)
    text = f"date,officer,ward,rostered_hours,abstracted_hours,reason\n{recent},PC101,{NORTHGATE},8,3,training\n"
    assert _import(cli, people, tmp_path, text, name="recent.csv").returncode == 0
    listed = cli("--db", people, "abstractions", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    year_ago = dt.date.today() - dt.timedelta(days=364)
    assert f"abstractions from {year_ago} to {dt.date.today()}" in listed.stderr
    assert [(a["date"], a["reason"]) for a in json.loads(listed.stdout)] == [(recent.isoformat(), "training")]
    everything = cli(
        "--db", people, "abstractions", "list", "--from", "2020-01-01", "--to", "today", "--format", "json"
    )
    assert len(json.loads(everything.stdout)) == 2 and everything.stderr == ""


def test_ring_fence_figures_say_which_period_they_default_to(cli, people):
    today = dt.date.today()
    summary = cli("--db", people, "abstractions", "summary", "--format", "json")
    assert summary.returncode == 0, summary.stderr
    assert f"ring-fence figures from {today.replace(day=1)} to {today}" in summary.stderr
    month = cli("--db", people, "abstractions", "supervisor", "--month", "2026-09", "--format", "json")
    assert month.returncode == 0 and month.stderr == ""  # a period given is not repeated back


def test_deleting_an_abstraction_with_its_duty_day_leaves_no_rostered_hours(cli, people, tmp_path):
    assert _import(cli, people, tmp_path, ROSTER_CSV).returncode == 0
    day = ("--from", "2026-09-22", "--to", "2026-09-22")
    record = ("abstractions", "record", "--officer", "PC101", "--hours", "2", "--reason", "court")
    made = cli("--db", people, *record, "--date", "2026-09-22", "--ward", NORTHGATE, "--rostered-hours", "8")
    assert made.returncode == 0, made.stderr
    listed = cli("--db", people, "abstractions", "list", "--officer", "PC101", *day, "--format", "json")
    (row,) = json.loads(listed.stdout)
    gone = cli("--db", people, "abstractions", "delete", str(row["id"]), "--with-duty-day")
    assert gone.returncode == 0 and "and its duty day" in gone.stdout
    summary = cli("--db", people, "abstractions", "summary", "--officer", "PC101", *day, "--format", "json")
    assert json.loads(summary.stdout) == []  # no phantom 8 hours of ward time that day
    rostered = cli(
        "--db",
        people,
        "abstractions",
        "list",
        "--officer",
        "PC101",
        "--from",
        "2026-09-07",
        "--to",
        "2026-09-14",
        "--format",
        "json",
    )
    first = json.loads(rostered.stdout)[0]  # on a day of the imported roster
    kept = cli("--db", people, "abstractions", "delete", str(first["id"]), "--with-duty-day")
    assert kept.returncode == 3 and "stays" in kept.stderr and "Nothing was deleted" in kept.stderr
