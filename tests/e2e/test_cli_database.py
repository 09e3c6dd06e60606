"""Database paths that cannot mislead: plain paths, no database made by mistake, `db init|where|upgrade`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.mark.parametrize("command", [("wards", "list"), ("db", "check"), ("signals", "--ward", "E05000001")])
def test_a_mistyped_path_is_refused_and_nothing_is_created(cli, tmp_path: Path, command: tuple[str, ...]) -> None:
    typo = tmp_path / "wrads" / "north.sqlite"
    result = cli(*command, "--db", str(typo))
    assert result.returncode == 3, result.stderr
    assert f"There is no database at {typo}" in result.stderr and "rpdesk-cli db init" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "wrads").exists()


def test_the_default_database_is_not_created_by_a_read(cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = cli("wards", "list", env={"XDG_DATA_HOME": str(data), "RPDESK_DB": ""})
    assert result.returncode == 3 and "There is no database at" in result.stderr
    assert not data.exists()


def test_db_init_takes_a_plain_path_says_where_and_will_not_init_twice(cli, tmp_path: Path) -> None:
    created = cli("db", "init", "--db", "ward.sqlite", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert f"created a new rpdesk database at {tmp_path / 'ward.sqlite'}" in created.stdout
    assert cli("wards", "list", "--db", "ward.sqlite", "--format", "json", cwd=tmp_path).stdout.strip() == "[]"
    again = cli("db", "init", "--db", "ward.sqlite", cwd=tmp_path)
    assert again.returncode == 3 and "already holds an rpdesk database" in again.stderr
    upgrade = cli("db", "upgrade", "--db", "ward.sqlite", cwd=tmp_path)
    assert upgrade.returncode == 0 and "already up to date" in upgrade.stdout and "->" not in upgrade.stdout


def test_db_where_says_which_database_and_why(cli, tmp_path: Path) -> None:
    machine = tmp_path / "machine.json"
    server_file = tmp_path / "force.sqlite"
    machine.write_text(json.dumps({"database_url": f"sqlite:///{server_file}", "locked": ["database_url"]}))
    env = {"RPDESK_MACHINE_SETTINGS": str(machine), "RPDESK_DB": ""}
    by_setting = cli("db", "where", env=env)
    assert by_setting.returncode == 0, by_setting.stderr
    lines = by_setting.stdout.splitlines()
    assert lines[0] == str(server_file)
    assert f"the database_url setting, set and locked by IT in {machine}" in lines[1]
    assert "does not exist yet" in lines[2]
    assert cli("db", "init", env=env).returncode == 0  # the CLI honours the setting: it creates that file
    assert server_file.is_file()
    by_env = cli("db", "where", env={**env, "RPDESK_DB": str(tmp_path / "mine.sqlite")}).stdout
    assert by_env.startswith(str(tmp_path / "mine.sqlite")) and "RPDESK_DB environment variable" in by_env
    by_option = cli("db", "where", "--db", str(server_file), env=env).stdout
    assert "named by --db" in by_option and "schema " in by_option
