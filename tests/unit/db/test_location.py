"""Which database: --db > RPDESK_DB > the database_url setting > the per-user file, decided in one place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rpdesk.db.database import open_database
from rpdesk.db.location import as_url, resolve_database
from rpdesk.errors import DatabaseMissing, UserError
from rpdesk.paths import default_database_path
from rpdesk.settings import Settings, machine_settings_path, user_settings_path


def write(path: Path, data: dict[str, object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_plain_file_path_means_that_sqlite_file_in_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert as_url("ward.sqlite") == f"sqlite:///{tmp_path / 'ward.sqlite'}"
    assert as_url("~/w.sqlite") == f"sqlite:///{Path.home() / 'w.sqlite'}"
    assert as_url(" postgresql+psycopg://rpdesk@db/rpdesk ") == "postgresql+psycopg://rpdesk@db/rpdesk"
    assert as_url("sqlite:////srv/ward.sqlite") == "sqlite:////srv/ward.sqlite"


def test_first_found_wins_option_then_environment_then_setting_then_default(tmp_path: Path) -> None:
    settings = Settings()
    settings.values["database_url"] = "postgresql+psycopg://db/rpdesk"
    settings.sources["database_url"] = tmp_path / "settings.json"
    env = {"RPDESK_DB": str(tmp_path / "env.sqlite")}
    option = str(tmp_path / "option.sqlite")
    assert resolve_database(option, settings=settings, environ=env).url == f"sqlite:///{option}"
    assert resolve_database(None, settings=settings, environ=env).url == f"sqlite:///{tmp_path / 'env.sqlite'}"
    chosen = resolve_database(None, settings=settings, environ={})
    assert chosen.url == "postgresql+psycopg://db/rpdesk"
    assert "database_url setting" in chosen.reason and str(tmp_path / "settings.json") in chosen.reason
    fallback = resolve_database(None, settings=Settings(), environ={"RPDESK_DB": "  "})
    assert fallback.url == f"sqlite:///{default_database_path()}" and "per-user default" in fallback.reason


def test_the_users_setting_wins_unless_it_locked_it() -> None:
    machine = write(machine_settings_path(), {"database_url": "postgresql://force-server/rpdesk"})
    write(user_settings_path(), {"database_url": "sqlite:////home/me/mine.sqlite"})
    choice = resolve_database(None, environ={})
    assert choice.url == "sqlite:////home/me/mine.sqlite" and str(user_settings_path()) in choice.reason
    write(machine, {"database_url": "postgresql://force-server/rpdesk", "locked": ["database_url"]})
    locked = resolve_database(None, environ={})
    assert locked.url == "postgresql://force-server/rpdesk"
    assert f"set and locked by IT in {machine}" in locked.reason
    assert locked.label == "postgresql://force-server/rpdesk"


def test_settings_are_not_read_when_the_command_line_or_environment_decides(tmp_path: Path) -> None:
    user_settings_path().parent.mkdir(parents=True, exist_ok=True)
    user_settings_path().write_text("{ not json", encoding="utf-8")
    assert resolve_database(str(tmp_path / "w.sqlite"), environ={}).path == tmp_path / "w.sqlite"
    assert resolve_database(None, environ={"RPDESK_DB": "sqlite:///x.sqlite"}).url == "sqlite:///x.sqlite"
    with pytest.raises(UserError, match="cannot be read"):
        resolve_database(None, environ={})


@pytest.mark.parametrize("empty_file", [False, True])
def test_a_missing_database_is_refused_and_nothing_is_created(tmp_path: Path, empty_file: bool) -> None:
    target = tmp_path / "typo" / "folder" / "ward.sqlite"
    if empty_file:
        target.parent.mkdir(parents=True)
        target.touch()
    with pytest.raises(DatabaseMissing, match="rpdesk-cli db init") as refused:
        open_database(as_url(str(target)), create=False)
    assert str(target) in str(refused.value)
    if empty_file:
        assert target.stat().st_size == 0 and sorted(p.name for p in target.parent.iterdir()) == ["ward.sqlite"]
    else:
        assert not (tmp_path / "typo").exists()
    open_database(as_url(str(target))).dispose()  # creating is a choice (db init, demo)
    open_database(as_url(str(target)), create=False).dispose()
