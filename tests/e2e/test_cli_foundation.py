"""The foundation commands through a real process: demo, wards, db check/backup/upgrade, exit codes."""

from __future__ import annotations

import hashlib
import json

import pytest


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo_file(tmp_path, cli):
    path = tmp_path / "demo.sqlite"
    result = cli("demo", "--db", f"sqlite:///{path}", "--wards", "2", "--years", "1", "--today", "2026-10-31")
    assert result.returncode == 0, result.stderr
    return path


def test_demo_builds_wards_that_pass_db_check(demo_file, cli):
    url = f"sqlite:///{demo_file}"
    wards = json.loads(cli("wards", "list", "--db", url, "--format", "json").stdout)
    assert [w["name"] for w in wards] == ["Ashfield", "Brookside"]
    assert all(w["code"].startswith("E05") and len(w["code"]) == 9 and w["lsoas"] for w in wards)
    check = cli("--db", url, "db", "check")
    assert check.returncode == 0 and "ok" in check.stdout


def test_demo_is_deterministic(tmp_path, cli):
    outputs = []
    for name in ("a.sqlite", "b.sqlite"):
        url = f"sqlite:///{tmp_path / name}"
        cli("demo", "--db", url, "--wards", "1", "--years", "1", "--seed", "5", "--today", "2026-06-30")
        outputs.append(cli("wards", "list", "--db", url, "--format", "csv").stdout)
    assert outputs[0] == outputs[1]


def test_progress_stays_quiet_when_piped(tmp_path, cli):
    result = cli("demo", "--db", f"sqlite:///{tmp_path / 'q.sqlite'}", "--wards", "1", "--years", "1")
    assert result.returncode == 0
    assert result.stderr == ""
    assert "1 ward(s)" in result.stdout


def test_wards_add_and_list_formats(tmp_path, cli):
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    assert cli("db", "init", "--db", url).returncode == 0
    added = cli(
        "wards",
        "add",
        "--db",
        url,
        "--code",
        "w05000123",
        "--name",
        "Trefechan",
        "--lsoa",
        "W01000001,W01000002",
        "--language",
        "both",
    )
    assert added.returncode == 0, added.stderr
    csv_out = cli("wards", "list", "--db", url, "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "code,name,neighbourhood,language,lsoas"
    assert csv_out[1] == 'W05000123,Trefechan,,both,"W01000001, W01000002"'
    table = cli("wards", "list", "--db", url).stdout
    assert "Trefechan" in table and "W05000123" in table


def test_bad_ward_code_is_exit_3_with_what_was_expected(tmp_path, cli):
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    assert cli("db", "init", "--db", url).returncode == 0
    result = cli("wards", "add", "--db", url, "--code", "X123", "--name", "Nowhere")
    assert result.returncode == 3
    assert "expected E05 or W05 followed by 6 digits" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_error_is_exit_2(cli):
    assert cli("wards", "list", "--format", "xml").returncode == 2
    assert cli("no-such-command").returncode == 2


def test_corrupt_file_given_as_db_is_refused_and_unchanged(demo_file, cli):
    data = bytearray(demo_file.read_bytes())
    for offset in range(8192, len(data), 12288):
        data[offset : offset + 512] = b"\xa5" * 512
    demo_file.write_bytes(bytes(data))
    (demo_file.parent / (demo_file.name + "-wal")).unlink(missing_ok=True)
    (demo_file.parent / (demo_file.name + "-shm")).unlink(missing_ok=True)
    before = sha(demo_file)
    for args in (("db", "check"), ("wards", "list"), ("db", "upgrade")):
        result = cli(*args, "--db", f"sqlite:///{demo_file}")
        assert result.returncode == 3, args
        assert "damaged" in result.stderr and "Traceback" not in result.stderr
    assert sha(demo_file) == before


def test_text_file_given_as_db_is_refused(tmp_path, cli):
    path = tmp_path / "minutes.txt"
    path.write_text("Minutes of the ward panel\n")
    result = cli("wards", "list", "--db", f"sqlite:///{path}")
    assert result.returncode == 3 and "not an SQLite database" in result.stderr
    assert path.read_text() == "Minutes of the ward panel\n"


def test_backup_writes_a_working_copy(demo_file, tmp_path, cli):
    target = tmp_path / "copy.sqlite"
    result = cli("db", "backup", "--db", f"sqlite:///{demo_file}", "--out", str(target))
    assert result.returncode == 0 and result.stdout.strip() == str(target)
    listed = json.loads(cli("wards", "list", "--db", f"sqlite:///{target}", "--format", "json").stdout)
    assert len(listed) == 2


def test_rpdesk_db_environment_variable_selects_the_database(demo_file, cli):
    result = cli("wards", "list", "--format", "json", env={"RPDESK_DB": f"sqlite:///{demo_file}"})
    assert len(json.loads(result.stdout)) == 2


def test_cli_never_imports_qt(cli):
    code = "import sys, rpdesk.cli; rpdesk.cli.build_parser(); print(any(m.startswith('PySide6') for m in sys.modules))"
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    assert out == "False"


def test_csv_output_cannot_carry_a_live_formula(tmp_path, cli):
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    cli("db", "init", "--db", url)
    cli("wards", "add", "--db", url, "--code", "E05000124", "--name", '=HYPERLINK("http://x","click")')
    line = cli("wards", "list", "--db", url, "--format", "csv").stdout.splitlines()[1]
    assert line.startswith("E05000124,\"'=HYPERLINK(")
